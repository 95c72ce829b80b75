// Renders real PDFs and asks outside tools to judge them: qpdf, pypdf,
// pdftotext, pdfinfo and pdftoppm.
#include <doctest/doctest.h>

#include <regex>

#include "form/form.h"
#include "pdf/pdf.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::MustLoadShipped;
using test::MustLoadXml;
using test::PdfPageCount;
using test::PdfText;
using test::Run;
using test::ShellQuote;
using test::ShippedForms;
using test::TestClinic;

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// What pypdf must find for `form`: one entry per AcroForm terminal field.
std::string ExpectedFieldsJson(const FormDefinition& form) {
  std::map<std::string, std::string> risk_titles;
  for (const Risk* risk : form.Risks()) {
    risk_titles[risk->UnderstoodFieldId()] = risk->title;
    risk_titles[risk->InitialsFieldId()] = risk->title;
  }
  std::string json;
  std::string flags;
  auto add = [&json, &flags](const std::string& name, const char* ft, const std::string& label,
                             const std::string& extra) {
    json += std::string(json.empty() ? "" : ",") + "{\"name\":" + JsonString(name) + ",\"ft\":\"" +
            ft + "\",\"label\":" + JsonString(label) + extra + flags + "}";
  };
  for (const Field& f : form.fields) {
    std::string name = form.id + "." + f.id;
    std::string label = risk_titles.count(f.id) ? risk_titles[f.id] : f.label;
    flags = std::string(",\"required\":") + (f.required ? "true" : "false") +
            ",\"multiline\":" + (f.type == FieldType::kTextArea ? "true" : "false");
    switch (f.type) {
      case FieldType::kSignature:
        add(name, "/Sig", label, "");
        break;
      case FieldType::kCheckbox:
        add(name, "/Btn", label, ",\"fill\":\"Yes\"");
        break;
      case FieldType::kYesNo:
        add(name, "/Btn", label, ",\"radio\":true,\"states\":[\"yes\",\"no\"],\"fill\":\"no\"");
        break;
      case FieldType::kChoice: {
        std::string states;
        for (const Option& o : f.options)
          states += (states.empty() ? "" : ",") + JsonString(o.value);
        add(name, "/Btn", label,
            ",\"radio\":true,\"states\":[" + states +
                "],\"fill\":" + JsonString(f.options.back().value));
        break;
      }
      case FieldType::kMultiChoice:
        // "Tick at least one" is not a per-box flag: each box is optional.
        flags = ",\"required\":false,\"multiline\":false";
        for (const Option& o : f.options)
          add(name + "." + o.value, "/Btn", o.label, ",\"fill\":\"Yes\"");
        break;
      case FieldType::kDate:
        add(name, "/Tx", label, ",\"fill\":\"2026-11-23\"");
        break;
      default:
        add(name, "/Tx", label, ",\"fill\":\"Zoë Muñoz\"");
        break;
    }
  }
  return json;
}

std::string CheckAcroForm(const std::string& pdf, const std::vector<FormPtr>& forms,
                          const test::TempDir& dir) {
  std::string fields;
  for (const FormPtr& f : forms) fields += (fields.empty() ? "" : ",") + ExpectedFieldsJson(*f);
  std::string request = "{\"pdf\":" + JsonString(pdf) +
                        ",\"filled\":" + JsonString(dir.File("filled.pdf")) + ",\"fields\":[" +
                        fields + "]}";
  auto result =
      Run(std::string(CK_PYTHON) + " " + test::SourcePath("tests/pdf/check_acroform.py"), request);
  return result.out + result.err;
}

std::string RenderToFile(const std::vector<FormPtr>& forms, const test::TempDir& dir,
                         const ClinicSettings& clinic = TestClinic()) {
  return dir.Write("out.pdf", RenderPacket(forms, clinic));
}

TEST_CASE("ShippedPacketPassesQpdfCheck") {
  test::TempDir dir;
  std::string pdf = RenderToFile(ShippedForms(), dir);
  auto result = Run("qpdf --check " + ShellQuote(pdf));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("PypdfFindsAndFillsEveryFieldOfEveryShippedForm") {
  test::TempDir dir;
  std::vector<FormPtr> forms = ShippedForms();
  std::string pdf = RenderToFile(forms, dir);
  CHECK(CheckAcroForm(pdf, forms, dir) == "OK\n");
  auto filled = Run("qpdf --check " + ShellQuote(dir.File("filled.pdf")));
  CHECK(filled.exit_code == 0);
}

TEST_CASE("QpdfSeesTheAcroFormFields") {
  test::TempDir dir;
  std::vector<FormPtr> forms = {MustLoadShipped("microneedling-consent.xml")};
  std::string pdf = RenderToFile(forms, dir);
  auto result = Run("qpdf --json --json-key=acroform " + ShellQuote(pdf));
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("\"fullname\": \"microneedling-consent.irritation-understood\"") !=
        std::string::npos);
  CHECK(result.out.find("\"fieldtype\": \"/Sig\"") != std::string::npos);
  CHECK(result.out.find("\"hasacroform\": true") != std::string::npos);
  auto catalog = Run("qpdf --show-object=1 " + ShellQuote(pdf));  // libharu: catalog is 1 0 R
  CHECK(catalog.out.find("/Type /Catalog") != std::string::npos);
  CHECK(catalog.out.find("/Lang (en)") != std::string::npos);
}

