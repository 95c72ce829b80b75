#include "submission/submission.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>
#include <set>
#include <stdexcept>

#include "form/field_rules.h"
#include "util/util.h"

namespace consentkit {
namespace {

bool Holds(const Condition& condition, const Submission& s) {
  auto found = s.values.find(condition.field_id);
  if (found == s.values.end()) return false;
  if (const auto* text = std::get_if<std::string>(&found->second)) return *text == condition.equals;
  if (const auto* ticked = std::get_if<std::vector<std::string>>(&found->second)) {
    return std::find(ticked->begin(), ticked->end(), condition.equals) != ticked->end();
  }
  return false;
}

bool IsBlank(const FieldValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return CollapseWhitespace(*text).empty();
  if (const auto* ticked = std::get_if<std::vector<std::string>>(&value)) return ticked->empty();
  if (const auto* signature = std::get_if<Signature>(&value)) return signature->strokes.empty();
  return false;  // a checkbox always has a value: ticked or not
}

bool IsValidDate(const std::string& text) {
  static const std::regex kIsoDate("(\\d{4})-(\\d{2})-(\\d{2})");
  std::smatch m;
  if (!std::regex_match(text, m, kIsoDate)) return false;
  int year = std::stoi(m[1]), month = std::stoi(m[2]), day = std::stoi(m[3]);
  if (year < kMinDateYear || year > kMaxDateYear || month < 1 || month > 12 || day < 1)
    return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool IsOption(const Field& field, const std::string& value) {
  return std::any_of(field.options.begin(), field.options.end(),
                     [&](const Option& o) { return o.value == value; });
}

std::string AllowedValues(const Field& field) {
  if (field.type == FieldType::kYesNo) return "\"yes\" or \"no\"";
  std::string out;
  for (const Option& o : field.options) out += (out.empty() ? "\"" : ", \"") + o.value + "\"";
  return "one of " + out;
}

// The most code points any text value of `field` may have before its type's
// own checks: the field's limit (MaxLengthOf) for free text. Initials have
// their own wording for their limit (see CheckTextValue); dates, yes/no
// answers and choices are bounded by their format or options. For those the
// ceiling of any text keeps what an error message repeats back short.
std::size_t TextLimit(const Field& field) {
  std::size_t own = MaxLengthOf(field);
  return own > 0 && field.type != FieldType::kInitials ? own : kMaxTextLength;
}

}  // namespace

std::string CheckTextValue(const Field& field, const std::string& text) {
  std::u32string codes;
  if (!DecodeUtf8(text, codes)) return "is not valid UTF-8 text";
  std::size_t limit = TextLimit(field);
  if (codes.size() > limit) {
    return "is " + std::to_string(codes.size()) + " characters; expected at most " +
           std::to_string(limit);
  }
  for (char32_t c : codes) {
    bool newline_ok = field.type == FieldType::kTextArea && (c == '\n' || c == '\r');
    if (c < 0x20 && c != '\t' && !newline_ok) return "contains a control character";
    if (c >= 0x20 && !IsInRecordFont(c)) {
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return std::string("contains ") + code +
             ", which the signed record cannot print; expected Latin letters, digits and "
             "punctuation";
    }
  }
  switch (field.type) {
    case FieldType::kDate:
      return IsValidDate(text) ? "" : "\"" + text + "\" is not a date; expected YYYY-MM-DD";
    case FieldType::kEmail:
      return IsEmailAddress(text) ? "" : "\"" + text + "\" is not an e-mail address";
    case FieldType::kPhone:
      return IsPhoneNumber(text) ? ""
                                 : "is not a phone number; expected at least " +
                                       std::to_string(kMinPhoneDigits) + " digits";
    case FieldType::kInitials:
      return codes.size() <= MaxLengthOf(field)
                 ? ""
                 : "is longer than " + std::to_string(MaxLengthOf(field)) +
                       " characters; expected initials";
    case FieldType::kYesNo:
    case FieldType::kChoice:
      return IsOption(field, text)
                 ? ""
                 : "\"" + text + "\" is not allowed; expected " + AllowedValues(field);
    default:
      return "";
  }
}

namespace {

std::string CheckChoices(const Field& field, const std::vector<std::string>& ticked) {
  std::set<std::string> seen;
  for (const std::string& value : ticked) {
    if (!IsOption(field, value)) {
      return "\"" + value + "\" is not allowed; expected " + AllowedValues(field);
    }
    if (!seen.insert(value).second) return "\"" + value + "\" is given twice";
  }
  return "";
}

}  // namespace

std::string CheckSignatureValue(const Signature& signature) {
  // A real pad is tens to thousands of CSS pixels; a pad of 1e-38 would
  // scale strokes past float range when the PDF draws them.
  auto sane = [](float size) { return std::isfinite(size) && size >= 10 && size <= 10000; };
  if (!sane(signature.pad_width) || !sane(signature.pad_height)) {
    char size[64];
    std::snprintf(size, sizeof size, "%g x %g", static_cast<double>(signature.pad_width),
                  static_cast<double>(signature.pad_height));
    return std::string("has a pad size of ") + size + "; expected 10 to 10000 pixels each way";
  }
  float min_x = signature.pad_width, max_x = 0, min_y = signature.pad_height, max_y = 0;
  std::size_t points = 0;
  for (const Stroke& stroke : signature.strokes) {
    for (std::size_t i = 0; i < stroke.size(); ++i) {
      const StrokePoint& p = stroke[i];
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || p.x < 0 || p.y < 0 ||
          p.x > signature.pad_width || p.y > signature.pad_height) {
        return "has a point outside the pad";
      }
      if (i > 0 && p.t_ms < stroke[i - 1].t_ms) return "has a stroke whose time runs backwards";
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y);
      max_y = std::max(max_y, p.y);
    }
    points += stroke.size();
  }
  if (points > kMaxSignaturePoints) {
    return "has more than " + std::to_string(kMaxSignaturePoints) + " points";
  }
  bool wide = max_x - min_x >= kMinSignatureShare * signature.pad_width;
  bool tall = max_y - min_y >= kMinSignatureShare * signature.pad_height;
  if (points < 2 || !(wide || tall)) return "is too small to be a signature; please sign again";
  return "";
}

