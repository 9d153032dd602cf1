#!/usr/bin/env bash
# Benchmarks of issue 2, against the release binary (never run as tests):
#   generate  — `waymark demo --employees N --no-serve`: wall time and peak memory
#   reports   — GET /api/v1/employees/{id}/reports for the CEO, a business-unit head and a
#               department head, one connection (latency of the whole request)
#   pages     — org chart and a profile under load (32 connections, 30 s)
#   idle      — resident memory of an idle `waymark serve`
# Benchmarks of issue 3 (goals; the demo generates goals with an alignment graph):
#   rollup    — `waymark goals rollup`: the whole organization's roll-up including loading from
#               and writing to the database
#   goals     — my-goals page of an employee and the goal map of a company goal under load
#               (32 connections, 30 s)
#   assign    — bulk assignment of a goal template (G-8) to a whole job family across the
#               organization: preview, assignment, and the repeat that skips everyone; the
#               server's peak memory
# Benchmarks of issue 4 (tracking; the demo generates this quarter's weekly check-ins):
#   sweep     — `waymark goals sweep`: every tracked goal's status and risks, end to end
#   board     — GET /api/v1/boards/hr for the whole organization (both lists) and its export;
#               then the manager's team board and team digest under load: flat out with 32
#               connections (wrk), and at steady rates (RATES, default "100 200") in open loop
# Benchmark of issue 5 (inbound webhooks, F-7):
#   webhooks  — signed GitHub pull_request deliveries (GitHub's example payload, each a new
#               event) posted flat out for 20 s with 8 connections (wrk + benches/webhooks/),
#               each verified, recorded and queued; then how long the worker takes to finish the
#               webhook jobs (SQLite only: it reads the job table). Needs tests/e2e's npm
#               packages (npm ci).
#   network   — the recognition network page's data (R-3) for the whole organization: KUDOS
#               (default 1 000 000) kudos written into the generated organization by
#               benches/recognition/seed_kudos.py (PostgreSQL: needs pip's psycopg[binary]),
#               then GET /api/v1/recognition/network as HR
#               three times (the grouped read of the kudos, the analysis, the answer).
# Benchmarks of issue 6 (reviews):
#   reviews   — launching a cycle over the whole generated organization (template and cycle
#               made through the API with benches/reviews/inputs.py, then POST …/launch timed),
#               then the demo manager's review form of one report, with its evidence, under
#               load (32 connections, 30 s) and at steady rates (RATES, default "100 200")
# Benchmark of issue 23 (the home page, Q-1):
#   home      — GET / as each demo role (employee, manager, HR, executive, admin), 32
#               connections, 30 s, and in open loop at RATES (default 100) requests/s; then a review cycle over the whole organization is launched
#               (as in `reviews`) and HR's home, which shows its progress, is measured again
# Usage: benches/load.sh generate|reports|pages|idle|rollup|goals|assign|sweep|board [sqlite|postgres] [employees]
# Environment:
#   GOALS_PER_PERSON=6    personal goals per individual contributor (`demo --goals-per-person`):
#                         6 gives the issue-4 scale (~500 000 goals, ~7.5 million check-ins)
#   BENCH_DATA=DIR        reuse an organization generated before in DIR (SQLite) instead of
#                         generating one; with postgres also BENCH_DATABASE_URL=postgres://…
#                         Nothing is deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${WAYMARK_BIN:-target/release/waymark}
what=${1:?generate|reports|pages|idle}
backend=${2:-sqlite}
n=${3:-100000}
port=18980
if [ -n "${BENCH_DATA:-}" ]; then
  data=$BENCH_DATA
  args=(--data-dir "$data")
  [ "$backend" = postgres ] && args+=(--database-url "${BENCH_DATABASE_URL:?BENCH_DATABASE_URL with BENCH_DATA for postgres}")
else
  data=$(mktemp -d)
  args=(--data-dir "$data")
  if [ "$backend" = postgres ]; then
    db="waymark_bench_$$"
    psql -q -h 127.0.0.1 -U postgres -d test -c "CREATE DATABASE $db"
    args+=(--database-url "postgres://postgres@127.0.0.1:5432/$db")
  fi
fi
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "${BENCH_DATA:-}" ] && return
  [ "$backend" = postgres ] && psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$data"
}
trap cleanup EXIT
export WAYMARK_LOG=warn

generate() {
  if [ -n "${BENCH_DATA:-}" ]; then echo "reusing the organization in $BENCH_DATA"; return; fi
  local more=()
  [ -n "${GOALS_PER_PERSON:-}" ] && more=(--goals-per-person "$GOALS_PER_PERSON")
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$bin" demo --no-serve --employees "$n" --seed 42 "${more[@]}" "${args[@]}"
}

