// The server's connections under clients that trickle, hold or flood them
// (issue 14): whole header and body deadlines, the per-address limit, idle
// keep-alives closed when threads run short, and a stop under load that
// still delivers the responses in flight. Clients are raw sockets, so the
// tests decide every byte and when it is sent.
#include <Poco/Exception.h>
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/api.h"
#include "server/server.h"
#include "server/test_server.h"
#include "support/filled.h"
#include "support/support.h"

namespace consentkit {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kConsentSubmit[] = "/api/v1/forms/microneedling-consent/submissions";
constexpr char kHealthz[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// A response written to a connection the server has just cut off must not
// end this process (`consentkit serve` ignores SIGPIPE the same way).
[[maybe_unused]] const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One TCP connection to the server from `source` (any 127/8 address reaches
// a server bound to 127.0.0.1).
class RawClient {
 public:
  explicit RawClient(std::uint16_t port, const char* source = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // False once the server has closed the connection.
  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Whether the server closes the connection within `limit` (anything it
  // sends first is kept for ReadStatus).
  bool ClosedWithin(milliseconds limit) {
    Clock::time_point end = Clock::now() + limit;
    while (Clock::now() < end) {
      int left =
          static_cast<int>(std::chrono::duration_cast<milliseconds>(end - Clock::now()).count());
      if (!ReadSome(std::max(left, 1))) continue;
      if (closed_) return true;
    }
    return closed_;
  }

  // The status of the next whole response (head and Content-Length body)
  // within `limit`; 0 if none came.
  int ReadStatus(milliseconds limit) {
    Clock::time_point end = Clock::now() + limit;
    while (!HasWholeResponse() && !closed_ && Clock::now() < end) ReadSome(50);
    if (!HasWholeResponse()) return 0;
    int status = std::atoi(buffered_.substr(9, 3).c_str());
    buffered_.erase(0, ResponseSize());
    return status;
  }

 private:
  // Waits up to `ms` for bytes; false if none came.
  bool ReadSome(int ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
      closed_ = true;  // an orderly close, or a reset
    } else {
      buffered_.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }
  std::size_t ResponseSize() const {
    std::size_t head = buffered_.find("\r\n\r\n");
    if (head == std::string::npos) return std::string::npos;
    std::size_t length = 0;
    std::size_t field = buffered_.find("Content-Length: ");
    if (field != std::string::npos && field < head) {
      length = std::stoul(buffered_.substr(field + 16));
    }
    return head + 4 + length;
  }
  bool HasWholeResponse() const {
    std::size_t size = ResponseSize();
    return size != std::string::npos && buffered_.size() >= size;
  }

  int fd_ = -1;
  std::string buffered_;
  bool closed_ = false;
};

std::string ConsentBody(const TestServer& server, const std::string& uuid) {
  return CanonicalSubmissionJson(
      test::FilledSubmission(server.form("microneedling-consent"), uuid, {}));
}

std::string SubmissionHead(TestServer& server, std::size_t length) {
  return std::string("POST ") + kConsentSubmit + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
         server.token(Role::kStaff) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(length) +
         "\r\n\r\n";
}

// A distinct version-4 UUID for each n.
std::string Uuid(int n) {
  char text[40];
  std::snprintf(text, sizeof text, "6a1c0000-0000-4000-8000-%012d", n);
  return text;
}

bool HealthzAnswered(std::uint16_t port) { return Send(port, "", "GET", "/healthz").status == 200; }

TEST_CASE("a client trickling its headers is cut off at header-timeout; others are served") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.header_timeout_s = 1;
  TestServer server(data.path(), "", settings);

  RawClient slow(server.port());
  const std::string head =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(200, 'a') + "\r\n\r\n";
  Clock::time_point start = Clock::now();
  bool others_served = false;
  std::size_t sent = 0;
  // One byte every 200 ms: each read is quick, so only a whole deadline
  // ends this (the 200 bytes of padding would take 40 s).
  while (sent < head.size() && SecondsSince(start) < 4) {
    if (!slow.Send(head.substr(sent++, 1)) || slow.ClosedWithin(milliseconds(200))) break;
    if (sent == 3) others_served = HealthzAnswered(server.port());
  }
  double cut_after = SecondsSince(start);
  CHECK(others_served);
  CHECK(slow.ClosedWithin(milliseconds(0)));
  CHECK(cut_after >= 0.9);
  CHECK(cut_after < 2.0);
  CHECK(HealthzAnswered(server.port()));
}

TEST_CASE("a client trickling a body is cut off at body-timeout and nothing is stored") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.body_timeout_s = 1;
  TestServer server(data.path(), "", settings);

  std::string body = ConsentBody(server, Uuid(1));
  RawClient slow(server.port());
  REQUIRE(slow.Send(SubmissionHead(server, body.size())));
  Clock::time_point start = Clock::now();
  std::size_t sent = 0;
  while (sent < body.size() && SecondsSince(start) < 4) {
    if (!slow.Send(body.substr(sent++, 1)) || slow.ClosedWithin(milliseconds(200))) break;
  }
  double cut_after = SecondsSince(start);
  CHECK(slow.ClosedWithin(milliseconds(0)));
  CHECK(cut_after >= 0.9);
  CHECK(cut_after < 2.0);
  CHECK(server.store().CountSubmissions() == 0);

  // The same body sent at once is stored: the limit is on time, not size.
  Reply whole = server.Call("POST", kConsentSubmit, body);
  CHECK(whole.status == 201);
}

TEST_CASE("connections over connections-per-address are closed; other addresses are served") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.threads = 8;
  settings.connections_per_address = 3;
  TestServer server(data.path(), "", settings);

  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i)
    held.push_back(std::make_unique<RawClient>(server.port(), "127.0.0.2"));
  RawClient over(server.port(), "127.0.0.2");
  CHECK(over.ClosedWithin(milliseconds(1000)));
  for (auto& client : held) CHECK_FALSE(client->ClosedWithin(milliseconds(50)));
  CHECK(HealthzAnswered(server.port()));  // from 127.0.0.1

  // A held connection that ends gives its place back.
  held.front().reset();
  std::this_thread::sleep_for(milliseconds(200));  // the server sees the close
  RawClient again(server.port(), "127.0.0.2");
  CHECK_FALSE(again.ClosedWithin(milliseconds(300)));
  REQUIRE(again.Send(kHealthz));
  CHECK(again.ReadStatus(milliseconds(2000)) == 200);
}

TEST_CASE("idle kept-alive connections are closed when threads run short") {
  test::TempDir data;
  ServerSettings settings = TestSettings();  // 4 threads
  settings.keepalive_timeout_s = 30;
  TestServer server(data.path(), "", settings);

  // Four kept-alive connections, idle after one request each, would hold
  // all four threads for 30 s.
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<RawClient>(server.port()));
    REQUIRE(idle.back()->Send(kHealthz));
    REQUIRE(idle.back()->ReadStatus(milliseconds(2000)) == 200);
  }
  RawClient next(server.port());
  REQUIRE(next.Send(kHealthz));
  Clock::time_point start = Clock::now();
  CHECK(next.ReadStatus(milliseconds(3000)) == 200);
  CHECK(SecondsSince(start) < 1.0);
  int closed = 0;
  for (auto& client : idle) closed += client->ClosedWithin(milliseconds(100)) ? 1 : 0;
  CHECK(closed >= 2);  // no more than 3 of 4 threads held
  CHECK(closed < 4);   // but not every idle connection
}

