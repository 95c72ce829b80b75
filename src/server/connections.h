// Private to the server module: the HTTP server's connections, each tracked
// from accept to close so that no client can hold a thread for long.
//
// Poco's HTTPServer gives every connection a thread and only bounds each
// read, so a client trickling its headers a byte at a time, or just holding
// connections open, kept threads for ever (issue 14). Here an acceptor
// thread admits connections (at most `connections-per-address` from one
// address), a fixed set of worker threads serves them, and a watchdog shuts
// down any connection past its phase's whole deadline:
//
//   queued, headers  header-timeout from accept (or from the end of the
//                    previous response on a kept-alive connection)
//   body             body-timeout once the headers are in, until the handler
//                    says the body is read (BodyRead), else until it answers
//   handling         none: the request is ours to finish
//   idle             keepalive-timeout, and closed at once while more than
//                    3/4 of the threads hold a connection
//
// Stop() stops accepting, closes queued, idle and header-phase connections,
// lets requests being read or handled finish and send their responses
// (without keep-alive), then joins every thread.
#ifndef CONSENTKIT_SERVER_CONNECTIONS_H_
#define CONSENTKIT_SERVER_CONNECTIONS_H_

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <functional>
#include <memory>

#include "config/config.h"

namespace consentkit {

class ConnectionServer {
 public:
  // Answers one request; runs on a worker thread. Must send a response.
  using Handler =
      std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

  // `socket` is bound and listening. Uses settings' threads, queue,
  // request/keepalive/header/body timeouts and connections-per-address.
  ConnectionServer(Poco::Net::ServerSocket socket, const ServerSettings& settings, Handler handler);
  ~ConnectionServer();  // stops, as Stop()

  // Starts the acceptor, the workers and the watchdog. Throws
  // std::system_error if a thread cannot start.
  void Start();
  // Returns once every admitted connection is closed and every thread has
  // ended. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Called on a worker thread by the code reading a request's body once all of
// it is in: the body deadline ends there, not when the handler answers (a
// submission waiting for a render slot is not a slow client). Does nothing
// on any other thread.
void BodyRead();

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_CONNECTIONS_H_
