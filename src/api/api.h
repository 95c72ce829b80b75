// The JSON wire formats of the HTTP API (/api/v1): form descriptions for
// tablet apps, the submission payload, receipts, stored records and
// problem bodies (RFC 9457 style). No HTTP here: the server and tests both
// use these, so a client and the server cannot disagree about a format.
#ifndef CONSENTKIT_API_API_H_
#define CONSENTKIT_API_API_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "form/form.h"
#include "store/store.h"
#include "submission/submission.h"

namespace consentkit {

// The request body is not JSON at all; the message says where it broke.
class JsonSyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ParsedSubmission {
  Submission submission;
  // Payload problems found before validation against the form: a missing
  // or malformed id, form, language or values, or a value of a JSON type
  // no field takes. Named by field id ("id", "form", "language", "values"
  // for the envelope), like ValidateSubmission's errors.
  std::vector<FieldError> errors;
};

// Reads a submission payload (see README, "Submitting a form"). Never
// throws for a well-formed JSON document of the wrong shape: that goes in
// `errors`. Throws JsonSyntaxError for malformed JSON.
ParsedSubmission ParseSubmission(const std::string& body);

// The submission in one fixed JSON form (keys sorted, no spaces, floats in
// shortest round-trip form): equal content gives equal text, whatever
// formatting the client used. Its SHA-256 tells a retry from a conflict.
std::string CanonicalSubmissionJson(const Submission& submission);

// POST /api/v1/visits: {"patient": {"name", "date_of_birth", "number"?},
// "forms"?: [form ids]}. Shape problems go in `errors` by field id
// ("patient", "patient.name", …, "forms"); the visit service checks the
// values. Throws JsonSyntaxError for malformed JSON.
struct ParsedVisitRequest {
  Patient patient;
  std::vector<std::string> form_ids;
  std::vector<FieldError> errors;
};
ParsedVisitRequest ParseVisitRequest(const std::string& body);

// POST /api/v1/submissions/{id}/review: {"decision": "proceed" | "defer" |
// "decline", "note"?: text, "signature": {width, height, strokes}} (the
// signature as a submission carries one). Every problem is in `errors`
// (ids "decision", "note", "signature"). Throws JsonSyntaxError.
struct ParsedReview {
  std::string decision;
  std::string note;
  Signature signature;
  std::vector<FieldError> errors;
};
ParsedReview ParseReviewRequest(const std::string& body);

// The text member `key` of a JSON object body, if it has one. Throws
// JsonSyntaxError for malformed JSON or a body that is not an object.
std::optional<std::string> ParseStringMember(const std::string& body, const std::string& key);

// What a third-party tablet app needs to build a valid submission: form
// identity, and every field a submission carries with its type, JSON type,
// required flag, allowed values and condition.
std::string DescribeFormJson(const FormDefinition& form);
std::string DescribeFormsJson(const std::vector<FormPtr>& forms);

// Who a receipt is shown to. Patients (a tablet token, a kiosk, an invite
// link) never see screening outcomes, reasons or links to records.
enum class ReceiptAudience { kPatient, kStaff };
// Patient: {id, received_at}. Staff: also outcome, reasons, pdf_sha256,
// pdf_url, visit, needs_review and review (null or {decision, note,
// practitioner, practitioner_name, reviewed_at, pdf_sha256}).
std::string ReceiptJson(const SubmissionRecord& record, ReceiptAudience audience);
// The receipt fields plus the submission as stored.
std::string SubmissionRecordJson(const SubmissionRecord& record);
std::string PdfUrl(const std::string& submission_id);

// A problem body: {type, title, status, detail, fields: [{id, message}],
// fields_total}. `fields` lists the first kMaxProblemFields of `fields`
// (fewer if their text is very long) and fields_total says how many there
// were; the detail, ids and messages are clipped, so the whole body is under
// kMaxProblemBytes whatever a client sent.
inline constexpr std::size_t kMaxProblemFields = 50;
inline constexpr std::size_t kMaxProblemBytes = 64 * 1024;
std::string ProblemJson(int status, const std::string& title, const std::string& detail,
                        const std::vector<FieldError>& fields = {});

// A visit id: "vis_" and 24 lower-case hex digits.
bool IsVisitId(const std::string& text);

}  // namespace consentkit

#endif  // CONSENTKIT_API_API_H_
