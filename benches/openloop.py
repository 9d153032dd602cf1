#!/usr/bin/env python3
"""Open-loop load: GET one URL at RATE requests/s with Poisson arrivals for SECONDS, over
keep-alive connections (a new one when all are busy), and print the latency percentiles.

Latency runs from when a request was due, not when a connection was free, so a slow server is
not hidden by the client waiting for it (no coordinated omission). Standard library only.

Usage: benches/openloop.py URL RATE SECONDS [Header: value ...]
(METHOD=POST in the environment posts an empty body instead.)
"""
import asyncio
import os
import random
import sys
import time
from urllib.parse import urlsplit


async def fetch(conns, host, port, request):
    reader, writer = conns.pop() if conns else await asyncio.open_connection(host, port)
    writer.write(request)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    conns.append((reader, writer))
    return status


async def main(url, rate, seconds, headers):
    u = urlsplit(url)
    method = os.environ.get("METHOD", "GET")
    head = [f"{method} {u.path or '/'}{'?' + u.query if u.query else ''} HTTP/1.1", f"Host: {u.netloc}"]
    if method != "GET":
        head.append("Content-Length: 0")
    request = ("\r\n".join(head + headers) + "\r\n\r\n").encode()
    conns, latencies, statuses, tasks = [], [], {}, []

    async def one(due):
        status = await fetch(conns, u.hostname, u.port or 80, request)
        latencies.append(time.perf_counter() - due)
        statuses[status] = statuses.get(status, 0) + 1

    start = time.perf_counter()
    due = start
    while due < start + seconds:
        due += random.expovariate(rate)
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"{len(latencies)} requests in {seconds} s at {rate}/s (Poisson), {len(conns)} connections, "
          f"status {statuses}: p50 {pick(0.5):.1f} ms, p90 {pick(0.9):.1f} ms, p99 {pick(0.99):.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    random.seed(42)
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]))
