#!/usr/bin/env python3
"""The security suite against the real binary (issue 21), run by .ci/run on SQLite and on
PostgreSQL. Every request loop is bounded and everything talks to 127.0.0.1 only.

  headers     every page route answers with the security headers (CSP without inline script,
              frame-ancestors, nosniff, Referrer-Policy), no-store when signed in
  redirect    sign-in never redirects off the site nor fails on a control character
  sign-in     40 parallel wrong passwords: at most 6 evaluated; the owner's browser still gets in
  bombs       hostile spreadsheets are refused quickly and the server lives on, its memory flat
  durability  a write load, kill -9, restart: every acknowledged write is there, audit verify
              passes
  rewind      the newest audit records deleted and the head moved back (SQLite): audit verify
              fails, naming how many records are missing

Usage: suite.py BIN [--database-url postgres://…]. Prints "N passed, M failed" at the end."""
import concurrent.futures
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

BIN = sys.argv[1]
DB_URL = sys.argv[sys.argv.index("--database-url") + 1] if "--database-url" in sys.argv else None
PORT = 18960 + (1 if DB_URL else 0)
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "waymark-demo"
results = []


def check(name, ok, detail=""):
    results.append((name, ok))
    print(("ok     " if ok else "FAILED ") + name + ("" if ok else f": {detail}"), flush=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


opener = urllib.request.build_opener(NoRedirect)


def request(method, path, body=None, headers=None, timeout=30):
    req = urllib.request.Request(BASE + path, method=method, data=body, headers=headers or {})
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8", "replace")


def cookies_of(headers_list):
    jar = {}
    for v in headers_list:
        k, _, rest = v.partition("=")
        jar[k] = rest.split(";")[0]
    return jar


def set_cookies(path, method="GET", body=None, headers=None):
    req = urllib.request.Request(BASE + path, method=method, data=body, headers=headers or {})
    try:
        r = opener.open(req, timeout=30)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, cookies_of(r.headers.get_all("Set-Cookie") or []), r.read().decode("utf-8", "replace")


def meta_csrf(html):
    m = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html)
    return m.group(1) if m else ""


def sign_in(user, password=PASSWORD, extra_cookie=""):
    _, jar, html = set_cookies("/login")
    cookie = f"wm_csrf={jar['wm_csrf']}" + (f"; {extra_cookie}" if extra_cookie else "")
    body = urllib.parse.urlencode({"_csrf": meta_csrf(html), "username": user, "password": password, "next": "/"}).encode()
    status, jar2, _ = set_cookies("/login", "POST", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    return status, jar2, cookie


def waymark(*args, check_ok=True):
    cmd = [BIN, *args, "--data-dir", DATA] + (["--database-url", DB_URL] if DB_URL else [])
    p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "WAYMARK_LOG": "warn"})
    if check_ok and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {p.stdout}{p.stderr}")
    return p


def serve():
    cmd = [BIN, "serve", "--data-dir", DATA, "--listen", f"127.0.0.1:{PORT}"] + (["--database-url", DB_URL] if DB_URL else [])
    log = open(os.path.join(DATA, "serve.log"), "a")
    p = subprocess.Popen(cmd, stdout=log, stderr=log, env={**os.environ, "WAYMARK_LOG": "warn"})
    for _ in range(100):
        try:
            if request("GET", "/healthz", timeout=2)[0] == 200:
                return p
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not start")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# ---------------------------------------------------------------------------------------------
DATA = tempfile.mkdtemp(prefix="wm-sec-")
waymark("demo", "--no-serve", "--employees", "80", "--seed", "3")
hr_token = waymark("user", "token", "hr", "--name", "suite").stdout.strip()
server = serve()
auth = {"Authorization": f"Bearer {hr_token}"}

# headers ------------------------------------------------------------------------------------
status, jar, _ = sign_in("hr")
session = f"wm_session={jar.get('wm_session', '')}"
pages = ["/", "/org", "/goals", "/goals/team", "/goals/library", "/tracking/weekly", "/one-on-ones", "/feedback",
         "/recognition", "/reviews", "/admin", "/admin/reviews", "/admin/audit", "/inbox", "/account", "/approvals",
         "/probation", "/development", "/admin/calendar", "/admin/periods", "/no-such-page", "/api/v1/me"]
