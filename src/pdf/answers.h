// Private to src/pdf: a submission's values as the layout reads them. On a
// blank form there is no submission and every question answers "nothing"
// (no value, nothing ticked or chosen, nothing hidden), so measuring needs
// no separate path for blank forms. No libharu.
#ifndef CONSENTKIT_PDF_ANSWERS_H_
#define CONSENTKIT_PDF_ANSWERS_H_

#include <string>

#include "form/form.h"
#include "pdf/layout.h"
#include "submission/submission.h"

namespace consentkit {

class Answers {
 public:
  // A blank form's: nothing given.
  Answers() = default;
  // `form` and what `values` points to must outlive this object.
  // REQUIRES: values.submission is not null.
  Answers(const FormDefinition& form, const FilledValues& values) : form_(&form), values_(values) {}

  // Whether there is a submission at all (a filled form).
  bool Filling() const { return values_.submission != nullptr; }
  const FilledValues& values() const { return values_; }

  // Null for a blank value too (white space, no ticks, no strokes):
  // validation counts those as not given, and so does the printed form.
  const FieldValue* ValueOf(const std::string& field_id) const;
  const std::string* TextOf(const std::string& field_id) const;
  bool Ticked(const std::string& field_id) const;
  // Whether `option` is the chosen choice, or one of the ticked ones.
  bool Chose(const Field& field, const std::string& option) const;
  // Not asked: a condition hid it, or it belongs to a witness step staff
  // never unlocked.
  bool Hidden(const Field& field) const;

 private:
  const FormDefinition* form_ = nullptr;
  FilledValues values_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_ANSWERS_H_
