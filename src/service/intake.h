// The intake service: what happens to a submitted form, independent of
// HTTP. Parse → check against the exact definition version → screen →
// render the filled, flattened PDF → commit record and PDF together →
// receipt. The HTTP handlers and the benchmarks both drive this.
#ifndef CONSENTKIT_SERVICE_INTAKE_H_
#define CONSENTKIT_SERVICE_INTAKE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "store/store.h"
#include "submission/submission.h"
#include "util/fair_gate.h"

namespace consentkit {

// The service cannot start: forms that do not load, clash, or change
// wording without a new version. The message lists every problem.
class ServiceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class SubmitStatus {
  kStored,         // new: committed; `record` is the receipt
  kDuplicate,      // a retry of a stored submission; `record` is its receipt
  kConflict,       // the id is taken by other content; nothing stored
  kUnknownForm,    // no form with that id
  kMalformed,      // not JSON; `detail` says where
  kInvalid,        // `errors` lists every failing field; nothing stored
  kForbidden,      // the caller may not submit for the visit it named; `detail` says why
  kAlreadyFilled,  // the visit already has a submission of this form; nothing stored
};

// Which visits a caller may submit for.
struct SubmitScope {
  // Set: a submission may name only this visit (a kiosk's hand-off, an
  // invite's visit); empty string: it may name none.
  std::optional<std::string> visit_id;
  // The submission must name a visit (an invite link fills nothing else).
  bool visit_required = false;
  // A clinic device (a kiosk tablet, a staff browser): may carry a witness's
  // part once staff unlock it. A patient's own phone (an invite) never
  // does: the witness signs in the clinic, where staff unlocked the step.
  bool clinic_device = true;
};

struct SubmitResult {
  SubmitStatus status = SubmitStatus::kInvalid;
  SubmissionRecord record;
  std::vector<FieldError> errors;
  std::string detail;
};

// Time spent in each stage of a stored submission, for the benchmarks.
struct SubmitTimings {
  double validate_ms = 0;
  double render_ms = 0;
  double seal_ms = 0;
  double commit_ms = 0;
};

// Every *.xml definition in `dir`, sorted by file name. Throws
// ServiceError listing every diagnostic if any fails to load, or if two
// files share a form id.
std::vector<FormPtr> LoadFormsDirectory(const std::string& dir);

class IntakeService {
 public:
  // Throws ServiceError if a form's wording changed since a submission was
  // stored under the same id and version: the archive must keep showing
  // the text each patient was given, so a new wording needs a new version.
  //
  // With `seal` (which must outlive the service), every stored PDF is sealed
  // with it; without, PDFs are stored unsealed (tests of other parts only:
  // `consentkit serve` always seals).
  //
  // At most `workers` submissions (0: one per CPU core) are rendered and
  // sealed at once, in arrival order (see util/fair_gate.h). Parsing and
  // validation come first, outside that limit: a refused submission never
  // takes a render slot.
  IntakeService(std::vector<FormPtr> forms, Store& store, ClinicSettings clinic,
                const SigningIdentity* seal, RenderOptions render = {}, int workers = 0);

  const std::vector<FormPtr>& forms() const { return forms_; }
  const FormDefinition* FindForm(const std::string& id) const;
  const ClinicSettings& clinic() const { return clinic_; }
  // The identity PDFs are sealed with; null when they are not sealed.
  const SigningIdentity* seal() const { return seal_; }

  // Thread-safe. Never throws for bad input; throws StoreError or PdfError
  // when the server itself fails (then nothing was stored).
  // `actor` (a token id) is recorded in the audit event of a stored submission.
  //
  // A submission naming a visit must be for a form of that visit's packet
  // not yet submitted for it; its prefilled fields (Field::prefill) take the
  // visit patient's values (given ones must be equal), and its record
  // prints the visit and the patient.
  SubmitResult Submit(const Actor& actor, const std::string& form_id, const std::string& body,
                      const SubmitScope& scope = {}, SubmitTimings* timings = nullptr);

  // How many submissions have taken a render slot so far: only those that
  // passed validation (a refused one never waits behind renders, nor holds
  // one up).
  std::uint64_t RenderSlotsTaken() { return gate_.Entered(); }

 private:
  // Checks the visit a new submission names (`visit`: that visit, if it
  // exists) against `scope` and the visit's packet. kStored means "go on".
  SubmitResult CheckVisit(const FormDefinition& form, const SubmitScope& scope,
                          const Submission& submission, const std::optional<Visit>& visit);
  // What a submission whose id is already stored gets: kDuplicate with the
  // first record for the same content, kConflict for other content;
  // nullopt when the id is not stored yet.
  std::optional<SubmitResult> CheckAgainstStore(const Submission& submission,
                                                const std::string& content_sha256);
  // The visit a submission fills, and its form's witness step if unlocked.
  struct VisitContext {
    std::optional<Visit> visit;
    std::optional<WitnessUnlock> witness;
  };
  // Screens, renders, seals and stores `submission`, validated under
  // context.witness.
  SubmitResult Commit(const ValidSubmission& submission, const VisitContext& context,
                      std::string content_json, std::string content_sha256, const Actor& actor,
                      FairGate::Pass& pass, SubmitTimings* timings);

  std::vector<FormPtr> forms_;
  std::map<std::string, FormPtr> by_id_;
  Store& store_;
  ClinicSettings clinic_;
  const SigningIdentity* seal_;
  RenderOptions render_;
  FairGate gate_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_SERVICE_INTAKE_H_
