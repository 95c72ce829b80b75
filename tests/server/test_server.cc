#include "server/test_server.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "support/support.h"

namespace consentkit {

using Poco::JSON::Array;
using Poco::JSON::Object;

Reply Send(std::uint16_t port, const std::string& token, const std::string& method,
           const std::string& path, const std::string& body, const std::string& type,
           const std::map<std::string, std::string>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  for (const auto& [name, value] : headers) request.set(name, value);
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
  reply.set_cookie = response.get("Set-Cookie", "");
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

const SigningIdentity& TestSeal() {
  static test::TempDir dir;
  static SigningIdentity identity = [] {
    CreateSelfSignedIdentity(dir.File("keys"), "Harbourview Skin Clinic");
    return SigningIdentity::Load(dir.File("keys/seal-cert.pem"), dir.File("keys/seal-key.pem"));
  }();
  return identity;
}

TestServer::TestServer(const std::string& data_dir, const std::string& forms_dir,
                       ServerSettings settings)
    : store_(OpenSqliteStore(data_dir)) {
  ClinicSettings clinic;
  clinic.name = "Harbourview Skin Clinic";
  service_ = std::make_unique<IntakeService>(
      LoadFormsDirectory(forms_dir.empty() ? test::SourcePath("forms") : forms_dir), *store_,
      clinic, &TestSeal());
  http_ = std::make_unique<HttpServer>(settings, *service_, *store_, &log_);
  http_->Start();
  for (Role role : {Role::kTablet, Role::kStaff, Role::kPractitioner, Role::kCompliance}) {
    NewToken made = MakeToken(role, role == Role::kPractitioner ? "Dr Ana Ruiz" : ToString(role));
    store_->AddToken(made.token, "test");
    tokens_[role] = made.secret;
    token_ids_[role] = made.token.id;
  }
}

TestServer::~TestServer() { http_->Stop(); }

std::uint16_t TestServer::port() const { return http_->port(); }

std::string TestServer::StopAndReadLog() {
  http_->Stop();
  return log_.str();
}

}  // namespace consentkit
