// The clinic's day over HTTP: visits, prefilled identity, patient-facing
// receipts, invites, kiosk hand-offs, listings, review and countersign.
// Countersigned PDFs are judged by poppler's pdfsig.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "api/api.h"
#include "auth/auth.h"
#include "server/http.h"
#include "server/test_server.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kIntake[] = "microneedling-intake";
constexpr char kConsent[] = "microneedling-consent";
constexpr char kAftercare[] = "microneedling-aftercare";
constexpr char kPatient[] =
    R"({"patient": {"name": "Zoë Muñoz", "date_of_birth": "1988-04-12", "number": "HV-1042"}})";

std::string NewUuid() {
  std::string hex = RandomHex(16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
         hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

// Makes a visit as staff; returns its id.
std::string MakeVisit(TestServer& server, const std::string& body = kPatient) {
  Reply made = server.Call("POST", "/api/v1/visits", body);
  REQUIRE_MESSAGE(made.status == 201, made.body);
  return Json(made.body)->getValue<std::string>("id");
}

// A complete submission of `form_id` for `visit_id`, leaving out the
// fields the visit fills in.
std::string VisitSubmission(TestServer& server, const std::string& form_id,
                            const std::string& visit_id, const std::string& uuid,
                            const std::map<std::string, FieldValue>& overrides = {}) {
  const FormDefinition& form = server.form(form_id);
  Submission s = test::FilledSubmission(form, uuid, overrides);
  for (const Field& f : form.fields) {
    if (f.prefill != PatientFact::kNone) s.values.erase(f.id);
  }
  s.visit_id = visit_id;
  return CanonicalSubmissionJson(s);
}

std::string SubmitPath(const std::string& form_id) {
  return "/api/v1/forms/" + form_id + "/submissions";
}

Reply SubmitAs(TestServer& server, const std::string& credential, const std::string& form_id,
               const std::string& body) {
  return Send(server.port(), credential, "POST", SubmitPath(form_id), body);
}

std::vector<std::string> FormStates(const Object::Ptr& visit) {
  std::vector<std::string> states;
  Array::Ptr forms = visit->getArray("forms");
  for (std::size_t i = 0; i < forms->size(); ++i) {
    states.push_back(forms->getObject(static_cast<unsigned>(i))->getValue<std::string>("state"));
  }
  return states;
}

// The drawn signature a practitioner sends with a review.
std::string ReviewBody(const std::string& decision) {
  Submission s;
  s.values["sig"] = test::SampleSignature();
  std::string values = CanonicalSubmissionJson(s);
  std::size_t start = values.find("{\"sig\":") + 7;
  std::string signature = values.substr(start, values.rfind('}', values.size() - 2) - start);
  return R"({"decision": ")" + decision + R"(", "note": "Discussed; go ahead.", "signature": )" +
         signature + "}";
}

TEST_CASE("CreateVisitGivesTheDefaultPacketInVisitOrder") {
  test::TempDir data;
  TestServer server(data.path());
  Reply made = server.Call("POST", "/api/v1/visits", kPatient);
  REQUIRE(made.status == 201);
  Object::Ptr visit = Json(made.body);
  CHECK(IsVisitId(visit->getValue<std::string>("id")));
  CHECK(made.location == "/api/v1/visits/" + visit->getValue<std::string>("id"));
  Array::Ptr forms = visit->getArray("forms");
  REQUIRE(forms->size() == 3);
  CHECK(forms->getObject(0)->getValue<std::string>("form") == kIntake);
  CHECK(forms->getObject(1)->getValue<std::string>("form") == kConsent);
  CHECK(forms->getObject(2)->getValue<std::string>("form") == kAftercare);
  CHECK(FormStates(visit) == std::vector<std::string>{"not-started", "not-started", "not-started"});
  CHECK(visit->getObject("patient")->getValue<std::string>("number") == "HV-1042");
}

TEST_CASE("CreateVisitNamesEveryBadPatientField") {
  test::TempDir data;
  TestServer server(data.path());
  Reply bad = server.Call("POST", "/api/v1/visits",
                          R"({"patient": {"name": " ", "date_of_birth": "2100-01-01",
                              "number": "no spaces"}, "forms": ["nope", "microneedling-intake"]})");
  CHECK(bad.status == 422);
  CHECK(ProblemFieldIds(bad) == std::vector<std::string>{"patient.name", "patient.date_of_birth",
                                                         "patient.number", "forms"});
  CHECK(bad.body.find("is in the future") != std::string::npos);
  CHECK(server.Call("POST", "/api/v1/visits", "{").status == 400);
  CHECK(server.Call("POST", "/api/v1/visits", R"({"patient": {}, "extra": 1})").status == 422);
}

