#include "form/field_rules.h"

namespace consentkit {

const FieldRules& RulesOf(FieldType type) {
  static const FieldRules kText{"string", kMaxTextLength, false};
  static const FieldRules kInitials{"string", kMaxInitialsLength, false};
  static const FieldRules kDate{"string", 0, false};  // YYYY-MM-DD, checked as a date
  static const FieldRules kChosen{"string", 0, false};
  static const FieldRules kChoice{"string", 0, true};
  static const FieldRules kMulti{"array", 0, true};
  static const FieldRules kTick{"boolean", 0, false};
  static const FieldRules kSignature{"signature", 0, false};
  switch (type) {
    case FieldType::kText:
    case FieldType::kTextArea:
    case FieldType::kEmail:
    case FieldType::kPhone:
      return kText;
    case FieldType::kInitials:
      return kInitials;
    case FieldType::kDate:
      return kDate;
    case FieldType::kYesNo:  // its options are implied (YesNoOptions)
      return kChosen;
    case FieldType::kChoice:
      return kChoice;
    case FieldType::kMultiChoice:
      return kMulti;
    case FieldType::kCheckbox:
      return kTick;
    case FieldType::kSignature:
      return kSignature;
  }
  return kText;
}

std::size_t MaxLengthOf(const Field& field) {
  return field.max_length.value_or(RulesOf(field.type).max_length);
}

std::vector<Option> YesNoOptions() { return {{"yes", "Yes"}, {"no", "No"}}; }

const char* OutcomeLabel(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuitable:
      return "Suitable";
    case Outcome::kPractitionerReview:
      return "Practitioner review";
    case Outcome::kDefer:
      return "Deferred";
  }
  return "";
}

}  // namespace consentkit
