#!/usr/bin/python3
"""Judges a consentkit PDF's AcroForm with pypdf, an independent reader.

Reads a JSON request on stdin:
  {"pdf": path, "filled": path, "fields": [
     {"name": "form.field", "ft": "/Tx"|"/Btn"|"/Sig", "radio": bool,
      "required": bool, "multiline": bool,
      "states": ["yes", "no"], "label": "...", "fill": "value or state"}]}
and checks that
  - every expected field exists under its fully-qualified name with its /FT
    and its Required, Radio and Multiline flags;
  - radio groups have one widget per state, checkboxes an on-state /Yes, and
    every widget has an appearance stream (with on and Off states for buttons);
  - each widget sits on a page whose text shows the field's label (a field
    is never separated from its label by a page break);
  - pypdf can fill every fillable field and read the values back.
Prints "OK" and exits 0, or prints one line per problem and exits 1.
"""
import json
import subprocess
import sys

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

problems = []


def qualified_name(field):
    parts = []
    while field is not None:
        if "/T" in field:
            parts.append(str(field["/T"]))
        field = field.get("/Parent")
        field = field.get_object() if field is not None else None
    return ".".join(reversed(parts))


def widgets_by_field(reader):
    """Maps each terminal field's qualified name to [(page_index, widget)]."""
    found = {}
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            if widget.get("/Subtype") != "/Widget":
                continue
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            found.setdefault(qualified_name(field), []).append((index, widget))
    return found


def page_text(pdf, index):
    out = subprocess.run(["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def check_structure(request, reader):
    fields = reader.get_fields() or {}
    widgets = widgets_by_field(reader)
    texts = {}
    for spec in request["fields"]:
        name = spec["name"]
        if name not in fields:
            problems.append(f"{name}: missing from the AcroForm")
            continue
        ft = fields[name].get("/FT")
        if ft != spec["ft"]:
            problems.append(f"{name}: field type {ft}, expected {spec['ft']}")
        flags = int(fields[name].get("/Ff", 0))
        if bool(flags & 2) != spec.get("required", False):
            problems.append(f"{name}: Required flag is {bool(flags & 2)}, expected {spec.get('required', False)}")
        if spec.get("radio") and (flags & 0xC000) != 0xC000:
            problems.append(f"{name}: /Ff {flags} lacks Radio and NoToggleToOff")
        if spec.get("multiline") != bool(flags & 0x1000) and spec["ft"] == "/Tx":
            problems.append(f"{name}: Multiline flag is {bool(flags & 0x1000)}")
        placed = widgets.get(name, [])
        if not placed:
            problems.append(f"{name}: no widget on any page")
        for index, widget in placed:
            ap = widget.get("/AP", {}).get("/N")
            ap = ap.get_object() if ap is not None else None
            if ap is None:
                problems.append(f"{name}: widget without a normal appearance stream")
            elif spec["ft"] == "/Btn" and "/Off" not in ap:
                problems.append(f"{name}: button appearance lacks the Off state")
            if index not in texts:
                texts[index] = page_text(request["pdf"], index)
            words = " ".join(spec["label"].split()[:4])
            if words not in texts[index]:
                problems.append(f"{name}: label '{words}' is not on page {index + 1} with its box")
        if spec["ft"] != "/Btn" or not placed:
            continue
        on = sorted(s.lstrip("/") for _, w in placed for s in w["/AP"]["/N"].get_object().keys()
                    if s != "/Off")
        expected = sorted(spec["states"]) if spec.get("radio") else ["Yes"]
        if on != expected:
            problems.append(f"{name}: on-states {on}, expected {expected}")


def fill(request, reader):
    """Fills text fields through pypdf's own API and buttons by setting
    /V and /AS, as a viewer does (pypdf 3.4 writes radio values as strings)."""
    writer = PdfWriter()
    writer.append(reader)
    wanted = {s["name"]: s for s in request["fields"] if "fill" in s}
    for page in writer.pages:
        text_values = {}
        for ref in page.get("/Annots", []):
            widget = ref.get_object()
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            spec = wanted.get(qualified_name(field))
            if spec is None:
                continue
            if spec["ft"] == "/Tx":
                text_values[str(field["/T"])] = spec["fill"]
            elif spec["ft"] == "/Btn":
                state = "/" + spec["fill"]
                on = state in widget["/AP"]["/N"]
                widget[NameObject("/AS")] = NameObject(state if on else "/Off")
                if on:
                    field[NameObject("/V")] = NameObject(state)
        if text_values:
            writer.update_page_form_field_values(page, text_values, flags=0)
    with open(request["filled"], "wb") as out:
        writer.write(out)
    values = PdfReader(request["filled"]).get_fields()
    for name, spec in wanted.items():
        got = values.get(name, {}).get("/V")
        expected = spec["fill"] if spec["ft"] == "/Tx" else "/" + spec["fill"]
        if str(got) != expected:
            problems.append(f"{name}: read back {got!r} after filling {expected!r}")


def main():
    request = json.load(sys.stdin)
    reader = PdfReader(request["pdf"])
    check_structure(request, reader)
    if not problems:
        fill(request, reader)
    print("\n".join(problems) if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
