#!/usr/bin/python3
"""Writes generated form definitions with exactly N submission fields each,
for the scale rows of the benchmark: `bench-N-fields.xml` in OUT_DIR.

Every block of ten fields is one section (heading, a short paragraph, then
one field of each common type), so text and fields grow together and a
render should take time in proportion to N. Each section's first field is a
risk card instead (its checkbox and initials count as two fields), the
last section's last field a patient signature, so the form is a valid
consent form like the real ones (see forms/README.md).

    gen_forms.py OUT_DIR 10 100 1000
"""
import sys
from xml.sax.saxutils import escape

# One section's fields after its risk: (type, label, options).
CYCLE = [
    ("text", "Full name", []),
    ("date", "Date of birth", []),
    ("email", "E-mail address", []),
    ("phone", "Phone number", []),
    ("yesno", "Have you had this treatment before?", []),
    ("choice", "How does your skin react to the sun?",
     [("light", "Burns easily, tans little"), ("medium", "Sometimes burns, tans slowly"),
      ("dark", "Rarely burns, tans easily")]),
    ("textarea", "Anything else we should know?", []),
    ("multichoice", "Which areas should we treat?",
     [("face", "Face"), ("neck", "Neck"), ("hands", "Hands")]),
]
PARAGRAPH = ("Please answer each question below as well as you can. Your answers help us "
             "plan a treatment that is safe for you. Ask us if anything is not clear.")


def field_xml(field_id, kind, label, options):
    lines = ['    <field id="%s" type="%s">' % (field_id, kind),
             "      <label>%s</label>" % escape(label)]
    lines += ['      <option value="%s">%s</option>' % (v, escape(t)) for v, t in options]
    return "\n".join(lines + ["    </field>"])


def section_xml(number, fields, last):
    """A risks section (one risk: 2 fields) followed by a fields section
    with the remaining `fields - 2` fields."""
    out = ['  <section id="risks-%d" kind="risks">' % number,
           "    <heading>Risks, part %d</heading>" % number,
           "    <p>%s</p>" % PARAGRAPH,
           '    <risk id="risk-%d">' % number,
           "      <title>Redness and swelling, area %d</title>" % number,
           "      <description>Your skin may be red and a bit swollen for a day or two. This is "
           "common and fades on its own. Call us if it gets worse.</description>",
           "    </risk>", "  </section>"]
    rest = fields - 2
    if rest <= 0:
        return out
    out += ['  <section id="fields-%d" kind="fields">' % number,
            "    <heading>About you, part %d</heading>" % number, "    <p>%s</p>" % PARAGRAPH]
    for i in range(rest):
        if last and i == rest - 1:
            out.append('    <field id="patient-signature" type="signature" role="patient" '
                       'required="true">\n      <label>Patient signature</label>\n    </field>')
        else:
            kind, label, options = CYCLE[i % len(CYCLE)]
            out.append(field_xml("f%d-%d" % (number, i), kind, label, options))
    out.append("  </section>")
    return out


def form_xml(total):
    sections, left, number = [], total, 0
    while left > 0:
        number += 1
        take = min(10, left)
        if 0 < left - take < 3:  # the last section needs a risk and a signature
            take = left - 3
        left -= take
        sections += section_xml(number, take, left == 0)
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<form id="bench-%d-fields" version="1" kind="consent" lang="en">' % total,
            "  <title>Generated Consent, %d Fields</title>" % total,
            "  <summary>A generated form for the consentkit benchmark.</summary>"]
    return "\n".join(head + sections + ["</form>", ""])


def main():
    out_dir, counts = sys.argv[1], [int(n) for n in sys.argv[2:]]
    for n in counts:
        if n < 3:
            sys.exit("gen_forms.py: need at least 3 fields (a risk and a signature)")
        with open("%s/bench-%d-fields.xml" % (out_dir, n), "w", encoding="utf-8") as f:
            f.write(form_xml(n))


if __name__ == "__main__":
    main()