serve() {
  "$bin" serve --listen "127.0.0.1:$port" "${args[@]}" > "$data/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.1; done
  echo "server did not start"; cat "$data/serve.log"; exit 1
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# Signs a demo user in through the login page and prints the Cookie header of their session.
# The form's CSRF token is the signed one on the page (issue 21), not the wm_csrf cookie.
page_login() {
  local jar="$data/jar-$1" csrf
  csrf=$(curl -sf -c "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="_csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
  curl -sf -b "$jar" -c "$jar" -o /dev/null --data "_csrf=$csrf&username=$1&password=waymark-demo" "http://127.0.0.1:$port/login"
  echo "Cookie: wm_session=$(awk '$6=="wm_session"{print $7}' "$jar")"
}

case "$what" in
  generate) generate ;;
  reports)
    generate >/dev/null
    token=$("$bin" user token executive --name bench "${args[@]}")
    serve
    api() { curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$1"; }
    ceo=$(api /api/v1/me | json 'd["employee"]["id"]')
    mgr_no=$("$bin" export employees "$data/e.csv" "${args[@]}" >/dev/null; python3 -c "
import csv; rows=list(csv.reader(open('$data/e.csv', encoding='utf-8-sig')))
print([r[0] for r in rows if r[7]=='M4'][0], [r[0] for r in rows if r[7]=='M5'][0])")
    read -r dept_no bu_no <<<"$mgr_no"
    for who in "CEO:$ceo" "business-unit head:$(api "/api/v1/employees?q=$bu_no&limit=1" | json 'd["items"][0]["id"]')" "department head:$(api "/api/v1/employees?q=$dept_no&limit=1" | json 'd["items"][0]["id"]')"; do
      id=${who##*:}
      total=$(api "/api/v1/employees/$id/reports" | json 'd["total"]')
      echo "--- all reports of the ${who%%:*} ($total people), 1 connection, 10 s"
      wrk -t1 -c1 -d10s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/employees/$id/reports" | grep -E "Latency|50%|99%|Requests/sec"
    done
    ;;
  pages)
    generate >/dev/null
    serve
    cookie=$(page_login hr)
    person=$(curl -sf -H "$cookie" "http://127.0.0.1:$port/org/search?q=E0050" | grep -o '/people/[0-9a-f-]*' | head -1)
    for page in /org "$person"; do
      echo "--- GET $page, 32 connections, 30 s"
      wrk -t2 -c32 -d30s --latency -H "$cookie" "http://127.0.0.1:$port$page" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
    done
    ;;
  rollup)
    generate
    "$bin" goals rollup "${args[@]}"
    "$bin" goals rollup "${args[@]}"
    ;;
  sweep)
    generate
    /usr/bin/time -f "sweep: wall %e s, peak RSS %M KiB" "$bin" goals sweep "${args[@]}"
    ;;
  board)
    generate >/dev/null
    token=$("$bin" user token hr --name bench "${args[@]}")
    serve
    h="Authorization: Bearer $token"
    for list in abnormal stale; do
      for i in 1 2 3; do
        curl -s -o /dev/null -H "$h" -w "HR board, whole organization, $list list: %{time_total} s\n" "http://127.0.0.1:$port/api/v1/boards/hr?list=$list"
      done
    done
    curl -s -o "$data/export.csv" -H "$h" -w "export of the abnormal list: %{time_total} s, %{size_download} bytes\n" "http://127.0.0.1:$port/api/v1/boards/hr/export"
    cookie=$(page_login manager)
    echo "--- the manager's team: $(curl -sf -H "$cookie" "http://127.0.0.1:$port/goals/team" | grep -c 'class="card-head"') direct reports"
    for page in /goals/team /tracking/weekly/team; do
      echo "--- GET $page, 32 connections, 30 s"
      wrk -t2 -c32 -d30s --latency -H "$cookie" "http://127.0.0.1:$port$page" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
      # Latency under a steady load below saturation: Poisson arrivals at RATES requests/s
      # (benches/openloop.py, open loop: timed from when each request was due).
      for rate in ${RATES:-100 200}; do
        echo "--- GET $page, open loop at $rate requests/s, 30 s"
        benches/openloop.py "http://127.0.0.1:$port$page" "$rate" 30 "$cookie"
      done
    done
    ;;
  goals)
    generate >/dev/null
    serve
    emp=$(page_login employee)
    hr=$(page_login hr)
    company=$(curl -sf -H "$hr" "http://127.0.0.1:$port/goals" | grep -o '/goals/[0-9a-f-]*/map' | head -1)
    echo "--- goals of the period: $(curl -sf -H "$emp" "http://127.0.0.1:$port/goals" | grep -c 'class="goal-row"') rows on the employee's page"
    for page in /goals "$company"; do
      echo "--- GET $page, 32 connections, 30 s"
      wrk -t2 -c32 -d30s --latency -H "$([ "$page" = /goals ] && echo "$emp" || echo "$hr")" "http://127.0.0.1:$port$page" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
    done
    ;;
  assign)
    generate >/dev/null
    token=$("$bin" user token hr --name bench "${args[@]}")
    serve
    api() { curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
    tid=$(api "http://127.0.0.1:$port/api/v1/goal-library" | json '[t["id"] for t in d["templates"] if t["period_id"] is None and t["job_family"] in ("销售", "Sales")][0]')
    pid=$(api "http://127.0.0.1:$port/api/v1/periods" | json '[p["id"] for p in d if p["kind"] == "quarter"][0]')
    for run in "preview:true" "assign:false" "repeat:false"; do
      out=$(api -w ' %{time_total}' -X POST --data "{\"period_id\":\"$pid\",\"dry_run\":${run#*:}}" "http://127.0.0.1:$port/api/v1/goal-templates/$tid/assign")
      echo "--- ${run%%:*}: ${out##* } s — $(echo "${out% *}" | json '"matched %s, created %s, skipped %s" % (d["matched"], d["created"], d["skipped_duplicates"])')"
    done
    echo "server peak memory: $(grep VmHWM /proc/$server/status)"
    ;;
  webhooks)
    generate
    token=$("$bin" user token admin --name bench "${args[@]}" 2>/dev/null)
    serve
    api="http://127.0.0.1:$port/api/v1"
    hook=$(curl -sf -X POST "$api/integrations" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"kind":"github","name":"bench"}')
    id=$(echo "$hook" | json 'd["id"]'); secret=$(echo "$hook" | json 'd["secret"]')
    # The example's two GitHub users are two employees, so each event makes two to-dos and
    # tells two people.
    people=$(curl -sf "$api/employees" -H "Authorization: Bearer $token")
    for pair in "codertocat 0" "octocat 1"; do
      set -- $pair
      who=$(echo "$people" | json "d['items'][$2]['id']")
      curl -sf -X PUT "$api/external-identities" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"system\":\"github\",\"external_id\":\"$1\",\"employee_id\":\"$who\"}" >/dev/null
    done
    python3 benches/webhooks/make_requests.py tests/e2e/node_modules/@octokit/webhooks-examples/api.github.com/index.json \
      "$secret" 60000 "$data/requests.tsv"
    REQUESTS="$data/requests.tsv" THREADS=2 wrk -t2 -c8 -d20s --latency -s benches/webhooks/ingest.lua "$api/hooks/$id"
    # The worker keeps turning events into to-dos (and their notifications) during the load;
    # how long until the queue is empty after it stops.
    python3 - "$data/waymark.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=30)
