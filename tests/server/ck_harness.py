"""What the crash test and the abuse suite share: a real `consentkit serve`
on a free loopback port, tokens made with `consentkit tokens create`, raw
HTTP/1.1 over sockets (so a test controls every byte and every pause), a
valid submission built from the form's own description, and the store's
counts read through a read-only SQLite connection (reading through the API
would itself write audit events).

Standard library only.
"""
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import uuid
from contextlib import closing

CONSENT_FORM = "microneedling-consent"
SUBMIT_PATH = f"/api/v1/forms/{CONSENT_FORM}/submissions"


class ServeError(Exception):
    """`consentkit serve` did not start (its output says why)."""


class Server:
    """One `consentkit serve` process on 127.0.0.1, port 0.

    stdout and stderr go to files in `log_dir` (the access log can be large;
    a pipe nobody drains would block the server)."""

    def __init__(self, binary, source, data_dir, config=None, log_dir=None):
        self.binary, self.source, self.data_dir, self.config = binary, source, data_dir, config
        self.log_dir = log_dir or data_dir + "-logs"
        os.makedirs(self.log_dir, exist_ok=True)
        self.proc = None
        self.port = None
        self.starts = 0

    def start(self, timeout=30):
        self.starts += 1
        out_path = os.path.join(self.log_dir, f"serve-{self.starts}.out")
        err_path = os.path.join(self.log_dir, f"serve-{self.starts}.err")
        args = [self.binary, "serve", "--port", "0", "--data", self.data_dir,
                "--forms", os.path.join(self.source, "forms")]
        if self.config:
            args += ["--config", self.config]
        with open(out_path, "w") as out, open(err_path, "w") as err:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(out_path) as out:
                match = re.search(r"open http://127\.0\.0\.1:(\d+)/", out.read())
            if match:
                self.port = int(match.group(1))
                return self.port
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        with open(out_path) as out, open(err_path) as err:
            raise ServeError(f"serve (exit {self.proc.returncode}) printed no URL within "
                             f"{timeout} s: {out.read()[-800:]}{err.read()[-1500:]}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL: no handler runs, no commit finishes, nothing is flushed."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def stderr_text(self):
        with open(os.path.join(self.log_dir, f"serve-{self.starts}.err"), errors="replace") as f:
            return f.read()


def make_token(binary, data_dir, role):
    """A new token of `role` in the data folder (made if missing, as
    `serve` would); returns its secret."""
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    made = subprocess.run([binary, "tokens", "create", "--data", data_dir, "--role", role,
                           "--name", f"test {role}"], capture_output=True, text=True, timeout=60)
    secret = re.search(r"ckt_[0-9a-f]+\.[0-9a-f]+", made.stdout)
    if made.returncode != 0 or not secret:
        raise ServeError(f"tokens create --role {role} (exit {made.returncode}): "
                         f"{made.stdout}{made.stderr}")
    return secret.group(0)


def write_config(directory, source, server_keys):
    """samples/consentkit.conf with its [clinic] section as shipped and
    [server] holding only `server_keys` (a dict, in order); the logo path is
    made absolute so the file works from `directory`."""
    with open(os.path.join(source, "samples", "consentkit.conf")) as f:
        sample = f.read()
    clinic = sample.split("[server]")[0]
    logo = os.path.join(source, "samples", "logo.png")
    clinic = re.sub(r"(?m)^logo\s*=.*$", f"logo = {logo}", clinic)
    lines = [clinic.rstrip() + "\n", "\n[server]\n"]
    lines += [f"{key} = {value}\n" for key, value in server_keys.items()]
    path = os.path.join(directory, "consentkit.conf")
    with open(path, "w") as f:
        f.write("".join(lines))
    return path


def start_tolerant(make_server, directory, source, server_keys, optional_keys):
    """Starts a server with `server_keys`; while the build refuses one of
    `optional_keys` as unknown (a setting another part of the work has not
    landed yet), starts again without it. Returns (server, dropped keys)."""
    keys = dict(server_keys)
    dropped = []
    while True:
        server = make_server(write_config(directory, source, keys))
        try:
            server.start()
            return server, dropped
        except ServeError as e:
            unknown = re.search(r'unknown key "([a-z-]+)"', str(e))
            if not unknown or unknown.group(1) not in optional_keys or unknown.group(1) not in keys:
                raise
            dropped.append(unknown.group(1))
            del keys[unknown.group(1)]


class Reply:
    def __init__(self, status, reason, headers, body):
        self.status, self.reason, self.headers, self.body = status, reason, headers, body

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"{self.status} {self.body[:300]!r}"


class NoReply(Exception):
    """The connection closed (or was reset) before a whole status line came."""


def connect(port, source_address=None, timeout=20):
    """A TCP connection to the server, from `source_address` (another
    loopback address, e.g. 127.0.0.2, is another client address to the
    server's per-address limits)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    if source_address:
        sock.bind((source_address, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def request_bytes(method, path, port, body=b"", headers=None, token=None,
                  content_type="application/json"):
    """One request, `Connection: close`; `headers` add to or (None values)
    remove the defaults."""
    merged = {"Host": f"127.0.0.1:{port}", "Connection": "close"}
    if token:
        merged["Authorization"] = f"Bearer {token}"
    if body or method in ("POST", "PUT"):
        merged["Content-Type"] = content_type
        merged["Content-Length"] = str(len(body))
    for name, value in (headers or {}).items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in merged.items())
    return head.encode("latin-1") + b"\r\n" + body


def request(port, method, path, body=b"", headers=None, token=None,
            content_type="application/json", source_address=None, timeout=20):
    if isinstance(body, str):
        body = body.encode()
    with connect(port, source_address, timeout) as sock:
        sock.sendall(request_bytes(method, path, port, body, headers, token, content_type))
        return read_reply(sock)


def read_until_closed(sock):
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def read_reply(sock):
    """The whole answer on a connection the server closes after it."""
    return parse_reply(read_until_closed(sock))


def read_one_reply(sock):
    """One answer with a Content-Length on a connection kept alive after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise NoReply(f"the connection closed mid-answer: {data[:200]!r}")
        data += chunk
    head = data.partition(b"\r\n\r\n")[0]
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if not length:
        raise NoReply(f"an answer without Content-Length: {head[:300]!r}")
    while len(data) < len(head) + 4 + int(length.group(1)):
        chunk = sock.recv(65536)
        if not chunk:
            raise NoReply(f"the connection closed mid-body: {data[:200]!r}")
        data += chunk
    return parse_reply(data)


def parse_reply(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n")[0].split(b" ", 2)
    if not sep or len(status_line) < 2 or not status_line[1].isdigit():
        raise NoReply(f"no HTTP answer; got {data[:200]!r}")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    return Reply(int(status_line[1]), status_line[2].decode("latin-1") if len(status_line) > 2
                 else "", headers, body)


def dechunk(data):
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


def describe_form(port, token, form_id=CONSENT_FORM):
    reply = request(port, "GET", f"/api/v1/forms/{form_id}", token=token)
    if reply.status != 200:
        raise ServeError(f"GET /api/v1/forms/{form_id}: {reply!r}")
    return reply.json()


def valid_submission(form, submission_id=None):
    """A complete valid submission for `form` (its JSON description): every
    unconditional field answered as its type wants."""
    values = {}
    for field in form["fields"]:
        if field.get("condition"):
            continue
        kind = field["type"]
        if kind == "checkbox":
            values[field["id"]] = True
        elif kind == "initials":
            values[field["id"]] = "ZM"
        elif kind == "signature":
            values[field["id"]] = {"width": 600, "height": 200,
                                   "strokes": [[[20, 150, 0], [300, 40, 80], [580, 160, 160]]]}
        elif kind == "date":
            values[field["id"]] = "2026-11-23"
        elif kind == "yesno":
            values[field["id"]] = "no"
        elif kind == "choice":
            values[field["id"]] = field["options"][0]["value"]
        elif kind == "multichoice":
            values[field["id"]] = [field["options"][0]["value"]]
        else:
            values[field["id"]] = "Zoë Muñoz"
    return {"id": submission_id or str(uuid.uuid4()), "language": form["lang"],
            "form": {"id": form["id"], "version": form["version"], "sha256": form["sha256"]},
            "values": values}


def database_path(data_dir):
    return os.path.join(data_dir, "consentkit.db")


def open_read_only(data_dir):
    return sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True, timeout=10)


def store_counts(data_dir):
    """(submissions, audit events) as committed now."""
    with closing(open_read_only(data_dir)) as db:
        submissions = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        events = db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    return submissions, events


def audit_actions_since(data_dir, after_count):
    """The actions of the audit events after the first `after_count`."""
    with closing(open_read_only(data_dir)) as db:
        rows = db.execute("SELECT action, detail FROM audit ORDER BY seq LIMIT -1 OFFSET ?",
                          (after_count,)).fetchall()
    return rows
