#include "server/server.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <system_error>

#include "html/html.h"
#include "server/connections.h"
#include "server/handlers.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Clock = std::chrono::steady_clock;

// One JSON line per request: when, who (address), what (method, path),
// how it went (status, bytes, ms). Paths carry form and submission ids,
// never patient data; query strings and bodies are not logged.
class AccessLog {
 public:
  explicit AccessLog(std::ostream* out) : out_(out) {}
  void Write(const Exchange& ex, double ms) {
    if (!out_) return;
    JsonWriter w;
    w.BeginObject()
        .Field("time", UtcNow())
        .Field("remote", ex.request.clientAddress().host().toString());
    w.Field("method", ex.request.getMethod()).Field("path", ex.path);
    w.Key("status").Int(ex.status).Key("bytes").Int(static_cast<long long>(ex.bytes));
    w.Key("ms").Int(static_cast<long long>(ms + 0.5)).EndObject();
    std::lock_guard<std::mutex> lock(mutex_);
    *out_ << w.str() << '\n' << std::flush;
  }

 private:
  std::ostream* out_;
  std::mutex mutex_;
};

// Answers one request and logs it.
void Answer(Site& site, AccessLog& log, Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response) {
  Clock::time_point start = Clock::now();
  Exchange ex{request, response};
  HandleRequest(site, ex);
  log.Write(ex, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
}

void CheckThreads(const ServerSettings& settings) {
  if (settings.threads < 1) {
    throw ServerError("cannot serve with " + std::to_string(settings.threads) +
                      " threads; expected at least 1");
  }
}

// The system's queue of connections not yet accepted is long: the acceptor
// empties it at once, and a full one would make a clinic's tablet wait a
// second for its SYN to be sent again while strangers flood it.
constexpr int kListenBacklog = 1024;

Poco::Net::ServerSocket Listen(const ServerSettings& settings) {
  CheckThreads(settings);
  try {
    Poco::Net::SocketAddress address(settings.bind, static_cast<Poco::UInt16>(settings.port));
    Poco::Net::ServerSocket socket;
    socket.bind(address, /*reuseAddress=*/true);
    socket.listen(std::max(settings.queue, kListenBacklog));
    return socket;
  } catch (const Poco::Exception& e) {
    throw ServerError("cannot listen on " + settings.bind + ":" + std::to_string(settings.port) +
                      ": " + e.displayText());
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerSettings& settings, IntakeService& service, Store& store, std::ostream* log)
      : site(service, store, settings),
        access_log(log),
        socket(Listen(settings)),
        port(socket.address().port()),
        connections(
            socket, settings,
            [this](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
              Answer(site, access_log, request, response);
            }) {}

  Site site;
  AccessLog access_log;
  Poco::Net::ServerSocket socket;
  std::uint16_t port;  // known after Stop closed the socket
  ConnectionServer connections;
};

HttpServer::HttpServer(const ServerSettings& settings, IntakeService& service, Store& store,
                       std::ostream* access_log)
    : impl_(std::make_unique<Impl>(settings, service, store, access_log)) {
  Site& site = impl_->site;
  for (const FormPtr& form : service.forms()) {
    site.form_html[form->id] = RenderFormPage(*form, service.clinic());
    try {
      site.blank_pdf[form->id] = RenderPacket({form}, service.clinic());
    } catch (const PdfError& e) {
      throw ServerError("cannot render the blank PDF of " + form->id + ": " + e.what());
    }
  }
}

HttpServer::~HttpServer() { Stop(); }

std::uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Start() {
  try {
    impl_->connections.Start();
  } catch (const std::system_error& e) {
    throw ServerError(std::string("cannot start serving: no thread: ") + e.what());
  }
}

// Stops accepting, closes idle connections and those still sending their
// headers, lets current requests finish and send their responses, then
// joins every thread: a receipt in flight is still delivered.
void HttpServer::Stop() {
  impl_->connections.Stop();
  // Every request has finished: what the audit throttle held back goes in
  // now, before the caller signs its last checkpoint.
  impl_->site.unrecorded.Flush();
}

}  // namespace consentkit
