#include "server/connections.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace consentkit {
namespace {

using Clock = std::chrono::steady_clock;
constexpr Clock::time_point kNoDeadline = Clock::time_point::max();
// How often the watchdog looks: every deadline is kept to within this.
constexpr std::chrono::milliseconds kWatchdogPeriod(50);
// How long the acceptor waits for a connection before it looks whether the
// server is stopping.
constexpr long kAcceptPollMicroseconds = 100000;

enum class Phase { kQueued, kHeaders, kBody, kHandling, kIdle };

struct Connection {
  Connection(const Poco::Net::StreamSocket& s, std::string from, Clock::time_point deadline_at)
      : socket(s), address(std::move(from)), deadline(deadline_at) {}
  // The worker's handle shares this one's descriptor, which stays open while
  // the registry holds the connection, so shutting it down never hits a
  // descriptor the system has handed to someone else.
  Poco::Net::StreamSocket socket;
  std::string address;
  Phase phase = Phase::kQueued;
  Clock::time_point deadline;
  Clock::time_point idle_since{};
  bool shut = false;  // shut down by the watchdog or Stop: the worker's reads now end
};
using ConnectionPtr = std::shared_ptr<Connection>;

// Bytes the client sent that nobody has read yet (the next request on an
// idle kept-alive connection, which is then no longer idle).
bool HasUnreadBytes(const Connection& c) {
  int pending = 0;
  return ::ioctl(c.socket.impl()->sockfd(), FIONREAD, &pending) == 0 && pending > 0;
}

// Every open connection, what it is doing and until when it may; the one
// lock the acceptor, the workers and the watchdog share.
class Registry {
 public:
  explicit Registry(const ServerSettings& s)
      : header_timeout_(std::chrono::seconds(s.header_timeout_s)),
        per_address_(s.connections_per_address),
        queue_limit_(static_cast<std::size_t>(s.queue)),
        // More open connections than this and idle ones are closed.
        busy_threads_(static_cast<std::size_t>(s.threads) * 3 / 4) {}

  // Queues a just-accepted connection for a worker; false (and counted as
  // refused) when its address holds its limit, the queue is full or the
  // server is stopping.
  bool Admit(const Poco::Net::StreamSocket& socket, const std::string& address);
  // The next queued connection, now in its header phase; waits for one.
  // Null once the server is stopping.
  ConnectionPtr Next();
  void Enter(Connection& c, Phase phase, Clock::time_point deadline);
  // The body is read: no deadline until the response.
  void EndBody(Connection& c);
  bool IsShut(const Connection& c);
  // The worker is done with `c`; the caller's handle closes it.
  void Release(const ConnectionPtr& c);
  // Shuts down every connection past its deadline, and idle ones while
  // threads are short.
  void Sweep(Clock::time_point now);
  // Waits until the next sweep is due; false once Finish was called.
  bool WaitForSweep();
  // Refuses new connections, drops queued ones and shuts down those not
  // being read or handled.
  void BeginStop();
  // Every worker has ended: the watchdog may end too.
  void Finish();
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

 private:
  void ShutDown(Connection& c);
  void Forget(const Connection& c);
  void CloseIdleForThreads();

  const Clock::duration header_timeout_;
  const int per_address_;
  const std::size_t queue_limit_;
  const std::size_t busy_threads_;

  std::mutex mutex_;
  std::condition_variable work_;   // a connection was queued, or stopping
  std::condition_variable sweep_;  // finished
  std::map<const Connection*, ConnectionPtr> open_;
  std::deque<ConnectionPtr> queued_;
  std::map<std::string, int> per_address_open_;
  std::atomic<bool> stopping_{false};
  bool finished_ = false;
};

bool Registry::Admit(const Poco::Net::StreamSocket& socket, const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  int& held = per_address_open_[address];
  if (stopping() || (per_address_ > 0 && held >= per_address_) || queued_.size() >= queue_limit_) {
    if (held == 0) per_address_open_.erase(address);
    return false;
  }
  ++held;
  auto c = std::make_shared<Connection>(socket, address, Clock::now() + header_timeout_);
  open_.emplace(c.get(), c);
  queued_.push_back(c);
  CloseIdleForThreads();  // before it waits for a thread an idle connection holds
  work_.notify_one();
  return true;
}

ConnectionPtr Registry::Next() {
  std::unique_lock<std::mutex> lock(mutex_);
  work_.wait(lock, [this] { return !queued_.empty() || stopping(); });
  if (stopping()) return nullptr;  // BeginStop dropped the queue
  ConnectionPtr c = queued_.front();
  queued_.pop_front();
  c->phase = Phase::kHeaders;  // the deadline still counts from accept
  return c;
}

void Registry::Enter(Connection& c, Phase phase, Clock::time_point deadline) {
  std::lock_guard<std::mutex> lock(mutex_);
  c.phase = phase;
  c.deadline = deadline;
  if (phase == Phase::kIdle) c.idle_since = Clock::now();
  // A connection that would wait for a request while stopping is closed.
  if (stopping() && (phase == Phase::kIdle || phase == Phase::kHeaders)) ShutDown(c);
}

void Registry::EndBody(Connection& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (c.phase != Phase::kBody) return;
  c.phase = Phase::kHandling;
  c.deadline = kNoDeadline;
}

bool Registry::IsShut(const Connection& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  return c.shut;
}

void Registry::Release(const ConnectionPtr& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  Forget(*c);
}

void Registry::Forget(const Connection& c) {
  auto held = per_address_open_.find(c.address);
  if (held != per_address_open_.end() && --held->second <= 0) per_address_open_.erase(held);
  open_.erase(&c);
}

void Registry::ShutDown(Connection& c) {
  if (c.shut) return;
  c.shut = true;
  // Not close(): the worker may be blocked reading this descriptor. After
  // shutdown its read returns at once; it closes the socket itself.
  // An error (the peer has gone already) leaves nothing to do.
  ::shutdown(c.socket.impl()->sockfd(), SHUT_RDWR);
}

void Registry::Sweep(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = queued_.begin(); it != queued_.end();) {
    Connection& c = **it;
    if (c.deadline > now) {
      ++it;
      continue;
    }
    ShutDown(c);
    Forget(c);
    it = queued_.erase(it);
  }
  for (auto& [key, c] : open_) {
    if (c->phase == Phase::kHandling || c->shut || c->deadline > now) continue;
    ShutDown(*c);
  }
  CloseIdleForThreads();
}

