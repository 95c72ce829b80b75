#!/usr/bin/python3
"""The abuse suite: what a stranger on the clinic network (or the lowest
role) can throw at `consentkit serve`, one case per abuse. Each case asserts
the answer (or that the connection was cut), that nothing was stored (the
submission and audit event counts, read through a read-only SQLite
connection, unchanged, or grown by at most the documented bound), and that
a valid submission right after is stored (201).

Loopback addresses other than 127.0.0.1 (127.0.0.2, …) stand for other
clients: the server's limits are per client address.

Prints one line per case, `PASS name` or `FAIL name: reason`, and exits 1 if
any case failed.

usage: abuse_test.py CONSENTKIT_BINARY SOURCE_DIR
"""
import json
import os
import secrets
import select
import socket
import sys
import tempfile
import time
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ck_harness as ck  # noqa: E402

BINARY, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])

HEADER_TIMEOUT_S = 2
BODY_TIMEOUT_S = 3
CONNECTIONS_PER_ADDRESS = 6
MAX_BODY_BYTES = 1024 * 1024
# How late past a deadline a cut still counts (a loaded 2-core machine).
DEADLINE_SLACK_S = 1.5
# spec.md: at most this many access.denied / auth.failed events a minute
# per address and per token reach the chain; 20 failed sign-ins a minute
# from one address earn a 429.
AUDIT_EVENTS_PER_MINUTE = 10
GUESSES_BEFORE_429 = 20
FIELDS_LISTED = 50
PROBLEM_BODY_LIMIT = 64 * 1024

SERVER_KEYS = {
    "bind": "127.0.0.1",
    "max-body": "1M",
    "threads": 16,
    "queue": 16,
    "access-log": "stderr",
    "header-timeout": HEADER_TIMEOUT_S,
    "body-timeout": BODY_TIMEOUT_S,
    "connections-per-address": CONNECTIONS_PER_ADDRESS,
}
# Settings of issue 14 a build may not have yet: refused as unknown, the
# server starts without them and the cases that need them fail saying so.
NEW_KEYS = ("header-timeout", "body-timeout", "connections-per-address")


class CaseFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CaseFailure(message)


def expect_status(reply, status, what):
    expect(reply.status == status, f"{what}: expected {status}, got {reply!r}")


def expect_problem(reply, status, what):
    expect_status(reply, status, what)
    expect(reply.header("content-type", "").startswith("application/problem+json"),
           f"{what}: expected a problem body, got Content-Type {reply.header('content-type')!r}")
    return reply.json()