TEST_CASE("TabletMayNotCreateOrListVisits") {
  test::TempDir data;
  TestServer server(data.path());
  CHECK(server.As(Role::kTablet, "POST", "/api/v1/visits", kPatient).status == 403);
  CHECK(server.As(Role::kTablet, "GET", "/api/v1/visits").status == 403);
  CHECK(server.As(Role::kTablet, "GET", "/api/v1/submissions").status == 403);
}

TEST_CASE("VisitSubmissionTakesThePatientFromTheVisit") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  std::string uuid = NewUuid();
  Reply stored =
      server.Call("POST", SubmitPath(kIntake), VisitSubmission(server, kIntake, visit, uuid));
  REQUIRE_MESSAGE(stored.status == 201, stored.body);
  std::optional<SubmissionRecord> record = server.store().Find(uuid);
  REQUIRE(record);
  CHECK(record->visit_id == visit);
  CHECK(record->content_json.find(R"("full-name":"Zoë Muñoz")") != std::string::npos);
  CHECK(record->content_json.find(R"("date-of-birth":"1988-04-12")") != std::string::npos);
  test::TempDir out;
  std::string pdf = out.Write("r.pdf", *server.store().FindPdf(uuid));
  std::string text = test::PdfText(pdf);
  CHECK(text.find(visit) != std::string::npos);
  CHECK(text.find("HV-1042") != std::string::npos);
  Object::Ptr status = Json(server.Call("GET", "/api/v1/visits/" + visit).body);
  CHECK(FormStates(status)[0] != "not-started");
}

TEST_CASE("VisitSubmissionWithAnotherPatientsNameIsRefused") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  Submission s = test::FilledSubmission(server.form(kIntake), NewUuid(),
                                        {{"full-name", std::string("Someone Else")}});
  s.visit_id = visit;
  Reply refused = server.Call("POST", SubmitPath(kIntake), CanonicalSubmissionJson(s));
  CHECK_MESSAGE(refused.status == 422, refused.body);
  std::vector<std::string> both = {"full-name", "date-of-birth"};
  CHECK_MESSAGE(ProblemFieldIds(refused) == both, refused.body);
}

TEST_CASE("AFormIsSubmittedOncePerVisit") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  std::string first = NewUuid();
  std::string body = VisitSubmission(server, kIntake, visit, first);
  REQUIRE(server.Call("POST", SubmitPath(kIntake), body).status == 201);
  CHECK(server.Call("POST", SubmitPath(kIntake), body).status == 200);  // a retry
  Reply again =
      server.Call("POST", SubmitPath(kIntake), VisitSubmission(server, kIntake, visit, NewUuid()));
  CHECK(again.status == 409);
  CHECK(again.body.find("already submitted for visit") != std::string::npos);
  CHECK(Json(again.body)->getValue<std::string>("title") == "Form already filled for this visit");
}

TEST_CASE("VisitSubmissionOfAFormOutsideThePacket") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server, R"({"patient": {"name": "Ann Lee", "date_of_birth":
                                            "1970-01-02"}, "forms": ["microneedling-intake"]})");
  Reply refused = server.Call("POST", SubmitPath(kConsent),
                              VisitSubmission(server, kConsent, visit, NewUuid()));
  CHECK(refused.status == 422);
  CHECK(ProblemFieldIds(refused) == std::vector<std::string>{"visit"});
  std::string unknown = "vis_" + std::string(24, '0');
  Reply missing = server.Call("POST", SubmitPath(kIntake),
                              VisitSubmission(server, kIntake, unknown, NewUuid()));
  CHECK(missing.status == 422);
}

