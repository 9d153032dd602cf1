#!/usr/bin/env bash
# Issue 26, item 4: the development report (D-2) against the release binary on SQLite, at the
# largest demo that carries a finished, released quarter (5 000 people; above that the demo has
# no reviews). The report reads the person's ratings and learning, then — for the mentors —
# every released rating in their areas across the organization and the plans naming them.
#  1. the manager's report on the demo employee through the API (their line's mentors);
#  2. the same report read by org-wide HR (mentors from the whole organization: the heavy case);
#  each at RATE requests/s for 30 s, open loop (benches/openloop.py).
# Usage: benches/devreport/run.sh [employees] [rate]   (WAYMARK_BIN, default target/release/waymark)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
n=${1:-5000}
rate=${2:-20}
port=18993
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
/usr/bin/time -f "demo: %e s, %M KiB peak" "$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 42 >/dev/null
hr=$("$bin" user token hr --name bench --data-dir "$data")
manager=$("$bin" user token manager --name bench --data-dir "$data")
employee=$("$bin" user token employee --name bench --data-dir "$data")
WAYMARK_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
me=$(curl -sf -H "Authorization: Bearer $employee" "$base/api/v1/me" | python3 -c "import json,sys; print(json.load(sys.stdin)['employee']['id'])")
url="$base/api/v1/people/$me/development-report"
curl -sf -H "Authorization: Bearer $hr" "$url" | python3 -c "
import json,sys; v=json.load(sys.stdin); a=v['analysis']
print('report:', v['cycle_name'], '|', len(a['findings']), 'findings', [f['assessment'] for f in a['findings']], '|', len(v['mentors']), 'mentors (HR),', len(v['suggested']), 'suggested')"
echo "released ratings in the database: $(python3 -c "
import sqlite3; c=sqlite3.connect('$data/waymark.db'); print(c.execute('SELECT COUNT(*) FROM review_rating').fetchone()[0])")"
for who in manager hr; do
  token=${!who}
  for _ in 1 2 3 4 5; do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  echo "== $who, the demo employee's report"
  python3 benches/openloop.py "$url" "$rate" 30 "Authorization: Bearer $token"
done
# The heavy case: someone with areas to develop, whose mentors HR looks for across the whole
# organization (every released rating in those dimensions, and the plans naming them).
area=$(python3 - "$base" "$hr" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))
for offset in range(0, 2000, 200):
    for p in get(f"/api/v1/employees?limit=200&offset={offset}")["items"]:
        v = get(f"/api/v1/people/{p['id']}/development-report")
        areas = [f for f in v["analysis"]["findings"] if f["assessment"] in ("volatile", "growth")]
        if areas and v["mentors"]:
            print(p["id"], len(areas), len(v["mentors"]), len(v["suggested"]))
            sys.exit(0)
sys.exit("no one with areas and mentors")
PY
)
read -r who areas mentors suggested <<<"$area"
echo "== hr, a report with $areas areas: $mentors mentors, $suggested suggested (1 request/s, then RATE)"
url="$base/api/v1/people/$who/development-report"
python3 benches/openloop.py "$url" 1 30 "Authorization: Bearer $hr"
python3 benches/openloop.py "$url" "$rate" 30 "Authorization: Bearer $hr"
echo "server RSS after: $(awk '/VmRSS/{print $2}' /proc/$server/status) KiB"