class Suite:
    def __init__(self, tmp):
        self.tmp = tmp
        self.data_dir = os.path.join(tmp, "data")
        self.tokens = {role: ck.make_token(BINARY, self.data_dir, role)
                       for role in ("tablet", "staff", "practitioner", "compliance")}
        # The floods get tokens of their own, so no earlier case has started
        # their throttling windows.
        self.flood_tokens = [ck.make_token(BINARY, self.data_dir, "tablet") for _ in range(3)]
        self.server, self.dropped = ck.start_tolerant(
            lambda config: ck.Server(BINARY, SOURCE, self.data_dir, config,
                                     os.path.join(tmp, "logs")),
            tmp, SOURCE, SERVER_KEYS, NEW_KEYS)
        self.port = self.server.port
        self.form = ck.describe_form(self.port, self.tokens["staff"])
        self.stored_ids = []
        self.results = []

    # -- requests ---------------------------------------------------------

    def req(self, method, path, body=b"", role="staff", **kw):
        token = self.tokens[role] if role else None
        return ck.request(self.port, method, path, body, token=token, **kw)

    def payload(self, **changes):
        p = ck.valid_submission(self.form)
        p.update(changes)
        return p

    def submit(self, payload=None, role="staff", **kw):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(
            payload or self.payload()).encode()
        return self.req("POST", ck.SUBMIT_PATH, body, role=role, **kw)

    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def needs(self, key):
        expect(key not in self.dropped,
               f"feature not in this build: the config refuses [server] {key}")

    # -- the frame every case runs in -------------------------------------

    def valid_after(self, **kw):
        """A valid submission right after the abuse is stored."""
        payload = self.payload()
        reply = self.submit(payload, **kw)
        expect_status(reply, 201, "a valid submission right after")
        self.stored_ids.append(payload["id"])
        return 1

    def run(self, name, case, audit_bound=0, after=None):
        """Runs `case(self)`; then the store must hold no new submission
        (but the valid ones the case returns it sent) and at most
        `audit_bound` new audit events; then `after(self)` (default: one
        valid submission) must store as many as it returns."""
        started = time.monotonic()
        try:
            subs0, events0 = ck.store_counts(self.data_dir)
            valid_sent = case(self) or 0
            subs1, events1 = ck.store_counts(self.data_dir)
            expect(subs1 - subs0 == valid_sent,
                   f"{subs1 - subs0 - valid_sent} submissions were stored by the abuse")
            events1 -= valid_sent  # each valid submission writes its submission.stored
            expect(events1 - events0 <= audit_bound,
                   f"the audit chain grew by {events1 - events0} events (bound {audit_bound}): "
                   f"{summarize(ck.audit_actions_since(self.data_dir, events0))}")
            expected = after(self) if after else self.valid_after()
            subs2, _ = ck.store_counts(self.data_dir)
            expect(subs2 - subs1 == expected,
                   f"the requests after stored {subs2 - subs1} submissions, expected {expected}")
            expect(self.server.alive(), "the server died")
            line = f"PASS {name}"
        except CaseFailure as e:
            line = f"FAIL {name}: {e}"
        except (OSError, ck.NoReply, ValueError) as e:
            line = f"FAIL {name}: {type(e).__name__}: {e}"
        line += f" ({time.monotonic() - started:.1f} s)"
        self.results.append(line)
        print(line, flush=True)
        if not self.server.alive():
            self.server.start()
            self.port = self.server.port


def summarize(rows):
    counts = {}
    for action, _ in rows:
        counts[action] = counts.get(action, 0) + 1
    return ", ".join(f"{n} {a}" for a, n in sorted(counts.items()))


def cut_within(sock, deadline_s, trickle):
    """Sends a byte of `trickle` every 0.25 s until the server closes the
    connection (or answers), at most `deadline_s` + slack seconds. Returns
    (seconds until cut, what the server sent) or raises CaseFailure."""
    started = time.monotonic()
    limit = deadline_s + DEADLINE_SLACK_S
    received = b""
    i = 0
    while time.monotonic() - started < limit + 0.5:
        try:
            sock.sendall(trickle[i % len(trickle):i % len(trickle) + 1])
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started, received
        i += 1
        readable, _, _ = select.select([sock], [], [], 0.25)
        if readable:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return time.monotonic() - started, received
            if not chunk:
                return time.monotonic() - started, received
            received += chunk
    raise CaseFailure(f"still open after {time.monotonic() - started:.1f} s of trickling "
                      f"(deadline {deadline_s} s)")


def expect_cut(sock, deadline_s, trickle, what):
    elapsed, received = cut_within(sock, deadline_s, trickle)
    expect(elapsed <= deadline_s + DEADLINE_SLACK_S,
           f"{what} was cut only after {elapsed:.1f} s (deadline {deadline_s} s)")
    if received:
        reply = ck.parse_reply(received)
        expect(reply.status == 408, f"{what} was answered {reply!r}; expected no answer or 408")


# -- the cases -------------------------------------------------------------

SLOW_HEADER = b"X-Slow: " + b"a" * 200


def slow_headers(s):
    s.needs("header-timeout")
    with ck.connect(s.port) as sock:
        sock.sendall(f"GET /api/v1/forms HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n".encode())
        expect_cut(sock, HEADER_TIMEOUT_S, SLOW_HEADER, "a header trickle")


def slow_headers_kept_alive(s):
    """On a kept-alive connection the next request's headers are due
    header-timeout after the previous answer, however slowly they come."""
    s.needs("header-timeout")
    with ck.connect(s.port) as sock:
        sock.sendall(ck.request_bytes("GET", "/healthz", s.port,
                                      headers={"Connection": "keep-alive"}))
        expect_status(ck.read_one_reply(sock), 200, "a first request kept alive")
        sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n".encode())
        expect_cut(sock, HEADER_TIMEOUT_S, SLOW_HEADER,
                   "a header trickle after a kept-alive answer")


