#include "service/visits.h"

#include <algorithm>
#include <set>

#include "util/util.h"

namespace consentkit {
namespace {

constexpr std::size_t kMaxNameLength = 200;
constexpr std::size_t kMaxNumberLength = 40;

// The patient's name and date of birth are checked as the text and date
// fields they will be prefilled into, so a visit that is accepted never
// leads to a prefilled value the form then refuses.
void CheckPatient(const Patient& p, std::vector<FieldError>& errors) {
  Field name{};
  name.type = FieldType::kText;
  std::string problem =
      CollapseWhitespace(p.name).empty() ? "is required" : CheckTextValue(name, p.name);
  if (problem.empty() && Utf8Length(p.name) > kMaxNameLength) {
    problem = "is longer than " + std::to_string(kMaxNameLength) + " characters";
  }
  if (!problem.empty()) errors.push_back({"patient.name", problem});
  Field dob{};
  dob.type = FieldType::kDate;
  problem = p.date_of_birth.empty() ? "is required; expected YYYY-MM-DD"
                                    : CheckTextValue(dob, p.date_of_birth);
  if (problem.empty() && p.date_of_birth > UtcNow().substr(0, 10)) {
    problem = "\"" + p.date_of_birth + "\" is in the future; expected a date of birth";
  }
  if (!problem.empty()) errors.push_back({"patient.date_of_birth", problem});
  bool number_ok = p.number.size() <= kMaxNumberLength &&
                   std::all_of(p.number.begin(), p.number.end(), [](char c) {
                     return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
                   });
  if (!number_ok) {
    errors.push_back({"patient.number", "expected at most 40 letters, digits or '-'"});
  }
}

std::vector<std::string> CheckForms(const IntakeService& service,
                                    const std::vector<std::string>& ids,
                                    std::vector<FieldError>& errors) {
  if (ids.empty()) {
    std::vector<std::string> all;
    for (const FormPtr& form : PacketOrder(service.forms())) all.push_back(form->id);
    return all;
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!service.FindForm(id)) {
      errors.push_back({"forms", "no form \"" + id.substr(0, 80) + "\" on this server"});
    } else if (!seen.insert(id).second) {
      errors.push_back({"forms", "\"" + id + "\" is listed twice"});
    }
  }
  return ids;
}

}  // namespace

const char* ToString(FormState state) {
  switch (state) {
    case FormState::kNotStarted:
      return "not-started";
    case FormState::kSubmitted:
      return "submitted";
    case FormState::kNeedsReview:
      return "needs-review";
    case FormState::kReviewed:
      return "reviewed";
  }
  return "";
}

std::size_t VisitStatus::NextForm() const {
  for (std::size_t i = 0; i < forms.size(); ++i) {
    if (forms[i].state == FormState::kNotStarted) return i;
  }
  return forms.size();
}

CreateVisitResult CreateVisit(Store& store, const IntakeService& service,
                              const NewVisitRequest& request, const Actor& actor) {
  CreateVisitResult result;
  CheckPatient(request.patient, result.errors);
  std::vector<std::string> forms = CheckForms(service, request.form_ids, result.errors);
  if (!result.errors.empty()) return result;
  Visit& visit = result.visit;
  visit.id = "vis_" + RandomHex(12);
  visit.created_at = UtcNow();
  visit.created_by = actor;
  visit.patient = request.patient;
  visit.patient.name = CollapseWhitespace(request.patient.name);
  visit.form_ids = std::move(forms);
  store.AddVisit(visit, actor);
  return result;
}

VisitStatus StatusOf(Store& store, const IntakeService& service, Visit visit) {
  VisitStatus status;
  std::vector<SubmissionRecord> submitted = store.SubmissionsOfVisit(visit.id);
  bool witness_steps = false;
  for (const std::string& form_id : visit.form_ids) {
    VisitForm entry;
    entry.form_id = form_id;
    entry.form = service.FindForm(form_id);
    auto found = std::find_if(submitted.begin(), submitted.end(),
                              [&](const SubmissionRecord& r) { return r.form_id == form_id; });
    if (found != submitted.end()) {
      entry.state = StateOf(*found);
      entry.submission = *found;
    }
    witness_steps = witness_steps || entry.HasWitnessStep();
    status.forms.push_back(std::move(entry));
  }
  if (witness_steps) {
    for (WitnessUnlock& unlock : store.WitnessUnlocksOfVisit(visit.id)) {
      for (VisitForm& entry : status.forms) {
        if (entry.form_id == unlock.form_id) entry.witness = unlock;
      }
    }
  }
  status.visit = std::move(visit);
  return status;
}

