#!/usr/bin/python3
"""Judges with pypdf that a filled consentkit PDF is flattened.

Usage: check_flattened.py FILE.pdf
Checks that the catalog has no /AcroForm, that pypdf finds no form fields,
and that no page has any annotation (widgets included): nothing is left for
a viewer to edit. Prints "OK" and exits 0, or one line per problem and 1.
"""
import sys

from pypdf import PdfReader

reader = PdfReader(sys.argv[1])
problems = []
if "/AcroForm" in reader.trailer["/Root"]:
    problems.append("the catalog has an /AcroForm")
if reader.get_fields():
    problems.append("pypdf finds fields: " + ", ".join(sorted(reader.get_fields())))
for number, page in enumerate(reader.pages, start=1):
    for annotation in page.get("/Annots") or []:
        subtype = annotation.get_object().get("/Subtype")
        problems.append(f"page {number} has a {subtype} annotation")
print("\n".join(problems) if problems else "OK")
sys.exit(1 if problems else 0)
