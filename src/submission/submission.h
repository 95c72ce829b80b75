// Submissions: the values a patient gives for one form version, checked
// against that exact FormDefinition, and the screening outcome they lead to.
//
// Pure functions over immutable inputs: safe to call from any thread.
#ifndef CONSENTKIT_SUBMISSION_SUBMISSION_H_
#define CONSENTKIT_SUBMISSION_SUBMISSION_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "form/field_rules.h"  // the limits a value must keep
#include "form/form.h"
#include "i18n/catalog.h"

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

// Appends to `into` each item of `more` whose key no item of `into` nor an
// earlier one of `more` has, in order. `key_of(item)` returns a reference to
// a string inside the item. Each item's key is taken once and looked up in a
// hash set, so the work is linear in the number of items: a body of 32,000
// bad fields once took seconds where every pair was compared.
template <typename Item, typename KeyOf>
void MergeByKey(std::vector<Item>& into, const std::vector<Item>& more, KeyOf key_of) {
  static_assert(std::is_lvalue_reference_v<decltype(key_of(std::declval<const Item&>()))>,
                "key_of must return a reference into the item: the set keeps views of it");
  if (more.empty() || &into == &more) return;  // an item never adds its own key twice
  std::unordered_set<std::string_view> named;
  named.reserve(into.size() + more.size());
  for (const Item& item : into) named.insert(key_of(item));
  std::vector<const Item*> added;
  for (const Item& item : more) {
    if (named.insert(key_of(item)).second) added.push_back(&item);
  }
  // Appended only now: growing `into` while `named` views its keys would
  // leave the views dangling.
  into.reserve(into.size() + added.size());
  for (const Item* item : added) into.push_back(*item);
}

// One message per field when two checks found fault with it: MergeByKey by
// field id.
void MergeFieldErrors(std::vector<FieldError>& into, const std::vector<FieldError>& more);

// Whether staff unlocked the form's witness step (see Field::IsWitnessStep)
// for the visit a submission fills. While it is locked, witness fields are
// not asked: a value for one is refused, and a required one is reported
// missing with why it cannot be given yet.
enum class WitnessStep { kLocked, kUnlocked };

class ValidationResult;

// A submission that ValidateSubmission accepted, with what it was checked
// against. Only ValidateSubmission makes one, so holding one is proof that
// its values are fit to screen, render and store. Immutable; a copy is as
// valid as the original.
class ValidSubmission {
 public:
  // The submission as given: its id is a UUID; its envelope (form id,
  // version and hash) is form()'s; its language is form()'s (or not given);
  // its values are those form() asks for under witness(). visit_id is
  // carried, not checked: the visit is the caller's to check.
  const Submission& submission() const { return submission_; }
  const std::string& uuid() const { return submission_.uuid; }
  const std::string& language() const { return submission_.language; }
  const std::map<std::string, FieldValue>& values() const { return submission_.values; }
  // The definition it was checked against. Shared, so a record kept after
  // the service's forms are reloaded still has the wording it was given.
  const FormDefinition& form() const { return *form_; }
  const FormPtr& form_ptr() const { return form_; }
  // The witness step it was checked under; a record of it says the same.
  WitnessStep witness() const { return witness_; }

 private:
  friend ValidationResult ValidateSubmission(FormPtr form, Submission submission,
                                             WitnessStep witness);
  ValidSubmission(FormPtr form, Submission submission, WitnessStep witness)
      : form_(std::move(form)), submission_(std::move(submission)), witness_(witness) {}

  FormPtr form_;
  Submission submission_;
  WitnessStep witness_;
};

// What ValidateSubmission found: every error, or the valid submission.
class ValidationResult {
 public:
  bool ok() const { return valid_.has_value(); }
  // Every problem found, in the order ValidateSubmission gives; empty when
  // ok(). (By value from a temporary, so `for (e : Validate...().errors())`
  // does not dangle.)
  const std::vector<FieldError>& errors() const& { return errors_; }
  std::vector<FieldError> errors() && { return std::move(errors_); }
  // The valid submission. Throws std::logic_error (naming the first error)
  // unless ok().
  const ValidSubmission& value() const&;
  ValidSubmission value() &&;

 private:
  friend ValidationResult ValidateSubmission(FormPtr form, Submission submission,
                                             WitnessStep witness);
  ValidationResult() = default;

  std::vector<FieldError> errors_;
  std::optional<ValidSubmission> valid_;  // set exactly when errors_ is empty
};

// `submission` checked against `form` under `witness`: valid, or every
// problem with it. Each FieldError names the field by id (the wire's) and
// says what is wrong in the submission's language (or form.lang when it
// names none), from that language's catalog (i18n/*.messages: field.*),
// naming other questions and answers as the form in that language words
// them; English messages follow the field's id ("is required"), Spanish
// ones are sentences of their own ("Esta respuesta es obligatoria.").
// Envelope errors (id, language, form version) stay English: the page, not
// the patient, acts on them. An id that is not a UUID; a language other than the
// form's; a wrong form id, version or hash; unknown fields; required values
// that are missing where their condition makes them relevant; values given
// where a condition makes the field irrelevant; values of the wrong kind, too
// long (MaxLengthOf) or outside the allowed options; invalid dates or e-mail
// addresses; unticked risks; signatures without real strokes; witness values
// while the step is locked (see WitnessStep).
// REQUIRES: form is not null (else throws std::invalid_argument).
ValidationResult ValidateSubmission(FormPtr form, Submission submission,
                                    WitnessStep witness = WitnessStep::kLocked);

// Empty when `text` is a valid value of text-like `field` (text, textarea,
// date, email, phone, initials, yesno, choice); else what is wrong, in
// `catalog`'s language (English: worded to follow the field's id, "is not a
// date; expected YYYY-MM-DD").
std::string CheckTextValue(const Field& field, const std::string& text, const Catalog& catalog);
// In English, for staff and command-line callers.
std::string CheckTextValue(const Field& field, const std::string& text);

// Empty when `signature` has real strokes on a sane pad; else what is wrong,
// in `catalog`'s language (or English).
std::string CheckSignatureValue(const Signature& signature, const Catalog& catalog);
std::string CheckSignatureValue(const Signature& signature);

// Whether `field` is asked, given the other answers (no condition, or its
// condition holds and the field it depends on is itself relevant).
bool IsRelevant(const FormDefinition& form, const Field& field, const Submission& submission);

struct ScreeningResult {
  Outcome outcome = Outcome::kSuitable;
  std::vector<std::string> reasons;  // of every rule that holds, in form order
};

// The most cautious outcome among the rules of submission.form() that hold;
// suitable if none.
ScreeningResult Screen(const ValidSubmission& submission);

}  // namespace consentkit

#endif  // CONSENTKIT_SUBMISSION_SUBMISSION_H_
