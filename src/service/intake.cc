#include "service/intake.h"

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "api/api.h"
#include "service/visits.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::vector<std::string> XmlFilesIn(const std::string& dir) {
  DIR* handle = opendir(dir.c_str());
  if (!handle) throw ServiceError("cannot read forms folder " + dir + ": " + std::strerror(errno));
  std::vector<std::string> files;
  while (const dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".xml") == 0 && name[0] != '.') {
      files.push_back(dir + "/" + name);
    }
  }
  closedir(handle);
  std::sort(files.begin(), files.end());
  return files;
}

SubmitResult Invalid(std::vector<FieldError> errors) {
  SubmitResult result;
  result.status = SubmitStatus::kInvalid;
  result.errors = std::move(errors);
  return result;
}

// Every witness field, refused as ValidateSubmission refuses a value for
// a locked step.
std::vector<FieldError> WitnessRelocked(const FormDefinition& form) {
  std::vector<FieldError> errors;
  for (const Field& field : form.fields) {
    if (!field.IsWitnessStep()) continue;
    errors.push_back({field.id,
                      "is the witness's, and staff locked the witness step of this form "
                      "again while it was being sent; expected staff to unlock it"});
  }
  return errors;
}

}  // namespace

std::vector<FormPtr> LoadFormsDirectory(const std::string& dir) {
  std::vector<FormPtr> forms;
  std::string problems;
  std::map<std::string, std::string> file_of;
  for (const std::string& path : XmlFilesIn(dir)) {
    LoadResult loaded = LoadFormFile(path);
    for (const Diagnostic& d : loaded.errors) problems += "\n  " + d.ToString();
    if (!loaded.ok()) continue;
    auto [clash, inserted] = file_of.emplace(loaded.form->id, path);
    if (!inserted) {
      problems += "\n  " + path + ": form id \"" + loaded.form->id + "\" is also used by " +
                  clash->second + "; expected one file per form id";
      continue;
    }
    forms.push_back(loaded.form);
  }
  if (!problems.empty()) throw ServiceError("the forms in " + dir + " have problems:" + problems);
  if (forms.empty()) throw ServiceError("no form definitions (*.xml) in " + dir);
  return forms;
}

IntakeService::IntakeService(std::vector<FormPtr> forms, Store& store, ClinicSettings clinic,
                             const SigningIdentity* seal, RenderOptions render, int workers)
    : forms_(std::move(forms)),
      store_(store),
      clinic_(std::move(clinic)),
      seal_(seal),
      render_(std::move(render)),
      gate_(workers > 0 ? workers : static_cast<int>(std::thread::hardware_concurrency())) {
  std::string problems;
  for (const FormPtr& form : forms_) {
    by_id_[form->id] = form;
    auto pinned = store_.PinnedDefinitionHash(form->id, form->version);
    if (pinned && *pinned != form->sha256_hex) {
      problems += "\n  " + form->source + ": form \"" + form->id + "\" version \"" + form->version +
                  "\" has changed (sha256 " + form->ShortHash() +
                  ", but submissions were stored against " + pinned->substr(0, 12) +
                  "); expected a new version number for new wording";
    }
  }
  if (!problems.empty()) throw ServiceError("refusing to start:" + problems);
}

const FormDefinition* IntakeService::FindForm(const std::string& id) const {
  auto found = by_id_.find(id);
  return found == by_id_.end() ? nullptr : found->second.get();
}

