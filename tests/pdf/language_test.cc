// The PDF's own words follow the form's language (i18n/*.messages): a form
// written in Spanish prints no English interface text, blank or filled.
#include <doctest/doctest.h>

#include <cctype>
#include <regex>

#include "form/form.h"
#include "i18n/catalog.h"
#include "pdf/pdf.h"
#include "pdf/spanish_sample.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kUuid[] = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string FilledRecord(const FormPtr& form, const test::TempDir& dir) {
  ValidationResult checked = ValidateSubmission(form, test::FilledSubmission(*form, kUuid));
  REQUIRE(checked.ok());
  const ValidSubmission& submission = checked.value();
  return dir.Write("record.pdf",
                   RenderSubmission(submission, Screen(submission), {kUuid, "2026-11-23T10:15:02Z"},
                                    test::TestClinic(), test::WithSpanishPatient()));
}

// pdftotext's text with its line breaks and runs of spaces as one space,
// so that wrapped messages are found whole.
std::string Flattened(const std::string& pdf) {
  return std::regex_replace(test::PdfText(pdf), std::regex("\\s+"), " ");
}

// Whether `text` holds `words` as whole words: "Form" is not in "Formulario".
bool ContainsWords(const std::string& text, const std::string& words) {
  auto letter = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80); };
  for (std::size_t at = text.find(words); at != std::string::npos; at = text.find(words, at + 1)) {
    bool starts = at == 0 || !letter(text[at - 1]);
    std::size_t end = at + words.size();
    if (starts && (end == text.size() || !letter(text[end]))) return true;
  }
  return false;
}

// The English messages (their fixed text around any {placeholder}) that
// `text` still holds, where Spanish says something else.
std::vector<std::string> EnglishLeft(const std::string& text) {
  const Catalog& en = Catalog::For("en");
  const Catalog& es = Catalog::For("es");
  std::vector<std::string> left;
  for (const std::string& key : en.Keys()) {
    if (en.Text(key) == es.Text(key)) continue;
    std::string fixed = std::regex_replace(en.Text(key), std::regex("\\{[a-z]+\\}"), "\x01");
    for (const std::string& part : Split(fixed, '\x01')) {
      std::string words = std::regex_replace(part, std::regex("^[\\s,.:()“”]+|[\\s,.:()“”]+$"), "");
      if (words.size() >= 4 && ContainsWords(text, words)) {
        left.push_back(key + ": \"" + words + "\"");
      }
    }
  }
  return left;
}

TEST_CASE("a Spanish blank packet prints the program's words in Spanish") {
  test::TempDir dir;
  std::vector<FormPtr> forms = {test::SpanishSample()};
  std::string pdf =
      dir.Write("packet.pdf", RenderPacket(forms, test::TestClinic(), test::WithSpanishPatient()));
  std::string text = Flattened(pdf);
  CHECK(text.find("Lea todas las secciones, por favor.") != std::string::npos);
  CHECK(text.find("Solo para uso de la clínica") != std::string::npos);
  CHECK(text.find("Página 1 de ") != std::string::npos);
  CHECK(text.find("Paciente: Ana García") != std::string::npos);
  CHECK(text.find("Entiendo este riesgo") != std::string::npos);
  std::vector<std::string> left = EnglishLeft(text);
  CHECK_MESSAGE(left.empty(), "English left in the Spanish packet: " << Join(left, "; "));
}

TEST_CASE("a Spanish filled record prints its outcome and record block in Spanish") {
  test::TempDir dir;
  std::string pdf = FilledRecord(test::SpanishSample(), dir);
  std::string text = Flattened(pdf);
  CHECK(text.find("Registro del envío") != std::string::npos);
  CHECK(text.find("ID del envío " + std::string(kUuid)) != std::string::npos);
  CHECK(text.find("Ana García, fecha de nacimiento 28/02/1990, n.º MRN-7") != std::string::npos);
  CHECK(text.find("Resultado de la evaluación:") != std::string::npos);
  CHECK(text.find("Este es el formulario tal como se envió") != std::string::npos);
  std::vector<std::string> left = EnglishLeft(text);
  CHECK_MESSAGE(left.empty(), "English left in the Spanish record: " << Join(left, "; "));
}

TEST_CASE("an English record keeps its English words, and the check would see them") {
  test::TempDir dir;
  std::string text =
      Flattened(FilledRecord(test::MustLoadShipped("microneedling-consent.xml"), dir));
  std::vector<std::string> left = EnglishLeft(text);
  CHECK(left.size() > 10);  // EnglishLeft finds English where there is some
  CHECK(text.find("Submission record") != std::string::npos);
}

}  // namespace
}  // namespace consentkit