// Idle kept-alive connections hold a thread each; once more than 3/4 of the
// threads hold a connection, the longest idle ones make room.
void Registry::CloseIdleForThreads() {
  std::size_t holding = 0;
  for (const auto& [key, c] : open_) holding += c->shut ? 0U : 1U;
  if (holding <= busy_threads_) return;
  std::vector<Connection*> idle;
  for (auto& [key, c] : open_) {
    if (c->phase == Phase::kIdle && !c->shut && !HasUnreadBytes(*c)) idle.push_back(c.get());
  }
  std::sort(idle.begin(), idle.end(),
            [](const Connection* a, const Connection* b) { return a->idle_since < b->idle_since; });
  std::size_t excess = std::min(idle.size(), holding - busy_threads_);
  for (std::size_t i = 0; i < excess; ++i) {
    ShutDown(*idle[i]);
  }
}

bool Registry::WaitForSweep() {
  std::unique_lock<std::mutex> lock(mutex_);
  sweep_.wait_for(lock, kWatchdogPeriod, [this] { return finished_; });
  return !finished_;
}

void Registry::BeginStop() {
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_.store(true, std::memory_order_release);
  for (const ConnectionPtr& c : queued_) {
    ShutDown(*c);
    Forget(*c);
  }
  queued_.clear();
  for (auto& [key, c] : open_) {
    if (c->phase == Phase::kHeaders || c->phase == Phase::kIdle) ShutDown(*c);
  }
  work_.notify_all();
}

void Registry::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  sweep_.notify_all();
}

// The connection a worker thread serves, for BodyRead.
struct Current {
  Registry* registry = nullptr;
  Connection* connection = nullptr;
};
thread_local Current current;

// Whether the request has a body to read: Poco reads a POST or PUT without
// Content-Length or chunking up to the end of the connection.
bool HasBody(const Poco::Net::HTTPServerRequest& request) {
  if (request.getChunkedTransferEncoding()) return true;
  if (request.hasContentLength()) return request.getContentLength64() > 0;
  const std::string& method = request.getMethod();
  return method != Poco::Net::HTTPRequest::HTTP_GET &&
         method != Poco::Net::HTTPRequest::HTTP_HEAD &&
         method != Poco::Net::HTTPRequest::HTTP_DELETE;
}

Poco::Net::HTTPServerParams::Ptr ParamsFor(const ServerSettings& settings) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setServerName("consentkit");
  params->setTimeout(Poco::Timespan(settings.request_timeout_s, 0));
  // With one thread, a kept-alive idle tablet would hold it and every
  // other client would wait.
  params->setKeepAlive(settings.threads >= 2);
  params->setKeepAliveTimeout(Poco::Timespan(settings.keepalive_timeout_s, 0));
  params->setMaxKeepAliveRequests(1000);
  return params;
}

}  // namespace

void BodyRead() {
  if (current.registry) current.registry->EndBody(*current.connection);
}

struct ConnectionServer::Impl {
  Impl(Poco::Net::ServerSocket socket, const ServerSettings& s, Handler h)
      : listener(std::move(socket)),
        settings(s),
        params(ParamsFor(s)),
        handler(std::move(h)),
        registry(s) {}

  void Accept();
  void Work();
  void Watch();
  void Serve(Connection& c);
  bool ServeOne(Connection& c, Poco::Net::HTTPServerSession& session);
  void JoinAll();

  Poco::Net::ServerSocket listener;
  const ServerSettings settings;
  Poco::Net::HTTPServerParams::Ptr params;
  Handler handler;
  Registry registry;
  std::thread acceptor;
  std::thread watchdog;
  std::vector<std::thread> workers;
  bool started = false;
};

