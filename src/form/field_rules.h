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
#include <vector>

#include "form/form.h"

namespace consentkit {

// Limits a value must keep (published in the API's form descriptions and in
// every tablet page).
inline constexpr std::size_t kMaxTextLength = 2000;        // code points, any text field
inline constexpr std::size_t kMaxInitialsLength = 4;       // code points
inline constexpr std::size_t kMaxSignaturePoints = 20000;  // over all strokes

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

// The options a yes/no question has. The loader puts them in
// Field::options, so no consumer treats yesno apart; they are not part of
// the definition's hash (the author never wrote them).
std::vector<Option> YesNoOptions();

// How an outcome is named to staff, on the desk and in the record's box:
// "Suitable", "Practitioner review", "Deferred".
const char* OutcomeLabel(Outcome outcome);

}  // namespace consentkit

#endif  // CONSENTKIT_FORM_FIELD_RULES_H_