namespace {

SubmitResult Refuse(SubmitStatus status, std::string detail, std::string field = "") {
  SubmitResult result;
  result.status = status;
  if (!field.empty()) result.errors.push_back({field, detail});
  result.detail = std::move(detail);
  return result;
}

// A prefilled field takes the visit's value; one the client gave must agree.
std::vector<FieldError> Prefill(const FormDefinition& form, const Patient& patient,
                                Submission& submission) {
  std::vector<FieldError> errors;
  for (const Field& field : form.fields) {
    if (field.prefill == PatientFact::kNone) continue;
    std::string value = PatientValue(patient, field.prefill);
    if (value.empty()) continue;
    auto [given, inserted] = submission.values.emplace(field.id, value);
    const auto* text = std::get_if<std::string>(&given->second);
    if (!inserted && (!text || CollapseWhitespace(*text) != value)) {
      errors.push_back({field.id, "differs from the visit's patient (" +
                                      std::string(ToString(field.prefill)) +
                                      "); expected the value staff entered for the visit"});
    }
  }
  return errors;
}

// The visit a well-formed submission names, if it exists.
std::optional<Visit> FindVisitOf(Store& store, const ParsedSubmission& parsed) {
  const std::string& id = parsed.submission.visit_id;
  bool malformed = std::any_of(parsed.errors.begin(), parsed.errors.end(),
                               [](const FieldError& e) { return e.field_id == "visit"; });
  if (id.empty() || malformed) return std::nullopt;
  return store.FindVisit(id);
}

// The submission's PDF in the language the patient was shown: the text,
// the built-in words and /Lang are InLanguage(form, language)'s. It was
// validated and screened against the default view (so the record's reasons,
// which staff read, are in the form's own language); every view has the
// same fields, values and hash, so it is valid against the shown one too,
// and the outcome panel's reasons come out in the shown language.
std::string RenderAsShown(const ValidSubmission& submission, const ScreeningResult& screening,
                          const SubmissionStamp& stamp, const ClinicSettings& clinic,
                          const RenderOptions& options) {
  FormPtr shown = InLanguage(submission.form_ptr(), submission.language());
  if (shown == submission.form_ptr()) {
    return RenderSubmission(submission, screening, stamp, clinic, options);
  }
  ValidSubmission as_shown =
      ValidateSubmission(shown, submission.submission(), submission.witness()).value();
  return RenderSubmission(as_shown, Screen(as_shown), stamp, clinic, options);
}

}  // namespace

SubmitResult IntakeService::Submit(const Actor& actor, const std::string& form_id,
                                   const std::string& body, const SubmitScope& scope,
                                   SubmitTimings* timings) {
  // Parsing and validation run before a render slot is taken: a body of
  // 32,000 bad fields must not hold up valid submissions behind it (the
  // work is linear and bounded by the body limit). Only a submission that
  // will be rendered waits at the gate (see Commit).
  Clock::time_point start = Clock::now();
  auto known = by_id_.find(form_id);
  if (known == by_id_.end()) {
    return {SubmitStatus::kUnknownForm, {}, {}, "no form \"" + form_id + "\""};
  }
  const FormPtr& form = known->second;
  ParsedSubmission parsed;
  try {
    parsed = ParseSubmission(body);
  } catch (const JsonSyntaxError& e) {
    return {SubmitStatus::kMalformed, {}, {}, e.what()};
  }
  // The visit's patient goes into the content before it is hashed, so a
  // retry hashes the same.
  std::optional<Visit> visit = FindVisitOf(store_, parsed);
  std::vector<FieldError> prefill_errors;
  if (visit) prefill_errors = Prefill(*form, visit->patient, parsed.submission);
  // The canonical content and its hash tell a retry from a conflict, and
  // are what gets stored.
  std::string content = CanonicalSubmissionJson(parsed.submission);
  std::string content_sha256 = Sha256Hex(content);
  if (parsed.errors.empty() && IsUuid(parsed.submission.uuid)) {
    // A retry must get its first receipt even if the form changed since.
    if (auto earlier = CheckAgainstStore(parsed.submission, content_sha256)) return *earlier;
  }
  SubmitResult refused = CheckVisit(*form, scope, parsed.submission, visit);
  if (refused.status != SubmitStatus::kStored) return refused;
  if (!prefill_errors.empty()) return Invalid(std::move(prefill_errors));
  std::optional<WitnessUnlock> witness =
      visit && scope.clinic_device ? FindWitnessUnlock(store_, *visit, *form) : std::nullopt;
  ValidationResult checked = ValidateSubmission(
      form, std::move(parsed.submission), witness ? WitnessStep::kUnlocked : WitnessStep::kLocked);
  // Fields whose value failed to parse were left out of the submission, so
  // the validator also calls them missing; one message per field is clearer.
  std::vector<FieldError> errors = std::move(parsed.errors);
  MergeFieldErrors(errors, checked.errors());
  if (timings) timings->validate_ms = MsSince(start);
  if (!errors.empty()) return Invalid(std::move(errors));
  FairGate::Pass pass = gate_.Enter();
  return Commit(std::move(checked).value(), {visit, witness}, std::move(content),
                std::move(content_sha256), actor, pass, timings);
}