namespace {

// Empty when `value` is of the kind `field` takes and within its limits.
std::string CheckValue(const Field& field, const FieldValue& value) {
  switch (field.type) {
    case FieldType::kCheckbox: {
      const bool* ticked = std::get_if<bool>(&value);
      if (!ticked) return "expected true or false";
      return field.required && !*ticked ? "must be ticked to confirm it is understood" : "";
    }
    case FieldType::kMultiChoice: {
      const auto* ticked = std::get_if<std::vector<std::string>>(&value);
      return ticked ? CheckChoices(field, *ticked) : "expected a list of option values";
    }
    case FieldType::kSignature: {
      const auto* signature = std::get_if<Signature>(&value);
      return signature ? CheckSignatureValue(*signature) : "expected a drawn signature";
    }
    default: {
      const auto* text = std::get_if<std::string>(&value);
      return text ? CheckTextValue(field, *text) : "expected text";
    }
  }
}

void CheckIdentity(const FormDefinition& form, const Submission& s,
                   std::vector<FieldError>& errors) {
  if (s.form_id != form.id) {
    errors.push_back({"form.id", "is \"" + s.form_id + "\"; expected \"" + form.id + "\""});
  }
  if (s.form_version != form.version || s.form_sha256 != form.sha256_hex) {
    errors.push_back({"form.version",
                      "version \"" + s.form_version + "\" (sha256 " + s.form_sha256.substr(0, 12) +
                          ") is not the current definition; expected version \"" + form.version +
                          "\" (sha256 " + form.ShortHash() + "): reload the form"});
  }
}

constexpr const char* kWitnessLockedGiven =
    "is the witness's, and the witness step of this form is locked; expected staff to unlock "
    "it on the staff desk for this visit, with the witness present";
constexpr const char* kWitnessLockedRequired =
    "is required from a witness, and the witness step of this form is locked; expected staff "
    "to unlock it on the staff desk for this visit, with the witness present";

std::string ConditionText(const FormDefinition& form, const Condition& condition) {
  const Field* target = form.FindField(condition.field_id);
  return "only asked when \"" + (target ? target->id : condition.field_id) + "\" is \"" +
         condition.equals + "\"";
}

}  // namespace