def idle_over_limit(s):
    s.needs("connections-per-address")
    # A connection the server closed still counts against its address until
    # its thread lets go of it, a moment after the client saw it close.
    time.sleep(0.5)
    idle = [ck.connect(s.port) for _ in range(CONNECTIONS_PER_ADDRESS)]
    try:
        time.sleep(0.2)  # let the server accept them all
        with ck.connect(s.port, timeout=3) as extra:
            try:
                extra.sendall(ck.request_bytes("GET", "/healthz", s.port))
                data = ck.read_until_closed(extra)
            except (BrokenPipeError, ConnectionResetError):
                data = b""
            except socket.timeout:
                raise CaseFailure(f"connection {CONNECTIONS_PER_ADDRESS + 1} from one address "
                                  "was left open, not closed")
            expect(data == b"", f"connection {CONNECTIONS_PER_ADDRESS + 1} from one address was "
                                f"answered: {data[:120]!r}; expected it closed unanswered")
        # The limit itself is allowed: the last idle connection within it is served.
        idle[-1].sendall(ck.request_bytes("GET", "/healthz", s.port))
        expect_status(ck.read_reply(idle[-1]), 200,
                      f"connection {CONNECTIONS_PER_ADDRESS} from one address (within the limit)")
        # Another address is served meanwhile.
        reply = ck.request(s.port, "GET", "/healthz", source_address="127.0.0.2")
        expect_status(reply, 200, "another address while one holds its limit")
        return s.valid_after(source_address="127.0.0.2")
    finally:
        for sock in idle:
            sock.close()


def body_over_limit(s):
    with ck.connect(s.port) as sock:
        sock.sendall(ck.request_bytes("POST", ck.SUBMIT_PATH, s.port, token=s.tokens["staff"],
                                      headers={"Content-Length": str(MAX_BODY_BYTES + 1)}))
        sock.sendall(b"{" + b" " * 1000)
        expect_problem(ck.read_reply(sock), 413, "a body over max-body")


def slow_body(s):
    s.needs("body-timeout")
    body = json.dumps(s.payload()).encode()
    with ck.connect(s.port) as sock:
        sock.sendall(ck.request_bytes("POST", ck.SUBMIT_PATH, s.port, token=s.tokens["staff"],
                                      headers={"Content-Length": str(len(body))}))
        expect_cut(sock, BODY_TIMEOUT_S, body, "a body trickle")


def truncated_body(s):
    # A whole, valid submission, but 50 bytes short of its Content-Length and
    # then the client's end closed: what arrived parses, and must not count.
    body = json.dumps(s.payload()).encode()
    with ck.connect(s.port) as sock:
        sock.sendall(ck.request_bytes("POST", ck.SUBMIT_PATH, s.port, token=s.tokens["staff"],
                                      headers={"Content-Length": str(len(body) + 50)}))
        sock.sendall(body)
        sock.shutdown(socket.SHUT_WR)
        expect_problem(ck.read_reply(sock), 400, "a body cut short of its Content-Length")


def deep_json(s):
    depth = 100000
    body = ('{"id": "%s", "values": {"patient-name": %s"x"%s}}'
            % (uuid.uuid4(), "[" * depth, "]" * depth)).encode()
    expect_problem(s.submit(body), 400, "JSON nested 100,000 deep")
    body = ("[" * depth).encode()
    expect_problem(s.submit(body), 400, "100,000 unclosed brackets")


def bad_utf8(s):
    payload = json.dumps(s.payload(), ensure_ascii=False).encode()
    for bad in (b"Zo\xff\xfe", b"Zo\xc0\xaf", b"Zo\xed\xa0\x80", b"Zo\xc3"):
        body = payload.replace("Zoë Muñoz".encode(), bad, 1)
        expect(body != payload, "the payload has no patient name to spoil")
        reply = s.submit(body)
        expect(reply.status in (400, 422), f"invalid UTF-8 {bad!r}: expected 400 or 422, got "
                                           f"{reply!r}")
    body = json.dumps(s.payload()).replace("Zo\\u00eb", "Zo\\ud800", 1).encode()
    reply = s.submit(body)
    expect(reply.status in (400, 422), f"a lone surrogate escape: expected 400 or 422, got "
                                       f"{reply!r}")


