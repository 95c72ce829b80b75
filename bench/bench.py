#!/usr/bin/python3
"""Runs every measurement of issue 5 in one go and prints one table with
the budget verdicts. bench/run builds first and then calls this; run it
directly to measure an existing build:

    bench/bench.py --build build-bench [--quick]

Progress goes to stderr, the table to stdout. Raw numbers, the sample PDFs
and the table are kept in BUILD/bench-results/.
"""
import argparse
import datetime
import json
import os
import re
import resource
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

KB = 1024
MB = 1024 * 1024
FORM_ID = "microneedling-consent"
FORM_XML = "forms/microneedling-consent.xml"
SCALE_DOCS = {10: 200, 100: 100, 1000: 20}
# Unknown fields in the refused-submission rows (issue 14: once 0.01 / 0.14 / 2.0 s).
REFUSED_FIELDS = (2000, 8000, 32000)
# The listing rows: the seeded history's submissions arrive 7 minutes apart
# (20,000 span ~97 days, ~20 visits a day); the HTTP listing runs this long
# at most, since each request appends an audit event.
LIST_SPACING_S = 420
LIST_WRK_SECONDS = 5
LIST_QUERIES = ("first", "pending", "surname", "one_patient", "page50", "visits_day")
# As src/store/sqlite_store.cc's kSubmissionColumns and kVisitColumns.
SUBMISSION_COLUMNS = (
    "s.id, s.form_id, s.form_version, s.form_sha256, s.language, s.received_at, s.outcome, "
    "s.reasons, s.content_json, s.content_sha256, s.pdf_sha256, s.visit_id, s.needs_review, "
    "COALESCE(r.submission_id, ''), COALESCE(r.decision, ''), COALESCE(r.note, ''), "
    "COALESCE(r.practitioner, ''), COALESCE(r.practitioner_name, ''), "
    "COALESCE(r.reviewed_at, ''), COALESCE(r.pdf_sha256, '')")
VISIT_COLUMNS = "id, created_at, created_by, patient_name, patient_dob, patient_number, form_ids"


def log(message):
    print("bench: " + message, file=sys.stderr, flush=True)


