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
#include <Poco/StreamCopier.h>
#include <doctest/doctest.h>

#include <sstream>

#include "api/api.h"
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

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string allow;
  std::string location;
  std::string policy;  // Content-Security-Policy
};

Reply Send(std::uint16_t port, const std::string& method, const std::string& path,
           const std::string& body = "", const std::string& type = "application/json") {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (method == "POST" || method == "PUT") {
    request.setContentType(type);
    request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  }
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Reply reply;
  reply.status = response.getStatus();
  reply.content_type = response.getContentType();
  Poco::StreamCopier::copyToString(in, reply.body);
  reply.allow = response.get("Allow", "");
  reply.location = response.get("Location", "");
  reply.policy = response.get("Content-Security-Policy", "");
  return reply;
}

Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::vector<std::string> ProblemFieldIds(const Reply& reply) {
  std::vector<std::string> ids;
  Array::Ptr fields = Json(reply.body)->getArray("fields");
  for (std::size_t i = 0; i < fields->size(); ++i) {
    ids.push_back(fields->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
  }
  return ids;
}

ServerSettings TestSettings() {
  ServerSettings s;
  s.port = 0;
  s.threads = 4;
  s.max_body_bytes = 256 * 1024;
  return s;
}

// A server over a fresh (or given) data folder, serving `forms_dir`.
class TestServer {
 public:
  explicit TestServer(const std::string& data_dir, const std::string& forms_dir = "",
                      ServerSettings settings = TestSettings())
      : store_(OpenSqliteStore(data_dir)) {
    ClinicSettings clinic;
    clinic.name = "Harbourview Skin Clinic";
    service_ = std::make_unique<IntakeService>(
        LoadFormsDirectory(forms_dir.empty() ? test::SourcePath("forms") : forms_dir), *store_,
        clinic);
    http_ = std::make_unique<HttpServer>(settings, *service_, &log_);
    http_->Start();
  }
  ~TestServer() { http_->Stop(); }

  std::uint16_t port() const { return http_->port(); }
  Store& store() { return *store_; }
  const FormDefinition& form(const std::string& id) const { return *service_->FindForm(id); }
  std::string StopAndReadLog() {
    http_->Stop();
    return log_.str();
  }

 private:
  std::ostringstream log_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<IntakeService> service_;
  std::unique_ptr<HttpServer> http_;
};

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
  Reply health = Send(server.port(), "GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body == "{\"status\":\"ok\"}");
  Reply index = Send(server.port(), "GET", "/");
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  for (const char* id :
       {"microneedling-consent", "microneedling-intake", "microneedling-aftercare"}) {
    CHECK(test::CountOf(index.body, std::string("/forms/") + id) >= 1);
  }
  Reply page = Send(server.port(), "GET", "/forms/microneedling-consent");
  CHECK(page.status == 200);
  CHECK(page.policy.find("script-src 'self'") != std::string::npos);
  CHECK(page.body.find(server.form("microneedling-consent").sha256_hex) != std::string::npos);
  Reply css = Send(server.port(), "GET", "/assets/consentkit.css");
  CHECK(css.status == 200);
  CHECK(css.content_type.rfind("text/css", 0) == 0);
  Reply pdf = Send(server.port(), "GET", "/forms/microneedling-consent.pdf");
  CHECK(pdf.status == 200);
  CHECK(pdf.content_type == "application/pdf");
  CheckQpdf(pdf.body);
  CHECK(PdfText(pdf.body).find("Harbourview Skin Clinic") != std::string::npos);
}

TEST_CASE("the form API describes every form") {
  test::TempDir data;
  TestServer server(data.path());
  Reply list = Send(server.port(), "GET", "/api/v1/forms");
  CHECK(list.status == 200);
  CHECK(Json(list.body)->getArray("forms")->size() == 3);
  Reply one = Send(server.port(), "GET", "/api/v1/forms/microneedling-consent");
  REQUIRE(one.status == 200);
  Object::Ptr form = Json(one.body);
  CHECK(form->getValue<std::string>("sha256") == server.form("microneedling-consent").sha256_hex);
  CHECK(form->getArray("fields")->size() == server.form("microneedling-consent").fields.size());
  CHECK(Send(server.port(), "GET", "/api/v1/forms/nope").status == 404);
}

TEST_CASE("a signed consent is stored with its flattened PDF and a receipt") {
  test::TempDir data;
  TestServer server(data.path());
  Reply reply = Send(server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid));
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
  Reply pdf = Send(server.port(), "GET", PdfUrl(kUuid));
  REQUIRE(pdf.status == 200);
  CHECK(Sha256Hex(pdf.body) == receipt->getValue<std::string>("pdf_sha256"));
  CheckQpdf(pdf.body);
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

  Reply record = Send(server.port(), "GET", std::string("/api/v1/submissions/") + kUuid);
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
  Reply reply = Send(server.port(), "POST", kConsentSubmit, sample);
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
  Reply reply = Send(server.port(), "POST", "/api/v1/forms/microneedling-intake/submissions", body);
  REQUIRE_MESSAGE(reply.status == 201, reply.body);
  Object::Ptr receipt = Json(reply.body);
  CHECK(receipt->getValue<std::string>("outcome") != "suitable");
  Array::Ptr reasons = receipt->getArray("reasons");
  REQUIRE(reasons->size() >= 1);
  CHECK(reasons->getElement<std::string>(0) == rule.reason);
  std::string text = PdfText(Send(server.port(), "GET", PdfUrl(kUuid)).body);
  std::string first_words = rule.reason.substr(0, 30);
  CHECK_MESSAGE(text.find(first_words) != std::string::npos, first_words);
}

