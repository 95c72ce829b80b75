// The HTTP service end to end: a real server on a free 127.0.0.1 port,
// driven by Poco's HTTP client. Stored PDFs are judged by qpdf and
// pdftotext; stored rows are read back from the store itself.
#include "server/server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>
#include <thread>

#include "api/api.h"
#include "archive/archive.h"
#include "auth/auth.h"
#include "server/audit_throttle.h"
#include "server/test_server.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kUuid[] = "0b6f3c9e-6a8e-4b8e-9a57-6c1e2f0d9a41";
constexpr char kUuid2[] = "5d1e8f00-1111-4222-8333-944455556666";
constexpr char kConsentSubmit[] = "/api/v1/forms/microneedling-consent/submissions";

std::string ConsentBody(const TestServer& server, const std::string& uuid,
                        const std::map<std::string, FieldValue>& overrides = {}) {
  return CanonicalSubmissionJson(
      test::FilledSubmission(server.form("microneedling-consent"), uuid, overrides));
}

std::string PdfText(const std::string& pdf) {
  test::TempDir dir;
  std::string path = dir.Write("s.pdf", pdf);
  test::CommandResult text = test::Run("pdftotext -layout " + test::ShellQuote(path) + " -");
  REQUIRE(text.exit_code == 0);
  return text.out;
}

void CheckQpdf(const std::string& pdf) {
  test::TempDir dir;
  std::string path = dir.Write("s.pdf", pdf);
  test::CommandResult check = test::Run("qpdf --check " + test::ShellQuote(path));
  CHECK_MESSAGE(check.exit_code == 0, (check.out + check.err));
}

TEST_CASE("health, index, form pages and blank PDFs are served") {
  test::TempDir data;
  TestServer server(data.path());
  Reply health = server.Call("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "{\"status\":\"ok\"}");
  Reply index = server.Call("GET", "/");
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  for (const char* id :
       {"microneedling-consent", "microneedling-intake", "microneedling-aftercare"}) {
    CHECK(test::CountOf(index.body, std::string("/forms/") + id) >= 1);
  }
  Reply page = server.Call("GET", "/forms/microneedling-consent");
  CHECK(page.status == 200);
  CHECK(page.policy.find("script-src 'self'") != std::string::npos);
  CHECK(page.body.find(server.form("microneedling-consent").sha256_hex) != std::string::npos);
  Reply css = server.Call("GET", "/assets/consentkit.css");
  CHECK(css.status == 200);
  CHECK(css.content_type.rfind("text/css", 0) == 0);
  Reply pdf = server.Call("GET", "/forms/microneedling-consent.pdf");
  CHECK(pdf.status == 200);
  CHECK(pdf.content_type == "application/pdf");
  CheckQpdf(pdf.body);
  CHECK(PdfText(pdf.body).find("Harbourview Skin Clinic") != std::string::npos);
}

TEST_CASE("the form API describes every form") {
  test::TempDir data;
  TestServer server(data.path());
  Reply list = server.Call("GET", "/api/v1/forms");
  CHECK(list.status == 200);
  CHECK(Json(list.body)->getArray("forms")->size() == 3);
  Reply one = server.Call("GET", "/api/v1/forms/microneedling-consent");
  REQUIRE(one.status == 200);
  Object::Ptr form = Json(one.body);
  CHECK(form->getValue<std::string>("sha256") == server.form("microneedling-consent").sha256_hex);
  CHECK(form->getArray("fields")->size() == server.form("microneedling-consent").fields.size());
  CHECK(server.Call("GET", "/api/v1/forms/nope").status == 404);
}

TEST_CASE("a signed consent is stored with its flattened PDF and a receipt") {
  test::TempDir data;
  TestServer server(data.path());
  Reply reply = server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid));
  REQUIRE_MESSAGE(reply.status == 201, reply.body);
  CHECK(reply.location == std::string("/api/v1/submissions/") + kUuid);
  Object::Ptr receipt = Json(reply.body);
  CHECK(receipt->getValue<std::string>("id") == kUuid);
  CHECK(receipt->getValue<std::string>("outcome") == "suitable");
  std::string received_at = receipt->getValue<std::string>("received_at");
  CHECK(received_at.size() == 20);
  CHECK(received_at.back() == 'Z');
  CHECK(receipt->getValue<std::string>("pdf_url") == PdfUrl(kUuid));

  // The stored row, read back from the store.
  auto row = server.store().Find(kUuid);
  REQUIRE(row);
  CHECK(row->form_sha256 == server.form("microneedling-consent").sha256_hex);
  CHECK(row->received_at == received_at);

  // The PDF, as a client downloads it.
  Reply pdf = server.Call("GET", PdfUrl(kUuid));
  REQUIRE(pdf.status == 200);
  CHECK(Sha256Hex(pdf.body) == receipt->getValue<std::string>("pdf_sha256"));
  CheckQpdf(pdf.body);
  // Sealed with the clinic's certificate: poppler and our own check agree.
  SealCheck seal = VerifySealedPdf(pdf.body, TestSeal().certificate_pem());
  CHECK_MESSAGE(seal.valid, seal.problem);
  // The seal names the record it was made for (issue 12 item 3).
  CHECK(seal.sealed_submission_id == kUuid);
  CHECK(seal.sealed_content_sha256.size() == 64);
  {
    test::TempDir dir;
    test::CommandResult sig = test::Run("pdfsig " + test::ShellQuote(dir.Write("s.pdf", pdf.body)));
    CHECK(sig.out.find("Signature is Valid.") != std::string::npos);
    CHECK(sig.out.find("Total document signed") != std::string::npos);
  }
  std::string text = PdfText(pdf.body);
  CHECK(text.find("Zoë Muñoz") != std::string::npos);
  CHECK(text.find(kUuid) != std::string::npos);
  CHECK(text.find(received_at) != std::string::npos);
  CHECK(text.find(server.form("microneedling-consent").sha256_hex) != std::string::npos);
  for (const Risk* risk : server.form("microneedling-consent").Risks()) {
    CHECK_MESSAGE(text.find(risk->title) != std::string::npos, risk->title);
  }
  // Each risk's acknowledgement is printed with it.
  CHECK(test::CountOf(text, "Understood") >=
        static_cast<int>(server.form("microneedling-consent").Risks().size()));

  Reply record = server.Call("GET", std::string("/api/v1/submissions/") + kUuid);
  REQUIRE(record.status == 200);
  Object::Ptr stored = Json(record.body);
  CHECK(
      stored->getObject("submission")->getObject("values")->getValue<std::string>("patient-name") ==
      "Zoë Muñoz");
}

