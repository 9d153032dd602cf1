#!/usr/bin/env bash
# Issue 26's signal benchmarks against the release binary on SQLite:
#  1. the signal computation for the whole demo organization of N people (as the nightly sweep
#     runs it), three times through `POST /api/v1/signals/compute` as org-wide HR: the first on
#     the demo's own signals (computed at its end), then again — every open signal found again;
#  2. a person's signals page (`GET /signals`, signed in through the login page) at RATE
#     requests/s for 30 s, open loop (benches/openloop.py), for someone with a signal.
# Usage: benches/signals/run.sh [employees] [rate]   (WAYMARK_BIN, default target/release/waymark)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
n=${1:-10000}
rate=${2:-20}
port=18991
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
/usr/bin/time -f "demo: %e s, %M KiB peak" "$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 42 >/dev/null
token=$("$bin" user token hr --name bench --data-dir "$data")
WAYMARK_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
curl -sf -o /dev/null -H "Authorization: Bearer $token" "$base/api/v1/signals"
echo "idle after one read: server RSS $(awk '/VmRSS/{print $2}' /proc/$server/status) KiB"
for i in 1 2 3; do
  start=$(date +%s.%N)
  out=$(curl -sf -X POST -H "Authorization: Bearer $token" "$base/api/v1/signals/compute")
  echo "compute $i: $out (wall $(python3 -c "print(round($(date +%s.%N) - $start, 2))") s, server RSS $(awk '/VmRSS/{print $2}' /proc/$server/status) KiB)"
done
# Apart from the ~3 % whom the demo gives long weeks and no leave (two facts from attendance),
# the demo's people at this size have no signal (its check-ins start this quarter and it holds
# no 1:1s), so one more person is given two facts the rules read, through the API as people would:
# the longest at their level (beyond the median of their peers by a year or more) receives three
# pieces of improvement feedback this month, two of them harsh. Then the rules run again.
read -r no giver < <(python3 - "$data/waymark.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT employee_no FROM employee WHERE status = 'active' AND level IS NOT NULL AND id NOT IN (SELECT employee_id FROM user_account WHERE employee_id IS NOT NULL) ORDER BY hire_date LIMIT 2").fetchall()
print(rows[0][0], rows[1][0])
PY
)
"$bin" user create bench-person --employee-no "$no" --password waymark-bench-1 --data-dir "$data" >/dev/null
"$bin" user create bench-giver --employee-no "$giver" --password waymark-bench-1 --data-dir "$data" >/dev/null
gtoken=$("$bin" user token bench-giver --name bench --data-dir "$data")
who=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/employees?q=$no" | python3 -c "
import json,sys; d=json.load(sys.stdin); d=d.get('items', d) if isinstance(d, dict) else d; print(d[0]['id'])")
for words in "你总是一塌糊涂，交付拖拖拉拉" "你太不靠谱了，说好的方案没有给" "结论里没有给出数据来源"; do
  curl -sf -o /dev/null -X POST -H "Authorization: Bearer $gtoken" -H "Content-Type: application/json" "$base/api/v1/feedback" \
    -d "{\"recipient_id\":\"$who\",\"kind\":\"improvement\",\"visibility\":\"recipient\",\"template\":\"sbi\",\"parts\":[\"周会上\",\"$words\",\"项目延误\"]}"
done
echo "with one person's facts: $(curl -sf -X POST -H "Authorization: Bearer $token" "$base/api/v1/signals/compute")"
jar="$data/jar"
csrf=$(curl -sf -c "$jar" "$base/login" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "_csrf=$csrf" --data-urlencode "username=bench-person" \
  --data-urlencode "password=waymark-bench-1" --data-urlencode "next=/signals" -H "Origin: $base" "$base/login"
cookie=$(awk '$6=="wm_session"{print "wm_session="$7}' "$jar")
for _ in 1 2 3 4 5; do curl -sf -H "Cookie: $cookie" -o /dev/null "$base/signals"; done
curl -sf -H "Cookie: $cookie" "$base/signals" | grep -q 'article class="card signal' || { echo "the page shows no signal"; exit 1; }
python3 benches/openloop.py "$base/signals" "$rate" 30 "Cookie: $cookie"
