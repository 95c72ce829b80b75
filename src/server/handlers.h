// Private to the server module: routing and the handlers behind each route.
#ifndef CONSENTKIT_SERVER_HANDLERS_H_
#define CONSENTKIT_SERVER_HANDLERS_H_

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth/auth.h"
#include "config/config.h"
#include "service/intake.h"

namespace consentkit {

// Bounds how many auth.failed events one client address can add to the
// audit chain: the chain can never be pruned, so an unauthenticated
// client must not be able to grow it without limit.
class FailureLimiter {
 public:
  // True if a failure from `address` should be recorded now; `suppressed`
  // then holds how many from it went unrecorded since the last one.
  bool Admit(const std::string& address, int& suppressed);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int recorded = 0;
    int suppressed = 0;
  };
  static constexpr int kPerMinute = 10;
  static constexpr std::size_t kMaxAddresses = 10000;
  std::mutex mutex_;
  std::map<std::string, Window> windows_;
};

// What every handler may read. Pages and blank PDFs are rendered once at
// start: forms never change while the server runs. Handlers read and write
// the store through `store` (the one the service commits submissions to),
// and go through `service` only for forms, the clinic, the seal and Submit.
struct Site {
  Site(IntakeService& s, Store& st, const ServerSettings& config)
      : service(s), store(st), settings(config) {}
  IntakeService& service;
  Store& store;
  ServerSettings settings;
  std::map<std::string, std::string> form_html;  // by form id
  std::map<std::string, std::string> blank_pdf;  // by form id
  FailureLimiter auth_failures;
};

// One request and what was answered, for the access log.
struct Exchange {
  Exchange(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp)
      : request(req), response(resp) {}
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::string path;                    // decoded, without the query
  std::string actor = "anonymous";     // the token or invite id once authenticated
  std::optional<Principal> principal;  // set by Authorize
  // GET /i/{credential}: the credential, taken out of `path` (which then
  // names only the invite's public id) so no log or message carries it.
  std::string invite_credential;
  bool body_read = false;  // set by ReadBody once the whole body is read
  int status = 0;
  std::size_t bytes = 0;
};

// Answers `ex.request`; never throws for anything a client sends. A
// failure of the server itself becomes a 500 problem.
void HandleRequest(Site& site, Exchange& ex);

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_HANDLERS_H_