// A reader filling the blank form in cannot type more than the server
// would take: each text widget's /MaxLen is the field's limit (an author's
// max-length, else its type's), read back by pypdf.
TEST_CASE("TextWidgetsAllowWhatTheFieldRulesAllow") {
  test::TempDir dir;
  FormPtr limits = MustLoadXml(ReadFile(test::SourcePath("tests/support/rule-forms/limits.xml")));
  std::string pdf = RenderToFile({limits}, dir);
  auto result = Run(std::string(CK_PYTHON) + " -c " + ShellQuote(R"(
import sys
from pypdf import PdfReader
for page in PdfReader(sys.argv[1]).pages:
    for a in page.get('/Annots', []):
        w = a.get_object()
        f = w if '/T' in w else w['/Parent'].get_object()
        if (w.get('/FT') or f.get('/FT')) == '/Tx':
            print(f['/T'], w.get('/MaxLen', f.get('/MaxLen')))
)") + " " + ShellQuote(pdf));
  REQUIRE(result.exit_code == 0);
  CHECK(result.out == "nickname 5\ninitials 3\nemail 254\nphone 32\nvisit-date 10\n");
}

TEST_CASE("PdftotextShowsEveryRiskTitleAndTheClinic") {
  test::TempDir dir;
  FormPtr consent = MustLoadShipped("microneedling-consent.xml");
  std::string text = PdfText(RenderToFile({consent}, dir));
  for (const Risk* risk : consent->Risks()) {
    CHECK_MESSAGE(text.find(risk->title) != std::string::npos, "missing risk " << risk->title);
  }
  CHECK(text.find("Clínica Muñoz") != std::string::npos);
  CHECK(text.find("I understand this risk") != std::string::npos);
}

TEST_CASE("UnicodeTextIsPrintedAndSearchable") {
  test::TempDir dir;
  FormPtr form = MustLoadXml(R"(<form id="u" version="1" kind="general" lang="es">
    <title>Consentimiento de Zoë Muñoz</title>
    <section id="s" kind="fields"><heading>Señal “aquí”</heading>
      <p>“Typographic quotes” and ‘single ones’ — with an em dash… and café, Ångström, Łódź.</p>
      <field id="name" type="text"><label>Nombre de la paciente</label></field>
    </section></form>)");
  std::string text = PdfText(RenderToFile({form}, dir));
  for (const char* s : {"Consentimiento de Zoë Muñoz", "Señal “aquí”", "“Typographic quotes”",
                        "‘single ones’ — with an em dash…", "Ångström, Łódź", "Clínica Muñoz"}) {
    CHECK_MESSAGE(text.find(s) != std::string::npos, "missing " << s);
  }
}

std::string LongFormXml(int fields) {
  std::string xml = R"(<form id="long" version="1" kind="intake" lang="en"><title>Long form</title>
    <section id="s" kind="screening"><heading>Many questions</heading>)";
  for (int i = 0; i < fields; ++i) {
    std::string n = std::to_string(i);
    xml += "<p>Paragraph " + n +
           " explains the next question in enough words to wrap onto a "
           "second line of text, so that pages fill with a realistic mix of text and fields.</p>";
    if (i % 3 == 0) {
      xml += "<question id=\"q" + n + "\" type=\"yesno\" required=\"true\"><label>Question " + n +
             " asks something?</label></question>";
    } else {
      xml += "<field id=\"f" + n + "\" type=\"" + (i % 3 == 1 ? "textarea" : "text") +
             "\"><label>Field " + n + " label</label></field>";
    }
  }
  return xml + "</section></form>";
}

TEST_CASE("LongFormSpansPagesWithPageXOfY") {
  test::TempDir dir;
  FormPtr form = MustLoadXml(LongFormXml(60));
  std::string pdf = RenderToFile({form}, dir);
  int pages = PdfPageCount(pdf);
  CHECK(pages >= 5);
  std::string text = PdfText(pdf);
  for (int i = 1; i <= pages; ++i) {
    std::string footer = "Page " + std::to_string(i) + " of " + std::to_string(pages);
    CHECK_MESSAGE(test::CountOf(text, footer) == 1, footer);
  }
  CHECK(test::CountOf(text, "long · version 1 · definition " + form->ShortHash()) == pages);
  // Every field's label shares a page with its box.
  CHECK(CheckAcroForm(pdf, {form}, dir) == "OK\n");
}

