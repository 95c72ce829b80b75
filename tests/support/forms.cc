#include "support/forms.h"

#include <doctest/doctest.h>

#include "support/support.h"

namespace consentkit::test {

FormPtr MustLoadShipped(const std::string& name) {
  LoadResult result = LoadFormFile(SourcePath("forms/" + name));
  REQUIRE(result.ok());
  return result.form;
}

std::vector<FormPtr> ShippedForms() {
  return {MustLoadShipped("microneedling-consent.xml"), MustLoadShipped("microneedling-intake.xml"),
          MustLoadShipped("microneedling-aftercare.xml")};
}

FormPtr MustLoadXml(const std::string& xml) {
  LoadResult result = LoadFormFromMemory(xml, "test.xml");
  for (const auto& d : result.errors) FAIL_CHECK(d.ToString());
  REQUIRE(result.ok());
  return result.form;
}

ClinicSettings TestClinic() {
  ClinicSettings clinic;
  clinic.name = "Clínica Muñoz";
  clinic.address = "1 Main Street";
  clinic.phone = "555-0100";
  return clinic;
}

}  // namespace consentkit::test
