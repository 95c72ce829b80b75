// consentkit's HTTP service: the tablet pages, the blank PDFs and the JSON
// API (/api/v1), with problem+json errors.
//
// A fixed set of threads serves connections, each with whole deadlines for
// its request headers and body and a per-address limit (server/
// connections.h), so no client can hold the threads; bodies over the
// configured limit are refused before they are read; every request is
// logged as one JSON line without patient data.
#ifndef CONSENTKIT_SERVER_SERVER_H_
#define CONSENTKIT_SERVER_SERVER_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "config/config.h"
#include "service/intake.h"
#include "store/store.h"

namespace consentkit {

// The server cannot start (address in use, bad bind address, a page or
// PDF that fails to render).
class ServerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class HttpServer {
 public:
  // Binds the listening socket (so port() is known before Start) and
  // renders every form's page and blank PDF once. `service`, `store` (the
  // one `service` stores submissions in, which the handlers read and
  // write) and `access_log` (may be null: no log) must outlive the server.
  // Throws ServerError if the server cannot start.
  HttpServer(const ServerSettings& settings, IntakeService& service, Store& store,
             std::ostream* access_log);
  ~HttpServer();  // stops, as Stop()

  // The port listened on; the one the system chose when settings asked for 0.
  std::uint16_t port() const;
  // Throws ServerError if the acceptor cannot start.
  void Start();
  // Stops accepting connections and returns once every request already
  // being handled has finished and its response was sent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_SERVER_H_
