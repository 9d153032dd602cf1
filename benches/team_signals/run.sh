#!/usr/bin/env bash
# Issue 26, item 1 (teams): the team signals page's API against the release binary on SQLite.
# It reads what the team rules need of everyone (released results and attendance: session 24;
# before, everyone's whole facts), then groups them: org-wide HR by unit, a manager by their line. Each at RATE requests/s for 30 s, open
# loop (benches/openloop.py).
# Usage: benches/team_signals/run.sh [employees] [rate]   (WAYMARK_BIN, default target/release/waymark)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
n=${1:-10000}
rate=${2:-2}
port=18994
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
/usr/bin/time -f "demo: %e s, %M KiB peak" "$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 42 >/dev/null
hr=$("$bin" user token hr --name bench --data-dir "$data")
manager=$("$bin" user token manager --name bench --data-dir "$data")
WAYMARK_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/api/v1/signals/teams"
curl -sf -H "Authorization: Bearer $hr" "$url" | python3 -c "
import json,sys; v=json.load(sys.stdin)
print('teams read:', v['read'], '| under five:', v['too_small'], '| with a hint:', sum(1 for t in v['teams'] if t['hints']))"
for who in manager hr; do
  token=${!who}
  for _ in 1 2 3; do curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url"; done
  echo "== $who"
  python3 benches/openloop.py "$url" "$rate" 30 "Authorization: Bearer $token"
done
ps -o rss= -p "$server" | awk '{print "server RSS after:", int($1/1024), "MiB"}'