def duplicate_keys(s):
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    text = json.dumps(s.payload(id=second))
    body = text.replace('{"id": ', f'{{"id": "{first}", "id": ', 1).encode()
    problem = expect_problem(s.submit(body), 400, "a duplicate \"id\"")
    expect('duplicate key "id"' in problem.get("detail", ""),
           f"the detail does not name the key: {problem!r}")
    text = json.dumps(s.payload())
    body = text.replace('"patient-name": ', '"patient-name": "Eve", "patient-name": ', 1).encode()
    problem = expect_problem(s.submit(body), 400, "a duplicate field in values")
    expect('duplicate key "patient-name"' in problem.get("detail", ""),
           f"the detail does not name the key: {problem!r}")


def charset_not_utf8(s):
    for content_type in ("application/json; charset=utf-8x", "application/json; charset=latin1",
                         "application/json; charset=utf-16", "application/json;charset=\"utf-8x\"",
                         "text/plain"):
        reply = s.submit(content_type=content_type)
        expect_problem(reply, 415, f"Content-Type {content_type}")


def charset_utf8_after(s):
    """Exactly UTF-8, in any case, quoted or not, is taken."""
    stored = 0
    for content_type in ('application/json; charset="UTF-8"', "application/json; charset=utf-8"):
        stored += s.valid_after(content_type=content_type)
    return stored


def bearer_lower_case(s):
    # RFC 9110 11.4: the scheme is case-insensitive, and 1*SP separates it.
    for scheme in ("bearer ", "BEARER ", "BeArEr ", "bearer  "):
        reply = ck.request(s.port, "GET", "/api/v1/forms",
                           headers={"Authorization": f"{scheme}{s.tokens['tablet']}"})
        expect_status(reply, 200, f"Authorization: {scheme!r} TOKEN")


def bearer_lower_case_after(s):
    return s.valid_after(headers={"Authorization": f"bearer {s.tokens['staff']}"}, role=None)


def path_traversal(s):
    leaks = (b"root:", b"SQLite format 3", b"BEGIN", b"PRIVATE KEY")
    paths = ["/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
             "/assets/..%2f..%2f..%2fetc%2fpasswd", "/assets/%2e%2e%2f%2e%2e%2fdata%2fseal-key.pem",
             "/forms/..%2f..%2fdata%2fconsentkit.db", "/forms/../../data/seal-key.pem",
             "/api/v1/submissions/..%2f..%2fconsentkit.db", "/api/v1/forms/..%2f..%2fetc%2fpasswd",
             "/api/v1/submissions/%2e%2e%2f%2e%2e%2fseal-key.pem.pdf", "/..%2f..%2fetc/passwd",
             "/assets/%252e%252e/etc/passwd"]
    for path in paths:
        reply = s.req("GET", path)
        expect(reply.status in (400, 404), f"GET {path}: expected 400 or 404, got {reply!r}")
        expect(not any(leak in reply.body for leak in leaks), f"GET {path} leaked a file")
    for path in ("/api/v1/forms/..%2fmicroneedling-consent/submissions",
                 "/api/v1/forms/%2e%2e/forms/microneedling-consent/submissions",
                 "/api/v1/forms/x/../microneedling-consent/submissions"):
        reply = s.req("POST", path, json.dumps(s.payload()).encode())
        expect(reply.status in (400, 404), f"POST {path}: expected 400 or 404, got {reply!r}")