TEST_CASE("PatientReceiptOfADeferredIntakeCarriesNoOutcome") {
  test::TempDir data;
  TestServer server(data.path());
  std::string uuid = NewUuid();
  Submission s =
      test::FilledSubmission(server.form(kIntake), uuid, {{"active-acne", std::string("yes")}});
  Reply receipt =
      SubmitAs(server, server.token(Role::kTablet), kIntake, CanonicalSubmissionJson(s));
  REQUIRE_MESSAGE(receipt.status == 201, receipt.body);
  Object::Ptr json = Json(receipt.body);
  CHECK(json->getValue<std::string>("id") == uuid);
  for (const char* hidden : {"outcome", "reasons", "pdf_url", "review"}) {
    CAPTURE(hidden);
    CHECK_FALSE(json->has(hidden));
  }
  CHECK(receipt.body.find("acne") == std::string::npos);
  Object::Ptr staff = Json(server.Call("GET", "/api/v1/submissions/" + uuid).body);
  CHECK(staff->getValue<std::string>("outcome") == "defer");
  CHECK(staff->getValue<bool>("needs_review"));
}

TEST_CASE("InviteFillsOnlyItsOwnVisit") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server), other = MakeVisit(server);
  Reply made = server.Call("POST", "/api/v1/visits/" + visit + "/invites", "{}");
  REQUIRE_MESSAGE(made.status == 201, made.body);
  Object::Ptr invite = Json(made.body);
  std::string url = invite->getValue<std::string>("url");
  std::string credential = url.substr(url.find("/i/") + 3);
  CHECK(invite->getValue<std::string>("qr_svg").rfind("<svg", 0) == 0);
  CHECK(invite->getValue<std::string>("expires_at") > UtcAfterSeconds(71 * 3600));

  Reply own =
      SubmitAs(server, credential, kIntake, VisitSubmission(server, kIntake, visit, NewUuid()));
  CHECK_MESSAGE(own.status == 201, own.body);
  CHECK_FALSE(Json(own.body)->has("outcome"));
  CHECK(SubmitAs(server, credential, kConsent, VisitSubmission(server, kConsent, other, NewUuid()))
            .status == 403);
  Submission standalone = test::FilledSubmission(server.form(kConsent), NewUuid());
  CHECK(SubmitAs(server, credential, kConsent, CanonicalSubmissionJson(standalone)).status == 403);
  CHECK(Send(server.port(), credential, "GET", "/api/v1/submissions").status == 403);
  CHECK(Send(server.port(), credential, "GET", "/api/v1/visits/" + visit).status == 403);
  CHECK(Send(server.port(), credential, "GET", "/api/v1/kiosk").status == 403);
  // An invite grants its visit's packet and nothing else.
  CHECK(Send(server.port(), credential, "GET", "/api/v1/forms").status == 403);
  CHECK(Send(server.port(), credential, "GET", "/forms/microneedling-consent.pdf").status == 403);
  // The clinic's start page and the kiosk screen lead a patient back to their forms.
  for (const char* page : {"/", "/kiosk"}) {
    Reply home = Send(server.port(), credential, "GET", page);
    CHECK_MESSAGE(home.status == 303, page);
    CHECK(home.location == "/visit");
  }
}

TEST_CASE("WithdrawnInviteNoLongerWorks") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  Object::Ptr invite = Json(server.Call("POST", "/api/v1/visits/" + visit + "/invites", "{}").body);
  std::string url = invite->getValue<std::string>("url");
  std::string credential = url.substr(url.find("/i/") + 3);
  std::string id = invite->getValue<std::string>("id");
  CHECK(server.As(Role::kTablet, "POST", "/api/v1/invites/" + id + "/revoke").status == 403);
  Reply revoked = server.Call("POST", "/api/v1/invites/" + id + "/revoke");
  CHECK(revoked.status == 200);
  CHECK(Json(revoked.body)->getValue<std::string>("state") == "revoked");
  Reply refused =
      SubmitAs(server, credential, kIntake, VisitSubmission(server, kIntake, visit, NewUuid()));
  CHECK(refused.status == 401);
  CHECK(refused.body.find("withdrawn") != std::string::npos);
}

