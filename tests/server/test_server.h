// A real consentkit HTTP server on a free 127.0.0.1 port over a fresh data
// folder, and a Poco client to talk to it: what the HTTP suites share.
#ifndef CONSENTKIT_TESTS_SERVER_TEST_SERVER_H_
#define CONSENTKIT_TESTS_SERVER_TEST_SERVER_H_

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "seal/seal.h"
#include "server/server.h"
#include "service/intake.h"
#include "store/store.h"

namespace consentkit {

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string allow;
  std::string location;
  std::string policy;      // Content-Security-Policy
  std::string set_cookie;  // the first Set-Cookie header
};

// One request on a new connection; `token` (may be empty) as a bearer
// credential; `headers` are added as they are.
Reply Send(std::uint16_t port, const std::string& token, const std::string& method,
           const std::string& path, const std::string& body = "",
           const std::string& type = "application/json",
           const std::map<std::string, std::string>& headers = {});

Poco::JSON::Object::Ptr Json(const std::string& text);
// The ids of a problem body's fields, in order.
std::vector<std::string> ProblemFieldIds(const Reply& reply);

ServerSettings TestSettings();
// One sealing identity for every test (a key takes a while to make).
const SigningIdentity& TestSeal();

// A server over a fresh (or given) data folder, serving `forms_dir`
// (default: the shipped forms), with one token of each role.
class TestServer {
 public:
  explicit TestServer(const std::string& data_dir, const std::string& forms_dir = "",
                      ServerSettings settings = TestSettings());
  ~TestServer();

  const std::string& token(Role role) { return tokens_[role]; }
  const std::string& token_id(Role role) { return token_ids_[role]; }
  // A request with the staff token, which may load, submit and read.
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& type = "application/json") {
    return Send(port(), token(Role::kStaff), method, path, body, type);
  }
  // A request with the `role` token.
  Reply As(Role role, const std::string& method, const std::string& path,
           const std::string& body = "") {
    return Send(port(), token(role), method, path, body);
  }

  std::uint16_t port() const;
  Store& store() { return *store_; }
  IntakeService& service() { return *service_; }
  const FormDefinition& form(const std::string& id) const { return *service_->FindForm(id); }
  std::string StopAndReadLog();

 private:
  std::ostringstream log_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<IntakeService> service_;
  std::unique_ptr<HttpServer> http_;
  std::map<Role, std::string> tokens_;
  std::map<Role, std::string> token_ids_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_TESTS_SERVER_TEST_SERVER_H_
