// Loading form definitions in tests: a load that fails fails the test.
#ifndef CONSENTKIT_TESTS_SUPPORT_FORMS_H_
#define CONSENTKIT_TESTS_SUPPORT_FORMS_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"

namespace consentkit::test {

// forms/<name> from the source tree.
FormPtr MustLoadShipped(const std::string& name);
// The three microneedling forms: consent, intake, aftercare.
std::vector<FormPtr> ShippedForms();
// A definition in memory, named "test.xml" in messages; each diagnostic is
// reported as a failed check.
FormPtr MustLoadXml(const std::string& xml);
// The clinic tests render for: a name with accents, to catch text that
// only works in ASCII.
ClinicSettings TestClinic();

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_SUPPORT_FORMS_H_