TEST_CASE("ExpiredInviteNoLongerWorks") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  NewInvite made = MakeInvite(visit, 1, "test");
  made.invite.expires_at = UtcAfterSeconds(-1);
  server.store().AddInvite(made.invite, "test");
  Reply refused =
      SubmitAs(server, made.secret, kIntake, VisitSubmission(server, kIntake, visit, NewUuid()));
  CHECK(refused.status == 401);
  CHECK(refused.body.find("expired") != std::string::npos);
}

TEST_CASE("KioskShowsOnlyTheVisitHandedToIt") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server), other = MakeVisit(server);
  const std::string& tablet = server.token(Role::kTablet);
  CHECK(Json(Send(server.port(), tablet, "GET", "/api/v1/kiosk").body)->isNull("visit"));
  Reply tablets = server.Call("GET", "/api/v1/tablets");
  REQUIRE(tablets.status == 200);
  CHECK(tablets.body.find(server.token_id(Role::kTablet)) != std::string::npos);
  CHECK(tablets.body.find(server.token_id(Role::kStaff)) == std::string::npos);
  Reply bad = server.Call("POST", "/api/v1/visits/" + visit + "/handoff",
                          R"({"tablet": ")" + server.token_id(Role::kStaff) + R"("})");
  CHECK(bad.status == 422);
  Reply handed = server.Call("POST", "/api/v1/visits/" + visit + "/handoff",
                             R"({"tablet": ")" + server.token_id(Role::kTablet) + R"("})");
  REQUIRE_MESSAGE(handed.status == 200, handed.body);
  Object::Ptr kiosk = Json(Send(server.port(), tablet, "GET", "/api/v1/kiosk").body);
  CHECK(kiosk->getObject("visit")->getValue<std::string>("id") == visit);
  CHECK(SubmitAs(server, tablet, kIntake, VisitSubmission(server, kIntake, other, NewUuid()))
            .status == 403);
  std::string intake = VisitSubmission(server, kIntake, visit, NewUuid());
  CHECK(SubmitAs(server, tablet, kIntake, intake).status == 201);
  CHECK(Send(server.port(), tablet, "POST", "/api/v1/kiosk/done").status == 200);
  CHECK(Json(Send(server.port(), tablet, "GET", "/api/v1/kiosk").body)->isNull("visit"));
  // A retry that arrives after the hand-off ended still gets its receipt.
  CHECK(SubmitAs(server, tablet, kIntake, intake).status == 200);
  CHECK(SubmitAs(server, tablet, kConsent, VisitSubmission(server, kConsent, visit, NewUuid()))
            .status == 403);
}

TEST_CASE("TheDesksDaysAreTheClinicsLocalDays") {
  const char* before = std::getenv("TZ");
  std::string saved = before ? before : "";
  setenv("TZ", "America/New_York", 1);
  tzset();
  CHECK(LocalDayStartUtc("2026-12-01") == "2026-12-01T05:00:00Z");  // EST
  CHECK(LocalDayStartUtc("2026-07-01") == "2026-07-01T04:00:00Z");  // EDT
  if (before) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  CHECK(LocalToday().size() == 10);
}

TEST_CASE("AFinishedPatientEndsOnlyTheirOwnHandoff") {
  test::TempDir data;
  TestServer server(data.path());
  std::string first = MakeVisit(server), second = MakeVisit(server);
  const std::string& tablet = server.token(Role::kTablet);
  std::string to_tablet = R"({"tablet": ")" + server.token_id(Role::kTablet) + R"("})";
  REQUIRE(server.Call("POST", "/api/v1/visits/" + first + "/handoff", to_tablet).status == 200);
  // Staff hand the tablet on while the first patient's thank-you is showing.
  REQUIRE(server.Call("POST", "/api/v1/visits/" + second + "/handoff", to_tablet).status == 200);
  Reply late =
      Send(server.port(), tablet, "POST", "/api/v1/kiosk/done", R"({"visit": ")" + first + R"("})");
  REQUIRE(late.status == 200);
  CHECK(Json(late.body)->getObject("visit")->getValue<std::string>("id") == second);
  Reply own = Send(server.port(), tablet, "POST", "/api/v1/kiosk/done",
                   R"({"visit": ")" + second + R"("})");
  CHECK(Json(own.body)->isNull("visit"));
  CHECK(Send(server.port(), tablet, "POST", "/api/v1/kiosk/done", "{\"visit\":").status == 400);
}

