// PDF rendering: blank, fillable consent forms and printable packets, the
// flattened record of one submitted form, and print copies of a visit's
// sealed records.
//
// The renderer reads only the FormDefinition and (validated) Submission
// models. Every call builds its own libharu document (and a print copy its
// own qpdf objects), so different threads may render concurrently.
#ifndef CONSENTKIT_PDF_PDF_H_
#define CONSENTKIT_PDF_PDF_H_

#include <ctime>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"
#include "submission/submission.h"

namespace consentkit {

// Any failure to build a PDF: a libharu error (with its code), a missing or
// unreadable font or logo. The message says what was being done.
class PdfError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the visible seal stamp on a submission record says, and what its
// signature's /Reason binds the seal to (seal/record_binding.h).
struct SealAppearance {
  std::string clinic_name;    // who seals: the holder of the signing certificate
  std::string signed_at_utc;  // ISO 8601 UTC, "2026-11-23T10:15:02Z"; also the signature's /M
  std::string submission_id;  // printed on the stamp, and in the /Reason
  // The record's content_sha256 (lower-case hex SHA-256 of the canonical
  // content), in the /Reason only: it ties the seal to that record's
  // content, which verify checks. Empty: the /Reason names the id alone,
  // as seals did before, and verify finds no binding in it. Throws
  // PdfError if set but not 64 lower-case hex digits. (The initializer
  // lets SealAppearance{clinic, at, id} leave it empty without a
  // missing-initializer warning.)
  std::string content_sha256 = {};
};

// Who a packet or record is for, printed in every page's header band (name,
// date of birth, and the clinic patient number when there is one) and, for a
// record, in its closing record block with the visit id.
struct PatientIdentity {
  std::string name;
  std::string date_of_birth;  // YYYY-MM-DD
  std::string number;         // may be empty
  std::string visit_id;       // may be empty
};

// Who unlocked a record's witness step, and when (see Field::IsWitnessStep).
struct WitnessUnlocked {
  std::string by_name;  // the staff token's name
  std::string by;       // its id, as the audit log names it
  std::string at;       // UTC, ISO 8601
};

struct RenderOptions {
  // Folder holding ConsentKitSans.ttf. Empty: $CONSENTKIT_FONT_DIR if set,
  // else the folder the build made it in.
  std::string font_dir;
  // Written as the document's creation date. Unset: now, or
  // $SOURCE_DATE_EPOCH when set, so that builds can be reproducible.
  std::optional<std::time_t> creation_time;
  // Set: the record is made ready for SealPdf (seal/seal.h). It gets one
  // signature field, shown as a stamp under the submission record on the
  // last page, whose value is a signature with an empty /Contents for
  // SealPdf to fill in; until then viewers call the signature invalid.
  // Unset: no AcroForm at all. RenderSubmission only: RenderPacket throws
  // PdfError, since a blank form has nothing to seal.
  std::optional<SealAppearance> seal;
  // Set: every page's header band names the patient ("Patient: <name> ·
  // Date of birth: <dob> · No. <number>"), which moves the content down a
  // line. RenderPacket also fills in each text and date field whose
  // Field::prefill asks for a fact of the patient (the AcroForm value, with
  // an appearance so that it prints); the patient can still change it.
  // RenderSubmission adds "Visit" (when visit_id is set) and "Patient" rows
  // to the record block. Characters outside the embedded font print as
  // nothing. Throws PdfError if the name is empty or the date of birth is
  // not YYYY-MM-DD. Unset: nothing about the patient is printed.
  std::optional<PatientIdentity> patient;
  // RenderSubmission only: who unlocked the form's witness step, and when,
  // printed in the record block's "Witness step" row. Whether the step was
  // unlocked is the submission's (ValidSubmission::witness(), the step it was
  // validated under); this says by whom, so it must be set exactly when that
  // step is kUnlocked, else RenderSubmission throws PdfError.
  std::optional<WitnessUnlocked> witness;
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

// What a stored submission's PDF records besides the patient's values.
struct SubmissionStamp {
  std::string submission_id;  // the client-made UUID
  std::string received_at;    // UTC, ISO 8601, e.g. "2026-11-23T10:15:02Z"
};

// The form as the patient filled it, for the clinic's records: flattened (no
// AcroForm, no widget annotations: nothing left to edit), with every value
// printed in place in blue, ticks and chosen options marked, signatures drawn
// as vector strokes scaled into their boxes, fields a condition hid marked
// "Not asked", the screening outcome and its reasons where the blank form has
// its "for clinic use" box (forms with rules only), and a closing record block
// (submission id, received time, definition id, version and full SHA-256,
// language shown). Every page footer also names the submission id. With
// options.seal, the record ends with the seal stamp and its signature
// field, the only AcroForm field. Only a ValidSubmission can be rendered, so
// no record is ever printed of something the patient could not have signed;
// the form is the one it was validated against.
// REQUIRES: `screening` is Screen(submission).
// Returns the PDF bytes; throws PdfError (also when options.witness
// disagrees with submission.witness(), see RenderOptions::witness).
std::string RenderSubmission(const ValidSubmission& submission, const ScreeningResult& screening,
                             const SubmissionStamp& stamp, const ClinicSettings& clinic,
                             const RenderOptions& options = {});

// One printable copy of a visit's sealed records: their pages in the order
// given, each page stamped "COPY — the sealed originals are the records"
// in its top margin with `label` and the copy's page number, with no
// signatures, form fields or annotations left (so nobody mistakes it for a
// sealed original); where a record showed its seal, the copy says the seal
// is on the original. `label` (what the copy is of, e.g. "Visit V-0042,
// Zoë Muñoz") is also the document's title; the margin prints it in
// Windows-1252, any other character as "?", and cut with "…" if long.
// The seals are not checked here (VerifySealedPdf in seal/seal.h does).
// Returns the PDF bytes. Throws PdfError if sealed_pdfs is empty, and
// naming the record (its index, "sealed_pdfs[1]") when one cannot be read
// as a PDF or has no pages.
std::string RenderPrintCopy(const std::vector<std::string>& sealed_pdfs, const std::string& label);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_PDF_H_
