// The countersignature's stamp as the PDF shows it: the content of its
// widget's appearance stream, in the stamp's own coordinates (origin at the
// lower-left corner). Private to src/seal/.
//
// The sealed record's embedded font is a subset made for the patient's
// text, so it may lack the practitioner's glyphs, and CountersignPdf may not
// change it (new objects only). The stamp uses the standard Type1 fonts
// Helvetica (/F1) and Helvetica-Bold (/F2) in WinAnsiEncoding instead,
// which every viewer has; text is measured with their Adobe metrics.
#ifndef CONSENTKIT_SEAL_COUNTERSIGN_STAMP_H_
#define CONSENTKIT_SEAL_COUNTERSIGN_STAMP_H_

#include <string>

#include "seal/seal.h"

namespace consentkit {

struct CountersignStamp {
  std::string content;  // content stream operators; selects /F1 and /F2 with Tf
  float height = 0;     // grows with the note, up to kMaxNoteLines
};

constexpr int kMaxNoteLines = 6;

// The stamp for `countersignature`, `width` points wide: a tinted box with
// "Practitioner review", the decision, the note (wrapped, at most
// kMaxNoteLines lines, the last cut with "…" if it goes on), the name and
// the time on the left, and the drawn strokes scaled into a box on the
// right. REQUIRES: the text is valid UTF-8, signed_at_utc is
// "YYYY-MM-DDTHH:MM:SSZ", the drawing's points are finite; width >= 250.
CountersignStamp DrawCountersignStamp(const Countersignature& countersignature, float width);

// `utf8` in WinAnsiEncoding (Windows-1252, as PDF 32000-1:2008 annex D
// defines it). A character that WinAnsi has no code for, or a control
// character, becomes "?": the standard fonts have no other glyphs, and a
// visible "?" is better than text silently missing from a signed stamp.
std::string ToWinAnsi(const std::string& utf8);

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_COUNTERSIGN_STAMP_H_
