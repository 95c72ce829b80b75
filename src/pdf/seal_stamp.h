// The seal of a submission record as the PDF shows it: a stamp (a seal
// icon, who sealed, when, which submission) drawn as the appearance of the
// signature field that SealPdf (seal/seal.h) later signs. The layout only
// decides where the stamp goes.
#ifndef CONSENTKIT_PDF_SEAL_STAMP_H_
#define CONSENTKIT_PDF_SEAL_STAMP_H_

#include <optional>
#include <string>

#include "i18n/catalog.h"
#include "i18n/dates.h"
#include "pdf/acroform.h"
#include "pdf/canvas.h"
#include "pdf/pdf.h"

namespace consentkit {

// Room for the CMS signature, in bytes (twice that in hex in the file). A
// detached CMS with a three-certificate chain (RSA 4096 root and
// intermediate, RSA 3072 leaf, with CRL, OCSP and policy extensions)
// measured 5.4 KB; 16 KiB leaves room for longer chains and for an RFC 3161
// timestamp token (about 5 KB with its own chain) without re-rendering.
constexpr unsigned kSealContentsBytes = 16384;
constexpr float kSealStampHeight = 66;

// The field for `seal`: a stamp `width` points wide and kSealStampHeight
// high in `canvas`'s font, and the signature's /Name, /Reason (SealReason of
// seal/record_binding.h: the submission id and content hash) and /M.
// Throws PdfError if seal.signed_at_utc is not "YYYY-MM-DDTHH:MM:SSZ" or
// seal.content_sha256 is set but not a SHA-256 in hex.
// The stamp's words are `words.text`'s (pdf.seal.*), its date as the clinic
// shows dates (i18n/dates.h).
struct StampWords {
  const Catalog& text;
  std::optional<DateOrder> date_order;
};
SealFieldSpec SealField(Canvas& canvas, const SealAppearance& seal, float width,
                        const StampWords& words);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_SEAL_STAMP_H_
