// Dates in the PDF as people write them (i18n/dates.h): a Spanish record
// prints DD/MM/AAAA dates, a US clinic's MM/DD/YYYY, and the hint under a
// blank date field says the same format; what is stored stays ISO 8601.
#include <doctest/doctest.h>

#include <regex>

#include "form/form.h"
#include "pdf/pdf.h"
#include "pdf/spanish_sample.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kUuid[] = "7a1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

// pdftotext's text with every run of white space as one space.
std::string TextOf(const std::string& pdf_path) {
  return std::regex_replace(test::PdfText(pdf_path), std::regex("\\s+"), " ");
}

// A record of `form` filled with test::FilledSubmission (every date answer
// 1990-04-12) for Ana García, born 1990-02-28; its text.
std::string FilledText(const FormPtr& form, const ClinicSettings& clinic, test::TempDir& dir) {
  ValidationResult checked = ValidateSubmission(form, test::FilledSubmission(*form, kUuid));
  REQUIRE(checked.ok());
  const ValidSubmission& submission = checked.value();
  CHECK(std::get<std::string>(submission.values().at("fecha")) == "1990-04-12");  // the wire's
  return TextOf(dir.Write("record.pdf", RenderSubmission(submission, Screen(submission),
                                                         {kUuid, "2026-11-23T10:15:02Z"}, clinic,
                                                         test::WithSpanishPatient())));
}

TEST_CASE("a Spanish record prints its dates day first") {
  test::TempDir dir;
  std::string text = FilledText(test::SpanishSample(), test::TestClinic(), dir);
  CHECK(text.find("Fecha de nacimiento: 28/02/1990") != std::string::npos);  // the band
  CHECK(text.find("Ana García, fecha de nacimiento 28/02/1990, n.º MRN-7") != std::string::npos);
  CHECK(text.find("12/04/1990") != std::string::npos);  // the date answer
  CHECK(text.find("1990-02-28") == std::string::npos);
  CHECK(text.find("1990-04-12") == std::string::npos);
}

TEST_CASE("a Spanish blank form's date hint is DD/MM/AAAA") {
  test::TempDir dir;
  std::string text =
      TextOf(dir.Write("blank.pdf", RenderPacket({test::SpanishSample()}, test::TestClinic(),
                                                 test::WithSpanishPatient())));
  CHECK(text.find("DD/MM/AAAA") != std::string::npos);
  CHECK(text.find("Fecha de nacimiento: 28/02/1990") != std::string::npos);
  CHECK(text.find("YYYY") == std::string::npos);
}

TEST_CASE("a US clinic's date order holds in every language") {
  ClinicSettings us = test::TestClinic();
  us.date_order = DateOrder::kMonthDayYear;
  test::TempDir dir;
  std::string blank = TextOf(dir.Write(
      "blank.pdf", RenderPacket({test::SpanishSample()}, us, test::WithSpanishPatient())));
  CHECK(blank.find("MM/DD/AAAA") != std::string::npos);
  std::string spanish = FilledText(test::SpanishSample(), us, dir);
  CHECK(spanish.find("Fecha de nacimiento: 02/28/1990") != std::string::npos);
  CHECK(spanish.find("04/12/1990") != std::string::npos);

  FormPtr intake = test::MustLoadShipped("microneedling-intake.xml");
  std::string english =
      TextOf(dir.Write("intake.pdf", RenderPacket({intake}, us, test::WithSpanishPatient())));
  CHECK(english.find("Date of birth: 02/28/1990") != std::string::npos);
}

TEST_CASE("English keeps ISO 8601 unless the clinic says otherwise") {
  FormPtr intake = test::MustLoadShipped("microneedling-intake.xml");
  test::TempDir dir;
  std::string text = TextOf(dir.Write(
      "intake.pdf", RenderPacket({intake}, test::TestClinic(), test::WithSpanishPatient())));
  CHECK(text.find("Date of birth: 1990-02-28") != std::string::npos);
}

}  // namespace
}  // namespace consentkit
