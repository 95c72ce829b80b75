#!/usr/bin/python3
"""Durability under SIGKILL: several submitters send valid submissions while
the server is killed (SIGKILL, no handler runs) and restarted at least 20
times. Every receipt (a 201, or the 200 a retry gets) must match a stored
row; every submission a kill cut off is sent again with the same id until it
is acknowledged, and the store then holds exactly one record for it; an
acknowledged submission sent again after a restart gets 200 and the same
receipt. At the end `consentkit verify` must pass on the data folder.

usage: crash_test.py CONSENTKIT_BINARY SOURCE_DIR
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck_harness as ck  # noqa: E402

BINARY, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
KILLS = 21          # at least 20 must be survived
SUBMITTERS = 4
# The kill loop stops here whatever the count (and fails if under 20). A
# release build needs about 20 s; a sanitizer build about three times that.
BUDGET_S = 150
RETRY_BUDGET_S = 30  # how long one submission may take to be acknowledged across restarts


class Shared:
    """The server's current port, whether it is up, and what came back."""

    def __init__(self):
        self.lock = threading.Lock()
        self.up = threading.Event()
        self.port = None
        self.generation = 0
        self.stop = threading.Event()
        self.receipts = {}      # id -> (status, receipt dict, submitted body)
        # Submissions a kill cut off (or found the server down), sent again
        # until acknowledged: by status (200: stored before the kill).
        self.resent_after_kill = {201: 0, 200: 0}
        self.resent_acked = 0   # acknowledged submissions sent again after a restart
        self.failures = []

    def fail(self, message):
        with self.lock:
            self.failures.append(message)
        print("FAIL:", message, file=sys.stderr, flush=True)

    def current(self):
        with self.lock:
            return self.port, self.generation


def send_until_acknowledged(shared, token, body):
    """Sends `body` until a 201 or 200 comes back, waiting out restarts.
    Returns (reply, attempts), or (None, attempts) when it never did."""
    deadline = time.monotonic() + RETRY_BUDGET_S
    attempts = 0
    while time.monotonic() < deadline:
        shared.up.wait(timeout=5)
        port, _ = shared.current()
        attempts += 1
        try:
            reply = ck.request(port, "POST", ck.SUBMIT_PATH, body, token=token, timeout=15)
        except (OSError, ck.NoReply):
            time.sleep(0.02)  # killed mid-request, or not back yet
            continue
        if reply.status in (200, 201):
            return reply, attempts
        if reply.status == 401:
            continue  # a stale port another process took: wait for ours
        return reply, attempts
    return None, attempts


def record_receipt(shared, submission_id, reply, attempts, body):
    with shared.lock:
        if submission_id in shared.receipts:
            shared.failures.append(f"{submission_id} acknowledged twice")
        shared.receipts[submission_id] = (reply.status, reply.json(), body)
        if attempts > 1:
            shared.resent_after_kill[reply.status] += 1
        elif reply.status != 201:
            shared.failures.append(f"new submission {submission_id} got {reply.status}, not 201")


def check_retries_after_restart(shared, token, receipt, body):
    """An acknowledged submission sent again is a retry: 200 and the very
    same receipt. The same id with other content is a conflict: 409."""
    again, _ = send_until_acknowledged(shared, token, body)
    if again is None or again.status != 200 or again.json() != receipt:
        shared.fail(f"resending {receipt['id']} after a restart gave {again!r}, "
                    f"expected 200 and the first receipt {receipt!r}")
    else:
        with shared.lock:
            shared.resent_acked += 1
    other = json.loads(body)
    other["values"]["patient-name"] = "Someone Else"
    conflict, _ = send_until_acknowledged(shared, token, json.dumps(other).encode())
    if conflict is None or conflict.status != 409:
        shared.fail(f"{other['id']} with other content after a restart gave {conflict!r}, "
                    f"expected 409")


def submitter(shared, token, form):
    """New submissions one after another, each sent until acknowledged;
    after each restart, the last acknowledged one is retried."""
    last_acked = None
    seen_generation = 0
    while not shared.stop.is_set():
        payload = ck.valid_submission(form)
        body = json.dumps(payload).encode()
        reply, attempts = send_until_acknowledged(shared, token, body)
        if reply is None or reply.status not in (200, 201):
            shared.fail(f"submission {payload['id']} was never acknowledged: {reply!r}")
            return
        record_receipt(shared, payload["id"], reply, attempts, body)
        _, generation = shared.current()
        if last_acked and generation != seen_generation:
            seen_generation = generation
            check_retries_after_restart(shared, token, *last_acked)
        last_acked = (reply.json(), body)


