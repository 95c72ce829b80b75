// Private to the server module: routing and the handlers behind each route.
#ifndef CONSENTKIT_SERVER_HANDLERS_H_
#define CONSENTKIT_SERVER_HANDLERS_H_

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <map>
#include <optional>
#include <string>

#include "auth/auth.h"
#include "config/config.h"
#include "server/audit_throttle.h"
#include "service/intake.h"

namespace consentkit {

// What every handler may read. Pages and blank PDFs are rendered once at
// start: forms never change while the server runs. Handlers read and write
// the store through `store` (the one the service commits submissions to),
// and go through `service` only for forms, the clinic, the seal and Submit.
//
// `throttle` bounds the access.denied and auth.failed events clients can
// cause; `unrecorded` writes what it held back at least every 30 seconds
// and when the Site goes (after the server stopped), or on Flush().
struct Site {
  Site(IntakeService& s, Store& st, const ServerSettings& config)
      : service(s), store(st), settings(config), unrecorded(throttle, st) {}
  IntakeService& service;
  Store& store;
  ServerSettings settings;
  std::map<std::string, std::string> form_html;  // by form id
  std::map<std::string, std::string> blank_pdf;  // by form id
  AuditThrottle throttle;
  UnrecordedFlusher unrecorded;
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
  // [server] public-url's scheme and authority, lower-cased ("" unset): the
  // origin browsers see behind a proxy that rewrites Host. Set by
  // HandleRequest.
  std::string public_origin;
  int status = 0;
  std::size_t bytes = 0;
};

// Answers `ex.request`; never throws for anything a client sends. A
// failure of the server itself becomes a 500 problem.
void HandleRequest(Site& site, Exchange& ex);

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_HANDLERS_H_
