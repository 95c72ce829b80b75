// What the PDF language suites share: a form written in Spanish, and the
// patient its records are for.
#ifndef CONSENTKIT_TESTS_PDF_SPANISH_SAMPLE_H_
#define CONSENTKIT_TESTS_PDF_SPANISH_SAMPLE_H_

#include "form/form.h"
#include "pdf/pdf.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit::test {

// tests/support/rule-forms/es-sample.xml: whatever English its PDF holds is
// the program's own.
inline FormPtr SpanishSample() {
  return MustLoadXml(ReadFile(SourcePath("tests/support/rule-forms/es-sample.xml")));
}

// Ana García, born 1990-02-28, no. MRN-7.
inline RenderOptions WithSpanishPatient() {
  RenderOptions options;
  options.patient = PatientIdentity{"Ana García", "1990-02-28", "MRN-7", "vis_0123"};
  return options;
}

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_PDF_SPANISH_SAMPLE_H_
