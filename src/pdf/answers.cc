#include "pdf/answers.h"

#include <algorithm>

#include "util/util.h"

namespace consentkit {

const FieldValue* Answers::ValueOf(const std::string& field_id) const {
  if (!Filling()) return nullptr;
  auto found = values_.submission->values.find(field_id);
  if (found == values_.submission->values.end()) return nullptr;
  const FieldValue& value = found->second;
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (CollapseWhitespace(*text).empty()) return nullptr;
  } else if (const auto* ticked = std::get_if<std::vector<std::string>>(&value)) {
    if (ticked->empty()) return nullptr;
  } else if (const auto* signature = std::get_if<Signature>(&value)) {
    if (signature->strokes.empty()) return nullptr;
  }
  return &value;
}

const std::string* Answers::TextOf(const std::string& field_id) const {
  const FieldValue* value = ValueOf(field_id);
  return value ? std::get_if<std::string>(value) : nullptr;
}

bool Answers::Ticked(const std::string& field_id) const {
  const FieldValue* value = ValueOf(field_id);
  const bool* ticked = value ? std::get_if<bool>(value) : nullptr;
  return ticked && *ticked;
}

bool Answers::Chose(const Field& field, const std::string& option) const {
  const FieldValue* value = ValueOf(field.id);
  if (!value) return false;
  if (const auto* text = std::get_if<std::string>(value)) return *text == option;
  if (const auto* ticked = std::get_if<std::vector<std::string>>(value)) {
    return std::find(ticked->begin(), ticked->end(), option) != ticked->end();
  }
  return false;
}

bool Answers::Hidden(const Field& field) const {
  if (!Filling()) return false;
  return !IsRelevant(*form_, field, *values_.submission) ||
         (field.IsWitnessStep() && !values_.witness);
}

}  // namespace consentkit