TEST_CASE("PacketNumbersPagesAcrossFormsInVisitOrder") {
  test::TempDir dir;
  std::vector<FormPtr> forms = ShippedForms();
  std::string pdf = RenderToFile(forms, dir);
  int total = PdfPageCount(pdf);
  int sum = 0;
  for (const FormPtr& f : forms) {
    test::TempDir single;
    sum += PdfPageCount(RenderToFile({f}, single));
  }
  CHECK(total == sum);
  std::string text = PdfText(pdf);
  CHECK(text.find("Page " + std::to_string(total) + " of " + std::to_string(total)) !=
        std::string::npos);
  auto intake = text.find("microneedling-intake · version");
  auto consent = text.find("microneedling-consent · version");
  auto aftercare = text.find("microneedling-aftercare · version");
  CHECK(intake < consent);
  CHECK(consent < aftercare);
}

TEST_CASE("PopplerRendersEveryPage") {
  test::TempDir dir;
  std::string pdf = RenderToFile(ShippedForms(), dir);
  auto result = Run("pdftoppm -r 20 -png " + ShellQuote(pdf) + " " + ShellQuote(dir.File("page")) +
                    " && ls " + ShellQuote(dir.path()) + " | grep -c '^page-.*png$'");
  CHECK(result.exit_code == 0);
  CHECK(result.err.empty());
  CHECK(std::stoi(result.out) == PdfPageCount(pdf));
}

TEST_CASE("RenderingIsReproducibleWithAFixedDate") {
  RenderOptions options;
  options.creation_time = 1700000000;
  std::vector<FormPtr> forms = ShippedForms();
  CHECK(RenderPacket(forms, TestClinic(), options) == RenderPacket(forms, TestClinic(), options));
}

TEST_CASE("MissingFontIsAClearError") {
  RenderOptions options;
  options.font_dir = "/nonexistent/fonts";
  CHECK_THROWS_WITH_AS(RenderPacket(ShippedForms(), TestClinic(), options),
                       "cannot open font /nonexistent/fonts/ConsentKitSans.ttf (build the 'fonts' "
                       "target or set CONSENTKIT_FONT_DIR)",
                       PdfError);
}

TEST_CASE("LogoMustBeAPng") {
  test::TempDir dir;
  ClinicSettings clinic = TestClinic();
  clinic.logo_path = dir.Write("logo.png", "this is not a PNG");
  CHECK_THROWS_AS(RenderPacket(ShippedForms(), clinic), PdfError);
  try {
    RenderPacket(ShippedForms(), clinic);
  } catch (const PdfError& e) {
    CHECK(std::string(e.what()).find("loading image " + clinic.logo_path +
                                     " (expected a PNG file)") == 0);
  }
}

TEST_CASE("LogoIsDrawnInTheHeader") {
  test::TempDir dir;
  ClinicSettings clinic = TestClinic();
  clinic.logo_path = test::SourcePath("samples/logo.png");
  std::string pdf = RenderToFile({MustLoadShipped("microneedling-aftercare.xml")}, dir, clinic);
  auto result = Run("pdfimages -list " + ShellQuote(pdf));
  CHECK(result.exit_code == 0);
  CHECK(test::CountOf(result.out, " image ") >= 1);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("SignatureSectionIsNotSplitAcrossPages") {
  test::TempDir dir;
  std::string pdf = RenderToFile({MustLoadShipped("microneedling-consent.xml")}, dir);
  int pages = PdfPageCount(pdf);
  int with_signature = 0, with_all = 0;
  for (int i = 1; i <= pages; ++i) {
    auto text = Run("pdftotext -f " + std::to_string(i) + " -l " + std::to_string(i) + " " +
                    ShellQuote(pdf) + " -")
                    .out;
    bool signature = text.find("Patient signature") != std::string::npos;
    with_signature += signature;
    with_all += signature && text.find("Patient full name") != std::string::npos &&
                text.find("Date signed") != std::string::npos;
  }
  CHECK(with_signature == 1);
  CHECK(with_all == 1);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("RiskCardsAreNeverSplitFromTheirCheckbox") {
  std::string xml =
      R"(<form id="many" version="1" kind="consent" lang="en"><title>Many risks</title>
    <section id="r" kind="risks"><heading>Risks</heading><p>Read each one.</p>)";
  for (int i = 0; i < 14; ++i) {
    xml += "<risk id=\"r" + std::to_string(i) + "\"><title>Risk number " + std::to_string(i) +
           "</title><description>" + std::string(40, 'w') +
           " words that wrap over several lines of the card so that cards fill the page and one "
           "of them lands on a page break, which must move the whole card to the next page "
           "instead of leaving its checkbox behind.</description></risk>";
  }
  xml += R"(</section><section id="s" kind="fields"><heading>Sign</heading>
    <field id="sig" type="signature" role="patient" required="true"><label>Signature</label></field></section></form>)";
  test::TempDir dir;
  FormPtr form = MustLoadXml(xml);
  std::string pdf = RenderToFile({form}, dir);
  CHECK(PdfPageCount(pdf) >= 3);
  CHECK(CheckAcroForm(pdf, {form}, dir) == "OK\n");
}

}  // namespace
}  // namespace consentkit
