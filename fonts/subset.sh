#!/bin/sh
# Makes the embedded font: a subset of DejaVu Sans (Debian fonts-dejavu-core)
# holding the characters our forms and patients' names need: the set
# consentkit accepts in a submission (IsInRecordFont in src/util/util.cc,
# kept in step by a test). Each PDF then embeds only the glyphs it shows
# (src/pdf/font.h).
# Usage: subset.sh SOURCE.ttf OUTPUT.ttf
set -eu
src=$1
out=$2
# Basic Latin, Latin-1, Latin Extended-A and B, IPA-free Greek letters used
# in units (mu), general punctuation (dashes, typographic quotes, bullet,
# ellipsis), currency, letterlike symbols, arrows, check marks and boxes.
unicodes="U+0020-007E,U+00A0-024F,U+02C6-02DD,U+0394,U+03A9,U+03BC,U+2010-2027,U+2030-203A,\
U+2044,U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+2264,U+2265,U+25A0-25A1,U+25CB,U+25CF,\
U+2610-2612,U+2713-2714,U+2717"
tmp="$out.tmp.$$"
/usr/bin/python3 -m fontTools.subset "$src" --unicodes="$unicodes" --output-file="$tmp" \
  --layout-features='' --no-hinting --desubroutinize --notdef-outline \
  --name-IDs='*' --name-languages='*' --drop-tables+=GSUB,GPOS,GDEF,kern,FFTM
mv "$tmp" "$out"