// What arrives on `socket` until the peer closes it or `answers` HTTP
// answers have begun and the last has its headers.
std::string Receive(Poco::Net::StreamSocket& socket, int answers) {
  std::string received;
  char buffer[4096];
  while (test::CountOf(received, "HTTP/1.1 ") < answers ||
         received.find("\r\n\r\n", received.rfind("HTTP/1.1 ")) == std::string::npos) {
    int n = socket.receiveBytes(buffer, sizeof buffer);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

// Raw bytes on one socket, the second request sent once the first is
// answered (as a browser reuses a kept-alive connection); the second
// answer, or "" if the server closed the connection.
std::string TwoRequestsOnOneConnection(std::uint16_t port, const std::string& first) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  socket.sendBytes(first.data(), static_cast<int>(first.size()));
  std::string answered = Receive(socket, 1);
  std::string second = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
  try {
    socket.sendBytes(second.data(), static_cast<int>(second.size()));
    return Receive(socket, 1);
  } catch (const Poco::Exception&) {
    return "";  // closed
  }
}

TEST_CASE("AnUnreadBodyDoesNotSpillIntoTheNextRequest") {
  test::TempDir data;
  TestServer server(data.path());
  for (const char* path : {"/api/v1/visits", "/api/v1/kiosk/done"}) {
    std::string body = kPatient;
    std::string post =
        std::string("POST ") + path + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
        server.token(Role::kTablet) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    std::string second = TwoRequestsOnOneConnection(server.port(), post);
    CAPTURE(path);
    // Either the connection closed after the first answer or the second
    // request was read as sent; never a request made of the body.
    CHECK((second.empty() || second.rfind("HTTP/1.1 200", 0) == 0));
  }
}

TEST_CASE("CrossSiteCookieRequestsAreRefused") {
  test::TempDir data;
  TestServer server(data.path());
  std::string cookie = "ck_token=" + server.token(Role::kStaff);
  std::int64_t events = server.store().LastAuditSeq();
  for (auto sign : std::vector<std::map<std::string, std::string>>{
           {{"Sec-Fetch-Site", "cross-site"}}, {{"Origin", "null"}}, {}}) {
    sign["Cookie"] = cookie;
    Reply refused =
        Send(server.port(), "", "POST", "/api/v1/visits", kPatient, "application/json", sign);
    CHECK(refused.status == 403);
  }
  CHECK(server.store().ListVisits({}).items.empty());
  CHECK(server.store().LastAuditSeq() == events);
  std::string own = "http://127.0.0.1:" + std::to_string(server.port());
  CHECK(Send(server.port(), "", "POST", "/api/v1/visits", kPatient, "application/json",
             {{"Cookie", cookie}, {"Origin", own}})
            .status == 201);
  // A bearer token is no browser's ambient credential: not Origin-checked.
  CHECK(Send(server.port(), server.token(Role::kStaff), "POST", "/api/v1/visits", kPatient,
             "application/json", {{"Sec-Fetch-Site", "cross-site"}})
            .status == 201);
  CHECK(server.store().ListVisits({}).items.size() == 2);
}

TEST_CASE("PractitionerCountersignsAReviewOutcome") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  std::string uuid = NewUuid();
  REQUIRE(server
              .Call("POST", SubmitPath(kIntake),
                    VisitSubmission(server, kIntake, visit, uuid,
                                    {{"active-acne", std::string("yes")}}))
              .status == 201);
  Reply queue = server.Call("GET", "/api/v1/submissions?review=pending");
  CHECK(queue.body.find(uuid) != std::string::npos);
  std::string path = "/api/v1/submissions/" + uuid + "/review";
  CHECK(server.Call("POST", path, ReviewBody("defer")).status == 403);  // staff may not
  CHECK(server.As(Role::kCompliance, "POST", path, ReviewBody("defer")).status == 403);
  Reply bad = server.As(Role::kPractitioner, "POST", path, R"({"decision": "maybe"})");
  CHECK(bad.status == 422);
  CHECK(ProblemFieldIds(bad) == std::vector<std::string>{"decision", "signature"});

  Reply done = server.As(Role::kPractitioner, "POST", path, ReviewBody("defer"));
  REQUIRE_MESSAGE(done.status == 201, done.body);
  Object::Ptr review = Json(done.body)->getObject("review");
  CHECK(review->getValue<std::string>("decision") == "defer");
  CHECK(review->getValue<std::string>("practitioner_name") == "Dr Ana Ruiz");
  CHECK(server.As(Role::kPractitioner, "POST", path, ReviewBody("proceed")).status == 409);
  CHECK(server.Call("GET", "/api/v1/submissions?review=pending").body.find(uuid) ==
        std::string::npos);
  CHECK(server.Call("GET", "/api/v1/submissions?review=done").body.find(uuid) != std::string::npos);

  test::TempDir out;
  std::string pdf = out.Write("r.pdf", *server.store().FindPdf(uuid));
  test::CommandResult sig = test::Run("pdfsig " + test::ShellQuote(pdf));
  CHECK(test::CountOf(sig.out, "Signature is Valid") == 2);
  CHECK(sig.out.find("Signature #2") != std::string::npos);
  CHECK(test::Run("qpdf --check " + test::ShellQuote(pdf)).exit_code == 0);
  Object::Ptr status = Json(server.Call("GET", "/api/v1/visits/" + visit).body);
  CHECK(FormStates(status)[0] == "reviewed");
}

