#!/usr/bin/python3
"""The ReportLab peer: renders the blank consent described by
bench_form_json's output with ReportLab's canvas and AcroForm, N times in
one process, and prints one JSON line like bench_render's.

The document is the one consentkit makes: A4, the clinic header and
"Page X of Y" footer on every page, title, summary, section headings,
wrapped paragraphs and bullet lists, each risk as a tinted card with an
"I understand this risk" checkbox and an initials text field, fields as
labelled text fields (a text field stands in for each signature, since the
canvas has no signature field), yes/no and choices as radio groups, all
text in DejaVu Sans (regular and bold) embedded as TrueType subsets.
Pagination works on lines, keeps headings with what follows and risk cards
whole, like ours.

    reportlab_peer.py FORM.json [--docs N] [--max-seconds S] [--warmup N] [--out PDF]

Stops after N documents, or earlier once S seconds of measuring have
passed (the JSON line says how many were made).
"""
import argparse
import io
import json
import statistics
import sys
import time

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"

INK = Color(0.12, 0.14, 0.17)
MUTED = Color(0.38, 0.41, 0.46)
ACCENT = Color(0.05, 0.36, 0.45)
REQUIRED = Color(0.70, 0.16, 0.14)
RULE = Color(0.78, 0.81, 0.84)
TINT = Color(0.94, 0.97, 0.97)
BOX = Color(0.32, 0.35, 0.40)

BODY, BODY_LEADING = 10, 14
LABEL, LABEL_LEADING = 9.5, 13
SMALL, SMALL_LEADING = 8.5, 11
COMPACT_WIDTH = {"date": 150, "phone": 200, "email": 260, "initials": 90, "signature": 300}
BOX_HEIGHT = {"textarea": 58, "signature": 46}


class Atom:
    """An unbreakable piece of content: draw(c, top) paints it."""

    def __init__(self, height, draw, before=0.0, keep=False):
        self.height, self.draw, self.before, self.keep = height, draw, before, keep


def wrap(text, font, size, width):
    lines, line = [], ""
    for word in text.split():
        trial = word if not line else line + " " + word
        if line and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + [line] if line else lines or [""]


