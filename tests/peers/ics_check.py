#!/usr/bin/env python3
"""Reads an ICS file with two independent parsers, as calendar apps would: Python's `icalendar`
and `vobject` (validate=True). Prints one JSON line: the events (uid, summary, start and end in
UTC, status, sequence, location) or the error. Exits 1 if either parser refuses the file."""
import json
import sys

import icalendar
import vobject


def main(path):
    data = open(path, "rb").read()
    cal = icalendar.Calendar.from_ical(data)
    events = []
    for e in cal.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            if required not in e:
                raise ValueError(f"an event without {required}")
        events.append({
            "uid": str(e["UID"]),
            "summary": str(e["SUMMARY"]),
            "start": e.decoded("DTSTART").strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end": e.decoded("DTEND").strftime("%Y-%m-%dT%H:%M:%SZ"),
            "status": str(e.get("STATUS", "")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "location": str(e.get("LOCATION", "")),
        })
    # vobject validates the whole calendar (required properties, value types, line folding).
    parsed = vobject.readOne(data.decode("utf-8"), validate=True)
    if len(getattr(parsed, "vevent_list", [])) != len(events):
        raise ValueError("the two parsers found different events")
    print(json.dumps({"events": events, "version": str(cal["VERSION"]), "prodid": str(cal["PRODID"])}, ensure_ascii=False))


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as e:  # noqa: BLE001 - any refusal is the answer
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        sys.exit(1)
