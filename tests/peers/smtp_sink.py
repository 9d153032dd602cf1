"""An SMTP sink for Waymark's tests (aiosmtpd): every message received is written as one JSON
file in OUT (subject and addresses decoded, the plain and HTML parts, the Message-ID).

While the file OUT/hold exists, a client's EHLO is not answered (the sink writes OUT/held when
one is waiting), so a test can stop a worker in the middle of a delivery.

With --count, messages are not parsed: each one's size is appended as a line to OUT/received
(for throughput benchmarks, so the sink's own parsing is not what is measured).

usage: python3 smtp_sink.py PORT OUT [--count]
"""

import asyncio
import email
import email.policy
import json
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        hold = os.path.join(self.out, "hold")
        while os.path.exists(hold):
            open(os.path.join(self.out, "held"), "w").close()
            await asyncio.sleep(0.05)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }
        tmp = os.path.join(self.out, f".{uuid.uuid4()}")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.out, f"{uuid.uuid4()}.json"))
        return "250 OK"


class Counter:
    """Accepts every message and notes only its size."""

    def __init__(self, out):
        self.log = open(os.path.join(out, "received"), "a", buffering=1)

    async def handle_DATA(self, server, session, envelope):
        self.log.write(f"{len(envelope.content)}\n")
        return "250 OK"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out, exist_ok=True)
    handler = Counter(out) if "--count" in sys.argv[3:] else Sink(out)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    open(os.path.join(out, "ready"), "w").close()
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