namespace {

WitnessStepResult StepRefused(WitnessStepStatus status, std::string message,
                              std::optional<WitnessUnlock> unlock = std::nullopt) {
  return {status, {"form", std::move(message)}, std::move(unlock)};
}

std::string AlreadySent(const std::string& form_id, const std::string& submission_id) {
  return "form \"" + form_id + "\" was already submitted (submission " + submission_id +
         "); its witness step can no longer change";
}

}  // namespace

WitnessStepResult SetWitnessStep(Store& store, const IntakeService& service,
                                 const WitnessStepRequest& request, const Actor& actor,
                                 const std::string& actor_name) {
  std::optional<VisitStatus> status = FindVisitStatus(store, service, request.visit_id);
  if (!status) return {WitnessStepStatus::kNoVisit, {}, std::nullopt};
  const std::string& form_id = request.form_id;
  auto entry = std::find_if(status->forms.begin(), status->forms.end(),
                            [&](const VisitForm& f) { return f.form_id == form_id; });
  if (entry == status->forms.end()) {
    return StepRefused(WitnessStepStatus::kInvalid,
                       "\"" + form_id.substr(0, 80) + "\" is not in this visit's packet");
  }
  if (!entry->HasWitnessStep()) {
    return StepRefused(WitnessStepStatus::kInvalid, "form \"" + form_id + "\" has no witness step");
  }
  if (entry->submission) {
    return StepRefused(WitnessStepStatus::kAlreadyFilled,
                       AlreadySent(form_id, entry->submission->id), entry->witness);
  }
  if (request.unlocked) {
    return {WitnessStepStatus::kDone,
            {},
            store.UnlockWitness({request.visit_id, form_id, actor, actor_name, UtcNow()}, actor)};
  }
  // The store refuses inside its transaction if the form was sent meanwhile.
  if (!store.LockWitness(request.visit_id, form_id, actor)) {
    std::optional<VisitStatus> now = FindVisitStatus(store, service, request.visit_id);
    for (const VisitForm& f : now ? now->forms : std::vector<VisitForm>{}) {
      if (f.form_id == form_id && f.submission) {
        return StepRefused(WitnessStepStatus::kAlreadyFilled,
                           AlreadySent(form_id, f.submission->id), f.witness);
      }
    }
  }
  return {WitnessStepStatus::kDone, {}, std::nullopt};
}

std::vector<PairedTablet> PairedTablets(Store& store) {
  std::vector<PairedTablet> tablets;
  for (Token& t : store.Tokens()) {
    if (t.role != Role::kTablet || !t.revoked_at.empty()) continue;
    std::optional<std::string> visit_id = store.FindHandoff(t.id);
    tablets.push_back({std::move(t), std::move(visit_id)});
  }
  return tablets;
}

std::optional<WitnessUnlock> FindWitnessUnlock(Store& store, const Visit& visit,
                                               const FormDefinition& form) {
  if (!form.HasWitnessStep()) return std::nullopt;
  for (WitnessUnlock& unlock : store.WitnessUnlocksOfVisit(visit.id)) {
    if (unlock.form_id == form.id) return std::move(unlock);
  }
  return std::nullopt;
}

WitnessUnlocked WitnessNoteOf(const WitnessUnlock& unlock) {
  return {unlock.unlocked_by_name, unlock.unlocked_by, unlock.unlocked_at};
}

std::optional<VisitStatus> FindVisitStatus(Store& store, const IntakeService& service,
                                           const std::string& visit_id) {
  std::optional<Visit> visit = store.FindVisit(visit_id);
  if (!visit) return std::nullopt;
  return StatusOf(store, service, std::move(*visit));
}

std::string PatientValue(const Patient& patient, PatientFact fact) {
  switch (fact) {
    case PatientFact::kNone:
      return "";
    case PatientFact::kName:
      return patient.name;
    case PatientFact::kDateOfBirth:
      return patient.date_of_birth;
    case PatientFact::kNumber:
      return patient.number;
  }
  return "";
}

PatientIdentity IdentityOf(const Visit& visit) {
  return {visit.patient.name, visit.patient.date_of_birth, visit.patient.number, visit.id};
}

}  // namespace consentkit
