#!/usr/bin/env python3
"""Writes N kudos between the people of a generated SQLite organization, for the recognition
network benchmark (docs/benchmarks.md): the demo makes none. 80 % stay inside the giver's unit,
18 % go to one of the next few units, 2 % anywhere; a fifth of the people give most of them;
each tagged with one company value; dated across the current quarter. Rows are written the way
the application stores them (16-byte uuids, RFC 3339 times), with the monthly kudos flow the
application keeps beside them (months of the organization's default UTC+8; the times written,
01:00-10:59 UTC, fall on the same day there).

usage: seed_kudos.py <waymark.db | postgres://…> <count> <quarter start YYYY-MM-DD>

On PostgreSQL (psycopg 3) the rows are written with COPY.
"""
import datetime
import random
import sqlite3
import sys
import uuid

path, count, start = sys.argv[1], int(sys.argv[2]), datetime.date.fromisoformat(sys.argv[3])
postgres = path.startswith("postgres")
if postgres:
    import psycopg

    db = psycopg.connect(path)
else:
    db = sqlite3.connect(path)
people = db.execute("SELECT id, unit_id FROM employee WHERE status != 'left' ORDER BY unit_id").fetchall()
value = db.execute("SELECT id FROM company_value ORDER BY position").fetchone()[0]
by_unit = {}
for pid, unit in people:
    by_unit.setdefault(unit, []).append(pid)
units = list(by_unit)
unit_at = {u: i for i, u in enumerate(units)}
rng = random.Random(42)
givers = [p for p, _ in people]
frequent = givers[::5]
unit_of = {p: u for p, u in people}
rows_k, rows_r, rows_v = [], [], []
flow = {}
while len(rows_k) < count:
    giver = rng.choice(givers) if rng.random() < 0.2 else rng.choice(frequent)
    u = unit_of[giver]
    roll = rng.random()
    if roll < 0.80:
        team = by_unit[u]
    elif roll < 0.98:
        team = by_unit[units[(unit_at[u] + 1 + rng.randrange(3)) % len(units)]]
    else:
        team = by_unit[units[rng.randrange(len(units))]]
    to = rng.choice(team)
    if to == giver:
        continue
    kudos_id = uuid.uuid4() if postgres else uuid.uuid4().bytes
    day = start + datetime.timedelta(days=rng.randrange(85))
    when = f"{day.isoformat()}T{rng.randrange(1, 11):02d}:{rng.randrange(60):02d}:00.000000000+00:00"
    rows_k.append((kudos_id, giver, "organization", "谢谢你的帮助", when))
    rows_r.append((kudos_id, to))
    rows_v.append((kudos_id, value))
    key = (day.replace(day=1).isoformat(), giver, to)
    flow[key] = flow.get(key, 0) + 1
flows = [(m, g, r, n) for (m, g, r), n in flow.items()]
if postgres:
    with db.cursor() as cur:
        for table, columns, rows in [
            ("kudos", "id, giver_id, audience, message, created_at", rows_k),
            ("kudos_recipient", "kudos_id, employee_id", rows_r),
            ("kudos_value", "kudos_id, value_id", rows_v),
            ("kudos_flow", "month, giver_id, recipient_id, kudos", flows),
        ]:
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        cur.execute("ANALYZE")
else:
    db.executemany("INSERT INTO kudos (id, giver_id, audience, message, created_at) VALUES (?, ?, ?, ?, ?)", rows_k)
    db.executemany("INSERT INTO kudos_recipient (kudos_id, employee_id) VALUES (?, ?)", rows_r)
    db.executemany("INSERT INTO kudos_value (kudos_id, value_id) VALUES (?, ?)", rows_v)
    db.executemany(
        "INSERT INTO kudos_flow (month, giver_id, recipient_id, kudos) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (month, giver_id, recipient_id) DO UPDATE SET kudos = kudos_flow.kudos + excluded.kudos",
        flows,
    )
db.commit()
print(f"{len(rows_k)} kudos among {len(people)} people in {len(units)} units")
