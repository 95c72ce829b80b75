// The patient's pages of a visit: the packet's form page (progress,
// prefilled identity, the visit id the script posts, the idle warning),
// the kiosk's waiting screen and the thank-yous. None of them may carry
// clinical content: no outcome, no reasons, no links to records.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "form/form.h"
#include "html/html.h"
#include "html/markup.h"
#include "support/forms.h"
#include "support/support.h"

namespace consentkit {
namespace {

using test::AttrOf;
using test::CountOf;
using test::FieldBox;
using test::HasAttr;
using test::MustLoadShipped;
using test::TagsNamed;
using test::TestClinic;

VisitFormOptions Options(std::size_t position, std::size_t count, int idle = 0) {
  VisitFormOptions options;
  options.visit_id = "vis_0123456789abcdef01234567";
  options.position = position;
  options.count = count;
  options.prefill = {{PatientFact::kName, "Zoë Muñoz"},
                     {PatientFact::kDateOfBirth, "1990-04-02"},
                     {PatientFact::kNumber, ""}};
  options.idle_seconds = idle;
  return options;
}

std::string IntakePage(const VisitFormOptions& options) {
  return RenderVisitFormPage(*MustLoadShipped("microneedling-intake.xml"), TestClinic(), options);
}

// Words and markup that would tell a patient what staff see.
void CheckNoClinicalContent(const std::string& page) {
  // ("reason" alone is fair: a consent form may say "you need not give a reason".)
  for (std::string word :
       {"outcome", "Outcome", "Reasons", "Suitable", "Deferred", "practitioner-review",
        "Practitioner review", "/api/v1/submissions/", "/staff", ".pdf", "For clinic staff"}) {
    CAPTURE(word);
    CHECK(page.find(word) == std::string::npos);
  }
}

TEST_CASE("VisitFormShowsWhereThePatientIsInThePacket") {
  std::string page = IntakePage(Options(2, 3));
  CHECK(page.find("<p id=\"ck-step\">Form 2 of 3</p>") != std::string::npos);
  std::vector<test::Tag> bars = TagsNamed(page, "progress");
  REQUIRE(bars.size() == 1);
  CHECK(AttrOf(bars[0].text, "max") == "3");
  CHECK(AttrOf(bars[0].text, "value") == "2");
  CHECK(AttrOf(bars[0].text, "aria-labelledby") == "ck-step");
  // The heading is read out with its place in the packet.
  CHECK(page.find("<h1 aria-describedby=\"ck-step\">Microneedling Health Form</h1>") !=
        std::string::npos);
  CHECK(page.find("Form 1 of 1") == std::string::npos);
  CHECK(IntakePage(Options(1, 1)).find("Form 1 of 1") != std::string::npos);
}

TEST_CASE("VisitFormPostsTheVisitId") {
  std::string form = TagsNamed(IntakePage(Options(1, 3)), "form")[0].text;
  CHECK(AttrOf(form, "data-visit") == "vis_0123456789abcdef01234567");
  CHECK(AttrOf(form, "data-submit-url") == "/api/v1/forms/microneedling-intake/submissions");
  CHECK(AttrOf(form, "autocomplete") == "off");
}

TEST_CASE("IdentityFieldsArePrefilledAndReadOnly") {
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::string page = IntakePage(Options(1, 3));
  std::string name = test::ControlNamed(page, "full-name");
  std::string dob = test::ControlNamed(page, "date-of-birth");
  CHECK(AttrOf(name, "value") == "Zoë Muñoz");
  CHECK(HasAttr(name, "readonly"));
  CHECK(AttrOf(dob, "value") == "1990-04-02");
  CHECK(AttrOf(dob, "type") == "date");
  CHECK(HasAttr(dob, "readonly"));
  CHECK(HasAttr(FieldBox(page, "full-name"), "data-prefilled"));
  // The patient is told where the value came from, and the input says so.
  CHECK(AttrOf(name, "aria-describedby") == "h-full-name e-full-name");
  CHECK(page.find("Filled in from your visit.") != std::string::npos);
  // Everything else is the patient's to answer.
  for (const Field& field : intake->fields) {
    if (field.prefill != PatientFact::kNone) continue;
    CAPTURE(field.id);
    std::string control = test::ControlNamed(page, field.id);
    CHECK_FALSE(HasAttr(control, "readonly"));
    if (field.type != FieldType::kYesNo && field.type != FieldType::kChoice &&
        field.type != FieldType::kMultiChoice && field.type != FieldType::kCheckbox) {
      CHECK_FALSE(HasAttr(control, "value"));
    }
  }
}

TEST_CASE("AnUnknownFactLeavesTheFieldToThePatient") {
  VisitFormOptions options = Options(1, 3);
  options.prefill[PatientFact::kName] = "";
  std::string name = test::ControlNamed(IntakePage(options), "full-name");
  CHECK_FALSE(HasAttr(name, "readonly"));
  CHECK_FALSE(HasAttr(name, "value"));
  // A standalone page prefills nothing.
  std::string standalone =
      RenderFormPage(*MustLoadShipped("microneedling-intake.xml"), TestClinic());
  CHECK_FALSE(HasAttr(test::ControlNamed(standalone, "full-name"), "readonly"));
  CHECK(standalone.find("ck-step") == std::string::npos);
}

TEST_CASE("PrefilledValuesAreEscaped") {
  VisitFormOptions options = Options(1, 3);
  options.prefill[PatientFact::kName] = "\"><script>alert(1)</script>";
  std::string page = IntakePage(options);
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"") !=
        std::string::npos);
  test::CheckNoInlineCode(page, "consentkit.js");
}