bad = []
for p in pages + ["/login"]:
    st, h, body = request("GET", p, headers={"Cookie": session} if p != "/login" else {})
    h = {k.lower(): v for k, v in h.items()}
    csp = h.get("content-security-policy", "")
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    problems = []
    if "frame-ancestors 'none'" not in csp or script_src.strip() != "script-src 'self'":
        problems.append(f"CSP {csp!r}")
    if h.get("x-content-type-options") != "nosniff" or h.get("referrer-policy") != "same-origin":
        problems.append("nosniff/referrer")
    if p != "/login" and h.get("cache-control") != "no-store":
        problems.append(f"cache-control {h.get('cache-control')!r}")
    for tag in re.findall(r"<script([^>]*)>", body):
        if 'src="/static/' not in tag and 'type="application/json"' not in tag:
            problems.append(f"inline <script{tag}>")
    if problems:
        bad.append(f"{p}: {problems}")
check("headers on every page", status == 303 and not bad, "; ".join(bad) or f"sign-in {status}")
check("metrics not served without its token", request("GET", "/metrics")[0] == 404)

# redirect ------------------------------------------------------------------------------------
outs = []
for nxt in ["/%09/evil.example", "//evil.example", "/%0d%0aX:1", "https://evil.example", "/\\evil.example"]:
    _, jar, html = set_cookies("/login")
    body = f"_csrf={meta_csrf(html)}&username=employee&password={PASSWORD}&next={nxt}".encode()
    req = urllib.request.Request(BASE + "/login", method="POST", data=body,
                                 headers={"Cookie": f"wm_csrf={jar['wm_csrf']}", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        r = opener.open(req, timeout=30)
        outs.append((nxt, r.status, r.headers.get("Location")))
    except urllib.error.HTTPError as e:
        outs.append((nxt, e.code, e.headers.get("Location")))
check("sign-in redirects stay home", all(s == 303 and loc == "/" for _, s, loc in outs), str(outs))

# sign-in throttling ---------------------------------------------------------------------------
status, jar, _ = sign_in("manager")
device = f"wm_device={jar.get('wm_device', '')}"


def guess(i):
    _, jar, html = set_cookies("/login")
    body = urllib.parse.urlencode({"_csrf": meta_csrf(html), "username": "manager", "password": f"guess-{i}"}).encode()
    return request("POST", "/login", body, {"Cookie": f"wm_csrf={jar['wm_csrf']}", "X-Forwarded-For": f"10.9.{i}.1",
                                            "Content-Type": "application/x-www-form-urlencoded"})[0]


with concurrent.futures.ThreadPoolExecutor(40) as pool:
    codes = list(pool.map(guess, range(40)))
evaluated = codes.count(401)
check("40 parallel guesses: at most 6 evaluated", evaluated <= 6 and codes.count(429) == 40 - evaluated, str(codes))
st_unknown, _, _ = sign_in("manager")
st_owner, _, _ = sign_in("manager", extra_cookie=device)
check("the owner's browser still signs in, an unknown one waits", (st_unknown, st_owner) == (429, 303), f"{st_unknown}, {st_owner}")
_, _, body = request("GET", "/api/v1/sign-in-throttles", headers={"Authorization": "Bearer " + waymark("user", "token", "admin", "--name", "suite").stdout.strip()})
check("the administrator sees the guarded account", '"name":"manager"' in body and '"throttled":true' in body, body[:300])


# bombs ---------------------------------------------------------------------------------------
def xlsx(sheet, shared_writer=None):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            if shared_writer:
                shared_writer(f)
            else:
                f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>x</t></si></sst>')
    return buf.getvalue()


def big_string(f):
    f.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
    chunk = b"A" * (1 << 20)
    for _ in range(1024):
        f.write(chunk)
    f.write(b"</t></si></sst>")


grid = xlsx('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row></sheetData></worksheet>')
gigabyte = xlsx('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>', big_string)
long_cell = ("工号,姓名\nE1," + "长" * 200_000 + "\n").encode()
bomb_figures = []
for name, data, mime in [("grid", grid, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                         ("1 GB string", gigabyte, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                         ("long cell", long_cell, "text/csv")]:
    before = rss_kib(server.pid)
    t0 = time.perf_counter()
    st, _, body = request("POST", "/api/v1/import/employees", data, {**auth, "Content-Type": mime})
    ms = (time.perf_counter() - t0) * 1000
    grown = (rss_kib(server.pid) - before) / 1024
    bomb_figures.append(f"{name} ({len(data)} bytes): {st} in {ms:.0f} ms, +{grown:.1f} MiB")
    check(f"hostile file refused: {name}", st in (413, 422) and len(body) < 4000 and request("GET", "/healthz")[0] == 200,
          f"{st} {body[:200]}")
print("  bombs: " + "; ".join(bomb_figures), flush=True)

# durability ------------------------------------------------------------------------------------
emp_token = waymark("user", "token", "employee", "--name", "durable").stdout.strip()
emp = {"Authorization": f"Bearer {emp_token}"}
today = time.strftime("%Y-%m-%d")
periods = [p for p in json.loads(request("GET", "/api/v1/periods", headers=emp)[2]) if p["starts_on"] <= today <= p["ends_on"]]
periods.sort(key=lambda p: p["ends_on"])
kr_id = None
for g in json.loads(request("GET", f"/api/v1/periods/{periods[0]['id']}/my-goals", headers=emp)[2])["goals"]:
    full = json.loads(request("GET", f"/api/v1/goals/{g['id']}", headers=emp)[2])
    krs = [k for k in full.get("key_results", []) if k.get("kind") in ("numeric", "kpi")]
    if krs and full.get("status") in ("approved", "filed"):
        kr_id = krs[0]["id"]
        break
acked = []
stop_at = time.time() + 8


def writer(k):
    mine = []
    for i in range(400):
        if time.time() > stop_at:
            break
        body = json.dumps({"current": 10 + i % 7, "note": f"durable-{k}-{i}"}).encode()
        try:
            st, _, out = request("POST", f"/api/v1/key-results/{kr_id}/check-ins", body,
                                 {**emp, "Content-Type": "application/json"}, timeout=5)
        except OSError:
            break
        if st in (200, 201):
            mine.append(json.loads(out)["id"])
    return mine


with concurrent.futures.ThreadPoolExecutor(4) as pool:
    futures = [pool.submit(writer, k) for k in range(4)]
    time.sleep(3)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    for f in futures:
        acked.extend(f.result())
server = serve()
audit = waymark("audit", "verify", check_ok=False)
check("after kill -9, audit verify passes", audit.returncode == 0, audit.stdout + audit.stderr)
missing = []
for cid in acked:
    st, _, body = request("GET", f"/api/v1/audit?entity_type=check_in&entity_id={cid}", headers=auth)
    if st != 200 or not json.loads(body):
        missing.append(cid)
print(f"  durability: {len(acked)} check-ins acknowledged before kill -9", flush=True)
check("every acknowledged write survived kill -9", kr_id and acked and not missing,
      f"kr {kr_id}: {len(missing)} of {len(acked)} missing")

# rewind (SQLite: the file is ours to edit) -------------------------------------------------------
server.send_signal(signal.SIGTERM)
server.wait()
if not DB_URL:
    waymark("audit", "verify")  # writes a checkpoint of the head
    db = sqlite3.connect(os.path.join(DATA, "waymark.db"))
    head = db.execute("SELECT seq FROM audit_head").fetchone()[0]
    keep = head - 5
    h = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (keep,)).fetchone()[0]
    db.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
    db.execute("UPDATE audit_head SET seq = ?, hash = ?", (keep, h))
    db.commit()
    db.close()
    out = waymark("audit", "verify", check_ok=False)
    check("a rewind of 5 records is found against the checkpoint", out.returncode == 2 and "5 record(s) are missing" in out.stderr,
          out.stdout + out.stderr)
    # The attacker also wipes the checkpoint file: the server alone sees nothing, the copy kept
    # outside (as a mailbox keeps it, quoted) still finds the rewind.
    local = os.path.join(DATA, "audit-checkpoints.log")
    outside = os.path.join(DATA, "..", "kept-outside.eml")
    with open(local, encoding="utf-8") as f, open(outside, "w", encoding="utf-8") as o:
        o.write("Subject: [Waymark] Audit checkpoint\n\nKeep this message.\n\n")
        o.write("".join("> " + l for l in f.readlines()))
    os.remove(local)
    out = waymark("audit", "verify", check_ok=False)
    check("with the checkpoint file wiped, the server alone sees an intact chain", out.returncode == 0, out.stdout + out.stderr)
    out = waymark("audit", "verify", "--checkpoints", outside, check_ok=False)
    check("the copy kept outside finds the rewind", out.returncode == 2 and "5 record(s) are missing" in out.stderr,
          out.stdout + out.stderr)
    with open(outside, encoding="utf-8") as f:
        text = f.read()
    with open(outside, "w", encoding="utf-8") as o:
        o.write(text[:-3] + ("0" if text[-3] != "0" else "1") + text[-2:])
    out = waymark("audit", "verify", "--checkpoints", outside, check_ok=False)
    check("a forged copy is named as forged", out.returncode == 2 and "not signed by this server's key" in out.stderr,
          out.stdout + out.stderr)
    os.remove(outside)

passed = sum(1 for _, ok in results if ok)
failed = len(results) - passed
print(f"{passed} passed, {failed} failed")
shutil.rmtree(DATA, ignore_errors=True)
sys.exit(1 if failed else 0)