void ConnectionServer::Impl::Accept() {
  while (!registry.stopping()) {
    try {
      if (!listener.poll(Poco::Timespan(0, kAcceptPollMicroseconds),
                         Poco::Net::Socket::SELECT_READ)) {
        continue;
      }
      Poco::Net::StreamSocket socket = listener.acceptConnection();
      socket.setNoDelay(true);
      // A refused connection closes as `socket` goes, unanswered.
      registry.Admit(socket, socket.peerAddress().host().toString());
    } catch (const Poco::Exception&) {
      // Out of descriptors, or the client left before we looked: the
      // connection is lost; pause so that a full descriptor table does not
      // spin this thread.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

void ConnectionServer::Impl::Work() {
  while (ConnectionPtr c = registry.Next()) {
    current = {&registry, c.get()};
    Serve(*c);
    current = {};
    registry.Release(c);
  }
}

void ConnectionServer::Impl::Watch() {
  while (registry.WaitForSweep()) registry.Sweep(Clock::now());
}

// Requests on one connection until the client or the server ends it. The
// registry's phase moves with each: headers, body, handling, idle.
void ConnectionServer::Impl::Serve(Connection& c) {
  const auto header_timeout = std::chrono::seconds(settings.header_timeout_s);
  const auto keepalive_timeout = std::chrono::seconds(settings.keepalive_timeout_s);
  Poco::Net::HTTPServerSession session(c.socket, params);
  // The first request's header deadline counts from accept (Admit set it).
  if (!session.hasMoreRequests() || !ServeOne(c, session)) return;
  while (!registry.stopping() && session.getKeepAlive()) {
    // ServeOne's response is gone, so flushed: idle until the next
    // request's first byte, whose headers must then be in by
    // header-timeout after this response.
    Clock::time_point answered = Clock::now();
    registry.Enter(c, Phase::kIdle, answered + keepalive_timeout);
    if (!session.hasMoreRequests()) return;
    registry.Enter(c, Phase::kHeaders, answered + header_timeout);
    if (!ServeOne(c, session)) return;
  }
}

// One request and its response; false when the connection is done.
bool ConnectionServer::Impl::ServeOne(Connection& c, Poco::Net::HTTPServerSession& session) {
  try {
    Poco::Net::HTTPServerResponseImpl response(session);
    Poco::Net::HTTPServerRequestImpl request(response, session, params.get());
    registry.Enter(c, HasBody(request) ? Phase::kBody : Phase::kHandling,
                   HasBody(request) ? Clock::now() + std::chrono::seconds(settings.body_timeout_s)
                                    : kNoDeadline);
    // A stopping server answers and closes.
    response.setKeepAlive(params->getKeepAlive() && request.getKeepAlive() &&
                          session.canKeepAlive() && !registry.stopping());
    response.setDate(Poco::Timestamp());
    response.setVersion(request.getVersion());
    response.set("Server", "consentkit");
    if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
      response.sendContinue();
    }
    handler(request, response);
    session.setKeepAlive(params->getKeepAlive() && response.getKeepAlive() &&
                         session.canKeepAlive() && !registry.stopping());
    return true;
  } catch (const Poco::Net::NoMessageException&) {
    return false;  // closed (or cut off) before a request began
  } catch (const Poco::Net::MessageException&) {
    if (registry.IsShut(c)) return false;  // cut off mid-headers: nobody to answer
    try {
      Poco::Net::HTTPServerResponseImpl bad(session);
      bad.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
      bad.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      bad.setKeepAlive(false);
      bad.send();
    } catch (const Poco::Exception&) {
      // The client has gone: nothing to answer.
    }
    return false;
  } catch (const Poco::Exception&) {
    return false;  // a read or write failed or timed out: the connection is unusable
  }
}

void ConnectionServer::Impl::JoinAll() {
  if (acceptor.joinable()) acceptor.join();
  for (std::thread& worker : workers) {
    if (worker.joinable()) worker.join();
  }
  workers.clear();
  registry.Finish();
  if (watchdog.joinable()) watchdog.join();
}

ConnectionServer::ConnectionServer(Poco::Net::ServerSocket socket, const ServerSettings& settings,
                                   Handler handler)
    : impl_(std::make_unique<Impl>(std::move(socket), settings, std::move(handler))) {}

ConnectionServer::~ConnectionServer() { Stop(); }

void ConnectionServer::Start() {
  Impl& s = *impl_;
  if (s.started) return;
  s.started = true;
  try {
    s.watchdog = std::thread([&s] { s.Watch(); });
    for (int i = 0; i < s.settings.threads; ++i) s.workers.emplace_back([&s] { s.Work(); });
    s.acceptor = std::thread([&s] { s.Accept(); });
  } catch (...) {
    Stop();
    throw;
  }
}

void ConnectionServer::Stop() {
  Impl& s = *impl_;
  if (!s.started) return;
  s.started = false;
  s.registry.BeginStop();
  if (s.acceptor.joinable()) s.acceptor.join();
  s.listener.close();  // new clients are refused by the system, not left waiting
  s.JoinAll();
}

}  // namespace consentkit