TEST_CASE("Stop under load closes waiting connections and delivers the responses in flight") {
  test::TempDir data;
  ServerSettings settings = TestSettings();
  settings.threads = 8;
  settings.header_timeout_s = 60;  // Stop, not a deadline, must close them
  settings.keepalive_timeout_s = 60;
  TestServer server(data.path(), "", settings);
  const std::uint16_t port = server.port();
  const std::string token = server.token(Role::kStaff);

  RawClient silent(port);
  RawClient kept(port);
  REQUIRE(kept.Send(kHealthz));
  REQUIRE(kept.ReadStatus(milliseconds(2000)) == 200);
  std::string body = ConsentBody(server, Uuid(0));
  RawClient in_flight(port);
  REQUIRE(in_flight.Send(SubmissionHead(server, body.size()) + body.substr(0, body.size() / 2)));

  // Submitters that keep going until after the stop; every 201 they read
  // is a receipt the store must hold.
  std::atomic<bool> load_on{true};
  std::atomic<int> next_id{1};
  std::mutex receipts_mutex;
  std::vector<std::string> receipts;
  std::vector<std::thread> submitters;
  for (int t = 0; t < 3; ++t) {
    submitters.emplace_back([&] {
      while (load_on) {
        std::string id = Uuid(next_id++);
        try {
          if (Send(port, token, "POST", kConsentSubmit, ConsentBody(server, id)).status == 201) {
            std::lock_guard<std::mutex> lock(receipts_mutex);
            receipts.push_back(id);
          }
        } catch (const Poco::Exception&) {
          std::this_thread::sleep_for(milliseconds(20));  // refused: the server has stopped
        }
      }
    });
  }
  std::this_thread::sleep_for(milliseconds(500));

  std::atomic<bool> stopped{false};
  Clock::time_point stop_start = Clock::now();
  std::thread stopper([&] {
    server.StopAndReadLog();
    stopped = true;
  });
  CHECK(silent.ClosedWithin(milliseconds(1000)));
  CHECK(kept.ClosedWithin(milliseconds(1000)));
  CHECK_FALSE(stopped);  // the request in flight holds the stop
  REQUIRE(in_flight.Send(body.substr(body.size() / 2)));
  CHECK(in_flight.ReadStatus(milliseconds(15000)) == 201);
  stopper.join();
  CHECK(SecondsSince(stop_start) < 15);
  load_on = false;
  for (std::thread& t : submitters) t.join();

  CHECK(server.store().Find(Uuid(0)).has_value());
  CHECK_FALSE(receipts.empty());
  for (const std::string& id : receipts) CHECK_MESSAGE(server.store().Find(id), id);
}

}  // namespace
}  // namespace consentkit