class Layout:
    def __init__(self, form, width=595.28, height=841.89):
        self.form, self.w, self.h = form, width, height
        self.left, self.right = 50.0, width - 50.0
        self.top, self.bottom = height - 92.0, 60.0
        self.atoms = []

    @property
    def width(self):
        return self.right - self.left

    # Content -------------------------------------------------------------
    def build(self):
        f = self.form
        lines = wrap(f["title"], BOLD, 20, self.width)
        self.add(24 * len(lines) + 4, lambda c, t: self.text_lines(c, lines, self.left, t - 20, BOLD, 20, 24, INK))
        if f["summary"]:
            self.text_block(f["summary"], 0, 6)
        legend = "Please read every section. Items marked * are required."
        self.add(SMALL_LEADING + 6, lambda c, t: self.text(c, self.left, t - 14.5, REGULAR, SMALL, legend, MUTED))
        for section in f["sections"]:
            self.section(section)
        return self.atoms

    def add(self, height, draw, before=0.0, keep=False):
        self.atoms.append(Atom(height, draw, before, keep))

    def section(self, section):
        first = len(self.atoms)
        heading = wrap(section["heading"], BOLD, 12.5, self.width)

        def draw_heading(c, top):
            y = self.text_lines(c, heading, self.left, top - 12.5, BOLD, 12.5, 17, ACCENT)
            self.line(c, self.left, y + 10, self.right, y + 10, RULE, 0.6)

        self.add(17 * len(heading) + 9, draw_heading, 18, True)
        risk_number, row, row_width, previous_text = 0, [], 0.0, False
        for block in section["blocks"]:
            kind = block["block"]
            if kind == "field" and block["type"] in COMPACT_WIDTH:
                w = COMPACT_WIDTH[block["type"]]
                if row and row_width + 18 + w > self.width:
                    self.field_row(row)
                    row, row_width = [], 0.0
                row_width += (18 if row else 0) + w
                row.append(block)
                continue
            if row:
                self.field_row(row)
                row, row_width = [], 0.0
            if previous_text and kind in ("risk", "field"):
                self.atoms[-1].keep = True
            previous_text = kind in ("p", "list")
            if kind == "p":
                self.text_block(block["text"], 0, 6)
            elif kind == "list":
                for i, item in enumerate(block["items"]):
                    self.text_block(item, 6, 6 if i == 0 else 3, "•")
            elif kind == "risk":
                risk_number += 1
                self.risk(block, risk_number)
            elif block["type"] in ("yesno", "choice", "multichoice"):
                self.question(block)
            else:
                self.field_row([block])
        if row:
            self.field_row(row)
        if section["kind"] == "fields":
            height = sum(a.before + a.height for a in self.atoms[first:])
            if height <= 0.6 * (self.top - self.bottom):
                for a in self.atoms[first:-1]:
                    a.keep = True

    def text_block(self, text, indent, before, bullet=""):
        bullet_width = 14 if bullet else 0
        lines = wrap(text, REGULAR, BODY, self.width - indent - bullet_width)
        for i, line in enumerate(lines):
            x = self.left + indent

            def draw(c, top, line=line, first=(i == 0)):
                if first and bullet:
                    self.text(c, x + 2, top - 10, BOLD, BODY, bullet, ACCENT)
                self.text(c, x + bullet_width, top - 10.5, REGULAR, BODY, line, INK)

            keep = len(lines) > 1 and (i == 0 or i + 2 == len(lines))
            self.add(BODY_LEADING, draw, before if i == 0 else 0, keep)

    def risk(self, risk, number):
        inner = self.width - 28
        title = wrap("%d. %s" % (number, risk["title"]), BOLD, 11, inner)
        head_height = 10 + 15 * len(title)

        def background(c, top, height):
            self.rect(c, self.left, top - height, self.width, height, TINT)
            self.rect(c, self.left, top - height, 3, height, ACCENT)

        def draw_head(c, top):
            background(c, top, head_height)
            self.text_lines(c, title, self.left + 14, top - 21, BOLD, 11, 15, INK)

        self.add(head_height, draw_head, 10, True)
        for line in wrap(risk["description"], REGULAR, BODY, inner):
            def draw_line(c, top, line=line):
                background(c, top, BODY_LEADING)
                self.text(c, self.left + 14, top - 10.5, REGULAR, BODY, line, INK)

            self.add(BODY_LEADING, draw_line, 0, True)

        def draw_actions(c, top):
            background(c, top, 40)
            row = top - 10
            c.acroForm.checkbox(name=risk["id"] + "-understood", tooltip="I understand: " + risk["title"],
                                x=self.left + 14, y=row - 17.5, size=14, borderColor=BOX, borderWidth=0.9,
                                fillColor=Color(1, 1, 1), buttonStyle="check", fieldFlags="required")
            self.label(c, "I understand this risk", True, self.left + 36, row - 4, BOLD, BODY)
            x = self.right - 14 - 80
            c.setFont(REGULAR, LABEL)
            c.setFillColor(INK)
            c.drawRightString(x - 8, row - 15, "Initials")
            self.text(c, x - 6, row - 15, BOLD, LABEL, "*", REQUIRED)
            c.acroForm.textfield(name=risk["id"] + "-initials", tooltip="Initials: " + risk["title"],
                                 x=x, y=row - 22, width=80, height=22, maxlen=4, fontSize=12,
                                 borderColor=BOX, borderWidth=0.9, fillColor=Color(0.99, 0.99, 1),
                                 fieldFlags="required")

        self.add(40, draw_actions)

    def question(self, field):
        label = wrap(field["label"], BOLD, LABEL, self.width - 8)
        options = field["options"] or [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]
        inline = field["type"] == "yesno"
        rows = 1 if inline else len(options)
        height = LABEL_LEADING * len(label) + 20 * rows + 6

        def draw(c, top):
            y = self.label(c, field["label"], field["required"], self.left, top, BOLD, LABEL)
            x = self.left
            for option in options:
                if field["type"] == "multichoice":
                    c.acroForm.checkbox(name=field["id"] + "-" + option["value"], x=x, y=y - 16, size=13,
                                        borderColor=BOX, borderWidth=0.9, fillColor=Color(1, 1, 1))
                else:
                    c.acroForm.radio(name=field["id"], value=option["value"], x=x, y=y - 16, size=13,
                                     borderColor=BOX, borderWidth=0.9, fillColor=Color(1, 1, 1))
                self.text(c, x + 19, y - 13.5, REGULAR, BODY, option["label"], INK)
                if inline:
                    x += 19 + pdfmetrics.stringWidth(option["label"], REGULAR, BODY) + 18
                else:
                    y -= 20

        self.add(height, draw, 10)

    def field_row(self, fields):
        widths = [COMPACT_WIDTH.get(f["type"], self.width) for f in fields]
        height = max(self.cell_height(f, w) for f, w in zip(fields, widths))

        def draw(c, top):
            x = self.left
            for f, w in zip(fields, widths):
                self.cell(c, f, x, top, w)
                x += w + 18

        self.add(height, draw, 10)

    def cell_height(self, field, width):
        label = wrap(field["label"], BOLD, LABEL, width - 8)
        hint = self.hint(field)
        return LABEL_LEADING * len(label) + 4 + BOX_HEIGHT.get(field["type"], 22) + (
            SMALL_LEADING * len(wrap(hint, REGULAR, SMALL, width)) + 2 if hint else 0)

    def cell(self, c, field, x, top, width):
        y = self.label(c, field["label"], field["required"], x, top, BOLD, LABEL) - 4
        height = BOX_HEIGHT.get(field["type"], 22)
        multiline = "multiline" if field["type"] == "textarea" else ""
        flags = " ".join(f for f in ("required" if field["required"] else "", multiline) if f)
        c.acroForm.textfield(name=field["id"], tooltip=field["label"], x=x, y=y - height, width=width,
                             height=height, borderColor=BOX, borderWidth=0.9, fillColor=Color(0.99, 0.99, 1),
                             fieldFlags=flags, maxlen=2000)
        if field["type"] == "signature":
            self.text(c, x + 8, y - height + 10, REGULAR, 12, "×", MUTED)
            self.line(c, x + 8, y - height + 8, x + width - 8, y - height + 8, BOX, 0.6)
        hint = self.hint(field)
        if hint:
            self.text_lines(c, wrap(hint, REGULAR, SMALL, width), x, y - height - 10.5, REGULAR, SMALL,
                            SMALL_LEADING, MUTED)

    @staticmethod
    def hint(field):
        return field["hint"] or ("YYYY-MM-DD" if field["type"] == "date" else "")

    # Drawing helpers ------------------------------------------------------
    def text(self, c, x, y, font, size, text, color):
        c.setFont(font, size)
        c.setFillColor(color)
        c.drawString(x, y, text)

    def text_lines(self, c, lines, x, y, font, size, leading, color):
        for line in lines:
            self.text(c, x, y, font, size, line, color)
            y -= leading
        return y

    def label(self, c, text, required, x, top, font, size):
        leading = LABEL_LEADING if size == LABEL else BODY_LEADING
        lines = wrap(text, font, size, self.width - 8)
        y = top
        for line in lines:
            self.text(c, x, y - size, font, size, line, INK)
            y -= leading
        if required:
            end = x + pdfmetrics.stringWidth(lines[-1], font, size) + 2
            self.text(c, end, y + leading - size, BOLD, size, "*", REQUIRED)
        return y

    def rect(self, c, x, y, w, h, color):
        c.setFillColor(color)
        c.rect(x, y, w, h, stroke=0, fill=1)

    def line(self, c, x1, y1, x2, y2, color, width):
        c.setStrokeColor(color)
        c.setLineWidth(width)
        c.line(x1, y1, x2, y2)

    # Pages ---------------------------------------------------------------
    def paginate(self, atoms):
        """Pages as lists of (atom, top): a run of atoms kept together moves
        to a new page whole when it fits on one."""
        pages, y, i = [[]], self.top, 0
        while i < len(atoms):
            j, chain = i, atoms[i].height + (atoms[i].before if pages[-1] else 0)
            while atoms[j].keep and j + 1 < len(atoms):
                j += 1
                chain += atoms[j].before + atoms[j].height
            if pages[-1] and y - chain < self.bottom and chain <= self.top - self.bottom:
                pages.append([])
                y = self.top
            for atom in atoms[i:j + 1]:
                before = atom.before if pages[-1] else 0
                if pages[-1] and y - before - atom.height < self.bottom:
                    pages.append([])
                    y, before = self.top, 0
                y -= before
                pages[-1].append((atom, y))
                y -= atom.height
            i = j + 1
        return pages

    def header(self, c):
        clinic = self.form["clinic"]
        self.text(c, self.left, self.h - 50, BOLD, 12, clinic["name"], INK)
        contact = "  ·  ".join(x for x in (clinic["address"], clinic["phone"]) if x)
        self.text(c, self.left, self.h - 64, REGULAR, SMALL - 1, contact, MUTED)
        c.setFont(BOLD, LABEL)
        c.setFillColor(ACCENT)
        c.drawRightString(self.right, self.h - 50, self.form["title"])
        self.line(c, self.left, self.h - 74, self.right, self.h - 74, ACCENT, 1.2)

    def footer(self, c, number, total):
        f = self.form
        self.line(c, self.left, 44, self.right, 44, RULE, 0.6)
        note = "%s  ·  version %s  ·  definition %s" % (f["id"], f["version"], f["sha256"][:12])
        self.text(c, self.left, 32, REGULAR, SMALL - 1, note, MUTED)
        c.setFont(BOLD, SMALL)
        c.setFillColor(INK)
        c.drawRightString(self.right, 32, "Page %d of %d" % (number, total))