def wrong_methods(s):
    some_id = str(uuid.uuid4())
    for method, path, allow in (("DELETE", "/api/v1/forms", "GET"),
                                ("PUT", ck.SUBMIT_PATH, "POST"),
                                ("GET", ck.SUBMIT_PATH, "POST"),
                                ("POST", "/healthz", "GET"),
                                ("DELETE", f"/api/v1/submissions/{some_id}", "GET"),
                                ("PATCH", "/pair", "GET, POST"),
                                ("POST", "/api/v1/audit", "GET")):
        body = json.dumps(s.payload()).encode() if method in ("PUT", "POST", "PATCH") else b""
        reply = s.req(method, path, body)
        expect_status(reply, 405, f"{method} {path}")
        expect(reply.header("allow") == allow,
               f"{method} {path}: Allow is {reply.header('allow')!r}, expected {allow!r}")


WRONG_ROLES = (("tablet", "GET", "/api/v1/submissions"), ("tablet", "GET", "/api/v1/audit"),
               ("tablet", "POST", "/api/v1/visits"), ("staff", "GET", "/api/v1/audit"),
               ("staff", "POST", "/api/v1/submissions/{id}/review"),
               ("practitioner", "GET", "/api/v1/archive"),
               ("compliance", "POST", "/api/v1/submissions/{id}/review"))


def wrong_roles(s):
    review = json.dumps({"decision": "approved", "note": "x"}).encode()
    for role, method, path in WRONG_ROLES:
        path = path.replace("{id}", s.stored_ids[0] if s.stored_ids else str(uuid.uuid4()))
        reply = s.req(method, path, review if method == "POST" else b"", role=role)
        expect_problem(reply, 403, f"a {role} token: {method} {path}")


def pair_body(s):
    return f"token={s.tokens['staff']}".encode()


CROSS_SITE = (("Origin: null", {"Origin": "null"}),
              ("a foreign Origin", {"Origin": "http://evil.example"}),
              ("a foreign Origin on another port", {"Origin": "http://127.0.0.1:1"}),
              ("a foreign Referer only", {"Referer": "http://evil.example/pair"}),
              ("no Origin and no Sec-Fetch-Site", {}),
              ("Sec-Fetch-Site: cross-site", {"Sec-Fetch-Site": "cross-site",
                                              "Origin": "http://evil.example"}),
              ("Sec-Fetch-Site: same-site", {"Sec-Fetch-Site": "same-site"}))


def csrf_pair(s):
    for what, headers in CROSS_SITE:
        reply = s.req("POST", "/pair", pair_body(s), role=None, headers=headers,
                      content_type="application/x-www-form-urlencoded")
        expect_status(reply, 403, f"POST /pair with {what}")
        expect("set-cookie" not in reply.headers, f"POST /pair with {what} signed the browser in")


def csrf_pair_after(s):
    """Same origin signs in (Origin, or Fetch Metadata); then a submission."""
    for what, headers in (("its own Origin", {"Origin": s.origin()}),
                          ("Sec-Fetch-Site: same-origin", {"Sec-Fetch-Site": "same-origin"})):
        reply = s.req("POST", "/pair", pair_body(s), role=None, headers=headers,
                      content_type="application/x-www-form-urlencoded")
        expect_status(reply, 303, f"POST /pair with {what}")
        expect(reply.header("set-cookie", "").startswith("ck_token="),
               f"POST /pair with {what} set no cookie: {reply.headers!r}")
    return s.valid_after()


def cookie(s):
    return {"Cookie": f"ck_token={s.tokens['staff']}"}


def csrf_cookie_submit(s):
    for what, headers in CROSS_SITE:
        reply = s.submit(role=None, headers={**cookie(s), **headers})
        expect_problem(reply, 403, f"a cookie-authenticated submission with {what}")


def csrf_cookie_after(s):
    """Same origin with the cookie is stored; so is a bearer token from any
    origin (it is not a browser's ambient credential)."""
    stored = s.valid_after(role=None, headers={**cookie(s), "Origin": s.origin()})
    stored += s.valid_after(role=None, headers={**cookie(s), "Sec-Fetch-Site": "same-origin"})
    stored += s.valid_after(headers={"Origin": "http://evil.example"})
    return stored


FLOOD = 60


def count_new(s, events0, action):
    return sum(1 for a, _ in ck.audit_actions_since(s.data_dir, events0) if a == action)


