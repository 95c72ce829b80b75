#!/usr/bin/python3
"""Makes the seed inputs that only a running consentkit can make: a
submission per shipped form, a sealed and a countersigned record, a blank
form, and a one-record export with its manifest and two damaged copies
(an empty entry name, a duplicate name). The outputs are committed; run
this again only when the formats change (fuzz/README.md).

usage: fuzz/make-seeds.py CONSENTKIT_BINARY
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile

BINARY = os.path.abspath(sys.argv[1])
FUZZ = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(FUZZ)


def corpus(target, name):
    return os.path.join(FUZZ, target + "_seed_corpus", name)


def write(path, data):
    with open(path, "wb") as out:
        out.write(data if isinstance(data, bytes) else data.encode())


class Server:
    def __init__(self, data_dir):
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--port", "0", "--data", data_dir, "--forms",
             os.path.join(SOURCE, "forms"), "--config",
             os.path.join(SOURCE, "samples", "consentkit.conf"), "--pair", "staff"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            match = re.search(r"open http://127\.0\.0\.1:(\d+)/pair#(\S+)", line)
            if match:
                self.port, self.token = int(match.group(1)), match.group(2)
                return
        self.proc.kill()
        sys.exit("serve printed no pairing URL")

    def request(self, method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method)
        req.add_header("Authorization", "Bearer " + (token or self.token))
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


SIGNATURE = {"width": 600, "height": 200,
             "strokes": [[[20, 150, 0], [300, 40, 80], [580, 160, 160]]]}


def payload(form, answer):
    """A complete submission for `form`, every yes/no answered `answer`."""
    values = {}
    for field in form["fields"]:
        if field.get("condition") or field.get("witness"):
            continue
        kind = field["type"]
        if kind == "checkbox":
            values[field["id"]] = True
        elif kind == "initials":
            values[field["id"]] = "ZM"
        elif kind == "signature":
            values[field["id"]] = SIGNATURE
        elif kind == "date":
            values[field["id"]] = "1990-02-28"
        elif kind == "yesno":
            values[field["id"]] = answer
        elif kind == "choice":
            values[field["id"]] = field["options"][0]["value"]
        elif kind == "multichoice":
            values[field["id"]] = [field["options"][0]["value"]]
        elif kind == "email":
            values[field["id"]] = "zoe@example.com"
        elif kind == "phone":
            values[field["id"]] = "+1 207 555 0142"
        else:
            values[field["id"]] = "Zoë Muñoz"
    return {"id": str(uuid.uuid4()), "language": form["lang"],
            "form": {"id": form["id"], "version": form["version"], "sha256": form["sha256"]},
            "values": values}


def submit_all(server, only=None, keep=True):
    """Submits every shipped form (or the one named `only`), keeping each
    payload as a seed if `keep`; returns the id of one that needs review."""
    status, body = server.request("GET", "/api/v1/forms")
    assert status == 200, body
    listed = json.loads(body)
    forms = listed["forms"] if isinstance(listed, dict) else listed
    review_id = None
    for entry in forms:
        if only and entry["id"] != only:
            continue
        status, body = server.request("GET", "/api/v1/forms/" + entry["id"])
        form = json.loads(body)
        for answer in ("no",) if only else ("no", "yes"):
            p = payload(form, answer)
            status, body = server.request("POST", f"/api/v1/forms/{form['id']}/submissions", p)
            if status != 201:
                continue
            if keep:
                write(corpus("submission", f"{form['id']}-{answer}.json"),
                      json.dumps(p, indent=1))
            receipt = json.loads(body)
            if receipt.get("needs_review") and not review_id:
                review_id = receipt["id"]
    return review_id


def main():
    data_dir = tempfile.mkdtemp(prefix="consentkit-seeds-")
    try:
        out = subprocess.run([BINARY, "tokens", "create", "--data", data_dir, "--role",
                              "practitioner", "--name", "Dr Ana Ruiz"],
                             check=True, capture_output=True, text=True).stdout
        practitioner = re.search(r"^\s+(ckt_\S+)$", out, re.M).group(1)
        server = Server(data_dir)
        try:
            review_id = submit_all(server)
            assert review_id, "no submission needed review"
            status, pdf = server.request("GET", f"/api/v1/submissions/{review_id}.pdf")
            assert status == 200 and pdf.startswith(b"%PDF-")
            write(corpus("seal", "sealed-record.pdf"), pdf)
            status, body = server.request(
                "POST", f"/api/v1/submissions/{review_id}/review",
                {"decision": "proceed", "note": "Patch test first.", "signature": SIGNATURE},
                token=practitioner)
            assert status == 201, body
            write(corpus("submission", "review.json"),
                  json.dumps({"decision": "proceed", "note": "Patch test first.",
                              "signature": SIGNATURE}))
            status, pdf = server.request("GET", f"/api/v1/submissions/{review_id}.pdf")
            assert status == 200 and pdf.count(b"/ByteRange") == 2
            write(corpus("seal", "countersigned-record.pdf"), pdf)
        finally:
            server.stop()
        shutil.copy(os.path.join(data_dir, "seal-cert.pem"),
                    os.path.join(FUZZ, "seal_trusted_certificate.pem"))
        blank = os.path.join(data_dir, "blank.pdf")
        subprocess.run([BINARY, "render", os.path.join(SOURCE, "forms", "microneedling-aftercare.xml"),
                        "-o", blank], check=True, capture_output=True)
        shutil.copy(blank, corpus("seal", "blank-form.pdf"))
        make_archive_seeds(one_record_archive(data_dir))
    finally:
        shutil.rmtree(data_dir)


def one_record_archive(work_dir):
    """An export of a data folder holding one aftercare record (the
    smallest): a small seed mutates quicker."""
    data_dir = os.path.join(work_dir, "one-record")
    server = Server(data_dir)
    try:
        submit_all(server, only="microneedling-aftercare", keep=False)
    finally:
        server.stop()
    archive = os.path.join(work_dir, "archive.zip")
    subprocess.run([BINARY, "export", "--data", data_dir, "-o", archive], check=True,
                   capture_output=True)
    return archive


def make_archive_seeds(archive):
    """The export, kept to one record and its definition, and two broken copies."""
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        manifest = z.read("manifest.json")
        write(corpus("manifest", "manifest.json"), manifest)
        write(corpus("archive", "export.zip"), open(archive, "rb").read())
    # The same bytes with an entry's name emptied in its local header and
    # the central directory (the crash found outside the project), and with
    # a second entry renamed to the first's name.
    data = bytearray(open(archive, "rb").read())
    write(corpus("archive", "empty-entry-name.zip"), rename_entry(data, names[-1], b""))
    write(corpus("archive", "duplicate-entry-name.zip"),
          rename_entry(data, names[-1], names[0].encode()))


def rename_entry(data, name, new):
    """`data` (a zip whose last entry is `name`) with that entry renamed to
    `new` in its local header and its central directory record."""
    end = data.rfind(b"PK\x05\x06")
    count = int.from_bytes(data[end + 10:end + 12], "little")
    central = int.from_bytes(data[end + 16:end + 20], "little")
    old = name.encode()
    # The last central record, and the local header it points at.
    at = central
    for _ in range(count - 1):
        at += 46 + sum(int.from_bytes(data[at + o:at + o + 2], "little") for o in (28, 30, 32))
    assert data[at + 46:at + 46 + len(old)] == old
    local = int.from_bytes(data[at + 42:at + 46], "little")
    assert data[local + 30:local + 30 + len(old)] == old
    grow = len(new) - len(old)
    out = bytearray(data[:local + 26]) + len(new).to_bytes(2, "little")
    out += data[local + 28:local + 30] + new + data[local + 30 + len(old):at + 28]
    out += len(new).to_bytes(2, "little") + data[at + 30:at + 46] + new
    out += data[at + 46 + len(old):]
    end += 2 * grow
    size = int.from_bytes(out[end + 12:end + 16], "little") + grow
    out[end + 12:end + 16] = size.to_bytes(4, "little")
    out[end + 16:end + 20] = (central + grow).to_bytes(4, "little")
    return bytes(out)


if __name__ == "__main__":
    main()