TEST_CASE("AKioskFormWarnsBeforeItClearsItself") {
  std::string page = IntakePage(Options(1, 3, 120));
  CHECK(AttrOf(TagsNamed(page, "form")[0].text, "data-idle-seconds") == "120");
  std::vector<test::Tag> dialogs = TagsNamed(page, "dialog");
  REQUIRE(dialogs.size() == 1);
  CHECK(AttrOf(dialogs[0].text, "aria-labelledby") == "ck-idle-title");
  CHECK(page.find("Are you still there?") != std::string::npos);
  CHECK(page.find("The form will be cleared in") != std::string::npos);
  CHECK(page.find("I&#39;m still here</button>") != std::string::npos);
  test::CheckIdsAreUniqueAndResolve(page);
  // A patient's own phone is never cleared under them.
  std::string phone = IntakePage(Options(1, 3, 0));
  CHECK_FALSE(HasAttr(TagsNamed(phone, "form")[0].text, "data-idle-seconds"));
  CHECK(TagsNamed(phone, "dialog").empty());
}

TEST_CASE("VisitPagesAreAccessibleAndSelfContained") {
  for (const FormPtr& form : test::ShippedForms()) {
    CAPTURE(form->id);
    std::string page = RenderVisitFormPage(*form, TestClinic(), Options(2, 3, 90));
    test::CheckEveryControlHasALabel(page);
    test::CheckIdsAreUniqueAndResolve(page);
    test::CheckNoInlineCode(page, "consentkit.js");
    test::CheckOnlyOwnUrls(page);
    CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"" + form->lang + "\">", 0) == 0);
  }
}

TEST_CASE("PatientPagesCarryNoClinicalContent") {
  FormPtr intake = MustLoadShipped("microneedling-intake.xml");
  std::vector<std::string> pages = {
      IntakePage(Options(1, 3, 120)),
      RenderFormPage(*intake, TestClinic()),
      RenderKioskPage(TestClinic(), Catalog::For("en")),
      RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kKiosk),
      RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kInvite),
  };
  for (const FormPtr& form : test::ShippedForms()) {
    pages.push_back(RenderVisitFormPage(*form, TestClinic(), Options(1, 3)));
  }
  for (const std::string& page : pages) {
    CheckNoClinicalContent(page);
    // Not even the words a rule gives as its reason.
    for (const Rule& rule : intake->rules)
      CHECK(page.find(HtmlEscape(rule.reason)) == std::string::npos);
  }
}

TEST_CASE("PatientScriptsNeverShowOutcomesOrUseStorage") {
  // Property names, so a comment that says what the page must not show passes.
  for (std::string name :
       {"consentkit.js", "dom.js", "pad.js", "idle.js", "kiosk.js", "witness.js", "pair.js"}) {
    CAPTURE(name);
    std::string js(FindAsset("/assets/" + name)->body);
    for (std::string word : {".outcome", ".reasons", "pdf_url", "localStorage", "sessionStorage",
                             "indexedDB", "caches.", "document.cookie", "innerHTML"}) {
      CAPTURE(word);
      // The form page keeps the answers across a language switch, and only
      // until the next page loads (keep() in consentkit.js; language.mjs
      // checks that nothing is left behind).
      if (name == "consentkit.js" && word == "sessionStorage") continue;
      CHECK(js.find(word) == std::string::npos);
    }
  }
  std::string staff(FindAsset("/assets/staff.js")->body);
  for (const char* word : {"localStorage", "sessionStorage", "indexedDB", "innerHTML"}) {
    CHECK(staff.find(word) == std::string::npos);
  }
}