TEST_CASE("the README's sample submission is accepted as it is") {
  test::TempDir data;
  TestServer server(data.path());
  std::string sample = ReadFile(test::SourcePath("samples/submission-microneedling-consent.json"));
  Reply reply = server.Call("POST", kConsentSubmit, sample);
  CHECK_MESSAGE(reply.status == 201, reply.body);
}

TEST_CASE("an intake's screening outcome and reasons reach the receipt and the PDF") {
  test::TempDir data;
  TestServer server(data.path());
  const FormDefinition& intake = server.form("microneedling-intake");
  REQUIRE_FALSE(intake.rules.empty());
  const Rule& rule = intake.rules.front();
  std::string body = CanonicalSubmissionJson(
      test::FilledSubmission(intake, kUuid, {{rule.when.field_id, std::string(rule.when.equals)}}));
  Reply reply = server.Call("POST", "/api/v1/forms/microneedling-intake/submissions", body);
  REQUIRE_MESSAGE(reply.status == 201, reply.body);
  Object::Ptr receipt = Json(reply.body);
  CHECK(receipt->getValue<std::string>("outcome") != "suitable");
  Array::Ptr reasons = receipt->getArray("reasons");
  REQUIRE(reasons->size() >= 1);
  CHECK(reasons->getElement<std::string>(0) == rule.reason);
  std::string text = PdfText(server.Call("GET", PdfUrl(kUuid)).body);
  std::string first_words = rule.reason.substr(0, 30);
  CHECK_MESSAGE(text.find(first_words) != std::string::npos, first_words);
}

TEST_CASE("a retry returns the first receipt; other content under the same id is a conflict") {
  test::TempDir data;
  TestServer server(data.path());
  std::string body = ConsentBody(server, kUuid);
  Reply first = server.Call("POST", kConsentSubmit, body);
  REQUIRE(first.status == 201);
  // Same content, other formatting: still the same submission.
  std::string reformatted = body;
  reformatted.insert(1, "\n  ");
  Reply retry = server.Call("POST", kConsentSubmit, reformatted);
  CHECK(retry.status == 200);
  CHECK(retry.body == first.body);
  Reply conflict =
      server.Call("POST", kConsentSubmit,
                  ConsentBody(server, kUuid, {{"patient-name", std::string("Someone Else")}}));
  CHECK(conflict.status == 409);
  CHECK(conflict.content_type == "application/problem+json");
  CHECK(ProblemFieldIds(conflict) == std::vector<std::string>{"id"});
  CHECK(server.store().CountSubmissions() == 1);
  CHECK(PdfText(server.store().FindPdf(kUuid).value()).find("Someone Else") == std::string::npos);
}

TEST_CASE("each bad request gets its status, stores nothing, and the server keeps serving") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.max_body_bytes = 4096;
  TestServer server(data.path(), "", settings);
  std::string good = ConsentBody(server, kUuid);

  Reply malformed = server.Call("POST", kConsentSubmit, "{\"id\": ");
  CHECK(malformed.status == 400);
  CHECK(Json(malformed.body)->getValue<std::string>("title") == "Malformed JSON");
  CHECK(server.Call("POST", "/api/v1/forms/nope/submissions", good).status == 404);
  CHECK(server.Call("GET", "/api/v1/submissions/" + std::string(kUuid2)).status == 404);
  CHECK(server.Call("GET", "/api/v1/submissions/not-an-id.pdf").status == 404);
  CHECK(server.Call("GET", "/nothing-here").status == 404);
  Reply wrong_method = server.Call("GET", kConsentSubmit);
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.allow == "POST");
  CHECK(server.Call("PUT", "/healthz", "x").status == 405);
  Reply too_large = server.Call("POST", kConsentSubmit, std::string(5000, ' ') + good);
  CHECK(too_large.status == 413);
  Reply wrong_type = server.Call("POST", kConsentSubmit, good, "text/plain");
  CHECK(wrong_type.status == 415);
  CHECK(server.Call("POST", kConsentSubmit, good, "application/json; charset=latin1").status ==
        415);

  // 422 lists every failing field, risk acknowledgements and signature included.
  const FormDefinition& consent = server.form("microneedling-consent");
  const Risk* risk = consent.Risks().front();
  Signature dot;
  dot.pad_width = 600;
  dot.pad_height = 200;
  dot.strokes = {{{10, 10, 0}, {11, 11, 5}}};
  Submission bad = test::FilledSubmission(consent, kUuid2,
                                          {{risk->UnderstoodFieldId(), false},
                                           {"patient-signature", dot},
                                           {"no-such-field", std::string("x")}});
  bad.values.erase(risk->InitialsFieldId());
  Reply invalid = server.Call("POST", kConsentSubmit, CanonicalSubmissionJson(bad));
  REQUIRE(invalid.status == 422);
  std::vector<std::string> ids = ProblemFieldIds(invalid);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> expected = {"no-such-field", "patient-signature",
                                       risk->InitialsFieldId(), risk->UnderstoodFieldId()};
  std::sort(expected.begin(), expected.end());
  CHECK(ids == expected);

  // An outdated definition version is named, with what to do.
  Submission old = test::FilledSubmission(consent, kUuid2);
  old.form_version = "2020.1";
  Reply outdated = server.Call("POST", kConsentSubmit, CanonicalSubmissionJson(old));
  CHECK(outdated.status == 422);
  CHECK(ProblemFieldIds(outdated) == std::vector<std::string>{"form.version"});
  CHECK(outdated.body.find("reload the form") != std::string::npos);

  CHECK(server.store().CountSubmissions() == 0);
  CHECK(server.Call("GET", "/healthz").status == 200);
  CHECK(server.Call("POST", kConsentSubmit, good).status == 201);
}

