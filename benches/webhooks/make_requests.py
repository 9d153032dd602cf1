#!/usr/bin/env python3
"""Pre-signs N distinct GitHub `pull_request` closed deliveries for the ingestion benchmark
(docs/benchmarks.md): GitHub's own example payload with the pull request number changed per
delivery, each signed as GitHub signs (sha256= HMAC-SHA256 of the body). Writes one request
per line as `delivery-id<TAB>signature<TAB>body` for wrk's ingest.lua.

usage: make_requests.py <example index.json> <secret> <count> <out>
"""
import hashlib
import hmac
import json
import sys
import uuid

examples, secret, count, out = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4]
events = json.load(open(examples))
pr = next(e for e in events if e["name"] == "pull_request")
closed = next(x for x in pr["examples"] if x["action"] == "closed")
with open(out, "w") as f:
    for i in range(count):
        closed["number"] = i + 1
        closed["pull_request"]["number"] = i + 1
        body = json.dumps(closed, separators=(",", ":"), ensure_ascii=False)
        sig = "sha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        f.write(f"{uuid.uuid4()}\t{sig}\t{body}\n")