SubmitResult IntakeService::CheckVisit(const FormDefinition& form, const SubmitScope& scope,
                                       const Submission& submission,
                                       const std::optional<Visit>& visit) {
  SubmitResult go;
  go.status = SubmitStatus::kStored;  // "carry on"
  const std::string& id = submission.visit_id;
  if (id.empty()) {
    if (!scope.visit_required) return go;
    return Refuse(
        SubmitStatus::kForbidden,
        "this link may only fill its own visit's forms; expected \"visit\" in the submission",
        "visit");
  }
  if (scope.visit_id && *scope.visit_id != id) {
    return Refuse(SubmitStatus::kForbidden, "this device may not submit for visit " + id, "visit");
  }
  if (!visit && !IsVisitId(id)) return go;  // malformed: the parse error names it
  if (!visit) return Refuse(SubmitStatus::kInvalid, "no visit " + id, "visit");
  const auto& packet = visit->form_ids;
  if (std::find(packet.begin(), packet.end(), form.id) == packet.end()) {
    return Refuse(SubmitStatus::kInvalid,
                  "form \"" + form.id + "\" is not in visit " + id + "'s packet", "visit");
  }
  for (const SubmissionRecord& earlier : store_.SubmissionsOfVisit(id)) {
    if (earlier.form_id == form.id && earlier.id != submission.uuid) {
      return Refuse(SubmitStatus::kAlreadyFilled,
                    "form \"" + form.id + "\" was already submitted for visit " + id +
                        " (submission " + earlier.id + ")",
                    "visit");
    }
  }
  return go;
}

std::optional<SubmitResult> IntakeService::CheckAgainstStore(const Submission& submission,
                                                             const std::string& content_sha256) {
  auto existing = store_.Find(submission.uuid);
  if (!existing) return std::nullopt;
  SubmitResult result;
  result.record = *existing;
  result.status = existing->content_sha256 == content_sha256 ? SubmitStatus::kDuplicate
                                                             : SubmitStatus::kConflict;
  if (result.status == SubmitStatus::kConflict) {
    result.detail = "submission " + submission.uuid +
                    " was already received with other content; make a new id for a new submission";
  }
  return result;
}

SubmitResult IntakeService::Commit(const ValidSubmission& submission, const VisitContext& context,
                                   std::string content_json, std::string content_sha256,
                                   const Actor& actor, FairGate::Pass& pass,
                                   SubmitTimings* timings) {
  Clock::time_point start = Clock::now();
  const FormDefinition& form = submission.form();
  SubmissionRecord record;
  record.id = submission.uuid();
  record.form_id = form.id;
  record.form_version = form.version;
  record.form_sha256 = form.sha256_hex;
  record.language = submission.language();
  record.received_at = UtcNow();
  ScreeningResult screening = Screen(submission);
  record.outcome = screening.outcome;
  record.reasons = screening.reasons;
  record.needs_review =
      screening.outcome != Outcome::kSuitable || form.countersign != SignerRole::kNone;
  record.content_json = std::move(content_json);
  record.content_sha256 = std::move(content_sha256);
  RenderOptions options = render_;
  if (context.visit) {
    record.visit_id = context.visit->id;
    options.patient = IdentityOf(*context.visit);
  }
  // The submission was validated under this same unlock (see Submit).
  options.witness.reset();
  if (context.witness) options.witness = WitnessNoteOf(*context.witness);
  record.witness = context.witness;
  // The seal's /Reason names the record and its content, so that verify can
  // tell a sealed PDF filed under another record.
  if (seal_) {
    options.seal =
        SealAppearance{clinic_.name, record.received_at, record.id, record.content_sha256};
  }
  std::string pdf =
      RenderAsShown(submission, screening, {record.id, record.received_at}, clinic_, options);
  if (timings) timings->render_ms = MsSince(start);
  start = Clock::now();
  if (seal_) pdf = SealPdf(std::move(pdf), *seal_);
  if (timings) timings->seal_ms = MsSince(start);
  record.pdf_sha256 = Sha256Hex(pdf);
  pass.Leave();  // the store serialises commits itself
  start = Clock::now();
  PutResult put = store_.Put(record, pdf, form, actor);
  if (timings) timings->commit_ms = MsSince(start);
  SubmitResult result;
  result.record = put.record;
  switch (put.status) {
    case PutStatus::kStored:
      result.status = SubmitStatus::kStored;
      break;
    case PutStatus::kDuplicate:  // a concurrent retry won the race
      result.status = SubmitStatus::kDuplicate;
      break;
    case PutStatus::kConflict:
      result.status = SubmitStatus::kConflict;
      result.detail = "submission " + record.id + " was already received with other content";
      break;
    case PutStatus::kWitnessChanged:  // staff locked the step again while this was made
      result = Invalid(WitnessRelocked(form));
      break;
    case PutStatus::kVisitFilled:  // another device sent this visit's form at the same moment
      result.status = SubmitStatus::kAlreadyFilled;
      result.detail = "form \"" + form.id + "\" was already submitted for visit " +
                      record.visit_id + " (submission " + put.record.id + ")";
      result.errors = {{"visit", result.detail}};
      result.record = {};
      break;
  }
  return result;
}

}  // namespace consentkit
