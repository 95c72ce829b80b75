// The rules of each field type, in one place: what JSON a value has, its
// limits, its options when the type implies them, and how outcomes are
// named. The validator (src/submission), the PDF (src/pdf), the tablet and
// staff pages (src/html, and through them web/consentkit.js), and the JSON
// description (src/api) all read them here, so a limit changed here
// changes everywhere.
//
// Constant data: safe from any thread.
#ifndef CONSENTKIT_FORM_FIELD_RULES_H_
#define CONSENTKIT_FORM_FIELD_RULES_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "form/form.h"
#include "i18n/catalog.h"

namespace consentkit {

// Limits a value must keep (published in the API's form descriptions and in
// every tablet page).
inline constexpr std::size_t kMaxTextLength = 2000;        // code points, any text field
inline constexpr std::size_t kMaxInitialsLength = 4;       // code points
inline constexpr std::size_t kMaxSignaturePoints = 20000;  // over all strokes

// The syntax of a value's text, as the validator holds it and the page
// checks it before sending (html/form_page.cc embeds these in every form
// page for web/consentkit.js).
inline constexpr std::size_t kMaxEmailLength = 254;  // code points
// An e-mail address, the whole value; the same ECMAScript pattern in
// std::regex and in the page's RegExp. No \s: JavaScript's also matches
// U+00A0 and other Unicode spaces, std::regex's (over bytes) only ASCII.
inline constexpr char kEmailPattern[] = "[^@\\x00- ]+@[^@\\x00- .]+(\\.[^@\\x00- .]+)+";
inline constexpr std::size_t kMaxPhoneLength = 32;  // code points
inline constexpr char kPhoneSymbols[] = " +-().";   // allowed in a phone number besides digits
inline constexpr int kMinPhoneDigits = 7;
inline constexpr int kMinDateYear = 1900;  // a date's year, YYYY-MM-DD
inline constexpr int kMaxDateYear = 2200;
// A signature spans at least this share of its pad's width or height, with
// at least two points: a tap or a stray dot is not a signature.
inline constexpr float kMinSignatureShare = 0.1f;

struct FieldRules {
  // The JSON a submission carries for it: "string", "boolean" (a risk's
  // box), "array" (ticked option values) or "signature" ({width, height,
  // strokes}).
  const char* json_type;
  // Longest text value, in code points; 0 for types that are not text.
  std::size_t max_length;
  // The author lists <option>s (choice, multichoice).
  bool declares_options;
};

const FieldRules& RulesOf(FieldType type);

// The longest text value `field` takes, in code points: the author's
// max-length if given, else its type's limit; 0 for fields that are not text.
std::size_t MaxLengthOf(const Field& field);

// The syntax of a value; its length is MaxLengthOf's (kMaxEmailLength,
// kMaxPhoneLength), checked first so an error names the length.
// `text` matches kEmailPattern.
bool IsEmailAddress(const std::string& text);
// `text` holds only digits and kPhoneSymbols, with at least kMinPhoneDigits
// digits.
bool IsPhoneNumber(const std::string& text);

// The characters the tablet page lets a text value hold, as ascending,
// disjoint inclusive ranges: tab and line breaks, and what the record's
// font chain prints (IsInRecordFont in util/util.h, read from there: not
// a second copy), with its narrowest gaps closed so that the page carries
// at most kPageRanges ranges. A superset, never narrower: the page must
// not refuse what the server accepts; the server (IsInRecordFont) stays
// the judge of the rest. Whether a line break is allowed is the field
// type's business.
inline constexpr std::size_t kPageRanges = 40;
const std::vector<std::pair<char32_t, char32_t>>& TextCharacterRanges();

// The options a yes/no question has, labelled in the form's language. The loader puts them in
// Field::options, so no consumer treats yesno apart; they are not part of
// the definition's hash (the author never wrote them).
std::vector<Option> YesNoOptions(const Catalog& text = Catalog::For("en"));

// How an outcome is named to staff, on the desk and in the record's box:
// "Suitable", "Practitioner review", "Deferred" (outcome.* in the catalog).
const std::string& OutcomeLabel(Outcome outcome, const Catalog& text = Catalog::For("en"));

}  // namespace consentkit

#endif  // CONSENTKIT_FORM_FIELD_RULES_H_