TEST_CASE("nothing is lost across a restart, and the access log holds no patient data") {
  test::TempDir data;
  std::string receipt, pdf_sha;
  {
    TestServer server(data.path());
    Reply reply = server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid));
    REQUIRE(reply.status == 201);
    receipt = reply.body;
    std::string log = server.StopAndReadLog();
    CHECK(log.find("\"path\":\"/api/v1/forms/microneedling-consent/submissions\"") !=
          std::string::npos);
    CHECK(log.find("\"status\":201") != std::string::npos);
    CHECK(log.find("Zoë") == std::string::npos);
    CHECK(log.find("Muñoz") == std::string::npos);
  }
  TestServer restarted(data.path());
  Reply retry = restarted.Call("POST", kConsentSubmit, ConsentBody(restarted, kUuid));
  CHECK(retry.status == 200);
  CHECK(retry.body == receipt);
  Reply pdf = restarted.Call("GET", PdfUrl(kUuid));
  CHECK(pdf.status == 200);
  CHECK(Sha256Hex(pdf.body) == Json(receipt)->getValue<std::string>("pdf_sha256"));
}

// `threads = 1` is a valid [server] setting: it once reached Poco's thread
// pool as a minimum of 2 above a maximum of 1, and Poco's assertion
// (Poco::AssertionViolationException) escaped where ServerError is promised.
TEST_CASE("one thread serves, and a thread count below one is a ServerError") {
  test::TempDir data;
  ServerSettings one = TestSettings();
  one.threads = 1;
  TestServer server(data.path(), "", one);
  CHECK(server.Call("GET", "/healthz").status == 200);
  CHECK(server.Call("GET", "/api/v1/forms").status == 200);

  std::unique_ptr<Store> store = OpenSqliteStore(data.path());
  ClinicSettings clinic;
  clinic.name = "Harbourview Skin Clinic";
  IntakeService service(LoadFormsDirectory(test::SourcePath("forms")), *store, clinic, nullptr);
  ServerSettings none = TestSettings();
  none.threads = 0;
  CHECK_THROWS_WITH_AS(HttpServer(none, service, *store, nullptr),
                       "cannot serve with 0 threads; expected at least 1", ServerError);
}

TEST_CASE("script in a definition or a value stays text") {
  test::TempDir data, forms;
  std::string xml = ReadFile(test::SourcePath("forms/microneedling-consent.xml"));
  std::string title_open = "<title>";
  std::size_t at = xml.find(title_open);
  REQUIRE(at != std::string::npos);
  xml.insert(at + title_open.size(), "&lt;script&gt;alert(1)&lt;/script&gt; ");
  forms.Write("consent.xml", xml);
  TestServer server(data.path(), forms.path());
  Reply page = server.Call("GET", "/forms/microneedling-consent");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("<script>alert") == std::string::npos);
  CHECK(page.body.find("&lt;script&gt;alert(1)") != std::string::npos);
  Reply index = server.Call("GET", "/");
  CHECK(index.body.find("<script>alert") == std::string::npos);

  std::string script = "<script>alert(2)</script>";
  Reply stored =
      server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid, {{"patient-name", script}}));
  REQUIRE(stored.status == 201);
  Reply record = server.Call("GET", std::string("/api/v1/submissions/") + kUuid);
  CHECK(record.content_type == "application/json; charset=utf-8");
  CHECK(Json(record.body)
            ->getObject("submission")
            ->getObject("values")
            ->getValue<std::string>("patient-name") == script);
  // In the PDF it is printed as the text it is.
  CHECK(PdfText(server.Call("GET", PdfUrl(kUuid)).body).find(script) != std::string::npos);
}

