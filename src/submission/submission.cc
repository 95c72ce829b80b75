#include "submission/submission.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>
#include <set>
#include <stdexcept>

#include "form/field_rules.h"
#include "i18n/dates.h"
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

// Unicode's White_Space characters, and the joiners and direction marks:
// text of these alone prints as nothing, so it answers nothing.
bool PrintsAsNothing(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200F) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool IsBlankText(const std::string& text) {
  for (std::size_t at = 0; at < text.size();) {
    char32_t c = 0;
    if (!DecodeUtf8At(text, at, c)) return false;  // not UTF-8: its own error
    if (!PrintsAsNothing(c)) return false;
  }
  return true;
}

bool IsBlank(const FieldValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return IsBlankText(*text);
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

// The option values an API client may send (values, not labels: they are
// what the wire carries), worded in the catalog's language.
std::string AllowedValues(const Field& field, const Catalog& text) {
  if (field.type == FieldType::kYesNo) return text.Text("field.allowed-yes-no");
  std::string out;
  for (const Option& o : field.options) {
    out += (out.empty() ? "" : ", ") + text.Format("field.quoted", {{"value", o.value}});
  }
  return text.Format("field.allowed-one-of", {{"values", out}});
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
  return CheckTextValue(field, text, Catalog::For("en"));
}

std::string CheckTextValue(const Field& field, const std::string& text, const Catalog& catalog) {
  std::u32string codes;
  if (!DecodeUtf8(text, codes)) return catalog.Text("field.not-utf8");
  std::size_t limit = TextLimit(field);
  if (codes.size() > limit) {
    return catalog.Format("field.too-long", {{"count", std::to_string(codes.size())},
                                             {"limit", std::to_string(limit)}});
  }
  std::size_t at = 0, position = 0;  // the character's bytes in `text`, its number
  for (char32_t c : codes) {
    std::size_t from = at;
    char32_t decoded = 0;
    DecodeUtf8At(text, at, decoded);
    ++position;
    bool newline_ok = field.type == FieldType::kTextArea && (c == '\n' || c == '\r');
    if (c < 0x20 && c != '\t' && !newline_ok) return catalog.Text("field.control-character");
    if (c >= 0x20 && !IsInRecordFont(c)) {
      // The character itself, so the patient sees which one it is, and its
      // code and place, for when it looks like nothing (the font chain
      // has no glyph for it, so neither may the patient's screen).
      char code[16];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
      return catalog.Format("field.unprintable", {{"character", text.substr(from, at - from)},
                                                  {"code", code},
                                                  {"position", std::to_string(position)}});
    }
  }
  switch (field.type) {
    case FieldType::kDate:
      // The wire's format, YYYY-MM-DD, in the language's letters: what is
      // wrong is what was sent, not how a page shows it.
      return IsValidDate(text)
                 ? ""
                 : catalog.Format(
                       "field.not-a-date",
                       {{"value", text}, {"format", DateHint(catalog, DateOrder::kYearMonthDay)}});
    case FieldType::kEmail:
      return IsEmailAddress(text) ? "" : catalog.Format("field.not-an-email", {{"value", text}});
    case FieldType::kPhone:
      return IsPhoneNumber(text) ? ""
                                 : catalog.Format("field.not-a-phone",
                                                  {{"digits", std::to_string(kMinPhoneDigits)}});
    case FieldType::kInitials:
      return codes.size() <= MaxLengthOf(field)
                 ? ""
                 : catalog.Format("field.not-initials",
                                  {{"limit", std::to_string(MaxLengthOf(field))}});
    case FieldType::kYesNo:
    case FieldType::kChoice:
      return IsOption(field, text)
                 ? ""
                 : catalog.Format("field.not-an-option",
                                  {{"value", text}, {"allowed", AllowedValues(field, catalog)}});
    default:
      return "";
  }
}

namespace {

std::string CheckChoices(const Field& field, const std::vector<std::string>& ticked,
                         const Catalog& text) {
  std::set<std::string> seen;
  for (const std::string& value : ticked) {
    if (!IsOption(field, value)) {
      return text.Format("field.not-an-option",
                         {{"value", value}, {"allowed", AllowedValues(field, text)}});
    }
    if (!seen.insert(value).second) return text.Format("field.given-twice", {{"value", value}});
  }
  return "";
}

}  // namespace

std::string CheckSignatureValue(const Signature& signature) {
  return CheckSignatureValue(signature, Catalog::For("en"));
}

std::string CheckSignatureValue(const Signature& signature, const Catalog& text) {
  // A real pad is tens to thousands of CSS pixels; a pad of 1e-38 would
  // scale strokes past float range when the PDF draws them.
  auto sane = [](float size) { return std::isfinite(size) && size >= 10 && size <= 10000; };
  if (!sane(signature.pad_width) || !sane(signature.pad_height)) {
    char size[64];
    std::snprintf(size, sizeof size, "%g x %g", static_cast<double>(signature.pad_width),
                  static_cast<double>(signature.pad_height));
    return text.Format("field.pad-size", {{"size", size}});
  }
  float min_x = signature.pad_width, max_x = 0, min_y = signature.pad_height, max_y = 0;
  std::size_t points = 0;
  for (const Stroke& stroke : signature.strokes) {
    for (std::size_t i = 0; i < stroke.size(); ++i) {
      const StrokePoint& p = stroke[i];
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || p.x < 0 || p.y < 0 ||
          p.x > signature.pad_width || p.y > signature.pad_height) {
        return text.Text("field.point-outside");
      }
      if (i > 0 && p.t_ms < stroke[i - 1].t_ms) return text.Text("field.time-backwards");
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y);
      max_y = std::max(max_y, p.y);
    }
    points += stroke.size();
  }
  if (points > kMaxSignaturePoints) {
    return text.Format("field.too-many-points", {{"count", std::to_string(kMaxSignaturePoints)}});
  }
  bool wide = max_x - min_x >= kMinSignatureShare * signature.pad_width;
  bool tall = max_y - min_y >= kMinSignatureShare * signature.pad_height;
  if (points < 2 || !(wide || tall)) return text.Text("field.signature-too-small");
  return "";
}