TEST_CASE("ASubmissionThatNeedsNoReviewIsNotCountersigned") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server), uuid = NewUuid();
  REQUIRE(
      server.Call("POST", SubmitPath(kAftercare), VisitSubmission(server, kAftercare, visit, uuid))
          .status == 201);
  Reply refused = server.As(Role::kPractitioner, "POST", "/api/v1/submissions/" + uuid + "/review",
                            ReviewBody("proceed"));
  CHECK(refused.status == 409);
  CHECK(refused.body.find("No review needed") != std::string::npos);
}

TEST_CASE("AReviewNoteTheStampCannotPrintIsRefused") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server), uuid = NewUuid();
  REQUIRE(server.Call("POST", SubmitPath(kConsent), VisitSubmission(server, kConsent, visit, uuid))
              .status == 201);
  std::string body = ReviewBody("proceed");
  body.replace(body.find("Discussed; go ahead."), 20, "OK at \u2264 0.5 mm, \u0141\u00f3d\u017a");
  Reply refused =
      server.As(Role::kPractitioner, "POST", "/api/v1/submissions/" + uuid + "/review", body);
  CHECK(refused.status == 422);
  CHECK(ProblemFieldIds(refused) == std::vector<std::string>{"note"});
  CHECK_FALSE(server.store().Find(uuid)->review);
}

TEST_CASE("AStoredPdfThatIsNotTheSealedOriginalIsNotCountersigned") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server), uuid = NewUuid();
  REQUIRE(server.Call("POST", SubmitPath(kConsent), VisitSubmission(server, kConsent, visit, uuid))
              .status == 201);
  test::CommandResult swap =
      test::Run("sqlite3 " + test::ShellQuote(data.File("consentkit.db")) +
                " \"UPDATE submissions SET pdf = CAST('%PDF-1.4 not it' AS BLOB) WHERE id = '" +
                uuid + "'\"");
  REQUIRE_MESSAGE(swap.exit_code == 0, swap.err);
  Reply refused = server.As(Role::kPractitioner, "POST", "/api/v1/submissions/" + uuid + "/review",
                            ReviewBody("proceed"));
  CHECK(refused.status == 500);
  CHECK(refused.body.find("not the sealed original") != std::string::npos);
  CHECK_FALSE(server.store().Find(uuid)->review);
}

TEST_CASE("AnInviteSecretNeverReachesTheAccessLog") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  Object::Ptr invite = Json(server.Call("POST", "/api/v1/visits/" + visit + "/invites", "{}").body);
  std::string url = invite->getValue<std::string>("url");
  std::string credential = url.substr(url.find("/i/") + 3);
  std::string secret = credential.substr(credential.find('.') + 1);
  for (const std::string& path :
       {"/i/" + credential, "/i/" + credential + "/", "/i/" + credential + "/x"}) {
    Reply reply = Send(server.port(), "", "GET", path);
    CAPTURE(path);
    CHECK(reply.body.find(secret) == std::string::npos);
  }
  CHECK(server.StopAndReadLog().find(secret) == std::string::npos);
}