TEST_CASE("a form whose wording changed without a new version is refused at start") {
  test::TempDir data, forms;
  std::string xml = ReadFile(test::SourcePath("forms/microneedling-consent.xml"));
  forms.Write("consent.xml", xml);
  {
    TestServer server(data.path(), forms.path());
    REQUIRE(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  }
  std::size_t at = xml.find("<title>") + 7;
  forms.Write("consent.xml", xml.insert(at, "Changed "));
  CHECK_THROWS_WITH_AS(TestServer(data.path(), forms.path()),
                       doctest::Contains("has changed (sha256"), ServiceError);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

struct Endpoint {
  std::string method, path;
  Permission needs;
  bool page = false;  // a browser page: without credentials it redirects to /pair
};

TEST_CASE("every endpoint enforces the role matrix") {
  test::TempDir data;
  TestServer server(data.path());
  REQUIRE(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  const std::string sub = std::string("/api/v1/submissions/") + kUuid;
  std::vector<Endpoint> endpoints = {
      {"GET", "/", Permission::kLoadForms, true},
      {"GET", "/forms/microneedling-consent", Permission::kLoadForms, true},
      {"GET", "/forms/microneedling-consent.pdf", Permission::kLoadForms, true},
      {"GET", "/api/v1/forms", Permission::kLoadForms},
      {"GET", "/api/v1/forms/microneedling-consent", Permission::kLoadForms},
      {"POST", kConsentSubmit, Permission::kSubmit},
      {"GET", sub, Permission::kReadSubmissions},
      {"GET", sub + ".pdf", Permission::kReadSubmissions},
      {"GET", "/api/v1/audit", Permission::kReadAudit},
      {"GET", "/api/v1/archive?from=2000-01-01&to=2100-01-01", Permission::kExport},
  };
  std::string retry = ConsentBody(server, kUuid);  // a retry: 200 and nothing new
  for (const Endpoint& e : endpoints) {
    CAPTURE(e.path);
    std::string body = e.method == "POST" ? retry : "";
    Reply anonymous = Send(server.port(), "", e.method, e.path, body);
    CHECK(anonymous.status == (e.page ? 303 : 401));
    CHECK(Send(server.port(), "ckt_0000.forged", e.method, e.path, body).status ==
          (e.page ? 303 : 401));
    for (Role role : {Role::kTablet, Role::kStaff, Role::kCompliance}) {
      CAPTURE(ToString(role));
      int status = Send(server.port(), server.token(role), e.method, e.path, body).status;
      if (Allows(role, e.needs)) {
        CHECK(status == 200);
      } else {
        CHECK(status == 403);
      }
    }
  }
  // Public: health, assets and the sign-in page.
  CHECK(Send(server.port(), "", "GET", "/healthz").status == 200);
  CHECK(Send(server.port(), "", "GET", "/assets/consentkit.js").status == 200);
  CHECK(Send(server.port(), "", "GET", "/pair").status == 200);
}

TEST_CASE("a revoked token stops working, and failures are audited") {
  test::TempDir data;
  TestServer server(data.path());
  NewToken made = MakeToken(Role::kStaff, "temp");
  server.store().AddToken(made.token, "test");
  CHECK(Send(server.port(), made.secret, "GET", "/api/v1/forms").status == 200);
  REQUIRE(server.store().RevokeToken(made.token.id, "test"));
  Reply revoked = Send(server.port(), made.secret, "GET", "/api/v1/forms");
  CHECK(revoked.status == 401);
  CHECK(revoked.body.find("revoked") != std::string::npos);
  std::string wrong_secret = made.secret;
  wrong_secret.back() = wrong_secret.back() == 'a' ? 'b' : 'a';
  CHECK(Send(server.port(), wrong_secret, "GET", "/api/v1/forms").status == 401);

  std::vector<AuditEvent> events;
  server.store().ForEachAuditEvent(1, 0, [&](const AuditEvent& e) { events.push_back(e); });
  std::vector<std::string> failures;
  for (const AuditEvent& e : events) {
    if (e.action == "auth.failed") failures.push_back(e.actor + " " + e.object + " " + e.detail);
  }
  // The actor is never taken from the client; the id it claimed is detail.
  CHECK(
      failures ==
      std::vector<std::string>{
          "anonymous /api/v1/forms claimed " + made.token.id + ": the token was revoked at " +
              server.store().FindToken(made.token.id)->revoked_at,
          "anonymous /api/v1/forms claimed " + made.token.id + ": unknown token or wrong secret"});
  // One address cannot grow the chain without bound: 10 a minute are recorded.
  for (int i = 0; i < 30; ++i) Send(server.port(), "ckt_0000.forged", "GET", "/api/v1/forms");
  std::int64_t before = server.store().LastAuditSeq();
  for (int i = 0; i < 30; ++i) Send(server.port(), "ckt_0000.forged", "GET", "/api/v1/forms");
  CHECK(server.store().LastAuditSeq() == before);
  for (const AuditEvent& e : events) {
    CHECK(e.detail.find(made.secret) == std::string::npos);  // never a secret
  }
}

TEST_CASE("the audit log chains submission, reads and tokens, and compliance can read it") {
  test::TempDir data;
  TestServer server(data.path());
  Reply stored = server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid));
  REQUIRE(stored.status == 201);
  REQUIRE(server.Call("GET", PdfUrl(kUuid)).status == 200);
  Reply log = Send(server.port(), server.token(Role::kCompliance), "GET", "/api/v1/audit?limit=50");
  REQUIRE(log.status == 200);
  Array::Ptr events = Json(log.body)->getArray("events");
  std::string prev = kGenesisHash;
  std::vector<std::string> actions;
  for (std::size_t i = 0; i < events->size(); ++i) {
    Object::Ptr o = events->getObject(static_cast<unsigned>(i));
    AuditEvent e;
    e.seq = o->getValue<std::int64_t>("seq");
    e.at = o->getValue<std::string>("at");
    e.actor = o->getValue<std::string>("actor");
    e.action = o->getValue<std::string>("action");
    e.object = o->getValue<std::string>("object");
    e.detail = o->getValue<std::string>("detail");
    CHECK(e.seq == static_cast<std::int64_t>(i + 1));
    CHECK(o->getValue<std::string>("prev_hash") == prev);
    CHECK(o->getValue<std::string>("hash") == AuditHash(prev, e));
    prev = AuditHash(prev, e);
    actions.push_back(e.action);
    if (e.action == "submission.stored") {
      CHECK(e.object == kUuid);
      CHECK(e.detail.find("pdf_sha256=" + Json(stored.body)->getValue<std::string>("pdf_sha256")) ==
            0);
    }
  }
  CHECK(actions == std::vector<std::string>{"token.created", "token.created", "token.created",
                                            "token.created", "submission.stored", "pdf.read",
                                            "audit.read"});
  Reply bad = Send(server.port(), server.token(Role::kCompliance), "GET", "/api/v1/audit?limit=x");
  CHECK(bad.status == 400);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("compliance exports a streamed archive over HTTP that verifies offline") {
  test::TempDir data;
  TestServer server(data.path());
  REQUIRE(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  REQUIRE(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid2)).status == 201);
  const std::string& compliance = server.token(Role::kCompliance);
  Reply zip =
      Send(server.port(), compliance, "GET", "/api/v1/archive?from=2000-01-01&to=2100-01-01");
  REQUIRE(zip.status == 200);
  CHECK(zip.content_type == "application/zip");
  test::TempDir copy;  // another machine: only the zip
  std::string path = copy.Write("archive.zip", zip.body);
  VerifyReport report = VerifyArchive(path, TestSeal().certificate_pem());
  CHECK_MESSAGE(report.ok, report.first_problem);
  // The export itself is on record: started before the first byte went
  // out (the archive's own slice holds that event), then completed.
  std::vector<AuditEvent> exports;
  server.store().ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
    if (e.action.rfind("archive.", 0) == 0) exports.push_back(e);
  });
  REQUIRE(exports.size() == 2);
  CHECK(exports[0].action == "archive.exported");
  CHECK(exports[0].actor == exports[1].actor);
  CHECK(exports[0].actor.rfind("tok_", 0) == 0);  // the compliance token's id
  CHECK(exports[0].detail.rfind(
            "state=started;from=2000-01-01T00:00:00Z;to=2100-01-01T00:00:00Z;exported_at=", 0) ==
        0);
  CHECK(exports[1].action == "archive.completed");
  CHECK(exports[1].detail.find(";submissions=2;started_seq=" + std::to_string(exports[0].seq) +
                               ";") != std::string::npos);
  CHECK(report.summary.find("the range is the one audit event " + std::to_string(exports[0].seq) +
                            " recorded") != std::string::npos);
  // HEAD streams nothing, so it records no export.
  std::int64_t before_head = server.store().LastAuditSeq();
  Poco::Net::HTTPClientSession head_session("127.0.0.1", server.port());
  Poco::Net::HTTPRequest head("HEAD", "/api/v1/archive", Poco::Net::HTTPMessage::HTTP_1_1);
  head.set("Authorization", "Bearer " + compliance);
  head_session.sendRequest(head);
  Poco::Net::HTTPResponse head_response;
  head_session.receiveResponse(head_response);
  CHECK(head_response.getStatus() == 200);
  CHECK(server.store().LastAuditSeq() == before_head);
  CHECK(Send(server.port(), compliance, "GET", "/api/v1/archive?from=yesterday").status == 400);
  CHECK(Send(server.port(), compliance, "GET", "/api/v1/archive?from=2026-12-01&to=2026-11-01")
            .status == 400);
}

}  // namespace
}  // namespace consentkit

