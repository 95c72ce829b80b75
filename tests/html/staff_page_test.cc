// The staff pages: the desk lists visits with each form's state and
// outcome and what staff can do with them; the review queue and a record
// show outcomes and reasons; a practitioner gets the review form. Every
// string from the store is escaped, and the pages keep the CSP.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "html/html.h"
#include "html/markup.h"
#include "html/staff.h"
#include "support/forms.h"
#include "support/support.h"

namespace consentkit {
namespace {

using test::AttrOf;
using test::CountOf;
using test::HasAttr;
using test::MustLoadShipped;
using test::ShippedForms;
using test::TagsNamed;
using test::TestClinic;

constexpr char kHostile[] = "\"><script>alert(1)</script>";

SubmissionRecord Record(const std::string& id, const std::string& form_id, Outcome outcome) {
  SubmissionRecord r;
  r.id = id;
  r.form_id = form_id;
  r.form_version = "2026.2";
  r.received_at = "2026-11-23T10:15:02Z";
  r.outcome = outcome;
  r.pdf_sha256 = std::string(64, 'a');
  r.needs_review = outcome != Outcome::kSuitable;
  return r;
}

// A visit of the three shipped forms: intake sent and waiting for review,
// consent reviewed, aftercare not started.
VisitStatus SampleVisit(const std::string& name = "Zoë Muñoz") {
  VisitStatus status;
  status.visit = {"vis_0123456789abcdef01234567",
                  "2026-11-23T09:00:00Z",
                  "tok_staff",
                  {name, "1990-04-02", "A-1234"},
                  {}};
  const char* ids[] = {"microneedling-intake", "microneedling-consent", "microneedling-aftercare"};
  for (const char* id : ids) {
    VisitForm f;
    f.form_id = id;
    status.visit.form_ids.push_back(id);
    status.forms.push_back(f);
  }
  static const std::vector<FormPtr> forms = ShippedForms();
  for (VisitForm& f : status.forms) {
    for (const FormPtr& form : forms) {
      if (form->id == f.form_id) f.form = form.get();
    }
  }
  status.forms[0].state = FormState::kNeedsReview;
  status.forms[0].submission =
      Record("11111111-1111-4111-8111-111111111111", ids[0], Outcome::kDefer);
  status.forms[1].state = FormState::kReviewed;
  status.forms[1].submission =
      Record("22222222-2222-4222-8222-222222222222", ids[1], Outcome::kSuitable);
  status.forms[1].submission->review =
      Review{status.forms[1].submission->id, "proceed",           "", "tok_dr", "Dr. Okafor",
             "2026-11-23T11:00:00Z",         std::string(64, 'b')};
  return status;
}

DeskPage SampleDesk() {
  DeskPage page;
  page.forms = ShippedForms();
  page.today = true;
  page.first_day = page.last_day = "2026-11-23";
  page.tablets = {{"tok_t1", "Front desk iPad", ""}, {"tok_t2", "Room 2", "vis_other"}};
  page.visits = {SampleVisit()};
  return page;
}

ListedSubmission Listed(Outcome outcome, std::vector<std::string> reasons) {
  ListedSubmission s;
  s.record = Record("33333333-3333-4333-8333-333333333333", "microneedling-intake", outcome);
  s.record.reasons = std::move(reasons);
  s.patient = Patient{"Ana Lima", "1985-12-01", ""};
  s.form_title = "Microneedling Health Form";
  return s;
}

void CheckStaffPage(const std::string& page) {
  test::CheckEveryControlHasALabel(page);
  test::CheckIdsAreUniqueAndResolve(page);
  test::CheckNoInlineCode(page, "staff.js");
  test::CheckOnlyOwnUrls(page);
  CHECK(page.find("href=\"/assets/staff.css\"") != std::string::npos);
  CHECK(page.find("<body class=\"ck-staff\">") != std::string::npos);
}

TEST_CASE("DeskListsEachVisitWithItsFormsStatesAndOutcomes") {
  std::string page = RenderDeskPage(SampleDesk(), TestClinic());
  CheckStaffPage(page);
  CHECK(page.find("Visits, today, 23 Nov 2026") != std::string::npos);
  CHECK(page.find(">Zoë Muñoz</h3>") != std::string::npos);
  CHECK(page.find("Born 2 Apr 1990 · No. A-1234") != std::string::npos);
  CHECK(page.find("2 of 3 forms done") != std::string::npos);
  CHECK(page.find("Needs review</span>") != std::string::npos);
  CHECK(page.find("Reviewed: Proceed</span>") != std::string::npos);
  CHECK(page.find("Not started</span>") != std::string::npos);
  CHECK(page.find("Deferred</span>") != std::string::npos);
  CHECK(page.find("Suitable</span>") != std::string::npos);
  // A PDF opens in a new tab (and says so); each submission has its record.
  std::string pdf = "href=\"/api/v1/submissions/11111111-1111-4111-8111-111111111111.pdf\"";
  CHECK(CountOf(page, pdf + " target=\"_blank\" rel=\"noopener\"") == 1);
  CHECK(CountOf(page, "href=\"/staff/submissions/11111111-1111-4111-8111-111111111111\"") == 1);
  CHECK(page.find("(opens in a new tab)") != std::string::npos);
}

TEST_CASE("DeskOffersHandOffInviteAndPackets") {
  std::string page = RenderDeskPage(SampleDesk(), TestClinic());
  CHECK(page.find("data-visit=\"vis_0123456789abcdef01234567\"") != std::string::npos);
  CHECK(CountOf(page, "data-action=\"handoff\"") == 1);
  CHECK(CountOf(page, "data-action=\"invite\"") == 1);
  CHECK(page.find("<option value=\"tok_t1\" selected>Front desk iPad</option>") !=
        std::string::npos);
  CHECK(page.find("<option value=\"tok_t2\" data-busy>Room 2 (in use)</option>") !=
        std::string::npos);
  CHECK(page.find("href=\"/staff/visits/vis_0123456789abcdef01234567/blank.pdf\"") !=
        std::string::npos);
  CHECK(page.find("href=\"/staff/visits/vis_0123456789abcdef01234567/packet.pdf\"") !=
        std::string::npos);
  CHECK(page.find("id=\"ck-slip\"") != std::string::npos);
}

TEST_CASE("DeskOffersNoSignedPacketBeforeAnythingIsSigned") {
  DeskPage desk = SampleDesk();
  for (VisitForm& f : desk.visits[0].forms) {
    f.state = FormState::kNotStarted;
    f.submission.reset();
  }
  std::string page = RenderDeskPage(desk, TestClinic());
  CHECK(page.find("/packet.pdf") == std::string::npos);
  CHECK(page.find("/blank.pdf") != std::string::npos);
  CHECK(page.find("0 of 3 forms done") != std::string::npos);
}

TEST_CASE("ADoneVisitIsNoLongerHandedOut") {
  DeskPage desk = SampleDesk();
  desk.visits[0].forms[2].state = FormState::kSubmitted;
  desk.visits[0].forms[2].submission =
      Record("44444444-4444-4444-8444-444444444444", "microneedling-aftercare", Outcome::kSuitable);
  std::string page = RenderDeskPage(desk, TestClinic());
  CHECK(page.find("data-action=\"handoff\"") == std::string::npos);
  CHECK(page.find("data-action=\"invite\"") == std::string::npos);
  CHECK(page.find("/packet.pdf") != std::string::npos);
}

TEST_CASE("DeskWithoutTabletsSaysHowToPairOne") {
  DeskPage desk = SampleDesk();
  desk.tablets.clear();
  std::string page = RenderDeskPage(desk, TestClinic());
  CHECK(page.find("data-action=\"handoff\"") == std::string::npos);
  CHECK(page.find("No tablet is signed in yet") != std::string::npos);
  CHECK(page.find("data-action=\"invite\"") != std::string::npos);
}

TEST_CASE("NewVisitFormTicksEveryFormInPacketOrder") {
  DeskPage desk = SampleDesk();
  std::string page = RenderDeskPage(desk, TestClinic());
  std::vector<std::string> values;
  for (const test::Tag& t : TagsNamed(page, "input")) {
    if (AttrOf(t.text, "name") != "forms") continue;
    CHECK(HasAttr(t.text, "checked"));
    values.push_back(AttrOf(t.text, "value"));
  }
  std::vector<std::string> expected;
  for (const FormPtr& f : desk.forms) expected.push_back(f->id);
  CHECK(values == expected);
  // Each problem the API can name has a slot its input points at.
  for (const char* api_id : {"patient.name", "patient.date_of_birth", "patient.number", "forms"}) {
    CAPTURE(api_id);
    CHECK(page.find(std::string("data-field=\"") + api_id + "\"") != std::string::npos);
  }
  CHECK(AttrOf(test::ControlNamed(page, "name"), "aria-describedby") == "e-nv-name");
  CHECK(AttrOf(test::ControlNamed(page, "dob"), "type") == "date");
  CHECK(HasAttr(test::ControlNamed(page, "dob"), "required"));
  CHECK_FALSE(HasAttr(test::ControlNamed(page, "number"), "required"));
}

TEST_CASE("DeskEscapesEverythingFromTheStoreAndTheQuery") {
  DeskPage desk = SampleDesk();
  desk.visits = {SampleVisit(kHostile)};
  desk.visits[0].visit.patient.number = kHostile;
  desk.tablets[0].name = kHostile;
  desk.filters.q = kHostile;
  desk.created_visit_id = desk.visits[0].visit.id;
  desk.next_url = "/staff?q=%22%3E&after=x\"><script>";
  std::string page = RenderDeskPage(desk, TestClinic());
  CHECK(page.find("<script>alert") == std::string::npos);
  CHECK(page.find("\"><script>") == std::string::npos);
  CHECK(page.find("Visit created for &quot;&gt;&lt;script&gt;") != std::string::npos);
  CHECK(page.find("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"") !=
        std::string::npos);
  CHECK(page.find("ck-visit ck-new") != std::string::npos);
  CHECK(page.find("rel=\"next\" href=\"/staff?q=%22%3E&amp;after=x&quot;&gt;&lt;script&gt;\"") !=
        std::string::npos);
  test::CheckNoInlineCode(page, "staff.js");
}

TEST_CASE("DeskFilterFormEchoesTheQuery") {
  DeskPage desk = SampleDesk();
  desk.today = false;
  desk.filters = {"2026-11-01", "2026-11-30", "microneedling-intake", "defer", "pending", "Ana"};
  desk.first_day = "2026-11-01";
  desk.last_day = "2026-11-30";
  desk.visits.clear();
  desk.submissions = {Listed(Outcome::kDefer, {"Pregnant or breastfeeding"})};
  std::string page = RenderDeskPage(desk, TestClinic());
  CheckStaffPage(page);
  CHECK(AttrOf(test::ControlNamed(page, "from"), "value") == "2026-11-01");
  CHECK(AttrOf(test::ControlNamed(page, "to"), "value") == "2026-11-30");
  CHECK(AttrOf(test::ControlNamed(page, "q"), "value") == "Ana");
  CHECK(page.find("<option value=\"microneedling-intake\" selected>") != std::string::npos);
  CHECK(page.find("<option value=\"defer\" selected>") != std::string::npos);
  CHECK(page.find("<option value=\"pending\" selected>") != std::string::npos);
  // Submission filters list forms, with outcome and reasons.
  CHECK(page.find("Forms, 1 Nov 2026 to 30 Nov 2026") != std::string::npos);
  CHECK(page.find("<li>Pregnant or breastfeeding</li>") != std::string::npos);
  CHECK(page.find(">Ana Lima</a></h3>") != std::string::npos);
}

TEST_CASE("DeskShowsAFilterProblemInsteadOfResults") {
  DeskPage desk = SampleDesk();
  desk.error = "\"<x>\" is not a date.";
  std::string page = RenderDeskPage(desk, TestClinic());
  CHECK(page.find("&quot;&lt;x&gt;&quot; is not a date.") != std::string::npos);
  CHECK(page.find("data-visit=") == std::string::npos);
}

TEST_CASE("DeskLinksTheReviewQueueOnlyForPractitioners") {
  DeskPage desk = SampleDesk();
  CHECK(RenderDeskPage(desk, TestClinic()).find("/staff/review") == std::string::npos);
  desk.may_review = true;
  CHECK(RenderDeskPage(desk, TestClinic()).find("href=\"/staff/review\"") != std::string::npos);
}

TEST_CASE("ReviewQueueShowsOutcomeReasonsAndTheRecord") {
  ReviewQueuePage queue{{Listed(Outcome::kPractitionerReview, {"Takes <isotretinoin>"})},
                        "/staff/review?after=abc"};
  ListedSubmission consent = Listed(Outcome::kSuitable, {});
  consent.record.needs_review = true;  // waiting for the countersignature
  consent.patient.reset();
  queue.items.push_back(consent);
  std::string page = RenderReviewQueuePage(queue, TestClinic());
  CheckStaffPage(page);
  CHECK(page.find("<h1>Review queue</h1>") != std::string::npos);
  CHECK(page.find("Practitioner review</span>") != std::string::npos);
  CHECK(page.find("<li>Takes &lt;isotretinoin&gt;</li>") != std::string::npos);
  CHECK(page.find("Countersignature</span>") != std::string::npos);
  CHECK(page.find("No visit (a form filled on its own)") != std::string::npos);
  CHECK(CountOf(page, "href=\"/staff/submissions/33333333-3333-4333-8333-333333333333\"") == 4);
  CHECK(page.find("aria-current=\"page\"") != std::string::npos);
  CHECK(page.find("rel=\"next\" href=\"/staff/review?after=abc\"") != std::string::npos);
  CHECK(RenderReviewQueuePage({}, TestClinic()).find("Nothing is waiting") != std::string::npos);
}

RecordPage SampleRecord(bool review_form) {
  RecordPage page;
  page.submission = Listed(Outcome::kDefer, {"Pregnant or breastfeeding"});
  page.visit = SampleVisit().visit;
  page.show_queue_link = review_form;
  page.review_form = review_form;
  return page;
}

TEST_CASE("RecordShowsThePatientOutcomeAndThePdf") {
  std::string page = RenderRecordPage(SampleRecord(false), TestClinic());
  CheckStaffPage(page);
  CHECK(page.find("<h1>Microneedling Health Form</h1>") != std::string::npos);
  CHECK(page.find("<dd>Zoë Muñoz</dd>") != std::string::npos);
  CHECK(page.find("<dd>2 Apr 1990</dd>") != std::string::npos);
  CHECK(page.find("Deferred</span>") != std::string::npos);
  CHECK(page.find("<li>Pregnant or breastfeeding</li>") != std::string::npos);
  CHECK(page.find(">Open the sealed PDF<") != std::string::npos);
  CHECK(page.find("Waiting for a practitioner") != std::string::npos);
  CHECK(page.find("id=\"ck-review\"") == std::string::npos);
  CHECK(page.find("/staff/review") == std::string::npos);
}

TEST_CASE("APractitionerGetsTheReviewForm") {
  std::string page = RenderRecordPage(SampleRecord(true), TestClinic());
  CheckStaffPage(page);
  std::vector<test::Tag> forms = TagsNamed(page, "form");
  REQUIRE(forms.size() == 1);
  CHECK(AttrOf(forms[0].text, "data-review-url") ==
        "/api/v1/submissions/33333333-3333-4333-8333-333333333333/review");
  std::vector<std::string> decisions;
  for (const test::Tag& t : TagsNamed(page, "input")) {
    if (AttrOf(t.text, "name") == "decision") decisions.push_back(AttrOf(t.text, "value"));
  }
  CHECK(decisions == std::vector<std::string>{"proceed", "defer", "decline"});
  CHECK(page.find("<textarea id=\"f-note\" name=\"note\"") != std::string::npos);
  // The same pad markup as the patient's page, so pad.js drives both.
  CHECK(page.find("<canvas tabindex=\"0\" role=\"img\" id=\"f-signature\"") != std::string::npos);
  CHECK(CountOf(page, "data-pad=\"undo\"") == 1);
  CHECK(CountOf(page, "data-pad=\"clear\"") == 1);
  for (const char* api_id : {"decision", "note", "signature"}) {
    CHECK(page.find(std::string("data-field=\"") + api_id + "\"") != std::string::npos);
  }
  CHECK(page.find(">Countersign</button>") != std::string::npos);
  CHECK(page.find("href=\"/staff/review\"") != std::string::npos);
}

TEST_CASE("AReviewedRecordShowsTheDecision") {
  RecordPage record = SampleRecord(true);
  record.review_form = false;
  record.submission.record.review = Review{record.submission.record.id,
                                           "decline",
                                           "Wait until <after> the pregnancy",
                                           "tok_dr",
                                           "Dr. Okafor",
                                           "2026-11-23T11:00:00Z",
                                           std::string(64, 'c')};
  std::string page = RenderRecordPage(record, TestClinic());
  CHECK(page.find("<dd>Decline</dd>") != std::string::npos);
  CHECK(page.find("<dd>Wait until &lt;after&gt; the pregnancy</dd>") != std::string::npos);
  CHECK(page.find("<dd>Dr. Okafor</dd>") != std::string::npos);
  CHECK(page.find("id=\"ck-review\"") == std::string::npos);
}

TEST_CASE("AStandaloneRecordSaysItHasNoVisit") {
  RecordPage record = SampleRecord(false);
  record.visit.reset();
  record.submission.patient.reset();
  std::string page = RenderRecordPage(record, TestClinic());
  CHECK(page.find("filled on its own, without a visit") != std::string::npos);
}

}  // namespace
}  // namespace consentkit