def deny_flood(s, pairs):
    """Tablet tokens asking for the audit log, one (token, address) pair
    after another, FLOOD times each; returns the access.denied events written."""
    _, events0 = ck.store_counts(s.data_dir)
    for token, address in pairs:
        for _ in range(FLOOD):
            reply = ck.request(s.port, "GET", "/api/v1/audit", token=token,
                               source_address=address)
            expect_status(reply, 403, "a tablet token reading the audit log")
    return count_new(s, events0, "access.denied")


def flood_access_denied(s):
    """Refusals again and again: at most 10 access.denied events a minute
    per token (one token from two addresses) and per address (two tokens
    from one address)."""
    one_token, two_tokens = s.flood_tokens[0], s.flood_tokens[1:]
    denied = deny_flood(s, [(one_token, "127.0.0.4"), (one_token, "127.0.0.5")])
    expect(denied <= AUDIT_EVENTS_PER_MINUTE,
           f"one token refused {2 * FLOOD} times wrote {denied} access.denied events; "
           f"expected at most {AUDIT_EVENTS_PER_MINUTE} a minute per token")
    denied = deny_flood(s, [(token, "127.0.0.6") for token in two_tokens])
    expect(denied <= AUDIT_EVENTS_PER_MINUTE,
           f"one address refused {2 * FLOOD} times wrote {denied} access.denied events; "
           f"expected at most {AUDIT_EVENTS_PER_MINUTE} a minute per address")


def claimed_token_flood(s):
    """Wrong secrets for one real token id, from two addresses (each under
    the guessing limit): at most 10 auth.failed events a minute per token,
    and the token itself keeps working (the after-check uses it)."""
    _, events0 = ck.store_counts(s.data_dir)
    token_id = s.tokens["staff"].split(".")[0]
    for address in ("127.0.0.7", "127.0.0.8"):
        for i in range(GUESSES_BEFORE_429 - 5):
            reply = ck.request(s.port, "GET", "/api/v1/forms", source_address=address,
                               headers={"Authorization": f"Bearer {token_id}.{'0' * 32}"})
            expect_problem(reply, 401, f"wrong secret {i + 1} from {address}")
    failed = count_new(s, events0, "auth.failed")
    expect(failed <= AUDIT_EVENTS_PER_MINUTE,
           f"{2 * (GUESSES_BEFORE_429 - 5)} wrong secrets for one token wrote {failed} "
           f"auth.failed events; expected at most {AUDIT_EVENTS_PER_MINUTE} a minute per token")


def token_guessing(s):
    """Guessed tokens from one address: 401s, then 429 with Retry-After
    (even for a valid token: the credential is not checked); at most 10
    auth.failed events a minute."""
    _, events0 = ck.store_counts(s.data_dir)
    statuses = []
    for i in range(GUESSES_BEFORE_429 + 20):
        guess = f"ckt_{secrets.token_hex(8)}.{secrets.token_hex(16)}"
        reply = ck.request(s.port, "GET", "/api/v1/forms", headers={"Authorization":
                                                                     f"Bearer {guess}"},
                           source_address="127.0.0.3")
        statuses.append(reply.status)
        if i < GUESSES_BEFORE_429:
            expect_problem(reply, 401, f"guess {i + 1}")
        else:
            expect(reply.status == 429, f"guess {i + 1} from one address: expected 429, got "
                                        f"{reply!r}")
            retry = reply.header("retry-after", "")
            expect(retry.isdigit() and 0 < int(retry) <= 60,
                   f"a 429 needs Retry-After in seconds (1-60); got {retry!r}")
    reply = ck.request(s.port, "GET", "/api/v1/forms", token=s.tokens["staff"],
                       source_address="127.0.0.3")
    expect(reply.status == 429, f"a valid token from the guessing address: expected 429 "
                                f"(not checked), got {reply!r}")
    failed = count_new(s, events0, "auth.failed")
    expect(failed <= AUDIT_EVENTS_PER_MINUTE,
           f"{len(statuses)} guesses wrote {failed} auth.failed events; expected at most "
           f"{AUDIT_EVENTS_PER_MINUTE} a minute per address")