namespace consentkit {
namespace {

TEST_CASE("review findings stay fixed: odd input is a 4xx, HEAD reads nothing") {
  test::TempDir data;
  TestServer server(data.path());
  const std::string& compliance = server.token(Role::kCompliance);
  CHECK(Send(server.port(), compliance, "GET", "/api/v1/audit?after=%zz").status == 400);
  CHECK(Send(server.port(), compliance, "GET", "/api/v1/archive?from=%zz").status == 400);
  // Numbers past float range are the client's error, not the server's.
  std::string body = ConsentBody(server, kUuid);
  std::size_t at = body.find("\"height\":200");
  REQUIRE(at != std::string::npos);
  body.replace(at, 12, "\"height\":1e300");
  Reply huge = server.Call("POST", kConsentSubmit, body);
  CHECK(huge.status == 422);
  CHECK(ProblemFieldIds(huge) == std::vector<std::string>{"patient-signature"});
  // HEAD sends no PDF, so it records no read.
  REQUIRE(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  std::int64_t before = server.store().LastAuditSeq();
  CHECK(server.Call("HEAD", PdfUrl(kUuid)).status == 200);
  CHECK(server.store().LastAuditSeq() == before);
  // Another site cannot sign a browser in.
  Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
  Poco::Net::HTTPRequest pair("POST", "/pair", Poco::Net::HTTPMessage::HTTP_1_1);
  std::string form = "token=" + server.token(Role::kTablet);
  pair.setContentType("application/x-www-form-urlencoded");
  pair.setContentLength64(static_cast<Poco::Int64>(form.size()));
  pair.set("Origin", "https://evil.example");
  pair.set("Sec-Fetch-Site", "cross-site");
  session.sendRequest(pair) << form;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response);
  CHECK(response.getStatus() == 403);
  CHECK_FALSE(response.has("Set-Cookie"));
}

// ---- issue 14: bounded errors, throttled audit events, strict inputs ----

// An answer with every header, to a request sent from `source`, one of the
// loopback addresses (127.0.0.0/8), so tests can be several clients.
struct FullReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // by lower-case name
  std::string Header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? "" : found->second;
  }
};

FullReply SendFrom(const std::string& source, std::uint16_t port, const std::string& method,
                   const std::string& path, const std::string& body = "",
                   const std::map<std::string, std::string>& headers = {},
                   const std::string& type = "application/json") {
  Poco::Net::StreamSocket socket;
  socket.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", port));
  Poco::Net::HTTPClientSession session(socket);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  request.setHost("127.0.0.1", port);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (method == "POST") {
    request.setContentType(type);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  FullReply reply;
  reply.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [name, value] : response) reply.headers[Poco::toLower(name)] = value;
  return reply;
}

std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// How many events of `action` the chain holds after `after`.
int CountEvents(Store& store, const std::string& action, std::int64_t after = 0,
                std::vector<AuditEvent>* found = nullptr) {
  int n = 0;
  store.ForEachAuditEvent(after + 1, 0, [&](const AuditEvent& e) {
    if (e.action != action) return;
    ++n;
    if (found) found->push_back(e);
  });
  return n;
}

// A consent with `extra` unknown fields "zz-00000"… besides its valid values.
std::string WithUnknownFields(const std::string& body, int extra) {
  std::string fields;
  char id[16];
  for (int i = 0; i < extra; ++i) {
    std::snprintf(id, sizeof id, "zz-%05d", i);
    fields += std::string("\"") + id + "\":\"x\",";
  }
  std::string out = body;
  std::size_t at = out.find("\"values\":{");
  REQUIRE(at != std::string::npos);
  return out.insert(at + 10, fields);
}