namespace {

// Empty when `value` is of the kind `field` takes and within its limits.
std::string CheckValue(const Field& field, const FieldValue& value, const Catalog& catalog) {
  switch (field.type) {
    case FieldType::kCheckbox: {
      const bool* ticked = std::get_if<bool>(&value);
      if (!ticked) return catalog.Text("field.expected-boolean");
      return field.required && !*ticked ? catalog.Text("field.must-tick") : "";
    }
    case FieldType::kMultiChoice: {
      const auto* ticked = std::get_if<std::vector<std::string>>(&value);
      return ticked ? CheckChoices(field, *ticked, catalog) : catalog.Text("field.expected-list");
    }
    case FieldType::kSignature: {
      const auto* signature = std::get_if<Signature>(&value);
      return signature ? CheckSignatureValue(*signature, catalog)
                       : catalog.Text("field.expected-signature");
    }
    default: {
      const auto* text = std::get_if<std::string>(&value);
      return text ? CheckTextValue(field, *text, catalog) : catalog.Text("field.expected-text");
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

// Why an answer given where its condition does not hold is refused, naming
// the question it depends on and that answer as `shown` (the form in the
// submission's language) words them, since the patient reads it.
std::string NotAskedText(const FormDefinition& shown, const Condition& condition,
                         const Catalog& text) {
  const Field* target = shown.FindField(condition.field_id);
  std::string answer = condition.equals;
  for (const Option& o : target ? target->options : std::vector<Option>{}) {
    if (o.value == condition.equals) answer = o.label;
  }
  return text.Format("field.not-asked", {{"question", target ? target->label : condition.field_id},
                                         {"answer", answer}});
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
  // Any language the definition offers (the page sends the one it showed).
  const std::vector<std::string>& offered = form.languages;
  if (!s.language.empty() && s.language != form.lang &&
      std::find(offered.begin(), offered.end(), s.language) == offered.end()) {
    std::string listed;
    for (const std::string& language : offered) {
      listed += (listed.empty() ? "\"" : ", \"") + language + "\"";
    }
    if (offered.size() < 2) listed = "\"" + form.lang + "\" only";
    errors.push_back({"language", "is \"" + s.language + "\"; this form is shown in " + listed});
  }
}

// `shown` is `form` in the submission's language and `text` that language's
// catalog: every message a patient may read is worded there.
std::vector<FieldError> Problems(const FormDefinition& form, const Submission& submission,
                                 WitnessStep witness, const FormDefinition& shown,
                                 const Catalog& text) {
  std::vector<FieldError> errors;
  CheckIdAndLanguage(form, submission, errors);
  std::size_t before_identity = errors.size();
  CheckIdentity(form, submission, errors);
  // Other checks would judge by the wrong definition.
  if (errors.size() > before_identity) return errors;
  for (const auto& [id, value] : submission.values) {
    if (!form.FindField(id)) {
      errors.push_back({id, text.Format("field.unknown", {{"form", form.id}})});
    }
  }
  for (const Field& field : form.fields) {
    auto found = submission.values.find(field.id);
    bool given = found != submission.values.end() && !IsBlank(found->second);
    bool relevant = IsRelevant(form, field, submission);
    bool locked = field.IsWitnessStep() && witness == WitnessStep::kLocked;
    if (locked && (given || (relevant && field.required))) {
      errors.push_back({field.id, text.Text(given ? "field.witness-locked-given"
                                                  : "field.witness-locked-required")});
      continue;
    }
    if (!given) {
      if (relevant && field.required) errors.push_back({field.id, text.Text("field.required")});
      continue;
    }
    if (!relevant) {
      errors.push_back({field.id, NotAskedText(shown, *field.condition, text)});
      continue;
    }
    std::string problem = CheckValue(field, found->second, text);
    if (!problem.empty()) errors.push_back({field.id, problem});
  }
  return errors;
}

}  // namespace

void MergeFieldErrors(std::vector<FieldError>& into, const std::vector<FieldError>& more) {
  MergeByKey(into, more, [](const FieldError& e) -> const std::string& { return e.field_id; });
}

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
  // The submission's language, or the form's when it names none (an
  // unknown one is refused above and worded in English, Catalog::For's).
  const std::string& language = submission.language.empty() ? form->lang : submission.language;
  FormPtr shown = InLanguage(form, language);
  result.errors_ = Problems(*form, submission, witness, *shown, Catalog::For(language));
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