bool IsRelevant(const FormDefinition& form, const Field& field, const Submission& submission) {
  const Field* current = &field;
  // The loader refuses condition cycles; the bound is a second line of defence.
  for (std::size_t hops = 0; current && hops <= form.fields.size(); ++hops) {
    if (!current->condition) return true;
    if (!Holds(*current->condition, submission)) return false;
    current = form.FindField(current->condition->field_id);
  }
  return false;
}

namespace {

// The id and language, which do not depend on the definition's fields.
void CheckIdAndLanguage(const FormDefinition& form, const Submission& s,
                        std::vector<FieldError>& errors) {
  if (!IsUuid(s.uuid)) errors.push_back({"id", "is not a UUID; expected 8-4-4-4-12 hex digits"});
  if (!s.language.empty() && s.language != form.lang) {
    errors.push_back({"language", "is \"" + s.language + "\"; this form is shown in \"" +
                                      form.lang + "\" only"});
  }
}

std::vector<FieldError> Problems(const FormDefinition& form, const Submission& submission,
                                 WitnessStep witness) {
  std::vector<FieldError> errors;
  CheckIdAndLanguage(form, submission, errors);
  std::size_t before_identity = errors.size();
  CheckIdentity(form, submission, errors);
  // Other checks would judge by the wrong definition.
  if (errors.size() > before_identity) return errors;
  for (const auto& [id, value] : submission.values) {
    if (!form.FindField(id)) errors.push_back({id, "is not a field of " + form.id});
  }
  for (const Field& field : form.fields) {
    auto found = submission.values.find(field.id);
    bool given = found != submission.values.end() && !IsBlank(found->second);
    bool relevant = IsRelevant(form, field, submission);
    bool locked = field.IsWitnessStep() && witness == WitnessStep::kLocked;
    if (locked && (given || (relevant && field.required))) {
      errors.push_back({field.id, given ? kWitnessLockedGiven : kWitnessLockedRequired});
      continue;
    }
    if (!given) {
      if (relevant && field.required) errors.push_back({field.id, "is required"});
      continue;
    }
    if (!relevant) {
      errors.push_back({field.id, "is answered but " + ConditionText(form, *field.condition)});
      continue;
    }
    std::string problem = CheckValue(field, found->second);
    if (!problem.empty()) errors.push_back({field.id, problem});
  }
  return errors;
}

}  // namespace

const ValidSubmission& ValidationResult::value() const& {
  if (!valid_) {
    throw std::logic_error("not a valid submission: " + errors_.front().field_id + " " +
                           errors_.front().message);
  }
  return *valid_;
}

ValidSubmission ValidationResult::value() && {
  value();  // throws unless ok()
  return std::move(*valid_);
}

ValidationResult ValidateSubmission(FormPtr form, Submission submission, WitnessStep witness) {
  if (!form) throw std::invalid_argument("ValidateSubmission: no form definition given");
  ValidationResult result;
  result.errors_ = Problems(*form, submission, witness);
  if (result.errors_.empty()) {
    result.valid_ = ValidSubmission(std::move(form), std::move(submission), witness);
  }
  return result;
}

ScreeningResult Screen(const ValidSubmission& valid) {
  const FormDefinition& form = valid.form();
  const Submission& submission = valid.submission();
  ScreeningResult result;
  for (const Rule& rule : form.rules) {
    const Field* question = form.FindField(rule.when.field_id);
    if (!question || !IsRelevant(form, *question, submission)) continue;
    if (!Holds(rule.when, submission)) continue;
    result.outcome = std::max(result.outcome, rule.outcome);
    result.reasons.push_back(rule.reason);
  }
  return result;
}

}  // namespace consentkit
