#!/usr/bin/python3
"""Storage faults under the real `consentkit serve`: the database deleted
while serving, a damaged database, a file-size limit, and a WAL index that
cannot be written or is truncated while mapped. In each case the server
never acknowledges what it did not store, never dies of a signal, and every
receipt it gave before the fault is still there once the database is back.

usage: storage_faults.py CONSENTKIT_BINARY SOURCE_DIR
"""
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

import ck_harness as ck  # beside this file

BINARY, SOURCE = sys.argv[1], sys.argv[2]
FORM = "microneedling-consent"
failures = []
started_servers = []  # each one this test started, killed at the end if still running


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)
    return condition


class Server:
    """One `consentkit serve` on a free loopback port, with a staff token."""

    def __init__(self, data_dir, extra=(), preexec_fn=None):
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--port", "0", "--data", data_dir, "--forms",
             os.path.join(SOURCE, "forms"), "--pair", "staff", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=preexec_fn)
        started_servers.append(self.proc)
        deadline = time.time() + 30
        lines = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"open http://127\.0\.0\.1:(\d+)/pair#(\S+)", line)
            if match:
                self.port, self.token = int(match.group(1)), match.group(2)
                return
        self.proc.kill()
        out, err = self.proc.communicate(timeout=20)
        raise RuntimeError("serve printed no URL: " + "".join(lines) + out + err)

    def request(self, method, path, body=b""):
        """(status, body); status 0 when no answer came (the server died)."""
        head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Authorization: Bearer {self.token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        data = b""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=20) as s:
                s.sendall(head.encode() + body)
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
        except (ConnectionResetError, ConnectionRefusedError, BrokenPipeError):
            data = b""
        if not data:
            return 0, b"(no answer: connection closed)"
        head, _, reply = data.partition(b"\r\n\r\n")
        return int(head.split(b" ")[1]), reply

    def submit(self):
        """(status, id, reply) of one valid submission."""
        payload = consent_payload(self)
        status, reply = self.request("POST", f"/api/v1/forms/{FORM}/submissions",
                                     json.dumps(payload).encode())
        return status, payload["id"], reply

    def stop(self):
        """Exit code after SIGTERM (negative: killed by that signal), and stderr."""
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, err


FORM_DESCRIPTION = {}


def consent_payload(server):
    if not FORM_DESCRIPTION:
        status, body = server.request("GET", f"/api/v1/forms/{FORM}")
        FORM_DESCRIPTION.update(json.loads(body))
    return ck.valid_submission(FORM_DESCRIPTION)