def suppressed_counts_written(s):
    """The floods' unrecorded events are counted in the chain by the time
    the server has stopped (an audit.suppressed event, or notes in later
    events of the same kind)."""
    rows = ck.audit_actions_since(s.data_dir, 0)
    written = " ".join(detail for action, detail in rows if action == "audit.suppressed")
    written += " ".join(f"{action} {detail}" for action, detail in rows
                        if "more not recorded" in detail)
    missing = [kind for kind in ("access.denied", "auth.failed") if kind not in written]
    if missing:
        return (f"FAIL suppressed_counts_written: no count of unrecorded {', '.join(missing)} "
                f"events in the chain after stop")
    return "PASS suppressed_counts_written"


def many_bad_fields(s):
    total = 32000
    payload = s.payload()
    for i in range(total):
        payload["values"][f"zz-{i:05d}"] = "x"
    started = time.monotonic()
    reply = s.submit(payload)
    elapsed = time.monotonic() - started
    problem = expect_problem(reply, 422, f"{total} unknown fields")
    expect(len(reply.body) < PROBLEM_BODY_LIMIT,
           f"the answer is {len(reply.body)} bytes; expected under {PROBLEM_BODY_LIMIT}")
    expect(len(problem.get("fields", [])) == FIELDS_LISTED,
           f"{len(problem.get('fields', []))} fields listed; expected {FIELDS_LISTED}")
    expect(problem.get("fields_total") == total,
           f"fields_total is {problem.get('fields_total')!r}; expected {total}")
    expect(elapsed < 20, f"the answer took {elapsed:.1f} s; expected the work linear")


# In this order: the floods come last but one, since token guessing locks
# its address out for the rest of the minute. Options: `after` (what must
# succeed right after; default one valid submission) and `audit_bound`
# (events the abuse may add; the throttled kind, and at most one event
# noting what was not recorded).
CASES = (
    ("slow_headers", slow_headers, {}),
    ("slow_headers_kept_alive", slow_headers_kept_alive, {}),
    ("idle_over_limit", idle_over_limit, {}),
    ("body_over_limit", body_over_limit, {}),
    ("slow_body", slow_body, {}),
    ("truncated_body", truncated_body, {}),
    ("deep_json", deep_json, {}),
    ("bad_utf8", bad_utf8, {}),
    ("duplicate_keys", duplicate_keys, {}),
    ("charset_not_utf8", charset_not_utf8, {"after": charset_utf8_after}),
    ("bearer_lower_case", bearer_lower_case, {"after": bearer_lower_case_after}),
    ("path_traversal", path_traversal, {}),
    ("wrong_methods", wrong_methods, {}),
    ("wrong_roles", wrong_roles, {"audit_bound": len(WRONG_ROLES)}),
    ("csrf_pair", csrf_pair, {"after": csrf_pair_after}),
    ("csrf_cookie_submit", csrf_cookie_submit, {"after": csrf_cookie_after}),
    ("flood_access_denied", flood_access_denied,
     {"audit_bound": 2 * (AUDIT_EVENTS_PER_MINUTE + 1)}),
    ("claimed_token_flood", claimed_token_flood, {"audit_bound": AUDIT_EVENTS_PER_MINUTE + 1}),
    ("token_guessing", token_guessing, {"audit_bound": AUDIT_EVENTS_PER_MINUTE + 1}),
    # A 30-second audit.suppressed flush of the floods above may land here.
    ("many_bad_fields", many_bad_fields, {"audit_bound": 1}),
)


def main():
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        s = Suite(tmp)
        if s.dropped:
            print("note: this build refuses [server] " + ", ".join(s.dropped) +
                  "; the cases that need them fail", flush=True)
        try:
            for name, case, options in CASES:
                s.run(name, case, **options)
        finally:
            status = s.server.stop()
        if status != 0:
            print(f"FAIL serve_stops_cleanly: exit {status}: {s.server.stderr_text()[-800:]}")
            s.results.append("FAIL serve_stops_cleanly")
        s.results.append(suppressed_counts_written(s))
        print(s.results[-1], flush=True)
        failed = [r for r in s.results if r.startswith("FAIL")]
        print(f"{len(s.results) - len(failed)} of {len(s.results)} cases passed in "
              f"{time.monotonic() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
