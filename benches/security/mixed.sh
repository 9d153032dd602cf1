#!/usr/bin/env bash
# Issue 21's mixed load against the release binary on SQLite: 80 clients for 2 minutes, as three
# rounds of 40 s — READERS (60) connections reading (home page, my goals, a goal, the org search, the API
# profile) and WRITERS (20) writing check-ins on the employee's key results — with the server's resident
# memory sampled every second. Prints each round's throughput, read and write latency, the count
# of 5xx answers, and the peak memory. Everything goes to 127.0.0.1; it stops by itself.
# Usage: benches/security/mixed.sh [employees]   (WAYMARK_BIN, default target/release/waymark)
# THINK_MS: each client waits this long between its requests (a person reading the page);
# absent or 0: every client flat out, the server saturated.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
n=${1:-2000}
readers=${READERS:-60}
writers=${WRITERS:-20}
think=${THINK_MS:-0}
port=18990
data=$(mktemp -d)
"$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 21 >/dev/null
token=$("$bin" user token employee --name mixed --data-dir "$data")
WAYMARK_LOG=warn "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
auth="Authorization: Bearer $token"
today=$(date +%F)
period=$(curl -sf -H "$auth" "$base/api/v1/periods" | python3 -c "
import json,sys; ps=[p for p in json.load(sys.stdin) if p['starts_on']<='$today'<=p['ends_on']]
print(sorted(ps,key=lambda p:p['ends_on'])[0]['id'])")
read -r goal krs < <(curl -sf -H "$auth" "$base/api/v1/periods/$period/my-goals" | python3 -c "
import json,sys,urllib.request
for g in json.load(sys.stdin)['goals']:
    r=urllib.request.Request('$base/api/v1/goals/'+g['id'],headers={'Authorization':'Bearer $token'})
    full=json.load(urllib.request.urlopen(r))
    ks=[k['id'] for k in full.get('key_results',[]) if k.get('kind') in ('numeric','kpi')]
    if ks and full.get('status') in ('approved','filed'):
        print(g['id'], ','.join(ks)); break")
lua=$(mktemp -d)
# What each wrk prints at the end, for either side of the load.
cat >"$lua/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("%s %d requests, %.0f req/s, p50 %.1f ms, p99 %.1f ms, 5xx+errors %d\n", label,
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
cat >"$lua/read.lua" <<LUA
local paths = {"/", "/goals", "/api/v1/me", "/api/v1/periods/$period/my-goals", "/api/v1/goals/$goal", "/org?q=%E7%8E%8B"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {["Authorization"] = "Bearer $token"})
end
label = "READ"
if $think > 0 then delay = function() return $think end end
dofile("$lua/report.lua")
LUA
cat >"$lua/write.lua" <<LUA
local krs = {}
for k in string.gmatch("$krs", "[^,]+") do table.insert(krs, k) end
local i = 0
request = function()
  i = i + 1
  local body = string.format('{"percent": %d, "confidence": "%s", "note": "load %d"}', (i % 90) + 5,
    ({"on_track", "at_risk", "off_track"})[(i % 3) + 1], i)
  return wrk.format("POST", "/api/v1/key-results/" .. krs[(i % #krs) + 1] .. "/check-ins",
    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
label = "WRITE"
if $think > 0 then delay = function() return $think end end
dofile("$lua/report.lua")
LUA
peak=0
( while kill -0 $server 2>/dev/null; do awk '/VmRSS/{print $2}' /proc/$server/status; sleep 1; done ) >"$data/rss" &
sampler=$!
echo "idle: $(awk '/VmRSS/{print $2}' /proc/$server/status) KiB"
for round in 1 2 3; do
  echo "round $round"
  wrk -t2 -c"$readers" -d40s --latency -s "$lua/read.lua" "$base" 2>&1 | grep -E "^READ|Non-2xx" &
  reader=$!
  wrk -t1 -c"$writers" -d40s --latency -s "$lua/write.lua" "$base" 2>&1 | grep -E "^WRITE|Non-2xx"
  wait $reader
done
kill $sampler 2>/dev/null || true
echo "peak resident memory: $(sort -n "$data/rss" | tail -1) KiB"
echo "check-ins on the goal: $(curl -sf -H "$auth" "$base/api/v1/goals/$goal/tracking" | python3 -c 'import json,sys; print(json.load(sys.stdin)["check_in_count"])' 2>/dev/null || echo '?')"