TEST_CASE("32,000 bad fields: a 422 naming 50 and their total, under 64 KiB, before any render") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.max_body_bytes = 2 * 1024 * 1024;
  TestServer server(data.path(), "", settings);
  std::int64_t events = server.store().LastAuditSeq();
  std::uint64_t slots = server.service().RenderSlotsTaken();
  std::string body = WithUnknownFields(ConsentBody(server, kUuid), 32000);
  REQUIRE(body.size() > 400000);
  Reply bad = server.Call("POST", kConsentSubmit, body);
  REQUIRE(bad.status == 422);
  CHECK(bad.body.size() < kMaxProblemBytes);
  Object::Ptr problem = Json(bad.body);
  CHECK(problem->getArray("fields")->size() == 50);
  CHECK(problem->getValue<int>("fields_total") == 32000);
  CHECK(problem->getValue<std::string>("detail") == "32000 fields are not valid");
  CHECK(ProblemFieldIds(bad).front() == "zz-00000");
  // Refused before a render slot was taken; nothing stored or recorded.
  CHECK(server.service().RenderSlotsTaken() == slots);
  CHECK(server.store().CountSubmissions() == 0);
  CHECK(server.store().LastAuditSeq() == events);
  CHECK(server.Call("POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  CHECK(server.service().RenderSlotsTaken() == slots + 1);
}

TEST_CASE("duplicate keys are a 400 naming the key; the charset must be exactly UTF-8") {
  test::TempDir data;
  TestServer server(data.path());
  std::int64_t events = server.store().LastAuditSeq();
  std::string good = ConsentBody(server, kUuid);
  std::string twice = "{\"id\":\"" + std::string(kUuid2) + "\"," + good.substr(1);
  Reply duplicate = server.Call("POST", kConsentSubmit, twice);
  CHECK(duplicate.status == 400);
  CHECK(duplicate.content_type == "application/problem+json");
  CHECK(Json(duplicate.body)->getValue<std::string>("detail").find("duplicate key \"id\"") !=
        std::string::npos);
  // The first value's key once more, in front of it.
  std::size_t values = good.find("\"values\":{\"") + 10;
  std::string first_key = good.substr(values, good.find('"', values + 1) + 1 - values);
  std::string values_twice = good;
  values_twice.insert(values, first_key + ":\"Eve\",");
  Reply twice_in_values = server.Call("POST", kConsentSubmit, values_twice);
  CAPTURE(twice_in_values.body);
  CHECK(twice_in_values.status == 400);
  CHECK(Json(twice_in_values.body)
            ->getValue<std::string>("detail")
            .find("duplicate key " + first_key + " in \"values\"") != std::string::npos);
  for (const char* type :
       {"application/json; charset=utf-8x", "application/json; charset=utf8",
        "application/json; charset=latin1", "application/json;charset=\"utf-8x\"",
        "application/json; charset=utf-8; charset=latin1", "text/json"}) {
    CAPTURE(type);
    CHECK(server.Call("POST", kConsentSubmit, good, type).status == 415);
  }
  CHECK(server.store().CountSubmissions() == 0);
  CHECK(server.store().LastAuditSeq() == events);
  CHECK(server.Call("POST", kConsentSubmit, good, "application/json; charset=\"UTF-8\"").status ==
        201);
  CHECK(server
            .Call("POST", kConsentSubmit, ConsentBody(server, kUuid2),
                  "Application/JSON;charset=utf-8")
            .status == 201);
}

TEST_CASE("the Authorization scheme is case-insensitive") {
  test::TempDir data;
  TestServer server(data.path());
  for (const char* scheme : {"bearer ", "BEARER ", "BeArEr\t", "Bearer   "}) {
    CAPTURE(scheme);
    CHECK(Send(server.port(), "", "GET", "/api/v1/forms", "", "",
               {{"Authorization", scheme + server.token(Role::kTablet)}})
              .status == 200);
  }
  CHECK(Send(server.port(), "", "GET", "/api/v1/forms", "", "",
             {{"Authorization", "Basic " + server.token(Role::kTablet)}})
            .status == 401);
}

// What a browser of another site (or none we can tell) sends with a cookie.
const std::vector<std::pair<std::string, std::map<std::string, std::string>>>& CrossSite() {
  static const std::vector<std::pair<std::string, std::map<std::string, std::string>>> kCases = {
      {"Origin: null", {{"Origin", "null"}}},
      {"a foreign Origin", {{"Origin", "http://evil.example"}}},
      {"our host on another port", {{"Origin", "http://127.0.0.1:1"}}},
      {"a foreign Referer only", {{"Referer", "http://evil.example/pair"}}},
      {"neither Origin nor Sec-Fetch-Site", {}},
      {"Sec-Fetch-Site: cross-site", {{"Sec-Fetch-Site", "cross-site"}}},
      {"Sec-Fetch-Site: same-site", {{"Sec-Fetch-Site", "same-site"}}},
      {"Origin: null with Sec-Fetch-Site: same-origin",
       {{"Origin", "null"}, {"Sec-Fetch-Site", "same-origin"}}},
  };
  return kCases;
}

TEST_CASE("a cookie's state-changing requests and /pair must come from our own pages") {
  test::TempDir data;
  TestServer server(data.path());
  const std::string own = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string cookie = "ck_token=" + server.token(Role::kStaff);
  std::string pair_form = "token=" + server.token(Role::kStaff);
  std::int64_t events = server.store().LastAuditSeq();
  for (const auto& [what, headers] : CrossSite()) {
    CAPTURE(what);
    std::map<std::string, std::string> with_cookie = headers;
    with_cookie["Cookie"] = cookie;
    FullReply submit = SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit,
                                ConsentBody(server, kUuid), with_cookie);
    CHECK(submit.status == 403);
    CHECK(submit.Header("content-type") == "application/problem+json");
    CHECK(submit.body.find("expected a request from this site's own pages") != std::string::npos);
    FullReply pair = SendFrom("127.0.0.1", server.port(), "POST", "/pair", pair_form, headers,
                              "application/x-www-form-urlencoded");
    CHECK(pair.status == 403);
    CHECK(pair.Header("set-cookie").empty());
  }
  // Refused before the credential is checked: nothing stored, nothing recorded.
  CHECK(server.store().CountSubmissions() == 0);
  CHECK(server.store().LastAuditSeq() == events);
  // Our own pages: their Origin, or Fetch Metadata saying so.
  FullReply by_origin = SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit,
                                 ConsentBody(server, kUuid), {{"Cookie", cookie}, {"Origin", own}});
  CHECK(by_origin.status == 201);
  CHECK(by_origin.Header("referrer-policy") == "same-origin");
  CHECK(SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid2),
                 {{"Cookie", cookie}, {"Sec-Fetch-Site", "same-origin"}, {"Referer", own + "/x"}})
            .status == 201);
  FullReply paired = SendFrom("127.0.0.1", server.port(), "POST", "/pair", pair_form,
                              {{"Origin", own}}, "application/x-www-form-urlencoded");
  CHECK(paired.status == 303);
  CHECK(paired.Header("set-cookie").rfind("ck_token=", 0) == 0);
  // A bearer token is a script's, not a browser's ambient credential.
  CHECK(SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit,
                 ConsentBody(server, "7d1e8f00-1111-4222-8333-944455556666"),
                 {{"Authorization", "Bearer " + server.token(Role::kStaff)},
                  {"Origin", "http://evil.example"}})
            .status == 201);
  CHECK(server.store().CountSubmissions() == 3);
}

