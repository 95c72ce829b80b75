#include "support/filled.h"

#include <stdexcept>

namespace consentkit::test {
namespace {

FieldValue DefaultValue(const Field& field) {
  switch (field.type) {
    case FieldType::kTextArea:
      return std::string("No other notes.");
    case FieldType::kDate:
      return std::string("1990-04-12");
    case FieldType::kEmail:
      return std::string("zoe@example.com");
    case FieldType::kPhone:
      return std::string("+1 207 555 0142");
    case FieldType::kYesNo:
      return std::string("no");
    case FieldType::kChoice:
      return field.options.front().value;
    case FieldType::kMultiChoice:
      return std::vector<std::string>{field.options.front().value};
    case FieldType::kInitials:
      return std::string("ZM");
    case FieldType::kSignature:
      return SampleSignature();
    case FieldType::kCheckbox:
      return true;
    case FieldType::kText:
      break;
  }
  return std::string("Zoë Muñoz");
}

}  // namespace

Signature SampleSignature() {
  Signature s;
  s.pad_width = 600;
  s.pad_height = 200;
  s.strokes = {
      {{40, 150, 0}, {90, 60, 40}, {140, 150, 80}, {190, 70, 120}},
      {{220, 120, 0}, {300, 90, 30}, {380, 130, 60}, {460, 80, 90}, {540, 110, 120}},
      {{250, 160, 0}, {520, 165, 50}},
  };
  return s;
}

Submission FilledSubmission(const FormDefinition& form, const std::string& uuid,
                            const std::map<std::string, FieldValue>& overrides) {
  Submission s;
  s.uuid = uuid;
  s.form_id = form.id;
  s.form_version = form.version;
  s.form_sha256 = form.sha256_hex;
  s.language = form.lang;
  // Document order: a condition refers to an earlier answer, so relevance
  // can be judged as the values are filled in.
  for (const Field& field : form.fields) {
    auto override_value = overrides.find(field.id);
    if (!IsRelevant(form, field, s)) continue;
    s.values[field.id] =
        override_value != overrides.end() ? override_value->second : DefaultValue(field);
  }
  for (const auto& [id, value] : overrides) s.values[id] = value;  // even irrelevant ones
  return s;
}

ValidSubmission MustValidate(const FormPtr& form, Submission submission, WitnessStep witness) {
  std::string uuid = submission.uuid;
  ValidationResult checked = ValidateSubmission(form, std::move(submission), witness);
  if (checked.ok()) return std::move(checked).value();
  std::string errors;
  for (const FieldError& e : checked.errors()) errors += "\n  " + e.field_id + " " + e.message;
  throw std::runtime_error("submission " + uuid + " of form " + form->id +
                           " is not valid:" + errors);
}

}  // namespace consentkit::test
