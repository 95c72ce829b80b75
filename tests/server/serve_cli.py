#!/usr/bin/python3
"""`consentkit serve` as a user runs it: prints the URL to open, serves,
and on SIGTERM lets a request already in flight finish before it exits 0.

usage: serve_cli.py CONSENTKIT_BINARY SOURCE_DIR
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

import ck_harness as ck  # beside this file

BINARY, SOURCE = sys.argv[1], sys.argv[2]
failures = []
TOKEN = ""


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)


def start(data_dir):
    proc = subprocess.Popen(
        [BINARY, "serve", "--port", "0", "--data", data_dir, "--forms",
         os.path.join(SOURCE, "forms"), "--config",
         os.path.join(SOURCE, "samples", "consentkit.conf"), "--pair", "staff"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 20
    lines = []
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"open http://127\.0\.0\.1:(\d+)/pair#(\S+)", line)
        if match:
            global TOKEN
            TOKEN = match.group(2)
            return proc, int(match.group(1))
    proc.kill()
    sys.exit("serve printed no URL: " + "".join(lines) + proc.stderr.read())


def request(port, method, path, body=b"", content_type="application/json"):
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                f"Authorization: Bearer {TOKEN}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n")
        s.sendall(head.encode() + body)
        return read_reply(s)


def read_reply(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, body


def consent_payload(port):
    status, body = request(port, "GET", "/api/v1/forms/microneedling-consent")
    return ck.valid_submission(json.loads(body))


def main():
    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = start(data_dir)
        check(request(port, "GET", "/healthz")[0] == 200, "healthz answers 200")
        payload = consent_payload(port)
        body = json.dumps(payload).encode()

        # Send the request head and half the body, then SIGTERM: the server
        # must finish this request before it exits.
        s = socket.create_connection(("127.0.0.1", port), timeout=20)
        head = (f"POST /api/v1/forms/microneedling-consent/submissions HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {TOKEN}\r\n"
                f"Connection: close\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        s.sendall(head.encode() + body[: len(body) // 2])
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        check(proc.poll() is None, "server waits for the request in flight")
        s.sendall(body[len(body) // 2:])
        status, reply = read_reply(s)
        s.close()
        check(status == 201, f"the in-flight submission is stored (got {status} {reply[:200]!r})")
        out, err = proc.communicate(timeout=20)
        check(proc.returncode == 0, f"serve exits 0 on SIGTERM (got {proc.returncode}): {err}")
        check("stopped" in out, "serve says it stopped")
        check("Zoë" not in err and "Muñoz" not in err, "the access log has no patient data")

        # Restart on the same data: the submission is there.
        proc, port = start(data_dir)
        status, record = request(port, "GET", "/api/v1/submissions/" + payload["id"])
        check(status == 200, f"the submission survives a restart (got {status})")
        status, pdf = request(port, "GET", "/api/v1/submissions/" + payload["id"] + ".pdf")
        check(status == 200 and pdf.startswith(b"%PDF-"), "its PDF survives a restart")
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        check(proc.returncode == 0, "serve exits 0 on SIGINT")

    # Tokens: create prints the secret once; list shows no secret; revoke ends it.
    with tempfile.TemporaryDirectory() as data_dir:
        made = subprocess.run([BINARY, "tokens", "create", "--data", data_dir, "--role", "tablet",
                               "--name", "Front desk iPad"], capture_output=True, text=True)
        check(made.returncode == 0, "tokens create: " + made.stderr)
        secret = re.search(r"ckt_[0-9a-f]+\.[0-9a-f]+", made.stdout)
        token_id = re.search(r"created (tok_[0-9a-f]+)", made.stdout)
        check(secret and token_id, "tokens create prints the id and the secret: " + made.stdout)
        listed = subprocess.run([BINARY, "tokens", "list", "--data", data_dir],
                                capture_output=True, text=True)
        check(token_id and token_id.group(1) in listed.stdout and "Front desk iPad" in listed.stdout,
              "tokens list shows it: " + listed.stdout)
        check(secret and secret.group(0) not in listed.stdout, "tokens list shows no secret")
        revoked = subprocess.run([BINARY, "tokens", "revoke", "--data", data_dir,
                                  token_id.group(1) if token_id else "x"],
                                 capture_output=True, text=True)
        check(revoked.returncode == 0, "tokens revoke: " + revoked.stderr)
        again = subprocess.run([BINARY, "tokens", "revoke", "--data", data_dir,
                                token_id.group(1) if token_id else "x"],
                               capture_output=True, text=True)
        check(again.returncode == 1 and "no valid token" in again.stderr,
              "revoking twice is an error: " + again.stderr)
        bad = subprocess.run([BINARY, "tokens", "create", "--data", data_dir, "--role", "admin",
                              "--name", "x"], capture_output=True, text=True)
        check(bad.returncode == 2 and "is not tablet, staff, practitioner or compliance" in bad.stderr,
              "a bad role is a usage error: " + bad.stderr)

    # Bad starts explain themselves and exit non-zero.
    bad = subprocess.run([BINARY, "serve", "--port", "99999"], capture_output=True, text=True)
    check(bad.returncode == 2 and "is not a port number" in bad.stderr, "bad --port: " + bad.stderr)
    with tempfile.TemporaryDirectory() as empty:
        bad = subprocess.run([BINARY, "serve", "--port", "0", "--forms", empty,
                              "--data", empty + "/d"], capture_output=True, text=True)
        check(bad.returncode == 1 and "no form definitions" in bad.stderr,
              "empty forms folder: " + bad.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