TEST_CASE("ListingsFilterAndPageWithACursor") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  for (const char* form : {kIntake, kConsent, kAftercare}) {
    REQUIRE(server.Call("POST", SubmitPath(form), VisitSubmission(server, form, visit, NewUuid()))
                .status == 201);
  }
  Object::Ptr first = Json(server.Call("GET", "/api/v1/submissions?limit=2").body);
  CHECK(first->getArray("items")->size() == 2);
  std::string next = first->getValue<std::string>("next");
  Object::Ptr second = Json(server.Call("GET", "/api/v1/submissions?limit=2&after=" + next).body);
  CHECK(second->getArray("items")->size() == 1);
  CHECK(second->isNull("next"));
  Object::Ptr consent =
      Json(server.Call("GET", "/api/v1/submissions?form=microneedling-consent").body);
  REQUIRE(consent->getArray("items")->size() == 1);
  CHECK(consent->getArray("items")->getObject(0)->getObject("patient")->getValue<std::string>(
            "name") == "Zoë Muñoz");
  CHECK(Json(server.Call("GET", "/api/v1/submissions?q=zoë").body)->getArray("items")->size() == 3);
  CHECK(Json(server.Call("GET", "/api/v1/submissions?q=1988-04-12").body)
            ->getArray("items")
            ->size() == 3);
  CHECK(Json(server.Call("GET", "/api/v1/submissions?q=nobody").body)->getArray("items")->size() ==
        0);
  CHECK(Json(server.Call("GET", "/api/v1/submissions?date=" + UtcNow().substr(0, 10)).body)
            ->getArray("items")
            ->size() == 3);
  CHECK(Json(server.Call("GET", "/api/v1/submissions?date=2001-01-01").body)
            ->getArray("items")
            ->size() == 0);
  CHECK(server.Call("GET", "/api/v1/submissions?outcome=fine").status == 400);
  CHECK(server.Call("GET", "/api/v1/submissions?review=soon").status == 400);
  CHECK(server.Call("GET", "/api/v1/submissions?date=2026-13-01").status == 400);
  CHECK(server.Call("GET", "/api/v1/submissions?after=garbage").status == 400);
  Object::Ptr visits =
      Json(server.Call("GET", "/api/v1/visits?date=" + UtcNow().substr(0, 10)).body);
  CHECK(visits->getArray("items")->size() == 1);
  bool listed = false;
  server.store().ForEachAuditEvent(
      1, 0, [&](const AuditEvent& e) { listed = listed || e.action == "submissions.listed"; });
  CHECK(listed);
}

TEST_CASE("VisitPacketsPrintWithThePatientOnEveryPage") {
  test::TempDir data;
  TestServer server(data.path());
  std::string visit = MakeVisit(server);
  test::TempDir out;
  Reply blank = server.Call("GET", "/staff/visits/" + visit + "/blank.pdf");
  REQUIRE(blank.status == 200);
  std::string blank_pdf = out.Write("blank.pdf", blank.body);
  int pages = test::PdfPageCount(blank_pdf);
  CHECK(test::CountOf(test::PdfText(blank_pdf), "Zoë Muñoz") >= pages);
  CHECK(server.Call("GET", "/staff/visits/" + visit + "/packet.pdf").status == 404);
  REQUIRE(
      server.Call("POST", SubmitPath(kIntake), VisitSubmission(server, kIntake, visit, NewUuid()))
          .status == 201);
  Reply copy = server.Call("GET", "/staff/visits/" + visit + "/packet.pdf");
  REQUIRE(copy.status == 200);
  std::string copy_pdf = out.Write("copy.pdf", copy.body);
  CHECK(test::PdfText(copy_pdf).find("COPY") != std::string::npos);
  CHECK(test::Run("pdfsig " + test::ShellQuote(copy_pdf)).out.find("Signature is Valid") ==
        std::string::npos);
  CHECK(server.As(Role::kTablet, "GET", "/staff/visits/" + visit + "/blank.pdf").status == 403);
}

}  // namespace
}  // namespace consentkit