def render(form):
    layout = Layout(form)
    pages = layout.paginate(layout.build())
    out = io.BytesIO()
    c = rl_canvas.Canvas(out, pagesize=(layout.w, layout.h))
    c.setTitle(form["title"])
    c.setCreator("ReportLab peer")
    for number, page in enumerate(pages, 1):
        layout.header(c)
        layout.footer(c, number, len(pages))
        for atom, top in page:
            atom.draw(c, top)
        c.showPage()
    c.save()
    return out.getvalue()


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def percentile(samples, p):
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[min(int(rank), len(ordered)) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("form")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--max-seconds", type=float, default=0)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--out")
    parser.add_argument("--one-face", action="store_true",
                        help="draw bold text in the regular face, so only one font is "
                             "embedded, as consentkit does (it strokes the outline for bold)")
    args = parser.parse_args()
    if args.one_face:
        global BOLD
        BOLD = REGULAR
    with open(args.form, encoding="utf-8") as f:
        form = json.load(f)
    pdfmetrics.registerFont(TTFont(REGULAR, FONT_DIR + "/DejaVuSans.ttf"))
    if BOLD != REGULAR:
        pdfmetrics.registerFont(TTFont(BOLD, FONT_DIR + "/DejaVuSans-Bold.ttf"))
    for _ in range(args.warmup):
        pdf = render(form)
    ms = []
    start_all = time.perf_counter()
    for _ in range(args.docs):
        start = time.perf_counter()
        pdf = render(form)
        ms.append((time.perf_counter() - start) * 1000)
        if args.max_seconds and time.perf_counter() - start_all > args.max_seconds:
            break
    total = time.perf_counter() - start_all
    if args.out:
        with open(args.out, "wb") as f:
            f.write(pdf)
    stats = {"median": statistics.median(ms), "p99": percentile(ms, 99),
             "mean": statistics.fmean(ms), "min": min(ms)}
    print(json.dumps({"docs": len(ms), "ms": stats, "docs_per_s": len(ms) / total,
                      "bytes": len(pdf), "vmhwm_kb": peak_rss_kb()}))


if __name__ == "__main__":
    sys.exit(main())
