#include "server/server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>

#include "html/html.h"
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

class RequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(Site& site, AccessLog& log) : site_(site), log_(log) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Clock::time_point start = Clock::now();
    Exchange ex{request, response};
    HandleRequest(site_, ex);
    log_.Write(ex, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }

 private:
  Site& site_;
  AccessLog& log_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  HandlerFactory(Site& site, AccessLog& log) : site_(site), log_(log) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(site_, log_);
  }

 private:
  Site& site_;
  AccessLog& log_;
};

Poco::Net::ServerSocket Listen(const ServerSettings& settings) {
  try {
    Poco::Net::SocketAddress address(settings.bind, static_cast<Poco::UInt16>(settings.port));
    Poco::Net::ServerSocket socket;
    socket.bind(address, /*reuseAddress=*/true);
    socket.listen(settings.queue);
    return socket;
  } catch (const Poco::Exception& e) {
    throw ServerError("cannot listen on " + settings.bind + ":" + std::to_string(settings.port) +
                      ": " + e.displayText());
  }
}

// Poco's pool asserts (throwing Poco::AssertionViolationException) unless
// 1 <= its minimum <= its maximum, so `threads = 1` must lower the minimum.
int PoolMinimum(const ServerSettings& settings) {
  if (settings.threads < 1) {
    throw ServerError("cannot serve with " + std::to_string(settings.threads) +
                      " threads; expected at least 1");
  }
  return std::min(2, settings.threads);
}

Poco::Net::HTTPServerParams::Ptr ParamsFor(const ServerSettings& settings) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setServerName("consentkit");
  params->setSoftwareVersion("consentkit");
  params->setMaxThreads(settings.threads);
  params->setMaxQueued(settings.queue);
  params->setTimeout(Poco::Timespan(settings.request_timeout_s, 0));
  // With one thread, a kept-alive idle tablet would hold it for the whole
  // keep-alive timeout and every other client would wait.
  params->setKeepAlive(settings.threads >= 2);
  params->setKeepAliveTimeout(Poco::Timespan(settings.keepalive_timeout_s, 0));
  params->setMaxKeepAliveRequests(1000);
  return params;
}

}  // namespace

struct HttpServer::Impl {
  Impl(const ServerSettings& settings, IntakeService& service, Store& store, std::ostream* log)
      : site(service, store, settings),
        access_log(log),
        pool(PoolMinimum(settings), settings.threads, 60),
        socket(Listen(settings)) {}

  Site site;
  AccessLog access_log;
  Poco::ThreadPool pool;
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  bool started = false;
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

std::uint16_t HttpServer::port() const { return impl_->socket.address().port(); }

void HttpServer::Start() {
  if (impl_->started) return;
  try {
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        new HandlerFactory(impl_->site, impl_->access_log), impl_->pool, impl_->socket,
        ParamsFor(impl_->site.settings));
    impl_->server->start();
  } catch (const Poco::Exception& e) {  // e.g. no thread for the acceptor
    impl_->server.reset();
    throw ServerError("cannot start serving: " + e.displayText());
  }
  impl_->started = true;
}

void HttpServer::Stop() {
  if (!impl_->started) return;
  impl_->started = false;
  // Stop accepting, let current requests finish, then wait for the
  // handler threads: a receipt in flight is still delivered.
  impl_->server->stopAll(/*abortCurrent=*/false);
  impl_->pool.joinAll();
}

}  // namespace consentkit