TEST_CASE("behind a proxy that rewrites Host, the public-url's origin is our own") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.public_url = "https://Consent.Clinic.example";
  TestServer server(data.path(), "", settings);
  const std::string cookie = "ck_token=" + server.token(Role::kStaff);
  CHECK(SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid),
                 {{"Cookie", cookie}, {"Origin", "https://consent.clinic.example"}})
            .status == 201);
  // Another origin is still another site's, and so is the scheme changed.
  for (const char* origin : {"https://evil.example", "http://consent.clinic.example"}) {
    CAPTURE(origin);
    CHECK(SendFrom("127.0.0.1", server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid2),
                   {{"Cookie", cookie}, {"Origin", origin}})
              .status == 403);
  }
  CHECK(server.store().CountSubmissions() == 1);
}

TEST_CASE("access.denied is throttled per token and address; every held-back count is written") {
  test::TempDir data;
  std::string tablet_id;
  {
    TestServer server(data.path());
    tablet_id = server.token_id(Role::kTablet);
    std::int64_t before = server.store().LastAuditSeq();
    for (const char* address : {"127.0.0.4", "127.0.0.5"}) {
      for (int i = 0; i < 60; ++i) {
        FullReply denied = SendFrom(address, server.port(), "GET", "/api/v1/audit", "",
                                    Bearer(server.token(Role::kTablet)));
        REQUIRE(denied.status == 403);
      }
    }
    // Per token: 10 a minute, whichever address asks.
    CHECK(CountEvents(server.store(), "access.denied", before) == AuditThrottle::kPerMinute);
    CHECK(server.store().LastAuditSeq() - before == AuditThrottle::kPerMinute);
    CHECK(SendFrom("127.0.0.4", server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid),
                   Bearer(server.token(Role::kTablet)))
              .status == 201);
  }  // stopping writes what was held back
  std::unique_ptr<Store> store = OpenSqliteStore(data.path());
  std::vector<AuditEvent> flushed;
  REQUIRE(CountEvents(*store, "audit.suppressed", 0, &flushed) == 1);
  CHECK(flushed[0].detail.find("access.denied: 110 not recorded") == 0);
  CHECK(flushed[0].detail.find("address 127.0.0.4: 50") != std::string::npos);
  CHECK(flushed[0].detail.find("token " + tablet_id + ": 60") != std::string::npos);
}

TEST_CASE("20 failed sign-ins a minute from one address earn a 429, credentials unchecked") {
  test::TempDir data;
  TestServer server(data.path());
  std::int64_t before = server.store().LastAuditSeq();
  for (int i = 0; i < AuditThrottle::kGuessesPerMinute; ++i) {
    std::string guess = "ckt_" + std::to_string(1000 + i) + ".guessed";
    REQUIRE(
        SendFrom("127.0.0.6", server.port(), "GET", "/api/v1/forms", "", Bearer(guess)).status ==
        401);
  }
  FullReply refused =
      SendFrom("127.0.0.6", server.port(), "GET", "/api/v1/forms", "", Bearer("ckt_1.guessed"));
  CHECK(refused.status == 429);
  CHECK(refused.Header("content-type") == "application/problem+json");
  int retry = std::atoi(refused.Header("retry-after").c_str());
  CHECK(retry >= 1);
  CHECK(retry <= 60);
  // Not even a valid token is checked from there, nor a sign-in.
  CHECK(SendFrom("127.0.0.6", server.port(), "GET", "/api/v1/forms", "",
                 Bearer(server.token(Role::kStaff)))
            .status == 429);
  CHECK(SendFrom("127.0.0.6", server.port(), "POST", "/pair", "token=" + server.token(Role::kStaff),
                 {{"Sec-Fetch-Site", "same-origin"}}, "application/x-www-form-urlencoded")
            .status == 429);
  CHECK(CountEvents(server.store(), "auth.failed", before) == AuditThrottle::kPerMinute);
  CHECK(server.store().LastAuditSeq() - before == AuditThrottle::kPerMinute);
  CHECK(server.store().CountSubmissions() == 0);
  // Another address is not held up.
  CHECK(SendFrom("127.0.0.7", server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid),
                 Bearer(server.token(Role::kStaff)))
            .status == 201);
}

using ThrottleClock = AuditThrottle::Clock;

// The counts an audit.suppressed detail gives for `action`.
std::int64_t TotalIn(const std::string& detail, const std::string& action) {
  std::size_t at = detail.find(action + ": ");
  return at == std::string::npos ? 0 : std::stoll(detail.substr(at + action.size() + 2));
}