TEST_CASE("KioskScreenSaysOnlyThatItWaits") {
  std::string page = RenderKioskPage(TestClinic(), Catalog::For("en"));
  CHECK(page.find("<h1>Waiting for the next patient</h1>") != std::string::npos);
  CHECK(page.find("data-kiosk") != std::string::npos);
  CHECK(page.find("<p class=\"ck-clinic\">Clínica Muñoz</p>") != std::string::npos);
  CHECK(TagsNamed(page, "a").empty());  // nowhere to go from a locked screen
  CHECK(TagsNamed(page, "form").empty());
  CHECK(page.find("class=\"ck-kiosk\"") != std::string::npos);
}

TEST_CASE("ThankYouPagesDependOnWhereThePatientFilledIn") {
  std::string kiosk = RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kKiosk);
  CHECK(kiosk.find("<h1>Thank you</h1>") != std::string::npos);
  CHECK(kiosk.find("hand the tablet back") != std::string::npos);
  CHECK(kiosk.find("data-kiosk-done") != std::string::npos);
  CHECK(kiosk.find("id=\"ck-done\">Done</button>") != std::string::npos);
  std::string phone = RenderVisitDonePage(TestClinic(), Catalog::For("en"), VisitChannel::kInvite);
  CHECK(phone.find("You can close this page") != std::string::npos);
  CHECK(phone.find("data-kiosk-done") == std::string::npos);
  CHECK(TagsNamed(phone, "a").empty());
  CHECK(TagsNamed(phone, "button").empty());
}

TEST_CASE("NoticePagesEscapeAndLinkNowhere") {
  ClinicSettings clinic = TestClinic();
  clinic.name = "<b>Clinic</b>";
  std::string page =
      RenderNoticePage(clinic, Catalog::For("en"), "<script>x</script>", "a & \"b\"");
  CHECK(page.find("<script>x") == std::string::npos);
  CHECK(page.find("<h1>&lt;script&gt;x&lt;/script&gt;</h1>") != std::string::npos);
  CHECK(page.find("a &amp; &quot;b&quot;") != std::string::npos);
  CHECK(page.find("&lt;b&gt;Clinic&lt;/b&gt;") != std::string::npos);
  CHECK(TagsNamed(page, "a").empty());
}

TEST_CASE("IndexLinksTheDeskOnlyForStaff") {
  std::vector<FormPtr> forms = test::ShippedForms();
  CHECK(CountOf(RenderIndexPage(forms, TestClinic(), {true}), "href=\"/staff\"") == 1);
  CHECK(CountOf(RenderIndexPage(forms, TestClinic(), {false}), "/staff") == 0);
  CHECK(CountOf(RenderIndexPage(forms, TestClinic()), "/staff") == 0);
}

constexpr char kWitnessed[] = R"(<form id="w" version="1" kind="intake" lang="en">
  <title>Witnessed</title>
  <section id="f" kind="fields"><heading>Sign</heading>
    <field id="sig" type="signature" role="patient" required="true"><label>Patient</label></field>
    <field id="wname" type="text" role="witness" required="true"><label>Witness name</label></field>
    <field id="wsig" type="signature" role="witness" required="true"><label>Witness</label></field>
  </section></form>)";

TEST_CASE("AWitnessPartStaysHiddenUntilItsStepIsUnlocked") {
  LoadResult loaded = LoadFormFromMemory(kWitnessed, "w.xml");
  REQUIRE(loaded.ok());
  VisitFormOptions options = Options(1, 1);
  std::string locked = RenderVisitFormPage(*loaded.form, TestClinic(), options);
  for (const char* id : {"wname", "wsig"}) {
    std::string box = FieldBox(locked, id);
    CAPTURE(box);
    CHECK(HasAttr(box, "data-witness-locked"));
    CHECK(HasAttr(box, "hidden"));
  }
  CHECK_FALSE(HasAttr(FieldBox(locked, "sig"), "data-witness"));
  CHECK(locked.find("A member of staff will unlock it when your witness is with you.") !=
        std::string::npos);
  // The note comes before the witness's fields, not after.
  CHECK(locked.find("ck-witness-note") < locked.find("data-field=\"wname\""));

  options.witness_unlocked = true;
  std::string unlocked = RenderVisitFormPage(*loaded.form, TestClinic(), options);
  CHECK(unlocked.find("data-witness-locked") == std::string::npos);
  CHECK_FALSE(HasAttr(FieldBox(unlocked, "wsig"), "hidden"));
  CHECK(unlocked.find("Witness: please fill in your part below.") != std::string::npos);
  // A standalone page has no visit to unlock the step in.
  std::string standalone = RenderFormPage(*loaded.form, TestClinic());
  CHECK(CountOf(standalone, "data-witness-locked") == 2);
  CHECK(standalone.find("signed on a clinic tablet during your visit") != std::string::npos);
  CHECK(standalone.find("data-follow") == std::string::npos);
}

}  // namespace
}  // namespace consentkit
