#!/usr/bin/env bash
# Notification throughput (T-7): N messages through the job queue to the aiosmtpd sink.
# usage: benches/mail.sh sqlite|postgres [messages] [parse|count]   (needs: pip install aiosmtpd)
# parse (default): the sink parses each message and writes it as JSON, as the tests use it;
# count: the sink only counts, so the measure is the queue's and the SMTP client's.
set -euo pipefail
cd "$(dirname "$0")/.."
backend=${1:-sqlite}
n=${2:-5000}
mode=${3:-parse}
out=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 tests/peers/smtp_sink.py "$port" "$out" $([ "$mode" = count ] && echo --count) &
sink=$!
trap 'kill $sink 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 1 100); do [ -f "$out/ready" ] && break; sleep 0.1; done
cargo build -q --release -p waymark-app --example mail_throughput
if [ "$backend" = postgres ]; then
  export WAYMARK_TEST_POSTGRES_URL=${WAYMARK_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
  target/release/examples/mail_throughput "$port" "$n" postgres
else
  target/release/examples/mail_throughput "$port" "$n"
fi
if [ "$mode" = count ]; then
  echo "sink received: $(wc -l < "$out/received") messages"
else
  echo "sink received: $(ls "$out"/*.json | wc -l) messages"
fi