def kill_loop(shared, server):
    """Kills and restarts the server under load; returns the kills survived."""
    started = time.monotonic()
    kills = 0
    while kills < KILLS and time.monotonic() - started < BUDGET_S and not shared.failures:
        # Kill only once this incarnation has acknowledged something, so
        # every kill lands with submissions in flight.
        with shared.lock:
            before = len(shared.receipts)
        wait_until = time.monotonic() + 15
        while time.monotonic() < wait_until:
            with shared.lock:
                if len(shared.receipts) > before:
                    break
            time.sleep(0.01)
        time.sleep(random.uniform(0.0, 0.4))
        shared.up.clear()
        server.kill()
        kills += 1
        port = server.start()
        with shared.lock:
            shared.port = port
            shared.generation += 1
        shared.up.set()
    return kills


def check_store(shared, data_dir):
    """Every receipt against its row; no row without a receipt; one
    submission.stored event per row. Returns the receipts checked."""
    with closing(ck.open_read_only(data_dir)) as db:
        rows = {r[0]: r[1:] for r in db.execute(
            "SELECT id, received_at, outcome, pdf_sha256 FROM submissions")}
        stored_events = {}
        for (obj,) in db.execute("SELECT object FROM audit WHERE action = 'submission.stored'"):
            stored_events[obj] = stored_events.get(obj, 0) + 1
    checked = 0
    for sid, (_, receipt, _) in shared.receipts.items():
        row = rows.get(sid)
        if row is None:
            shared.fail(f"acknowledged submission {sid} is not in the store (lost)")
            continue
        got = (receipt.get("received_at"), receipt.get("outcome"), receipt.get("pdf_sha256"))
        if got != row:
            shared.fail(f"receipt of {sid} {got} differs from the stored row {row}")
        if stored_events.get(sid) != 1:
            shared.fail(f"{sid} has {stored_events.get(sid, 0)} submission.stored events, not 1")
        checked += 1
    for sid in set(rows) - set(shared.receipts):
        shared.fail(f"stored submission {sid} was never acknowledged to its sender")
    return checked


def check_through_api(shared, server, token):
    """The records as the API gives them after a last restart."""
    port = server.start()
    try:
        for sid, (_, receipt, body) in shared.receipts.items():
            reply = ck.request(port, "GET", f"/api/v1/submissions/{sid}", token=token)
            record = reply.json() if reply.status == 200 else {}
            if reply.status != 200 or record.get("pdf_sha256") != receipt.get("pdf_sha256"):
                shared.fail(f"GET /api/v1/submissions/{sid}: {reply!r}")
    finally:
        if server.stop() != 0:
            shared.fail(f"serve did not exit 0 on SIGTERM: {server.stderr_text()[-500:]}")


def main():
    shared = Shared()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = os.path.join(tmp, "data")
        token = ck.make_token(BINARY, data_dir, "staff")
        config = ck.write_config(tmp, SOURCE, {"bind": "127.0.0.1", "threads": 16,
                                               "access-log": "off"})
        server = ck.Server(BINARY, SOURCE, data_dir, config, os.path.join(tmp, "logs"))
        shared.port = server.start()
        shared.up.set()
        form = ck.describe_form(shared.port, token)
        threads = [threading.Thread(target=submitter, args=(shared, token, form), daemon=True)
                   for _ in range(SUBMITTERS)]
        for t in threads:
            t.start()
        try:
            kills = kill_loop(shared, server)
        finally:
            shared.stop.set()
            for t in threads:
                t.join(timeout=RETRY_BUDGET_S + 20)
            if server.alive() and server.stop() != 0:
                shared.fail(f"serve did not exit 0 on SIGTERM: {server.stderr_text()[-500:]}")
        if kills < 20:
            shared.fail(f"only {kills} kills in {BUDGET_S} s; expected at least 20")
        checked = check_store(shared, data_dir)
        check_through_api(shared, server, token)
        verify = subprocess.run([BINARY, "verify", data_dir], capture_output=True, text=True,
                                   timeout=120)
        if verify.returncode != 0:
            shared.fail(f"consentkit verify {data_dir} exit {verify.returncode}: "
                        f"{verify.stderr[-2000:]}")
        resent = shared.resent_after_kill
        print(f"kills survived: {kills}; receipts checked: {checked} (sent again after a kill: "
              f"{resent[200] + resent[201]}, of which stored before the kill (200): {resent[200]}, "
              f"stored on resend (201): {resent[201]}; acknowledged ones retried after a "
              f"restart (200, same receipt; and 409 with other content): {shared.resent_acked}); "
              f"verify: {verify.stdout.strip()[:120]}…; {time.monotonic() - started:.1f} s",
              flush=True)
    for failure in shared.failures:
        print("FAIL:", failure)
    return 1 if shared.failures else 0


if __name__ == "__main__":
    sys.exit(main())
