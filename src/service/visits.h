// Visits: a patient's identity and their packet of forms, and where each
// form of the packet stands. Built on the Store; no HTTP.
//
// Thread-safety: free functions over a thread-safe Store and immutable
// forms; safe from any thread.
#ifndef CONSENTKIT_SERVICE_VISITS_H_
#define CONSENTKIT_SERVICE_VISITS_H_

#include <optional>
#include <string>
#include <vector>

#include "pdf/pdf.h"
#include "service/intake.h"
#include "store/store.h"
#include "submission/submission.h"

namespace consentkit {

// Where one form of a visit's packet stands. Derived from the visit's
// submissions and their reviews, never stored.
enum class FormState {
  kNotStarted,   // no submission yet
  kSubmitted,    // submitted; nothing for a practitioner to do
  kNeedsReview,  // waiting in the review queue (outcome or countersignature)
  kReviewed,     // a practitioner recorded a decision and countersigned
};
// "not-started", "submitted", "needs-review", "reviewed".
const char* ToString(FormState state);
// Inline, so that pages (src/html) share this one rule without linking the service.
inline FormState StateOf(const SubmissionRecord& record) {
  if (record.review) return FormState::kReviewed;
  return record.needs_review ? FormState::kNeedsReview : FormState::kSubmitted;
}

struct VisitForm {
  const FormDefinition* form = nullptr;  // null if the server no longer has it
  std::string form_id;
  FormState state = FormState::kNotStarted;
  std::optional<SubmissionRecord> submission;  // set unless not started
  // Set when staff unlocked this form's witness step (forms with one only).
  std::optional<WitnessUnlock> witness;
  bool HasWitnessStep() const { return form && form->HasWitnessStep(); }
};

// A visit with its packet's forms in order, for pages and the JSON API.
struct VisitStatus {
  Visit visit;
  std::vector<VisitForm> forms;
  // The first form not started yet; forms.size() when all are done.
  std::size_t NextForm() const;
  bool Done() const { return NextForm() == forms.size(); }
};

// What staff send to create a visit. `form_ids` empty: every form the
// server has, in packet order (intake, consent, aftercare, general).
struct NewVisitRequest {
  Patient patient;
  std::vector<std::string> form_ids;
};

// The functions below read and write `store`, the store `service` commits
// submissions to, and take the forms from `service`. They throw StoreError
// when the store fails.

// Checks `request` (a name, a real past date of birth, a short number of
// letters, digits and '-', known and distinct forms) and stores the visit.
// Returns the errors by field id ("patient.name", "patient.date_of_birth",
// "patient.number", "forms") and stores nothing if there are any.
struct CreateVisitResult {
  std::vector<FieldError> errors;
  Visit visit;  // as stored, when errors is empty
};
CreateVisitResult CreateVisit(Store& store, const IntakeService& service,
                              const NewVisitRequest& request, const Actor& actor);

// The visit's status, or nullopt if there is no such visit.
std::optional<VisitStatus> FindVisitStatus(Store& store, const IntakeService& service,
                                           const std::string& visit_id);
VisitStatus StatusOf(Store& store, const IntakeService& service, Visit visit);

// Staff unlock (or lock again) the witness step of one form of a visit,
// with the witness present: the patient's screen then shows the witness
// fields, and intake accepts them.
struct WitnessStepRequest {
  std::string visit_id;
  std::string form_id;
  bool unlocked = true;
};
enum class WitnessStepStatus {
  kDone,           // `unlock` is the step's unlock (unset once locked again)
  kNoVisit,        // no such visit
  kInvalid,        // `error` says why: the form is not in the packet, or has no witness step
  kAlreadyFilled,  // the form was submitted: its step can no longer change
};
struct WitnessStepResult {
  WitnessStepStatus status = WitnessStepStatus::kDone;
  FieldError error;  // kInvalid and kAlreadyFilled
  std::optional<WitnessUnlock> unlock;
};
// `actor` and `actor_name` (the token's name) are who asks, as the record
// will print them.
WitnessStepResult SetWitnessStep(Store& store, const IntakeService& service,
                                 const WitnessStepRequest& request, const Actor& actor,
                                 const std::string& actor_name);

// A paired tablet (a tablet token not revoked), and the visit staff handed
// to it, if any.
struct PairedTablet {
  Token token;
  std::optional<std::string> visit_id;
};
// Every paired tablet, in token order.
std::vector<PairedTablet> PairedTablets(Store& store);

// The unlock of `form`'s witness step in `visit`, if staff unlocked it;
// nullopt too for forms without a witness step (no store read for those).
std::optional<WitnessUnlock> FindWitnessUnlock(Store& store, const Visit& visit,
                                               const FormDefinition& form);

// What a record prints about an unlock.
WitnessUnlocked WitnessNoteOf(const WitnessUnlock& unlock);

// The patient fact a prefilled field takes; empty for PatientFact::kNone.
std::string PatientValue(const Patient& patient, PatientFact fact);

// A visit's patient as the PDF renderer prints it.
PatientIdentity IdentityOf(const Visit& visit);

}  // namespace consentkit

#endif  // CONSENTKIT_SERVICE_VISITS_H_
