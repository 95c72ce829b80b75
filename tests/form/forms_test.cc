// The shipped definitions in forms/ load cleanly and say what they must.
#include <doctest/doctest.h>

#include <set>

#include "form/form.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

FormPtr MustLoad(const std::string& name) {
  LoadResult result = LoadFormFile(test::SourcePath("forms/" + name));
  for (const auto& d : result.errors) FAIL_CHECK(d.ToString());
  REQUIRE(result.ok());
  return result.form;
}

TEST_CASE("EveryShippedFormValidates") {
  for (const char* name :
       {"microneedling-consent.xml", "microneedling-intake.xml", "microneedling-aftercare.xml"}) {
    CAPTURE(name);
    MustLoad(name);
  }
}

TEST_CASE("ConsentCoversTheFiveRisks") {
  FormPtr form = MustLoad("microneedling-consent.xml");
  CHECK(form->kind == FormKind::kConsent);
  std::set<std::string> ids;
  for (const Risk* risk : form->Risks()) ids.insert(risk->id);
  CHECK(ids ==
        std::set<std::string>{"irritation", "infection", "scarring", "pigment", "reactions"});
  std::set<SignerRole> roles;
  for (const Field& f : form->fields) {
    if (f.type == FieldType::kSignature) roles.insert(f.role);
  }
  CHECK(roles.count(SignerRole::kPatient) == 1);
  // The practitioner countersigns at review, never on the patient's page.
  CHECK(roles.count(SignerRole::kPractitioner) == 0);
  CHECK(form->countersign == SignerRole::kPractitioner);
}

TEST_CASE("PacketFormsPrefillThePatientsNameAndDateOfBirth") {
  for (const char* file :
       {"microneedling-intake.xml", "microneedling-consent.xml", "microneedling-aftercare.xml"}) {
    FormPtr form = MustLoad(file);
    std::set<PatientFact> facts;
    for (const Field& f : form->fields) facts.insert(f.prefill);
    CAPTURE(file);
    CHECK(facts.count(PatientFact::kName) == 1);
  }
  FormPtr intake = MustLoad("microneedling-intake.xml");
  CHECK(intake->FindField("date-of-birth")->prefill == PatientFact::kDateOfBirth);
}

TEST_CASE("IntakeScreeningRulesDeferAndRefer") {
  FormPtr form = MustLoad("microneedling-intake.xml");
  int defer = 0, review = 0;
  for (const Rule& rule : form->rules) {
    defer += rule.outcome == Outcome::kDefer;
    review += rule.outcome == Outcome::kPractitionerReview;
    CHECK(form->FindField(rule.when.field_id)->screening);
  }
  CHECK(defer >= 4);
  CHECK(review >= 4);
}

TEST_CASE("ShippedFormsHaveNoSourceTypos") {
  for (const char* name :
       {"microneedling-consent.xml", "microneedling-intake.xml", "microneedling-aftercare.xml"}) {
    std::string text = ReadFile(test::SourcePath(std::string("forms/") + name));
    for (const char* typo : {"microneimpledressing", "micronequedling", "microneolding",
                             "microneessdling", "microneeding ", "firer"}) {
      CHECK_MESSAGE(text.find(typo) == std::string::npos, name << " contains " << typo);
    }
  }
}

}  // namespace
}  // namespace consentkit