def refused_start(data_dir, extra=()):
    """Exit code and stderr of a serve that must not start; "serving" if it
    did start (it is then stopped after 30 seconds)."""
    try:
        r = subprocess.run([BINARY, "serve", "--port", "0", "--data", data_dir, "--forms",
                            os.path.join(SOURCE, "forms"), *extra],
                           capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:  # run() has killed it
        return "serving", ""
    return r.returncode, r.stderr


def stored_ids(data_dir):
    """Submission ids in the stopped server's database, read with SQLite itself."""
    path = os.path.join(data_dir, "consentkit.db")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT id FROM submissions")}
    finally:
        db.close()


def receipts_kept(data_dir, receipts, case):
    """Every receipt is there after a restart, as the server itself reports it."""
    server = Server(data_dir)
    missing = [i for i in receipts if server.request("GET", "/api/v1/submissions/" + i)[0] != 200]
    server.stop()
    check(not missing, f"{case}: every receipt given before the fault is kept "
                       f"({len(missing)} of {len(receipts)} missing)")
    check(set(receipts) <= stored_ids(data_dir), f"{case}: the database holds every receipt")


def submit_ok(server, count, case):
    receipts = []
    for _ in range(count):
        status, sid, reply = server.submit()
        if check(status == 201, f"{case}: a submission before the fault is stored "
                                f"(got {status} {reply[:200]!r})"):
            receipts.append(sid)
    return receipts


def database_deleted_while_serving(root):
    case = "database deleted while serving"
    data = os.path.join(root, "deleted")
    server = Server(data)
    receipts = submit_ok(server, 4, case)
    check(os.path.exists(os.path.join(data, "consentkit.marker")),
          f"{case}: the marker is beside the database")
    backup = os.path.join(root, "deleted-backup")
    os.makedirs(backup)
    # SQLite's online backup: one consistent copy while the server runs.
    live = sqlite3.connect(os.path.join(data, "consentkit.db"))
    copy = sqlite3.connect(os.path.join(backup, "consentkit.db"))
    live.backup(copy)
    copy.close()
    live.close()
    for name in ("consentkit.db", "consentkit.db-wal", "consentkit.db-shm"):
        os.remove(os.path.join(data, name))
    statuses = [server.submit()[0] for _ in range(5)]
    check(201 not in statuses, f"{case}: no 201 after the file is gone (got {statuses})")
    check(all(s == 503 for s in statuses),
          f"{case}: every later submission answers 503 (got {statuses})")
    code, err = server.stop()
    check(code >= 0, f"{case}: the server exits, not killed by a signal (got {code})")
    check("consentkit.db was removed or replaced while in use" in err,
          f"{case}: the server's log says the database was removed: {err[-600:]}")

    code, err = refused_start(data)
    check(code == 1, f"{case}: a restart refuses to start (exit {code})")
    check(os.path.join(data, "consentkit.db") + " is missing, but" in err and
          "consentkit.marker says a database was here" in err and "--new-database" in err,
          f"{case}: the refusal names the database, the marker and the way out: {err}")
    check(not os.path.exists(os.path.join(data, "consentkit.db")),
          f"{case}: the refused start made no empty database")

    for name in os.listdir(backup):
        shutil.copy2(os.path.join(backup, name), data)
    receipts_kept(data, receipts, case + ", then put back")

    for name in ("consentkit.db", "consentkit.db-wal", "consentkit.db-shm"):
        if os.path.exists(os.path.join(data, name)):
            os.remove(os.path.join(data, name))
    check(refused_start(data)[0] == 1, f"{case}: deleted again, refused again")
    server = Server(data, ["--new-database"])
    fresh = submit_ok(server, 1, case + ", --new-database")
    code, _ = server.stop()
    check(code == 0, f"{case}: --new-database serves a new database and stops cleanly")
    receipts_kept(data, fresh, case + ", the new database")


def damaged_database(root):
    case = "damaged database"
    data = os.path.join(root, "damaged")
    server = Server(data)
    receipts = submit_ok(server, 6, case)
    server.stop()
    path = os.path.join(data, "consentkit.db")
    good = path + ".good"
    shutil.copy2(path, good)
    with open(path, "r+b") as f:
        size = os.path.getsize(path)
        check(size > 64 * 4096, f"{case}: the database has pages to damage ({size} bytes)")
        f.seek(size // 2)
        f.write(b"\x5a" * 16384)
    code, err = refused_start(data)
    check(code == 1, f"{case}: serve refuses to start (exit {code})")
    check(path + ": the database is damaged: SQLite's quick_check reports" in err,
          f"{case}: the refusal names the file and the first problem: {err}")
    os.replace(good, path)
    receipts_kept(data, receipts, case + ", then restored")


def file_size_limit(root):
    case = "file-size limit"
    data = os.path.join(root, "limited")
    server = Server(data)
    receipts = submit_ok(server, 2, case)
    server.stop()
    largest = max(os.path.getsize(os.path.join(data, n)) for n in os.listdir(data))
    limit = largest + 256 * 1024

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    server = Server(data, preexec_fn=limited)
    statuses = []
    for _ in range(60):  # bounded: each stored PDF is tens of kilobytes
        status, sid, _ = server.submit()
        statuses.append(status)
        if status == 201:
            receipts.append(sid)
        elif status >= 500 or status == 0:
            break
    check(statuses[-1] >= 500, f"{case}: writes past the limit answer 5xx (got {statuses})")
    check(server.proc.poll() is None, f"{case}: the server is still running after the limit")
    more = [server.submit()[0] for _ in range(2)]
    check(all(s >= 500 for s in more), f"{case}: later submissions answer 5xx too (got {more})")
    code, err = server.stop()
    check(code >= 0, f"{case}: the server exits, not killed by SIGXFSZ (got {code})")
    receipts_kept(data, receipts, case)


def unwritable_wal_index(root):
    case = "unwritable WAL index"
    data = os.path.join(root, "shm")
    server = Server(data)
    receipts = submit_ok(server, 2, case)
    # A second connection keeps the -shm in place across the stop.
    keeper = sqlite3.connect(os.path.join(data, "consentkit.db"))
    keeper.execute("SELECT COUNT(*) FROM submissions").fetchall()
    server.stop()
    shm = os.path.join(data, "consentkit.db-shm")
    if subprocess.run(["chattr", "+i", shm], capture_output=True).returncode == 0:
        code, err = refused_start(data)
        subprocess.run(["chattr", "-i", shm], check=True)
        check(code == 1, f"{case}: serve refuses to start, no SIGBUS (exit {code})")
        check(shm + ": the database's WAL index is not writable" in err,
              f"{case}: the refusal names the WAL index: {err}")
    else:
        print(f"note: {case}: chattr +i is not available here; start refusal not exercised",
              file=sys.stderr)
    keeper.close()

    case = "WAL index truncated while serving"
    server = Server(data)
    receipts += submit_ok(server, 2, case)
    os.truncate(shm, 0)
    statuses = [server.submit()[0] for _ in range(3)]
    check(201 not in statuses and all(s >= 500 for s in statuses),
          f"{case}: submissions answer 5xx (got {statuses})")
    check(server.proc.poll() is None, f"{case}: the server is still running (no SIGBUS)")
    code, err = server.stop()
    check(code >= 0, f"{case}: the server exits, not killed by SIGBUS (got {code})")
    check("consentkit.db-shm was truncated" in err, f"{case}: the log says so: {err[-600:]}")
    receipts_kept(data, receipts, case)


def main():
    started = time.time()
    with tempfile.TemporaryDirectory() as root:
        for scenario in (database_deleted_while_serving, damaged_database, file_size_limit,
                         unwritable_wal_index):
            begun = time.time()
            try:
                scenario(root)
            except Exception as e:  # a server that did not start, a reply cut short
                check(False, f"{scenario.__name__} stopped early: {e!r}")
            finally:
                for proc in started_servers:
                    if proc.poll() is None:
                        proc.kill()
                        proc.communicate(timeout=20)
            print(f"{scenario.__name__}: {time.time() - begun:.1f} s")
    print(f"{len(failures)} failed, in {time.time() - started:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