def run_json(command, cwd):
    """Runs a driver that prints one JSON line; returns it parsed."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("bench: %s failed:\n%s" % (" ".join(command), done.stderr.strip()))
    return json.loads(done.stdout.strip().splitlines()[-1])


def percentile(samples, p):
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[min(int(rank), len(ordered)) - 1]


def proc_status_kb(pid, key):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def proc_cpu_s(pid):
    """User + system CPU seconds process `pid` has used."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    def __init__(self, args):
        self.root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.build = os.path.abspath(args.build)
        self.results = os.path.join(self.build, "bench-results")
        os.makedirs(self.results, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix="ck-bench-")
        self.config = os.path.join(self.root, "bench", "bench.conf")
        self.args = args
        self.r = {}  # every raw result, saved as results.json

    def binary(self, name):
        return os.path.join(self.build, name)

    # In-process render ---------------------------------------------------
    def render(self):
        log("rendering %d blank consents in-process" % self.args.docs)
        self.r["render"] = run_json(
            [self.binary("bench_render"), "--config", self.config, "--docs", str(self.args.docs),
             "--warmup", "20", "--out", os.path.join(self.results, "consentkit.pdf"), FORM_XML],
            self.root)
        log("per-document cost of the embedded font (consentkit's and libharu's own)")
        self.r["font_cost"] = run_json(
            [self.binary("bench_font_cost"), os.path.join(self.build, "fonts"),
             "--docs", "300"], self.root)
        with open(os.path.join(self.results, "consentkit.pdf"), "rb") as f:
            self.r["font_cost"]["faces"] = f.read().count(b"/FontFile2")

    # Cold process ------------------------------------------------------------
    def cold(self):
        out = os.path.join(self.tmp, "cold.pdf")
        command = [self.binary("consentkit"), "render", FORM_XML, "-o", out, "--config", self.config]
        runs = self.args.cold_runs
        log("cold start: %d runs of `consentkit render`" % runs)
        if shutil.which("hyperfine"):
            export = os.path.join(self.results, "cold-hyperfine.json")
            subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", "5", "--runs", str(runs),
                            "--export-json", export, shlex.join(command)],
                           cwd=self.root, check=True, stdout=subprocess.DEVNULL)
            with open(export) as f:
                times = [t * 1000 for t in json.load(f)["results"][0]["times"]]
            tool = "hyperfine"
        else:  # the same by hand: wall time of fork, exec, render, write, exit
            times = []
            for i in range(runs + 5):
                start = time.perf_counter()
                subprocess.run(command, cwd=self.root, check=True)
                if i >= 5:
                    times.append((time.perf_counter() - start) * 1000)
            tool = "subprocess loop"
        self.r["cold"] = {"runs": runs, "tool": tool, "median": statistics.median(times),
                          "p99": percentile(times, 99), "min": min(times)}

    # Peers -------------------------------------------------------------------
    def peers(self):
        form_json = os.path.join(self.tmp, "consent.json")
        with open(form_json, "w") as f:
            subprocess.run([self.binary("bench_form_json"), "--config", self.config, FORM_XML],
                           cwd=self.root, check=True, stdout=f)
        peers = os.path.join(self.root, "bench", "peers")
        limits = ["--docs", str(self.args.peer_docs), "--max-seconds", str(self.args.peer_seconds)]
        log("ReportLab: %d documents or %d s" % (self.args.peer_docs, self.args.peer_seconds))
        self.r["reportlab"] = run_json(
            ["/usr/bin/python3", os.path.join(peers, "reportlab_peer.py"), form_json,
             "--out", os.path.join(self.results, "reportlab.pdf")] + limits, self.root)
        log("ReportLab with one embedded face: %d documents or %d s" % (
            self.args.peer_docs, self.args.peer_seconds))
        self.r["reportlab_one_face"] = run_json(
            ["/usr/bin/python3", os.path.join(peers, "reportlab_peer.py"), form_json, "--one-face",
             "--out", os.path.join(self.results, "reportlab-one-face.pdf")] + limits, self.root)
        log("pdf-lib: %d documents or %d s" % (self.args.peer_docs, self.args.peer_seconds))
        self.r["pdflib"] = run_json(
            ["node", os.path.join(peers, "pdflib_peer.mjs"), form_json,
             "--out", os.path.join(self.results, "pdflib.pdf")] + limits, self.root)

    # Submission pipeline in-process ------------------------------------------
    def submit(self):
        log("submission pipeline in-process: %d submissions" % self.args.submit_runs)
        env = dict(os.environ, TMPDIR=self.tmp)
        done = subprocess.run([self.binary("bench_submit"), "--forms", "forms", "--form", FORM_ID,
                               "--config", self.config, "--runs", str(self.args.submit_runs)],
                              cwd=self.root, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise SystemExit("bench: bench_submit failed:\n" + done.stderr)
        self.r["submit"] = json.loads(done.stdout.strip().splitlines()[-1])
        self.r["refused"] = {}
        for fields in REFUSED_FIELDS:
            log("refused submissions in-process: %d unknown fields" % fields)
            self.r["refused"][fields] = run_json(
                [self.binary("bench_submit"), "--forms", "forms", "--form", FORM_ID, "--config",
                 self.config, "--bad-fields", str(fields), "--runs", "5", "--warmup", "1"],
                self.root)

    # Countersignature in-process ----------------------------------------------
    def countersign(self):
        log("countersignature in-process: %d × (SealPdf, CountersignPdf, both verifies)"
            % self.args.countersign_runs)
        self.r["countersign"] = run_json(
            [self.binary("bench_countersign"), "--forms", "forms", "--form", FORM_ID,
             "--config", self.config, "--runs", str(self.args.countersign_runs)],
            self.root)

    # fsync -------------------------------------------------------------------
    def fsync(self):
        """4 KB appended and fsync'd, 200 times, on the file system that
        holds the benchmark's SQLite databases."""
        log("fsync: 200 × (write 4 KB, fsync)")
        path = os.path.join(self.tmp, "fsync.bin")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        block, times = os.urandom(4096), []
        try:
            for i in range(210):
                start = time.perf_counter()
                os.write(fd, block)
                os.fsync(fd)
                if i >= 10:
                    times.append((time.perf_counter() - start) * 1000)
        finally:
            os.close(fd)
        self.r["fsync"] = {"median": statistics.median(times), "p99": percentile(times, 99)}

    # Scale -------------------------------------------------------------------
    def scale(self):
        gen = os.path.join(self.tmp, "scale")
        os.makedirs(gen)
        counts = sorted(SCALE_DOCS)
        subprocess.run(["/usr/bin/python3", os.path.join(self.root, "bench", "gen_forms.py"), gen]
                       + [str(n) for n in counts], check=True)
        files = [os.path.join(gen, "bench-%d-fields.xml" % n) for n in counts]
        subprocess.run([self.binary("consentkit"), "validate"] + files, check=True)
        self.r["scale"] = {}
        for n, path in zip(counts, files):
            log("scale: %d-field form, %d documents" % (n, SCALE_DOCS[n]))
            self.r["scale"][n] = run_json([self.binary("bench_render"), "--config", self.config,
                                           "--docs", str(SCALE_DOCS[n]), "--warmup", "2", path],
                                          self.root)

    # HTTP --------------------------------------------------------------------
    def http(self):
        data = os.path.join(self.tmp, "data")
        err = open(os.path.join(self.results, "serve.stderr"), "w")
        server = subprocess.Popen(
            [self.binary("consentkit"), "serve", "--config", self.config, "--port", "0", "--data", data,
             "--forms", "forms", "--pair", "staff"],
            cwd=self.root, stdout=subprocess.PIPE, stderr=err)
        try:
            port, token = self.wait_for_server(server)
            base = "http://127.0.0.1:%d" % port
            self.page_weight(base, token)
            body = os.path.join(self.tmp, "body.json")
            with open(body, "w") as f:
                subprocess.run([self.binary("bench_submit"), "--forms", "forms", "--form", FORM_ID,
                                "--print-body"], cwd=self.root, check=True, stdout=f,
                               env=dict(os.environ, TMPDIR=self.tmp))
            seconds = self.args.wrk_seconds
            log("wrk: GET /healthz, %d connections, %d s" % (self.args.connections, seconds))
            self.r["healthz"] = self.wrk(base + "/healthz", [])
            self.r["healthz"]["vmhwm_kb"] = proc_status_kb(server.pid, "VmHWM")
            log("wrk: POST submissions, %d connections, %d s" % (self.args.connections, seconds))
            self.r["post"] = self.wrk(
                base + "/api/v1/forms/%s/submissions" % FORM_ID,
                ["-s", os.path.join(self.root, "bench", "submit.lua"), "--", body, token])
            self.r["post"]["vmhwm_kb"] = proc_status_kb(server.pid, "VmHWM")
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            err.close()

    @staticmethod
    def wait_for_server(server):
        """The port and token from serve's "open http://…/pair#TOKEN" line."""
        deadline, seen = time.monotonic() + 30, b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([server.stdout], [], [], deadline - time.monotonic())
            chunk = os.read(server.stdout.fileno(), 4096) if ready else b""
            if not chunk:
                break
            seen += chunk
            found = re.search(rb"open http://127\.0\.0\.1:(\d+)/pair#(\S+)", seen)
            if found:
                return int(found.group(1)), found.group(2).decode()
        raise SystemExit("bench: consentkit serve did not print its address "
                         "(see bench-results/serve.stderr)")

    def page_weight(self, base, token):
        sizes = {}
        for name, path in (("html", "/forms/" + FORM_ID), ("css", "/assets/consentkit.css"),
                           ("js", "/assets/consentkit.js")):
            request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
            with urllib.request.urlopen(request, timeout=10) as response:
                sizes[name] = len(response.read())
        self.r["page"] = sizes

    def wrk(self, url, extra, seconds=None, name=None):
        command = ["wrk", "-t2", "-c%d" % self.args.connections,
                   "-d%ds" % (seconds or self.args.wrk_seconds),
                   "--latency", "--timeout", "10s", url] + extra
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        text = done.stdout
        with open(os.path.join(self.results, "wrk-%s.txt" % (name or url.rsplit("/", 1)[-1])),
                  "w") as f:
            f.write(text)
        result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
                  "requests": int(re.search(r"(\d+) requests in", text).group(1))}
        for p in ("50", "99"):
            value, unit = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)\b" % p, text).groups()
            result["p%s_ms" % p] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        result["non2xx"] = int(non2xx.group(1)) if non2xx else 0
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
        result["socket_errors"] = sum(int(x) for x in errors.groups()) if errors else 0
        statuses = re.search(r"statuses (\{.*\})", text)
        if statuses:
            result["statuses"] = json.loads(statuses.group(1))
            result["non2xx"] = sum(n for s, n in result["statuses"].items() if not s.startswith("2"))
        return result

    # Listings ----------------------------------------------------------------
    def listings(self):
        """Store::ListSubmissions/ListVisits in-process on a seeded clinic
        history, the same SQL in the sqlite3 CLI on the same file, and
        GET /api/v1/submissions?limit=50 over HTTP on that folder."""
        a = self.args
        data = os.path.join(self.tmp, "list-data")
        log("listings: seeding %d submissions in %d visits" % (a.list_submissions, a.list_visits))
        start = time.perf_counter()
        seed = run_json([self.binary("bench_seed"), "--data", data, "--forms", "forms", "--form",
                         FORM_ID, "--config", self.config, "--count", str(a.list_submissions),
                         "--spacing", str(LIST_SPACING_S), "--visits", str(a.list_visits)],
                        self.root)
        seed["seed_s"] = time.perf_counter() - start
        # The seed writes ~1.6 GB with synchronous=OFF; flush it now, or the
        # server's fsyncs below wait for the kernel writing it back.
        start = time.perf_counter()
        os.sync()
        seed["sync_s"] = time.perf_counter() - start
        seed["db_bytes"] = os.path.getsize(os.path.join(data, "consentkit.db"))
        log("listings: %d runs of each query in-process" % a.list_runs)
        ours = run_json([self.binary("bench_list"), "--data", data, "--surname", seed["surname"],
                         "--one-patient", seed["one_patient"], "--day", seed["day"],
                         "--runs", str(a.list_runs), "--max-seconds", str(a.list_max_seconds)],
                        self.root)
        log("listings: the same queries in the sqlite3 CLI")
        cli = self.sqlite_cli(os.path.join(data, "consentkit.db"), ours)
        self.r["listings"] = {"seed": seed, "ours": ours, "cli": cli}
        self.http_listing(data)
        shutil.rmtree(data, ignore_errors=True)

    @staticmethod
    def listing_sql(name, ours, ids_only=False):
        """The SQL Store::ListSubmissions/ListVisits build for query `name`
        (src/store/sqlite_store.cc), with the values written in: the same
        columns, joins, filter, order and LIMIT 51 (one more than a page)."""
        def lit(text):
            return "'" + text.replace("'", "''") + "'"

        q = ours[name]
        if name == "visits_day":
            columns = "id" if ids_only else VISIT_COLUMNS
            return ("SELECT %s FROM visits WHERE created_at >= %s AND created_at < %s "
                    "ORDER BY created_at DESC, id DESC LIMIT 51;" % (
                        columns, lit(q["from"]), lit(q["to"])))
        joins, where = "", []
        if name == "pending":
            where.append("s.needs_review = 1 AND r.submission_id IS NULL")
        if name in ("surname", "one_patient"):
            joins = " JOIN visits v ON v.id = s.visit_id"
            # The store compares visits.patient_key, the name folded for search
            # (ASCII here, so folding is lower-casing).
            pattern = "%" + re.sub(r"([%_\\])", r"\\\1", q["q"].lower()) + "%"
            where.append("(v.patient_key LIKE %s ESCAPE '\\' OR v.patient_dob = %s)"
                         % (lit(pattern), lit(q["q"])))
        if name == "page50":
            at, _, last_id = q["after"].partition("|")
            where.append("(s.received_at, s.id) < (%s, %s)" % (lit(at), lit(last_id)))
        columns = "s.id" if ids_only else SUBMISSION_COLUMNS
        return ("SELECT %s FROM submissions s LEFT JOIN reviews r ON r.submission_id = s.id%s%s "
                "ORDER BY s.received_at DESC, s.id DESC LIMIT 51;" % (
                    columns, joins, (" WHERE " + " AND ".join(where)) if where else ""))

    def sqlite_cli(self, db, ours):
        """Each listing query in one warm `sqlite3` process fed over a pipe:
        a sample is the query with its rows printed to /dev/null, then a
        marker SELECT printed back; the median of that round trip alone
        (SELECT 1) is measured too and taken off. The first page each query
        returns (ids only) must be the one consentkit returned."""
        proc = subprocess.Popen(["sqlite3", "-batch", db], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)

        def roundtrip(sql, to_null=True):
            head = b".output /dev/null\n" if to_null else b""
            proc.stdin.write(head + sql.encode() + b"\n.output stdout\nSELECT 'ck-mark';\n")
            out = b""
            while not out.endswith(b"ck-mark\n"):
                chunk = proc.stdout.read(1 << 16)
                if not chunk:
                    raise SystemExit("bench: sqlite3 stopped: %s" % proc.stderr.read().decode())
                out += chunk
            return out[:-len(b"ck-mark\n")]

        def timed(sql):
            for _ in range(3):
                roundtrip(sql)
            times, all_start = [], time.perf_counter()
            for _ in range(self.args.list_runs):
                start = time.perf_counter()
                roundtrip(sql)
                times.append((time.perf_counter() - start) * 1000)
                if time.perf_counter() - all_start > self.args.list_max_seconds:
                    break
            return times

        version = roundtrip("SELECT sqlite_version();", to_null=False).decode().strip()
        base = timed("SELECT 1;")
        result = {"version": version, "roundtrip_ms": statistics.median(base)}
        try:
            for name in LIST_QUERIES:
                ids = roundtrip(self.listing_sql(name, ours, ids_only=True),
                                to_null=False).decode().split()
                page = ids[:50]
                expect = ours[name]
                if len(page) != expect["rows"] or (page and (page[0] != expect["first"]
                                                             or page[-1] != expect["last"])):
                    raise SystemExit("bench: sqlite3 CLI's %s page differs from consentkit's "
                                     "(%d rows, %s…%s against %d rows, %s…%s)" % (
                                         name, len(page), page[:1], page[-1:], expect["rows"],
                                         expect["first"], expect["last"]))
                times = timed(self.listing_sql(name, ours))
                result[name] = {"median": statistics.median(times), "p99": percentile(times, 99),
                                "runs": len(times), "rows": len(page)}
                result[name]["net_median"] = max(0.0, result[name]["median"] - result["roundtrip_ms"])
        finally:
            proc.stdin.close()
            proc.wait(timeout=30)
        return result

    def http_listing(self, data):
        """GET /api/v1/submissions?limit=50 with a staff token on the seeded
        folder, at the same connections, for LIST_WRK_SECONDS."""
        err = open(os.path.join(self.results, "serve-listing.stderr"), "w")
        server = subprocess.Popen(
            [self.binary("consentkit"), "serve", "--config", self.config, "--port", "0", "--data", data,
             "--forms", "forms", "--pair", "staff"],
            cwd=self.root, stdout=subprocess.PIPE, stderr=err)
        try:
            port, token = self.wait_for_server(server)
            url = "http://127.0.0.1:%d/api/v1/submissions?limit=50" % port
            request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
            with urllib.request.urlopen(request, timeout=10) as response:
                page = json.load(response)
            if len(page["items"]) != 50 or not page["next"]:
                raise SystemExit("bench: GET /api/v1/submissions?limit=50 returned %d items"
                                 % len(page["items"]))
            seconds = min(self.args.wrk_seconds, LIST_WRK_SECONDS)
            log("wrk: GET /api/v1/submissions?limit=50, %d connections, %d s" % (
                self.args.connections, seconds))
            audit_before = self.audit_count(data)
            cpu_before = proc_cpu_s(server.pid)
            result = self.wrk(url, ["-H", "Authorization: Bearer " + token], seconds=seconds,
                              name="list-submissions")
            result["server_cpu_s"] = proc_cpu_s(server.pid) - cpu_before
            result["seconds"] = seconds
            result["vmhwm_kb"] = proc_status_kb(server.pid, "VmHWM")
            result["response_bytes"] = len(json.dumps(page))
            result["audit_events"] = self.audit_count(data) - audit_before
            self.r["get_list"] = result
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            err.close()

    @staticmethod
    def audit_count(data):
        done = subprocess.run(["sqlite3", os.path.join(data, "consentkit.db"),
                               "SELECT COUNT(*) FROM audit WHERE action = 'submissions.listed';"],
                              capture_output=True, text=True, check=True)
        return int(done.stdout.strip())

    # Export ------------------------------------------------------------------
    def export(self):
        """Peak RSS and wall time of `consentkit export` over a data folder
        of N generated submissions (bench_seed), once export exists."""
        consentkit = self.binary("consentkit")
        help_run = subprocess.run([consentkit, "export", "--help"], capture_output=True)
        if help_run.returncode != 0:
            self.r["export"] = {"built": False}
            return
        n = self.args.export_submissions
        data, archive = os.path.join(self.tmp, "export-data"), os.path.join(self.tmp, "archive.zip")
        log("export: seeding %d submissions" % n)
        start = time.perf_counter()
        seed = run_json([self.binary("bench_seed"), "--data", data, "--forms", "forms", "--form",
                         FORM_ID, "--config", self.config, "--count", str(n), "--spacing", "30"],
                        self.root)
        seed_s = time.perf_counter() - start
        log("export: consentkit export of %d submissions" % seed["submissions"])
        start = time.perf_counter()
        # posix_spawn + wait4: the rusage of this one child, not of all children so far.
        env = dict(os.environ, TMPDIR=self.tmp)
        pid = os.posix_spawn(consentkit, [consentkit, "export", "--data", data, "-o", archive,
                                          "--config", self.config], env,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("bench: consentkit export failed")
        self.r["export"] = {"built": True, "submissions": seed["submissions"],
                            "pdf_bytes": seed["pdf_bytes"], "seed_s": seed_s, "seconds": seconds,
                            "archive_bytes": os.path.getsize(archive), "peak_kb": usage.ru_maxrss}
        shutil.rmtree(data, ignore_errors=True)
        os.remove(archive)

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


# The table -------------------------------------------------------------------
def ms(x):
    return "%.2f" % x if x < 10 else "%.1f" % x if x < 100 else "%.0f" % x


def kb(n):
    return "%.1f KB" % (n / KB)


def mb(kb_value):
    return "%.1f MB" % (kb_value / 1024)


def over(value, limit, unit_text):
    """PASS, or FAIL with how far over the limit `value` is."""
    if value <= limit:
        return "PASS"
    ratio = value / limit
    by = "+%.1f%%" % (100 * (ratio - 1)) if ratio < 1.5 else "%.1f× the budget" % ratio
    return "FAIL (%s, %s)" % (unit_text, by)


def under(value, floor, unit_text):
    if value >= floor:
        return "PASS"
    return "FAIL (%s: %.0f%% of the budget)" % (unit_text, 100 * value / floor)


def cpu_busy(seconds=2.0):
    """The fraction of all CPU time that was not idle over `seconds`."""
    def snapshot():
        with open("/proc/stat") as f:
            ticks = [int(x) for x in f.readline().split()[1:]]
        return ticks[3] + ticks[4], sum(ticks)  # idle + iowait, total

    idle0, total0 = snapshot()
    time.sleep(seconds)
    idle1, total1 = snapshot()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_quiet(limit_s):
    """Waits (up to limit_s) until other processes leave the CPUs mostly idle:
    on a shared 2-core machine a concurrent build halves every figure."""
    deadline = time.monotonic() + limit_s
    busy = cpu_busy()
    while busy > 0.10 and time.monotonic() < deadline:
        log("the CPUs are %.0f%% busy with other work; waiting for them to settle" % (100 * busy))
        busy = cpu_busy(5.0)
    return busy


def cpu_seconds():
    """(CPU seconds the whole machine spent busy, CPU seconds this process
    and its reaped children used), for others_busy."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    machine_busy = (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    mine = sum(getattr(resource.getrusage(who), field) for who in
               (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for field in ("ru_utime", "ru_stime"))
    return machine_busy, mine


def others_busy(before, after, wall):
    """The share of all CPUs that other processes (and the kernel) used
    while a step ran: a concurrent build on this shared machine shows here."""
    others = (after[0] - before[0]) - (after[1] - before[1])
    return round(max(0.0, others) / (wall * os.cpu_count()), 3)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return "%s · nproc %d · %s · Linux %s" % (
        datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        os.cpu_count(), model, os.uname().release)


def table(r, args):
    rows = []

    def row(what, result, budget="", verdict=""):
        rows.append((what, result, budget, verdict))

    ck, rl, pl = r["render"], r["reportlab"], r["pdflib"]
    row("**Blank consent, in-process** (RenderPacket, %d docs): median / p99" % ck["docs"],
        "%s / %s ms/doc, %.0f docs/s" % (ms(ck["ms"]["median"]), ms(ck["ms"]["p99"]), ck["docs_per_s"]),
        "median ≤ 1 ms", over(ck["ms"]["median"], 1.0, "%s ms" % ms(ck["ms"]["median"])))
    row("  bytes per PDF (embedded DejaVu Sans subset)", "%d B (%s)" % (ck["bytes"], kb(ck["bytes"])),
        "≤ 30 KB", over(ck["bytes"], 30 * KB, "+%s" % kb(ck["bytes"] - 30 * KB)))
    row("  peak RSS of the rendering process (VmHWM)", mb(ck["vmhwm_kb"]), "≤ 20 MB",
        over(ck["vmhwm_kb"], 20 * 1024, mb(ck["vmhwm_kb"])))
    fc = r["font_cost"]
    fonts_ms = fc["faces"] * fc["face_ms"]
    row("  of which the embedded font (glyph subset, widths, ToUnicode; bench_font_cost)",
        "%d face × %s ms = %.0f%% of the median; ~%s of the PDF (libharu's own UTF-8 "
        "embedding of the same font: %s ms, %s)" % (
            fc["faces"], ms(fc["face_ms"]), 100 * fonts_ms / ck["ms"]["median"],
            kb(fc["faces"] * fc["face_bytes"]), ms(fc["libharu_face_ms"]),
            kb(fc["libharu_face_bytes"])))
    c = r["cold"]
    row("**Cold process** `consentkit render` (%s, %d runs): median / p99" % (c["tool"], c["runs"]),
        "%.2f / %.2f ms" % (c["median"], c["p99"]), "median ≤ 15 ms",
        over(c["median"], 15.0, "%.2f ms" % c["median"]))
    rl1 = r["reportlab_one_face"]
    for name, peer in (("ReportLab %s (canvas + acroForm)" % args.reportlab_version, rl),
                       ("ReportLab %s, bold drawn in the regular face (one embedded font, "
                        "as consentkit)" % args.reportlab_version, rl1),
                       ("pdf-lib %s + fontkit" % args.pdflib_version, pl)):
        row("**%s**, same document, %d docs: median / p99" % (name, peer["docs"]),
            "%s / %s ms/doc, %.0f docs/s; %d B; RSS %s" % (
                ms(peer["ms"]["median"]), ms(peer["ms"]["p99"]), peer["docs_per_s"], peer["bytes"],
                mb(peer["vmhwm_kb"])))
    t_rl = ck["ms"]["median"] / rl["ms"]["median"]
    row("  ratio consentkit / ReportLab: time, size",
        "%.3f× time (%.1f× faster), %.2f× size" % (t_rl, 1 / t_rl, ck["bytes"] / rl["bytes"]),
        "≥ 10× faster", under(1 / t_rl, 10.0, "%.1f× faster" % (1 / t_rl)))
    t_rl1 = ck["ms"]["median"] / rl1["ms"]["median"]
    row("  ratio consentkit / ReportLab with one face: time, size",
        "%.3f× time (%.1f× faster), %.2f× size" % (t_rl1, 1 / t_rl1, ck["bytes"] / rl1["bytes"]),
        "≥ 10× faster", under(1 / t_rl1, 10.0, "%.1f× faster" % (1 / t_rl1)))
    t_pl = ck["ms"]["median"] / pl["ms"]["median"]
    row("  ratio consentkit / pdf-lib: time, size",
        "%.3f× time (%.1f× faster), %.2f× size" % (t_pl, 1 / t_pl, ck["bytes"] / pl["bytes"]))
    s = r["submit"]
    seal = ("seal %s" % ms(s["seal_ms"]["median"])) if s["seal_stage"] else "seal: not in the pipeline yet"
    row("**Submission pipeline, in-process** (IntakeService::Submit, durable SQLite, %d runs): "
        "median / p99" % s["runs"],
        "%s / %s ms; stages (median): validate %s, render %s, %s, commit %s" % (
            ms(s["total_ms"]["median"]), ms(s["total_ms"]["p99"]), ms(s["validate_ms"]["median"]),
            ms(s["render_ms"]["median"]), seal, ms(s["commit_ms"]["median"])))
    refused = r["refused"]
    per_field = {n: refused[n]["total_ms"]["median"] * 1000 / n for n in REFUSED_FIELDS}
    small, large = min(REFUSED_FIELDS), max(REFUSED_FIELDS)
    row("**Refused submission, in-process** (Submit + the 422 body; %s unknown fields): median"
        % " / ".join("{:,}".format(n) for n in REFUSED_FIELDS),
        "%s ms; %s µs per field; 422 body %s (50 of %d errors listed)" % (
            " / ".join(ms(refused[n]["total_ms"]["median"]) for n in REFUSED_FIELDS),
            " / ".join("%.1f" % per_field[n] for n in REFUSED_FIELDS),
            kb(refused[large]["problem_bytes"]), refused[large]["errors"]),
        "linear: per field at %s ≤ 2× at %s; body < 64 KB" % ("{:,}".format(large),
                                                              "{:,}".format(small)),
        over(max(per_field[large] / (2 * per_field[small]),
                 refused[large]["problem_bytes"] / (64 * KB)), 1.0,
             "%.1f µs/field, %s" % (per_field[large], kb(refused[large]["problem_bytes"]))))
    cs = r["countersign"]
    row("**Countersign, in-process** (CountersignPdf on the sealed microneedling consent, "
        "%d runs): median / p99" % cs["runs"],
        "%s / %s ms; SealPdf in the same loop %s / %s ms; **countersign / seal %.1f×** (medians); "
        "record %s sealed, %s countersigned" % (
            ms(cs["countersign_ms"]["median"]), ms(cs["countersign_ms"]["p99"]),
            ms(cs["seal_ms"]["median"]), ms(cs["seal_ms"]["p99"]),
            cs["countersign_ms"]["median"] / cs["seal_ms"]["median"],
            kb(cs["sealed_bytes"]), kb(cs["countersigned_bytes"])))
    row("  verify the countersigned record (VerifyPdfSignatures, %d signatures): median / p99"
        % cs["signatures"],
        "%s / %s ms (VerifySealedPdf of the sealed record: %s / %s ms; ratio %.1f×)" % (
            ms(cs["verify_ms"]["median"]), ms(cs["verify_ms"]["p99"]),
            ms(cs["seal_verify_ms"]["median"]), ms(cs["seal_verify_ms"]["p99"]),
            cs["verify_ms"]["median"] / cs["seal_verify_ms"]["median"]))
    p, h = r["post"], r["healthz"]
    sealed = "sealed" if s["seal_stage"] else "NOT sealed yet"
    row("**HTTP POST submissions** (wrk, %d conns, %d s, fresh UUID each; %s): req/s" % (
        args.connections, args.wrk_seconds, sealed),
        "%.0f req/s (%d requests, %d non-2xx, %d socket errors)" % (
            p["rps"], p["requests"], p["non2xx"], p["socket_errors"]),
        "≥ 300/s", under(p["rps"], 300.0, "%.0f/s" % p["rps"]))
    row("  latency p50 / p99", "%s / %s ms" % (ms(p["p50_ms"]), ms(p["p99_ms"])), "p99 ≤ 50 ms",
        over(p["p99_ms"], 50.0, "%s ms" % ms(p["p99_ms"])))
    row("  server peak RSS (VmHWM after both runs)", mb(p["vmhwm_kb"]), "≤ 64 MB",
        over(p["vmhwm_kb"], 64 * 1024, mb(p["vmhwm_kb"])))
    row("**HTTP GET /healthz** (server ceiling, same settings): req/s, p50 / p99",
        "%.0f req/s, %s / %s ms (%d non-2xx, %d socket errors), RSS %s" % (
            h["rps"], ms(h["p50_ms"]), ms(h["p99_ms"]), h["non2xx"], h["socket_errors"],
            mb(h["vmhwm_kb"])))
    ls = r["listings"]
    seed, ours, cli = ls["seed"], ls["ours"], ls["cli"]
    row("**Listings, in-process** (Store::ListSubmissions / ListVisits, limit 50; %d submissions "
        "in %d visits, %d reviewed, %d pending; %.2f GB file): median, ours vs the same SQL in "
        "the sqlite3 %s CLI" % (seed["submissions"], seed["visits"], seed["reviews"],
                                seed["pending"], seed["db_bytes"] / 1e9, cli["version"]),
        "ours includes Poco's prepare, binding and building the records; sqlite3's prints the "
        "rows as text to /dev/null, in one warm process (pipe round trip %s ms, taken off)" %
        ms(cli["roundtrip_ms"]))
    labels = {"first": "first page, no filter",
              "pending": "review=pending (the queue)",
              "surname": "q=%s (a surname, 2%% of visits)" % ours["surname"]["q"],
              "one_patient": "q=%s (one patient)" % ours["one_patient"]["q"],
              "page50": "page 50 by cursor",
              "visits_day": "ListVisits, one day (%s)" % ours["visits_day"]["from"][:10]}
    for name in LIST_QUERIES:
        o, c = ours[name], cli[name]
        ratio = ("%.1f×" % (o["ms"]["median"] / c["net_median"])) if c["net_median"] > 0 else "–"
        row("  %s: %d rows" % (labels[name], o["rows"]),
            "ours %s ms (p99 %s), sqlite3 CLI %s ms; ours / CLI %s" % (
                ms(o["ms"]["median"]), ms(o["ms"]["p99"]), ms(c["net_median"]), ratio))
    g = r["get_list"]
    row("**HTTP GET /api/v1/submissions?limit=50** (wrk, %d conns, %d s, staff token, the listing "
        "folder; one audit event per request): req/s, p50 / p99" % (args.connections, g["seconds"]),
        "%.0f req/s, %s / %s ms (%d requests, %d non-2xx, %d socket errors; %s a response; "
        "%d audit events written; server CPU %s ms a request), RSS %s" % (
            g["rps"], ms(g["p50_ms"]), ms(g["p99_ms"]), g["requests"], g["non2xx"],
            g["socket_errors"], kb(g["response_bytes"]), g["audit_events"],
            ms(1000 * g["server_cpu_s"] / max(1, g["audit_events"])), mb(g["vmhwm_kb"])))
    scale = r["scale"]
    counts = sorted(scale, key=int)
    parts = ["%s fields: %s ms, %s (%.3f ms/field)" % (
        n, ms(scale[n]["ms"]["median"]), kb(scale[n]["bytes"]), scale[n]["ms"]["median"] / int(n))
        for n in counts]
    slopes = []
    for a, b in zip(counts, counts[1:]):
        slopes.append((scale[b]["ms"]["median"] - scale[a]["ms"]["median"]) / (int(b) - int(a)))
    linear = slopes[-1] <= 1.5 * slopes[0]
    row("**Scale**: generated forms, render median, size", "; ".join(parts),
        "linear growth",
        "%s (marginal cost %s ms/field, ×%.2f)" % (
            "linear" if linear else "SUPERLINEAR", " → ".join("%.3f" % x for x in slopes),
            slopes[-1] / slopes[0]))
    pw = r["page"]
    total = sum(pw.values())
    row("**Tablet page weight** (/forms/%s, uncompressed)" % FORM_ID,
        "%s = HTML %s + CSS %s + JS %s" % (kb(total), kb(pw["html"]), kb(pw["css"]), kb(pw["js"])),
        "≤ 40 KB", over(total, 40 * KB, "+%s" % kb(total - 40 * KB)))
    if r["export"].get("peak_kb"):
        e = r["export"]
        row("**Export** (`consentkit export`) of %d generated submissions, 30 s apart: peak RSS"
            % e["submissions"],
            "%s; %.1f s, %.0f MB/s; archive %.2f GB (sealed PDFs of %s each)" % (
                mb(e["peak_kb"]), e["seconds"], e["archive_bytes"] / MB / e["seconds"],
                e["archive_bytes"] / 1e9, kb(e["pdf_bytes"])))
    else:
        row("**Export** of 100,000 submissions: peak RSS", "not measured: export not built yet")
    f = r["fsync"]
    row("fsync here (write 4 KB + fsync, 200×): median / p99", "%s / %s ms" % (
        ms(f["median"]), ms(f["p99"])))
    lines = ["| measurement | result | budget | verdict |", "|---|---|---|---|"]
    lines += ["| %s | %s | %s | %s |" % x for x in rows]
    return "\n".join(lines)


def versions():
    try:
        import reportlab  # noqa: F401 (Debian's, under /usr/bin/python3)
        rl = reportlab.Version
    except ImportError:
        rl = "?"
    pl = "?"
    lock = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers", "package-lock.json")
    if os.path.exists(lock):
        with open(lock) as f:
            pl = json.load(f)["packages"].get("node_modules/pdf-lib", {}).get("version", "?")
    return rl, pl


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build-bench")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--peer-docs", type=int, default=1000)
    parser.add_argument("--peer-seconds", type=int, default=45,
                        help="stop a peer's loop after this long even before --peer-docs "
                             "(pdf-lib needs ~150 ms a document)")
    parser.add_argument("--cold-runs", type=int, default=50)
    parser.add_argument("--submit-runs", type=int, default=300)
    parser.add_argument("--wrk-seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--export-submissions", type=int, default=100000)
    parser.add_argument("--countersign-runs", type=int, default=200)
    parser.add_argument("--list-submissions", type=int, default=20000,
                        help="submissions in the listing rows' seeded history")
    parser.add_argument("--list-visits", type=int, default=2000)
    parser.add_argument("--list-runs", type=int, default=100,
                        help="runs of each listing query, ours and sqlite3's")
    parser.add_argument("--list-max-seconds", type=float, default=10,
                        help="stop a listing query's runs after this long")
    parser.add_argument("--wait-quiet", type=int, default=120, metavar="SECONDS",
                        help="wait up to this long for the other processes on the machine "
                             "to leave the CPUs idle before measuring")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 100 docs, 50 peer docs, 5 s of wrk")
    args = parser.parse_args()
    if args.quick:
        args.docs, args.peer_docs, args.cold_runs, args.submit_runs, args.wrk_seconds = 100, 50, 10, 50, 5
        args.export_submissions = 2000
        args.list_runs, args.list_max_seconds = 30, 5
    args.reportlab_version, args.pdflib_version = versions()
    bench = Bench(args)
    bench.r["machine_busy_before"] = wait_quiet(args.wait_quiet)
    started = time.monotonic()
    bench.r["seconds"] = {}
    try:
        bench.r["others_busy"] = {}
        for step in (bench.render, bench.cold, bench.peers, bench.submit, bench.countersign,
                     bench.fsync, bench.scale, bench.http, bench.listings, bench.export):
            step_started, cpu_before = time.monotonic(), cpu_seconds()
            step()
            wall = time.monotonic() - step_started
            bench.r["seconds"][step.__name__] = round(wall, 1)
            bench.r["others_busy"][step.__name__] = others_busy(cpu_before, cpu_seconds(), wall)
    finally:
        bench.cleanup()
    bench.r["loadavg_after"] = loadavg()
    others = ", ".join("%s %.0f%%" % (step, 100 * share)
                       for step, share in bench.r["others_busy"].items())
    text = ("consentkit benchmark · %s · measured in %.0f s\n\n%s\n\nCPU share used by other "
            "processes and the kernel while each step ran (a shared machine): %s.\n") % (
        machine(), time.monotonic() - started, table(bench.r, args), others)
    with open(os.path.join(bench.results, "results.json"), "w") as f:
        json.dump(bench.r, f, indent=1)
    with open(os.path.join(bench.results, "table.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
