// A complete, valid submission for any form definition, for tests that
// need one without spelling out every field.
#ifndef CONSENTKIT_TESTS_SUPPORT_FILLED_H_
#define CONSENTKIT_TESTS_SUPPORT_FILLED_H_

#include <map>
#include <string>

#include "form/form.h"
#include "submission/submission.h"

namespace consentkit::test {

// A signature of three strokes across most of a 600x200 pad.
Signature SampleSignature();

// Answers every relevant field of `form` in document order (text as
// "Zoë Muñoz", yes/no as "no", the first option, risks ticked with "ZM",
// a drawn signature), with `overrides` taking the place of those defaults.
// The result passes ValidateSubmission unless an override makes it fail.
Submission FilledSubmission(const FormDefinition& form, const std::string& uuid,
                            const std::map<std::string, FieldValue>& overrides = {});

// ValidateSubmission(form, submission, witness).value(), for a submission
// the caller knows to be valid; throws std::runtime_error listing every
// error if it is not.
ValidSubmission MustValidate(const FormPtr& form, Submission submission,
                             WitnessStep witness = WitnessStep::kLocked);

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_SUPPORT_FILLED_H_
