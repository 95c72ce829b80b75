// PDF rendering: blank, fillable consent forms and printable packets.
//
// The renderer reads only the FormDefinition model. Every call builds its own
// libharu document, so different threads may render concurrently.
#ifndef CONSENTKIT_PDF_PDF_H_
#define CONSENTKIT_PDF_PDF_H_

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"

namespace consentkit {

// Any failure to build a PDF: a libharu error (with its code), a missing or
// unreadable font or logo. The message says what was being done.
class PdfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RenderOptions {
  // Folder holding ConsentKitSans.ttf and ConsentKitSans-Bold.ttf. Empty:
  // $CONSENTKIT_FONT_DIR if set, else the folder the build made them in.
  std::string font_dir;
  // Written as the document's creation date. Unset: now, or
  // $SOURCE_DATE_EPOCH when set, so that builds can be reproducible.
  std::optional<std::time_t> creation_time;
};

// A packet: forms in visit order (intake, consent, aftercare, then general
// forms; the given order within a kind), each starting on a new page, pages are numbered across the
// whole packet ("Page X of Y"), and every page footer names its form's id,
// version and short definition hash. Field names are "<form-id>.<field-id>"
// so forms sharing field ids can share a packet.
// REQUIRES: forms is not empty and holds no null pointers.
// Returns the PDF bytes; throws PdfError.
std::string RenderPacket(const std::vector<FormPtr>& forms, const ClinicSettings& clinic,
                         const RenderOptions& options = {});

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_PDF_H_