TEST_CASE("the audit throttle admits 10 a minute per address and per token, counting the rest") {
  AuditThrottle throttle;
  ThrottleClock::time_point t0{};
  const auto denied = ThrottledAction::kAccessDenied;
  for (int i = 0; i < 10; ++i) CHECK(throttle.Admit(denied, "10.0.0.1", "", t0).record);
  CHECK_FALSE(throttle.Admit(denied, "10.0.0.1", "", t0).record);
  CHECK_FALSE(throttle.Admit(denied, "10.0.0.1", "", t0).record);
  // Other addresses and the other action have limits of their own.
  CHECK(throttle.Admit(denied, "10.0.0.2", "", t0).record);
  CHECK(throttle.Admit(ThrottledAction::kAuthFailed, "10.0.0.1", "", t0).record);
  // The next minute's first event says how many were not recorded.
  AuditThrottle::Admission next =
      throttle.Admit(denied, "10.0.0.1", "", t0 + std::chrono::seconds(60));
  CHECK(next.record);
  CHECK(next.unrecorded == 2);
  CHECK(throttle.TakeUnrecorded(t0 + std::chrono::seconds(61)).empty());
  // One token from many addresses: 10 a minute in all.
  int recorded = 0;
  for (int i = 0; i < 50; ++i) {
    recorded += throttle.Admit(denied, "10.1.0." + std::to_string(i), "ckt_tablet", t0).record;
  }
  CHECK(recorded == 10);
  CHECK(TotalIn(throttle.TakeUnrecorded(t0), "access.denied") == 40);
}

TEST_CASE("no held-back count is lost, and the throttle's memory stays bounded") {
  AuditThrottle throttle;
  ThrottleClock::time_point t{};
  std::int64_t attempts = 0, recorded = 0, carried = 0, flushed = 0;
  auto flush = [&] {
    std::string detail = throttle.TakeUnrecorded(t);
    flushed += TotalIn(detail, "access.denied") + TotalIn(detail, "auth.failed");
  };
  // Five minutes of a mixed flood, flushed every 30 s.
  for (int step = 0; step < 300; ++step, t += std::chrono::seconds(1)) {
    for (int i = 0; i < 40; ++i, ++attempts) {
      auto action = i % 3 ? ThrottledAction::kAccessDenied : ThrottledAction::kAuthFailed;
      AuditThrottle::Admission a = throttle.Admit(action, "10.0.0." + std::to_string(i % 5),
                                                  i % 4 ? "ckt_" + std::to_string(i % 3) : "", t);
      recorded += a.record;
      carried += a.unrecorded;
    }
    if (step % 30 == 29) flush();
  }
  flush();
  CHECK(recorded + carried + flushed == attempts);
  CHECK(recorded <= 2 * 5 * 10 * 5);  // per action, address and minute at most
  // 10,000 new addresses and tokens in one minute: the maps stop growing,
  // the newcomers share one entry's limit, and their counts still add up.
  AuditThrottle bounded;
  std::int64_t admitted = 0;
  for (int i = 0; i < 10000; ++i) {
    admitted += bounded
                    .Admit(ThrottledAction::kAuthFailed, "fd00::" + std::to_string(i),
                           "ckt_guess" + std::to_string(i), t)
                    .record;
  }
  CHECK(bounded.Tracked() <= 2 * AuditThrottle::kMaxSubjects + 2);
  CHECK(admitted == static_cast<std::int64_t>(AuditThrottle::kMaxSubjects) + 10);
  CHECK(TotalIn(bounded.TakeUnrecorded(t), "auth.failed") == 10000 - admitted);
  // A minute later the idle entries are dropped.
  bounded.TakeUnrecorded(t + std::chrono::seconds(61));
  CHECK(bounded.Tracked() == 0);
}

TEST_CASE("the guessing limit refuses an address for the rest of its minute") {
  AuditThrottle throttle;
  ThrottleClock::time_point t0{};
  for (int i = 0; i < AuditThrottle::kGuessesPerMinute - 1; ++i) {
    throttle.CountFailedGuess("10.0.0.9", t0 + std::chrono::seconds(i));
  }
  CHECK(throttle.GuessingRefusedFor("10.0.0.9", t0 + std::chrono::seconds(20)) == 0);
  throttle.CountFailedGuess("10.0.0.9", t0 + std::chrono::seconds(20));
  CHECK(throttle.GuessingRefusedFor("10.0.0.9", t0 + std::chrono::seconds(20)) == 40);
  CHECK(throttle.GuessingRefusedFor("10.0.0.9", t0 + std::chrono::milliseconds(59500)) == 1);
  CHECK(throttle.GuessingRefusedFor("10.0.0.8", t0 + std::chrono::seconds(20)) == 0);
  CHECK(throttle.GuessingRefusedFor("10.0.0.9", t0 + std::chrono::seconds(60)) == 0);
}

TEST_CASE("held-back counts are written within the flush interval and at the end") {
  test::TempDir data;
  std::unique_ptr<Store> store = OpenSqliteStore(data.path());
  AuditThrottle throttle;
  for (int i = 0; i < 15; ++i) throttle.Admit(ThrottledAction::kAuthFailed, "10.0.0.3", "");
  {
    UnrecordedFlusher every_50ms(throttle, *store, std::chrono::milliseconds(50));
    for (int tries = 0; tries < 200 && CountEvents(*store, "audit.suppressed") == 0; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    REQUIRE(CountEvents(*store, "audit.suppressed") == 1);
  }
  for (int i = 0; i < 3; ++i) throttle.Admit(ThrottledAction::kAuthFailed, "10.0.0.3", "");
  { UnrecordedFlusher hourly(throttle, *store, std::chrono::hours(1)); }  // its stop writes
  std::vector<AuditEvent> events;
  REQUIRE(CountEvents(*store, "audit.suppressed", 0, &events) == 2);
  CHECK(events[0].detail == "auth.failed: 5 not recorded (address 10.0.0.3: 5)");
  CHECK(events[1].detail == "auth.failed: 3 not recorded (address 10.0.0.3: 3)");
  CHECK(events[0].actor == "server");
}

}  // namespace
}  // namespace consentkit