def left():
    return db.execute("SELECT COUNT(*) FROM job WHERE kind = 'webhook' AND state IN ('queued', 'running')").fetchone()[0]
start, n = time.time(), left()
done = db.execute("SELECT COUNT(*) FROM job WHERE kind = 'webhook' AND state = 'done'").fetchone()[0]
print(f"webhook jobs waiting when the load stopped: {n}, already done: {done}")
while n > 0:
    time.sleep(0.2)
    n = left()
done = db.execute("SELECT COUNT(*) FROM job WHERE kind = 'webhook' AND state = 'done'").fetchone()[0]
print(f"all turned into to-dos {time.time() - start:.1f} s after the load stopped; webhook jobs done: {done}")
PY
    ;;
  network)
    generate
    quarter_start=$(python3 -c "import datetime; d=datetime.date.today(); print(datetime.date(d.year, (d.month - 1) // 3 * 3 + 1, 1))")
    target="$data/waymark.db"
    [ "$backend" = postgres ] && target="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$db}"
    /usr/bin/time -f "kudos written in %e s" python3 benches/recognition/seed_kudos.py "$target" "${KUDOS:-1000000}" "$quarter_start"
    token=$("$bin" user token hr --name bench "${args[@]}" 2>/dev/null)
    serve
    for i in 1 2 3; do
      curl -sf -o "$data/network.json" -w "GET /api/v1/recognition/network: %{time_total} s\n" \
        "http://127.0.0.1:$port/api/v1/recognition/network" -H "Authorization: Bearer $token"
    done
    json '(d["people"], d["kudos"], d["sampled"], d["bridges"][0])' < "$data/network.json"
    ps -o rss= -p "$server" | awk '{print "server RSS after: " $1 / 1024 " MiB"}'
    ;;
  reviews)
    generate >/dev/null
    token=$("$bin" user token hr --name bench "${args[@]}")
    mtoken=$("$bin" user token manager --name bench "${args[@]}")
    serve
    h="Authorization: Bearer $token"
    api="http://127.0.0.1:$port/api/v1"
    read -r period start < <(curl -sf -H "$h" "$api/periods" | json '" ".join([(p["id"], p["starts_on"]) for p in d if p["kind"] == "quarter"][0])')
    template=$(benches/reviews/inputs.py template | curl -sf -H "$h" -H 'Content-Type: application/json' --data-binary @- "$api/review-templates" | json 'd["id"]')
    cycle=$(benches/reviews/inputs.py cycle "$period" "$template" "$start" | curl -sf -H "$h" -H 'Content-Type: application/json' --data-binary @- "$api/review-cycles" | json 'd["id"]')
    curl -sf -o "$data/launch.json" -X POST -H "$h" -w "POST /api/v1/review-cycles/{id}/launch: %{time_total} s\n" "$api/review-cycles/$cycle/launch"
    echo "participants: $(json 'd["participants"]' < "$data/launch.json")"
    curl -sf -o /dev/null -H "$h" -w "GET the cycle's health: %{time_total} s\n" "$api/review-cycles/$cycle/health"
    review=$(curl -sf -H "Authorization: Bearer $mtoken" "$api/me/review-tasks" | json '[t["review_id"] for t in d if t["source"] == "manager"][0]')
    cookie=$(page_login manager)
    page="/reviews/$review"
    echo "--- $page: $(curl -sf -H "$cookie" "http://127.0.0.1:$port$page" | grep -c 'class="evidence-goal"') goals beside the form"
    echo "--- GET $page, 32 connections, 30 s"
    wrk -t2 -c32 -d30s --latency -H "$cookie" "http://127.0.0.1:$port$page" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
    for rate in ${RATES:-100 200}; do
      echo "--- GET $page, open loop at $rate requests/s, 30 s"
      benches/openloop.py "http://127.0.0.1:$port$page" "$rate" 30 "$cookie"
    done
    ;;
  home)
    generate >/dev/null
    token=$("$bin" user token hr --name bench "${args[@]}")
    serve
    for role in ${ROLES:-employee manager hr executive admin}; do
      cookie=$(page_login "$role")
      echo "--- GET / as $role: $(curl -sf -H "$cookie" "http://127.0.0.1:$port/" | grep -c 'class="todo ') to-dos; 32 connections, 30 s"
      wrk -t2 -c32 -d30s --latency -H "$cookie" "http://127.0.0.1:$port/" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
      for rate in ${RATES:-100}; do
        echo "--- GET / as $role, open loop at $rate requests/s, 30 s"
        benches/openloop.py "http://127.0.0.1:$port/" "$rate" 30 "$cookie"
      done
    done
    h="Authorization: Bearer $token"
    api="http://127.0.0.1:$port/api/v1"
    read -r period start < <(curl -sf -H "$h" "$api/periods" | json '" ".join([(p["id"], p["starts_on"]) for p in d if p["kind"] == "quarter"][0])')
    template=$(benches/reviews/inputs.py template | curl -sf -H "$h" -H 'Content-Type: application/json' --data-binary @- "$api/review-templates" | json 'd["id"]')
    cycle=$(benches/reviews/inputs.py cycle "$period" "$template" "$start" | curl -sf -H "$h" -H 'Content-Type: application/json' --data-binary @- "$api/review-cycles" | json 'd["id"]')
    curl -sf -o "$data/launch.json" -X POST -H "$h" "$api/review-cycles/$cycle/launch"
    echo "launched a cycle of $(json 'd["participants"]' < "$data/launch.json") participants"
    for role in ${CYCLE_ROLES:-hr manager}; do
      cookie=$(page_login "$role")
      echo "--- GET / as $role with the cycle under way, 32 connections, 30 s"
      wrk -t2 -c32 -d30s --latency -H "$cookie" "http://127.0.0.1:$port/" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
      for rate in ${RATES:-100}; do
        echo "--- GET / as $role with the cycle under way, open loop at $rate requests/s, 30 s"
        benches/openloop.py "http://127.0.0.1:$port/" "$rate" 30 "$cookie"
      done
    done
    ;;
  idle)
    generate >/dev/null
    serve
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null
    sleep 5
    echo "idle resident memory: $(grep VmRSS /proc/$server/status)"
    ;;
  *) echo "unknown benchmark $what"; exit 2 ;;
esac
