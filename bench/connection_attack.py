#!/usr/bin/python3
"""Valid submissions while one address holds the server's connections
(issue 14): their latency with and without the attack, and how many
attacking connections the server held and refused.

One `consentkit serve` (bench/bench.conf, default [server] limits) on
127.0.0.1. First SUBMITTERS clients on 127.0.0.1 send valid submissions,
each a fresh UUID on its own kept-alive connection, one every PACE
seconds, for SECONDS: the baseline. Then the attack from 127.0.0.2:
SLOW connections sending request headers a byte a second and IDLE
connections sending nothing, each reopened a second after the server
closes it, while the same submitters run again. Prints both runs' p50 /
p99 / max and the attack's connection counts, and exits non-zero when the
attacked p99 is over --budget-ms.

  bench/connection_attack.py --build BUILD [--slow 200] [--idle 1000]

BUILD holds `consentkit` and `bench_submit` (bench/run builds both; or
`cmake --build BUILD --target consentkit bench_submit` with
-DCMAKE_PROJECT_consentkit_INCLUDE=bench/inject.cmake). Bounded: about
2 × SECONDS plus start-up. On a shared machine the figures move with the
neighbours' load; run it when the machine is quiet for numbers to quote.
"""
import argparse
import errno
import http.client
import os
import re
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORM_ID = "microneedling-consent"
PLACEHOLDER = "00000000-0000-4000-8000-000000000000"
ATTACKER = "127.0.0.2"


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def start_server(build, data):
    server = subprocess.Popen(
        [os.path.join(build, "consentkit"), "serve", "--config", os.path.join(ROOT, "bench", "bench.conf"),
         "--port", "0", "--data", data, "--forms", "forms", "--pair", "staff"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline, seen = time.monotonic() + 60, b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([server.stdout], [], [], max(0, deadline - time.monotonic()))
        chunk = os.read(server.stdout.fileno(), 4096) if ready else b""
        if not chunk:
            break
        seen += chunk
        found = re.search(rb"open http://127\.0\.0\.1:(\d+)/pair#(\S+)", seen)
        if found:
            return server, int(found.group(1)), found.group(2).decode()
    server.kill()
    raise SystemExit("connection_attack: consentkit serve did not print its address")


def submission_body(build, tmp):
    made = subprocess.run([os.path.join(build, "bench_submit"), "--forms", "forms", "--form", FORM_ID,
                           "--print-body"], cwd=ROOT, check=True, stdout=subprocess.PIPE,
                          env=dict(os.environ, TMPDIR=tmp))
    body = made.stdout.decode().strip()
    if PLACEHOLDER not in body:
        raise SystemExit("connection_attack: bench_submit's body has no placeholder id")
    return body


class Submitters:
    """SUBMITTERS threads, each POSTing a fresh submission every PACE s on
    one kept-alive connection (reopened if the server closes it)."""

    def __init__(self, port, token, body, count, pace, seconds):
        self.port, self.token, self.body = port, token, body
        self.count, self.pace, self.seconds = count, pace, seconds
        self.latencies_ms, self.statuses, self.errors = [], {}, 0
        self.lock = threading.Lock()

    def run(self):
        threads = [threading.Thread(target=self.submitter) for _ in range(self.count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return self

    def submitter(self):
        end = time.monotonic() + self.seconds
        connection = None
        path = "/api/v1/forms/%s/submissions" % FORM_ID
        headers = {"Content-Type": "application/json", "Authorization": "Bearer " + self.token}
        next_at = time.monotonic()
        while time.monotonic() < end:
            next_at += self.pace
            body = self.body.replace(PLACEHOLDER, str(uuid.uuid4())).encode()  # UTF-8
            start = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = (time.monotonic() - start) * 1000
                with self.lock:
                    self.latencies_ms.append(elapsed)
                    self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.errors += 1
                if connection is not None:
                    connection.close()
                connection = None
            time.sleep(max(0.0, next_at - time.monotonic()))
        if connection is not None:
            connection.close()

    def summary(self):
        if not self.latencies_ms:
            return "no answers (%d errors)" % self.errors
        return "%d answered %s, %d errors; p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (
            len(self.latencies_ms), dict(sorted(self.statuses.items())), self.errors,
            percentile(self.latencies_ms, 50), percentile(self.latencies_ms, 99), max(self.latencies_ms))


class Attack:
    """SLOW + IDLE connections from 127.0.0.2, each reopened REOPEN s after
    the server closes it; counts what the server held and refused."""

    def __init__(self, port, slow, idle, reopen=1.0):
        self.port, self.reopen = port, reopen
        self.kinds = ["slow"] * slow + ["idle"] * idle
        self.sockets = [None] * len(self.kinds)
        self.opened_at = [0.0] * len(self.kinds)
        self.retry_at = [0.0] * len(self.kinds)
        self.refused = 0      # closed by the server within 0.5 s of connecting
        self.cut = 0          # closed later (a deadline)
        self.failed = 0       # connect failed
        self.held_samples = []
        self.stop = threading.Event()
        self.header = b"POST /api/v1/forms/%s/submissions HTTP/1.1\r\nHost: x\r\nX-Slow: " % FORM_ID.encode()
        self.sent = [0] * len(self.kinds)

    def open(self, i, now):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind((ATTACKER, 0))
            s.setblocking(False)
            code = s.connect_ex(("127.0.0.1", self.port))
            if code not in (0, errno.EINPROGRESS):
                raise OSError(code, os.strerror(code))
        except OSError:
            s.close()
            self.failed += 1
            self.retry_at[i] = now + self.reopen
            return
        self.sockets[i], self.opened_at[i], self.sent[i] = s, now, 0

    def closed(self, i, now):
        self.sockets[i].close()
        self.sockets[i] = None
        if now - self.opened_at[i] < 0.5:
            self.refused += 1
        else:
            self.cut += 1
        self.retry_at[i] = now + self.reopen

    def run(self):
        last_trickle = 0.0
        while not self.stop.is_set():
            now = time.monotonic()
            for i, s in enumerate(self.sockets):
                if s is None and now >= self.retry_at[i]:
                    self.open(i, now)
            live = {s.fileno(): i for i, s in enumerate(self.sockets) if s is not None}
            poller = select.poll()
            for fd in live:
                poller.register(fd, select.POLLIN)
            for fd, _ in poller.poll(50):
                i = live[fd]
                try:
                    data = self.sockets[i].recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:
                    self.closed(i, time.monotonic())
            now = time.monotonic()
            if now - last_trickle >= 1.0:  # a byte a second on each slow one
                last_trickle = now
                for i, s in enumerate(self.sockets):
                    if s is None or self.kinds[i] != "slow":
                        continue
                    byte = self.header[self.sent[i]:self.sent[i] + 1] or b"a"
                    try:
                        s.send(byte)
                        self.sent[i] += 1
                    except (BlockingIOError, OSError):
                        pass
                # Held: open for over a second (refused ones close at once).
                self.held_samples.append(sum(1 for i, s in enumerate(self.sockets)
                                             if s is not None and now - self.opened_at[i] > 1.0))
        for s in self.sockets:
            if s is not None:
                s.close()

    def summary(self):
        held = sorted(self.held_samples)
        return ("%d slow + %d idle from %s: held (open over 1 s) median %d, max %d; closed "
                "right after connect (refused) %d, cut off later (deadlines) %d, connect "
                "failures %d" % (
                    self.kinds.count("slow"), self.kinds.count("idle"), ATTACKER,
                    held[len(held) // 2] if held else 0, held[-1] if held else 0, self.refused,
                    self.cut, self.failed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--submitters", type=int, default=2)
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between one submitter's requests")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--budget-ms", type=float, default=100)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp(prefix="ck-attack-")
    body = submission_body(os.path.abspath(args.build), tmp)
    server, port, token = start_server(os.path.abspath(args.build), os.path.join(tmp, "data"))
    try:
        quiet = Submitters(port, token, body, args.submitters, args.pace, args.seconds).run()
        print("without attack: " + quiet.summary(), flush=True)

        attack = Attack(port, args.slow, args.idle)
        attacker = threading.Thread(target=attack.run)
        attacker.start()
        time.sleep(3)  # every attacking connection opened once, the first refused
        attacked = Submitters(port, token, body, args.submitters, args.pace, args.seconds).run()
        attack.stop.set()
        attacker.join()
        print("under attack:   " + attacked.summary(), flush=True)
        print("attack:         " + attack.summary(), flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if not attacked.latencies_ms or percentile(attacked.latencies_ms, 99) > args.budget_ms:
        print("FAIL: p99 under attack over %.0f ms" % args.budget_ms)
        return 1
    print("PASS: p99 under attack within %.0f ms" % args.budget_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
