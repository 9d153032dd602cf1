#!/usr/bin/env bash
# Issue 26's model benchmark ("fitting and 5-fold validation of the model on 100 000 people:
# under 10 s") against the release binary on SQLite:
#  1. the service end to end: the demo organization of N people, then `POST
#     /api/v1/signals/model/fit` as org-wide HR three times (reading the history a year back,
#     building the table, 5-fold validation and the final fit, keeping the run), with the
#     server's memory after each; then the signal computation with the fitted model applied to
#     everyone, against the same computation before the fit;
#  2. the learner alone on a labelled file of N rows shaped like the history (15 features, one
#     of them a category), through `waymark insights attrition evaluate --folds 5`.
# The demo's history holds only the leavers it generates; if there are fewer than the model
# needs, the longest-serving tenth of those employed a year ago is recorded as having left since
# (directly in the database: the benchmark measures the fit, not 10 000 API calls).
# Usage: benches/flight_model/run.sh [employees]   (WAYMARK_BIN, default target/release/waymark)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
n=${1:-100000}
port=18993
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
/usr/bin/time -f "demo: %e s, %M KiB peak" "$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 42 >/dev/null
python3 - "$data/waymark.db" <<'PY'
import sqlite3, sys, datetime
c = sqlite3.connect(sys.argv[1])
today = datetime.date.today()
snap = today.replace(year=today.year - 1).isoformat()
then = "hire_date <= ? AND (status != 'left' OR status_since > ?)"
employed = c.execute(f"SELECT count(*) FROM employee WHERE {then}", (snap, snap)).fetchone()[0]
left = c.execute(f"SELECT count(*) FROM employee WHERE {then} AND status = 'left'", (snap, snap)).fetchone()[0]
print(f"history: {employed} employed on {snap}, {left} of them left since")
if left < 30:
    rows = c.execute(f"SELECT id FROM employee WHERE {then} AND status != 'left' AND id NOT IN (SELECT employee_id FROM user_account WHERE employee_id IS NOT NULL) ORDER BY hire_date LIMIT ?", (snap, snap, employed // 10)).fetchall()
    for i, (id,) in enumerate(rows):
        on = (datetime.date.fromisoformat(snap) + datetime.timedelta(days=1 + i % 360)).isoformat()
        c.execute("UPDATE employee SET status = 'left', status_since = ? WHERE id = ?", (on, id))
    c.commit()
    print(f"recorded {len(rows)} of the longest-serving as having left since")
PY
token=$("$bin" user token hr --name bench --data-dir "$data")
WAYMARK_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
rss() { awk '/VmRSS/{print $2}' /proc/$server/status; }
echo "idle: server RSS $(rss) KiB"
timed() {
  local start; start=$(date +%s.%N)
  local out; out=$(curl -sf -X POST -H "Authorization: Bearer $token" "$base$1")
  echo "$2: wall $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s, server RSS $(rss) KiB; $(echo "$out" | python3 -c "$3")"
}
timed /api/v1/signals/compute "compute before a fit" "import json,sys; d=json.load(sys.stdin); print(d)"
for i in 1 2 3; do
  timed /api/v1/signals/model/fit "fit $i" "import json,sys; d=json.load(sys.stdin); v=d['validation'] or {}; print({k: d[k] for k in ('people','leavers','fitted')}, {k: round(v[k], 3) for k in ('roc_auc','pr_auc','brier') if k in v})"
done
timed /api/v1/signals/compute "compute with the model" "import json,sys; d=json.load(sys.stdin); print(d)"

# The learner alone: N rows shaped like the history, leaving driven by three of the features.
python3 - "$n" "$data/history.csv" <<'PY'
import csv, math, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(42)
cols = ["tenure_months", "months_at_level", "months_over_peers", "level", "has_result", "result", "result_change",
        "check_ins_recent", "check_ins_earlier", "one_on_ones_held", "one_on_ones_cancelled", "feedback_received",
        "feedback_critical", "recognition", "potential", "left"]
with open(path, "w", newline="") as f:
    w = csv.writer(f); w.writerow(cols)
    for _ in range(n):
        tenure = r.randint(0, 180); at_level = r.randint(0, tenure); over = at_level - 24
        cancelled = r.randint(0, 5); result = r.uniform(50, 100)
        logit = -2.2 + 0.02 * over + 0.4 * (cancelled - 2) - 0.04 * (result - 75)
        left = "yes" if r.random() < 1 / (1 + math.exp(-logit)) else "no"
        w.writerow([tenure, at_level, over, r.choice(["P3", "P4", "P5", "P6", "M1", "M2"]), 1, round(result, 1),
                    round(r.uniform(-15, 15), 1), r.randint(0, 12), r.randint(0, 12), r.randint(0, 12), cancelled,
                    r.randint(0, 20), r.randint(0, 5), r.randint(0, 10), r.choice(["none", "low", "medium", "high"]), left])
PY
/usr/bin/time -f "learner alone on $n rows: %e s, %M KiB peak" "$bin" insights attrition evaluate --train "$data/history.csv" --label left --positive yes --folds 5 | head -4
