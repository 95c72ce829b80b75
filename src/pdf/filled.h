// The geometry of a submission's values in the filled-in form: text wrapped
// to a field's box, and drawn signatures fitted into theirs. The layout
// decides where the boxes go; these functions only fill them.
#ifndef CONSENTKIT_PDF_FILLED_H_
#define CONSENTKIT_PDF_FILLED_H_

#include <string>
#include <vector>

#include "pdf/canvas.h"
#include "submission/submission.h"

namespace consentkit {

// A text value cut into lines, and the type size that made them fit.
struct ValueText {
  std::vector<std::string> lines;
  float size = 10;
  float leading = 13;
  float Height() const { return leading * static_cast<float>(lines.size()); }
};

// Wraps `text` to `width` in the regular face, keeping the patient's line
// breaks. A value is never cut short: when that would be taller than
// `max_height`, the line breaks become " ¶ " and, if need be, the type
// shrinks, so that even a 2000-character value fits on one page.
ValueText LayOutValue(const Canvas& canvas, const std::string& text, float width, float max_height);

// `signature`'s strokes in page coordinates: scaled uniformly (the aspect
// ratio kept) so that their bounding box fits `area`, left-aligned and
// centred vertically, the way a signature sits on a line. The pad's y axis
// points down; the page's points up.
std::vector<Polyline> FitSignature(const Signature& signature, const PdfRect& area);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_FILLED_H_
