// Private to src/pdf: the colours every page element is drawn in, shared by
// the layout and the seal stamp's appearance so the two always match.
#ifndef CONSENTKIT_PDF_PALETTE_H_
#define CONSENTKIT_PDF_PALETTE_H_

#include "pdf/content_stream.h"

namespace consentkit::palette {

constexpr Color kInk{0.12f, 0.14f, 0.17f};
constexpr Color kMuted{0.38f, 0.41f, 0.46f};
constexpr Color kAccent{0.05f, 0.36f, 0.45f};
constexpr Color kTint{0.94f, 0.97f, 0.97f};
constexpr Color kWhite{1, 1, 1};

}  // namespace consentkit::palette

#endif  // CONSENTKIT_PDF_PALETTE_H_
