#!/usr/bin/env python3
"""Issue 21, item 11: a check-in costs the same on the first and the ten-thousandth.

Posts N key-result check-ins (alternating values, confidence moving) on one goal of the
employee's, one at a time through the API, and prints the latency percentiles of the first and
the last 500. Usage: checkins.py BASE_URL TOKEN [N]. Stops by itself after N requests."""
import json
import sys
import time
import urllib.request

base, token = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 10000


def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


today = time.strftime("%Y-%m-%d")
periods = [p for p in call("GET", "/api/v1/periods") if p["starts_on"] <= today <= p["ends_on"]]
periods.sort(key=lambda p: p["ends_on"])
goals = call("GET", f"/api/v1/periods/{periods[0]['id']}/my-goals")
goal = None
for g in goals["goals"]:
    full = call("GET", f"/api/v1/goals/{g['id']}")
    krs = [k for k in full.get("key_results", []) if k.get("kind") in ("numeric", "kpi")]
    if krs and full.get("status") in ("approved", "filed"):
        goal, kr = full, krs[0]
        break
if goal is None:
    sys.exit("no approved goal with a numeric key result")
start = float(kr.get("start", 0) or 0)
target = float(kr.get("target", 100) or 100)
times = []
for i in range(n):
    value = start + (target - start) * ((i % 50) / 100.0)
    conf = ["on_track", "at_risk", "off_track"][i % 3]
    t0 = time.perf_counter()
    call("POST", f"/api/v1/key-results/{kr['id']}/check-ins", {"current": value, "confidence": conf})
    times.append((time.perf_counter() - t0) * 1000)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


first, last = times[:500], times[-500:]
print(f"goal {goal['id']}: {n} check-ins")
for name, xs in (("first 500", first), ("last 500", last)):
    print(f"  {name}: p50 {pct(xs, 50):.1f} ms, p99 {pct(xs, 99):.1f} ms, max {max(xs):.1f} ms")
print(f"  last p99 / first p99 = {pct(last, 99) / pct(first, 99):.2f}")
