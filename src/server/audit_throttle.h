// Private to the server module: bounds what clients can make the server
// write to the audit chain, which can never be pruned, and slows token
// guessing.
//
// Per client address and per token, at most kPerMinute events of each
// throttled action (access.denied, auth.failed) a minute reach the chain.
// The rest are counted, and every count reaches the chain once: in the next
// recorded event of that action for that address or token ("(N more not
// recorded)"), else in one audit.suppressed event written by Flush, which
// the server calls at least once a minute and when it stops.
//
// Separately, an address with kGuessesPerMinute failed authentications in
// its current minute is refused (429, Retry-After) until that minute ends,
// without its credentials being checked.
//
// Memory is bounded: at most kMaxSubjects addresses and kMaxSubjects
// tokens are tracked. Once full, a new one shares one "(others)" entry,
// whose limits are then collective, and whose counts are still written.
#ifndef CONSENTKIT_SERVER_AUDIT_THROTTLE_H_
#define CONSENTKIT_SERVER_AUDIT_THROTTLE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "store/store.h"

namespace consentkit {

enum class ThrottledAction { kAccessDenied, kAuthFailed };
const char* ToString(ThrottledAction action);  // "access.denied", "auth.failed"

class AuditThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kPerMinute = 10;
  static constexpr int kGuessesPerMinute = 20;
  static constexpr std::size_t kMaxSubjects = 4096;
  static constexpr std::chrono::seconds kWindow{60};

  struct Admission {
    bool record = false;          // write this event now
    std::int64_t unrecorded = 0;  // if so: earlier ones of this subject it stands for
  };
  // Whether an `action` event from `address` about `token` (empty: none)
  // is written now. When it is, `unrecorded` counts the events of that
  // action for this address and token that were not, and is forgotten:
  // the caller writes it in the event.
  Admission Admit(ThrottledAction action, const std::string& address, const std::string& token,
                  Clock::time_point now = Clock::now());

  // Counts a failed authentication from `address` towards its guessing limit.
  void CountFailedGuess(const std::string& address, Clock::time_point now = Clock::now());
  // Whole seconds (at least 1) until `address` may present a credential
  // again; 0 when it may now.
  int GuessingRefusedFor(const std::string& address, Clock::time_point now = Clock::now());

  // The counts not written yet, as the detail of one audit.suppressed
  // event ("auth.failed: 40 not recorded (address 10.0.0.7: 40); …"; the
  // first kListedSubjects sources by name, the rest summed), and forgets
  // them; empty when there are none. Drops entries whose minute is over.
  std::string TakeUnrecorded(Clock::time_point now = Clock::now());

  // Entries held now (addresses and tokens), for tests of the bound.
  std::size_t Tracked();

 private:
  struct Window {
    Clock::time_point start;
    int count = 0;  // recorded events (or failed guesses) in this window
  };
  struct Subject {
    Window windows[2];                    // per ThrottledAction
    std::int64_t unrecorded[2] = {0, 0};  // per ThrottledAction
    Window guesses;
    Clock::time_point last_seen;
  };
  struct Subjects {
    std::map<std::string, Subject> by_name;
    // When a full table was last swept for idle entries: at most once a
    // second, so a flood of new names does not scan it on every event.
    std::optional<Clock::time_point> swept;
  };
  static constexpr std::size_t kListedSubjects = 20;

  Subject& Find(Subjects& subjects, const std::string& name, Clock::time_point now);
  static void Roll(Window& window, Clock::time_point now);
  static void DropIdle(Subjects& subjects, Clock::time_point now);

  std::mutex mutex_;
  Subjects addresses_;  // "address 10.0.0.7"
  Subjects tokens_;     // "token ckt_…"
};

// Writes the throttle's unrecorded counts to the store as audit.suppressed
// events: every `every` from construction on a thread of its own, and once
// more on destruction (the server's stop), so no count is lost.
class UnrecordedFlusher {
 public:
  UnrecordedFlusher(AuditThrottle& throttle, Store& store,
                    std::chrono::milliseconds every = std::chrono::seconds(30));
  ~UnrecordedFlusher();
  UnrecordedFlusher(const UnrecordedFlusher&) = delete;
  UnrecordedFlusher& operator=(const UnrecordedFlusher&) = delete;

  // Writes what is pending now; never throws (a store failure is reported
  // on stderr, and the counts are lost only then).
  void Flush();

 private:
  void Run(std::chrono::milliseconds every);

  AuditThrottle& throttle_;
  Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_AUDIT_THROTTLE_H_