TEST_CASE("a retry returns the first receipt; other content under the same id is a conflict") {
  test::TempDir data;
  TestServer server(data.path());
  std::string body = ConsentBody(server, kUuid);
  Reply first = Send(server.port(), "POST", kConsentSubmit, body);
  REQUIRE(first.status == 201);
  // Same content, other formatting: still the same submission.
  std::string reformatted = body;
  reformatted.insert(1, "\n  ");
  Reply retry = Send(server.port(), "POST", kConsentSubmit, reformatted);
  CHECK(retry.status == 200);
  CHECK(retry.body == first.body);
  Reply conflict =
      Send(server.port(), "POST", kConsentSubmit,
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
  std::uint16_t port = server.port();
  std::string good = ConsentBody(server, kUuid);

  Reply malformed = Send(port, "POST", kConsentSubmit, "{\"id\": ");
  CHECK(malformed.status == 400);
  CHECK(Json(malformed.body)->getValue<std::string>("title") == "Malformed JSON");
  CHECK(Send(port, "POST", "/api/v1/forms/nope/submissions", good).status == 404);
  CHECK(Send(port, "GET", "/api/v1/submissions/" + std::string(kUuid2)).status == 404);
  CHECK(Send(port, "GET", "/api/v1/submissions/not-an-id.pdf").status == 404);
  CHECK(Send(port, "GET", "/nothing-here").status == 404);
  Reply wrong_method = Send(port, "GET", kConsentSubmit);
  CHECK(wrong_method.status == 405);
  CHECK(wrong_method.allow == "POST");
  CHECK(Send(port, "PUT", "/healthz", "x").status == 405);
  Reply too_large = Send(port, "POST", kConsentSubmit, std::string(5000, ' ') + good);
  CHECK(too_large.status == 413);
  Reply wrong_type = Send(port, "POST", kConsentSubmit, good, "text/plain");
  CHECK(wrong_type.status == 415);
  CHECK(Send(port, "POST", kConsentSubmit, good, "application/json; charset=latin1").status == 415);

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
  Reply invalid = Send(port, "POST", kConsentSubmit, CanonicalSubmissionJson(bad));
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
  Reply outdated = Send(port, "POST", kConsentSubmit, CanonicalSubmissionJson(old));
  CHECK(outdated.status == 422);
  CHECK(ProblemFieldIds(outdated) == std::vector<std::string>{"form_version"});
  CHECK(outdated.body.find("reload the form") != std::string::npos);

  CHECK(server.store().CountSubmissions() == 0);
  CHECK(Send(port, "GET", "/healthz").status == 200);
  CHECK(Send(port, "POST", kConsentSubmit, good).status == 201);
}

TEST_CASE("nothing is lost across a restart, and the access log holds no patient data") {
  test::TempDir data;
  std::string receipt, pdf_sha;
  {
    TestServer server(data.path());
    Reply reply = Send(server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid));
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
  Reply retry = Send(restarted.port(), "POST", kConsentSubmit, ConsentBody(restarted, kUuid));
  CHECK(retry.status == 200);
  CHECK(retry.body == receipt);
  Reply pdf = Send(restarted.port(), "GET", PdfUrl(kUuid));
  CHECK(pdf.status == 200);
  CHECK(Sha256Hex(pdf.body) == Json(receipt)->getValue<std::string>("pdf_sha256"));
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
  Reply page = Send(server.port(), "GET", "/forms/microneedling-consent");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("<script>alert") == std::string::npos);
  CHECK(page.body.find("&lt;script&gt;alert(1)") != std::string::npos);
  Reply index = Send(server.port(), "GET", "/");
  CHECK(index.body.find("<script>alert") == std::string::npos);

  std::string script = "<script>alert(2)</script>";
  Reply stored = Send(server.port(), "POST", kConsentSubmit,
                      ConsentBody(server, kUuid, {{"patient-name", script}}));
  REQUIRE(stored.status == 201);
  Reply record = Send(server.port(), "GET", std::string("/api/v1/submissions/") + kUuid);
  CHECK(record.content_type == "application/json; charset=utf-8");
  CHECK(Json(record.body)
            ->getObject("submission")
            ->getObject("values")
            ->getValue<std::string>("patient-name") == script);
  // In the PDF it is printed as the text it is.
  CHECK(PdfText(Send(server.port(), "GET", PdfUrl(kUuid)).body).find(script) != std::string::npos);
}

TEST_CASE("a form whose wording changed without a new version is refused at start") {
  test::TempDir data, forms;
  std::string xml = ReadFile(test::SourcePath("forms/microneedling-consent.xml"));
  forms.Write("consent.xml", xml);
  {
    TestServer server(data.path(), forms.path());
    REQUIRE(Send(server.port(), "POST", kConsentSubmit, ConsentBody(server, kUuid)).status == 201);
  }
  std::size_t at = xml.find("<title>") + 7;
  forms.Write("consent.xml", xml.insert(at, "Changed "));
  CHECK_THROWS_WITH_AS(TestServer(data.path(), forms.path()),
                       doctest::Contains("has changed (sha256"), ServiceError);
}

}  // namespace
}  // namespace consentkit
