"""A local stand-in for the IM platforms' incoming webhooks, for Waymark's tests. It checks each
request the way the platform documents it and answers the way the platform answers (HTTP 200
with an error code in the body when it refuses), and records what it took in OUT/received.jsonl.

  POST /feishu/<token>              Feishu/Lark custom bot: msg_type post; if signed, timestamp
                                    (s) and sign = b64(HMAC-SHA256(key=f"{ts}\\n{secret}", b"")).
  POST /dingtalk?access_token=<t>[&timestamp=<ms>&sign=<s>]
                                    DingTalk robot: msgtype markdown with title and text; sign =
                                    b64(HMAC-SHA256(key=secret, f"{ts}\\n{secret}")), URL-encoded.
  POST /wecom?key=<k>               WeCom group robot: msgtype markdown with content.
  POST /slack/<path>                Slack-compatible incoming webhook: {"text": ...}; answers "ok".

The secret for signed platforms is SECRET (the same for both). The timestamp must be within an
hour of now, as both platforms require.

usage: python3 im_receiver.py PORT OUT SECRET
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUT = SECRET = None


def record(platform, path, body, signed):
    with open(os.path.join(OUT, "received.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps({"platform": platform, "path": path, "body": body, "signed": signed}, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, obj):
        data = obj.encode() if isinstance(obj, str) else json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if isinstance(obj, str) else "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            return self.answer({"code": 9499, "msg": "Bad Request: content type"})
        try:
            body = json.loads(raw)
        except ValueError:
            return self.answer({"code": 9499, "msg": "Bad Request"})
        now = time.time()
        if url.path.startswith("/feishu/"):
            post = body.get("content", {}).get("post", {}).get("zh_cn", {})
            if body.get("msg_type") != "post" or not post.get("title") or not isinstance(post.get("content"), list):
                return self.answer({"code": 9499, "msg": "Bad Request"})
            signed = "sign" in body
            if signed:
                ts = body.get("timestamp", "")
                key = f"{ts}\n{SECRET}".encode()
                want = base64.b64encode(hmac.new(key, b"", digestmod=hashlib.sha256).digest()).decode()
                if body["sign"] != want or abs(now - int(ts)) > 3600:
                    return self.answer({"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"})
            record("feishu", url.path, body, signed)
            return self.answer({"code": 0, "msg": "success", "data": {}})
        if url.path == "/dingtalk":
            md = body.get("markdown", {})
            if "access_token" not in query or body.get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
                return self.answer({"errcode": 300001, "errmsg": "param error"})
            signed = "sign" in query
            if signed:
                ts = query["timestamp"][0]
                string_to_sign = f"{ts}\n{SECRET}".encode()
                want = base64.b64encode(hmac.new(SECRET.encode(), string_to_sign, digestmod=hashlib.sha256).digest()).decode()
                # parse_qs has already URL-decoded the sign.
                if query["sign"][0] != want or abs(now * 1000 - int(ts)) > 3600 * 1000:
                    return self.answer({"errcode": 310000, "errmsg": "sign not match"})
            record("dingtalk", url.path, body, signed)
            return self.answer({"errcode": 0, "errmsg": "ok"})
        if url.path == "/wecom":
            if "key" not in query or body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("content"):
                return self.answer({"errcode": 40008, "errmsg": "invalid message type"})
            record("wecom", url.path, body, False)
            return self.answer({"errcode": 0, "errmsg": "ok"})
        if url.path.startswith("/slack/"):
            if not isinstance(body.get("text"), str) or not body["text"]:
                self.send_response(400)
                self.end_headers()
                self.wfile.write(b"no_text")
                return
            record("slack", url.path, body, False)
            return self.answer("ok")
        self.send_response(404)
        self.end_headers()


def main():
    global OUT, SECRET
    port, OUT, SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(OUT, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    open(os.path.join(OUT, "ready"), "w").close()
    server.serve_forever()


if __name__ == "__main__":
    main()
