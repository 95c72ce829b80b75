// Submissions: the values a patient gives for one form version, checked
// against that exact FormDefinition, and the screening outcome they lead to.
//
// Pure functions over immutable inputs: safe to call from any thread.
#ifndef CONSENTKIT_SUBMISSION_SUBMISSION_H_
#define CONSENTKIT_SUBMISSION_SUBMISSION_H_

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "form/field_rules.h"  // the limits a value must keep
#include "form/form.h"

namespace consentkit {

struct StrokePoint {
  float x = 0;  // in the signature pad's coordinates, origin top-left
  float y = 0;
  int t_ms = 0;  // time since the stroke began
};
using Stroke = std::vector<StrokePoint>;

struct Signature {
  float pad_width = 0;  // size of the pad the strokes were drawn on
  float pad_height = 0;
  std::vector<Stroke> strokes;
};

// A field's value: text (text, textarea, date, email, phone, initials,
// yesno "yes"/"no", choice option value), a tick (checkbox), the ticked
// option values (multichoice), or a drawn signature.
using FieldValue = std::variant<std::string, bool, std::vector<std::string>, Signature>;

struct Submission {
  std::string uuid;  // made by the client; makes retries idempotent
  std::string form_id;
  std::string form_version;
  std::string form_sha256;
  std::string language;
  std::string visit_id;  // the visit it was filled for; empty for a standalone submission
  std::map<std::string, FieldValue> values;  // by field id
};

// One rejected value, named by field id so a client can point at it.
struct FieldError {
  std::string field_id;
  std::string message;  // what is wrong and what was expected
};

// Every problem with `submission` against `form` (empty when it is valid):
// a wrong form id, version or hash; unknown fields; required values that are
// missing where their condition makes them relevant; values given where a
// condition makes the field irrelevant; values of the wrong kind or outside
// the allowed options; invalid dates or e-mail addresses; unticked risks;
// signatures without real strokes.
//
// `witness` says whether staff unlocked the form's witness step (see
// Field::IsWitnessStep) for this submission's visit. While it is locked,
// witness fields are not asked: a value for one is refused, and a required
// one is reported missing with why it cannot be given yet.
enum class WitnessStep { kLocked, kUnlocked };
std::vector<FieldError> ValidateSubmission(const FormDefinition& form, const Submission& submission,
                                           WitnessStep witness = WitnessStep::kLocked);

// Empty when `text` is a valid value of text-like `field` (text, textarea,
// date, email, phone, initials, yesno, choice); else what is wrong, worded
// to follow the field's id ("is not a date; expected YYYY-MM-DD").
std::string CheckTextValue(const Field& field, const std::string& text);

// Empty when `signature` has real strokes on a sane pad; else what is wrong.
std::string CheckSignatureValue(const Signature& signature);

// Whether `field` is asked, given the other answers (no condition, or its
// condition holds and the field it depends on is itself relevant).
bool IsRelevant(const FormDefinition& form, const Field& field, const Submission& submission);

struct ScreeningResult {
  Outcome outcome = Outcome::kSuitable;
  std::vector<std::string> reasons;  // of every rule that holds, in form order
};

// The most cautious outcome among the rules that hold; suitable if none.
// REQUIRES: ValidateSubmission(form, submission) is empty.
ScreeningResult Screen(const FormDefinition& form, const Submission& submission);

}  // namespace consentkit

#endif  // CONSENTKIT_SUBMISSION_SUBMISSION_H_
