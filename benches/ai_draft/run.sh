#!/usr/bin/env bash
# Issue 26, item 5: what AI drafting adds to a development report's draft, against the release
# binary on SQLite with mockllm (target/peers-venv, as .ci/run makes it) as the endpoint, so the
# model's own time is near zero and what is measured is Waymark's: building the prompt, the two
# audit writes around the call, the HTTP exchange and reading the answer. Compared with reading
# the same report (GET). Each at RATE requests/s for 30 s, open loop (benches/openloop.py).
# Usage: benches/ai_draft/run.sh [employees] [rate]   (WAYMARK_BIN, MOCKLLM_BIN)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${WAYMARK_BIN:-target/release/waymark}
mock=${MOCKLLM_BIN:-target/peers-venv/bin/mockllm}
n=${1:-5000}
rate=${2:-10}
port=18995
aiport=18996
data=$(mktemp -d)
trap 'kill $server $mockpid 2>/dev/null || true; rm -rf "$data"' EXIT
printf "responses: {}\ndefaults:\n  unknown_response: '{\"strengths\":\"- a\",\"areas\":\"- b\",\"actions\":\"- c\",\"support\":\"- d\"}'\n" > "$data/mock.yml"
"$mock" start -r "$data/mock.yml" -h 127.0.0.1 -p "$aiport" >"$data/mock.log" 2>&1 &
mockpid=$!
"$bin" demo --no-serve --data-dir "$data" --employees "$n" --seed 42 >/dev/null
manager=$("$bin" user token manager --name bench --data-dir "$data")
employee=$("$bin" user token employee --name bench --data-dir "$data")
WAYMARK_AI__ENDPOINT="http://127.0.0.1:$aiport/v1" WAYMARK_AI__MODEL=bench WAYMARK_LOG=warn \
  "$bin" serve --data-dir "$data" --listen "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
me=$(curl -sf -H "Authorization: Bearer $employee" "$base/api/v1/me" | python3 -c "import json,sys; print(json.load(sys.stdin)['employee']['id'])")
url="$base/api/v1/people/$me/development-report"
curl -sf -X POST -H "Authorization: Bearer $manager" "$url/ai-draft" | python3 -c "
import json,sys; v=json.load(sys.stdin); print('drafted by AI:', v['by_ai'], '| fallback:', v['fallback'])"
echo "== GET the report (the rules' draft), manager"
python3 benches/openloop.py "$url" "$rate" 30 "Authorization: Bearer $manager"
echo "== POST ai-draft, manager"
METHOD=POST python3 benches/openloop.py "$url/ai-draft" "$rate" 30 "Authorization: Bearer $manager"
