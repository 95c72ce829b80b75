#include "server/audit_throttle.h"

#include <iostream>
#include <iterator>

namespace consentkit {
namespace {

constexpr char kOthers[] = "(others)";
constexpr int kActions = 2;

int IndexOf(ThrottledAction action) { return action == ThrottledAction::kAccessDenied ? 0 : 1; }

}  // namespace

const char* ToString(ThrottledAction action) {
  return action == ThrottledAction::kAccessDenied ? "access.denied" : "auth.failed";
}

void AuditThrottle::Roll(Window& window, Clock::time_point now) {
  if (window.count == 0 || now - window.start >= kWindow) window = Window{now, 0};
}

// A subject idle for a whole window with nothing left to write knows
// nothing its absence would not: a fresh entry starts the same way.
void AuditThrottle::DropIdle(Subjects& subjects, Clock::time_point now) {
  auto& by_name = subjects.by_name;
  for (auto it = by_name.begin(); it != by_name.end();) {
    const Subject& s = it->second;
    bool idle = now - s.last_seen >= kWindow && s.unrecorded[0] == 0 && s.unrecorded[1] == 0;
    it = idle ? by_name.erase(it) : std::next(it);
  }
  subjects.swept = now;
}

AuditThrottle::Subject& AuditThrottle::Find(Subjects& subjects, const std::string& name,
                                            Clock::time_point now) {
  auto& by_name = subjects.by_name;
  auto found = by_name.find(name);
  if (found == by_name.end() && by_name.size() >= kMaxSubjects) {
    if (!subjects.swept || now - *subjects.swept >= std::chrono::seconds(1)) {
      DropIdle(subjects, now);
    }
    if (by_name.size() >= kMaxSubjects) found = by_name.try_emplace(kOthers).first;
  }
  if (found == by_name.end()) found = by_name.try_emplace(name).first;
  found->second.last_seen = now;
  return found->second;
}

AuditThrottle::Admission AuditThrottle::Admit(ThrottledAction action, const std::string& address,
                                              const std::string& token, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  int i = IndexOf(action);
  Subject& from = Find(addresses_, address, now);
  Subject* about = token.empty() ? nullptr : &Find(tokens_, token.substr(0, 64), now);
  Roll(from.windows[i], now);
  if (about) Roll(about->windows[i], now);
  bool address_full = from.windows[i].count >= kPerMinute;
  bool token_full = about && about->windows[i].count >= kPerMinute;
  if (address_full || token_full) {
    // Counted once, by the limit that refused it, so no count is written twice.
    ++(address_full ? from : *about).unrecorded[i];
    return {};
  }
  Admission admitted{true, from.unrecorded[i]};
  ++from.windows[i].count;
  from.unrecorded[i] = 0;
  if (about) {
    admitted.unrecorded += about->unrecorded[i];
    ++about->windows[i].count;
    about->unrecorded[i] = 0;
  }
  return admitted;
}

void AuditThrottle::CountFailedGuess(const std::string& address, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Subject& from = Find(addresses_, address, now);
  Roll(from.guesses, now);
  ++from.guesses.count;
}

int AuditThrottle::GuessingRefusedFor(const std::string& address, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto& by_name = addresses_.by_name;
  // Never by the shared "(others)" entry: an address that has no entry of
  // its own has not failed, and must not be locked out by strangers'.
  auto found = by_name.find(address);
  if (found == by_name.end()) return 0;
  const Window& w = found->second.guesses;
  auto left = kWindow - (now - w.start);
  if (w.count < kGuessesPerMinute || left <= Clock::duration::zero()) return 0;
  auto seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
  return static_cast<int>(seconds < 1 ? 1 : seconds);
}

std::string AuditThrottle::TakeUnrecorded(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string detail;
  for (int i = 0; i < kActions; ++i) {
    std::int64_t total = 0, rest = 0;
    std::size_t listed = 0, unlisted = 0;
    std::string sources;
    for (auto [subjects, kind] :
         {std::pair{&addresses_, "address "}, std::pair{&tokens_, "token "}}) {
      for (auto& [name, subject] : subjects->by_name) {
        std::int64_t n = subject.unrecorded[i];
        if (n == 0) continue;
        subject.unrecorded[i] = 0;
        total += n;
        if (listed < kListedSubjects) {
          sources += (listed++ ? ", " : "") + std::string(kind) + name + ": " + std::to_string(n);
        } else {
          ++unlisted;
          rest += n;
        }
      }
    }
    if (total == 0) continue;
    if (unlisted > 0) {
      sources += ", and " + std::to_string(rest) + " from " + std::to_string(unlisted) + " more";
    }
    detail += (detail.empty() ? "" : "; ") +
              std::string(ToString(static_cast<ThrottledAction>(i))) + ": " +
              std::to_string(total) + " not recorded (" + sources + ")";
  }
  DropIdle(addresses_, now);
  DropIdle(tokens_, now);
  return detail;
}

std::size_t AuditThrottle::Tracked() {
  std::lock_guard<std::mutex> lock(mutex_);
  return addresses_.by_name.size() + tokens_.by_name.size();
}

UnrecordedFlusher::UnrecordedFlusher(AuditThrottle& throttle, Store& store,
                                     std::chrono::milliseconds every)
    : throttle_(throttle), store_(store), thread_([this, every] { Run(every); }) {}

UnrecordedFlusher::~UnrecordedFlusher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  Flush();
}

void UnrecordedFlusher::Run(std::chrono::milliseconds every) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, every, [this] { return stopping_; })) {
    lock.unlock();
    Flush();
    lock.lock();
  }
}

void UnrecordedFlusher::Flush() {
  std::string detail = throttle_.TakeUnrecorded();
  if (detail.empty()) return;
  try {
    store_.RecordEvent("server", "audit.suppressed", "", detail);
  } catch (const std::exception& e) {
    // The counts are at least in the server's log.
    std::cerr << "consentkit serve: cannot record audit.suppressed (" << detail << "): " << e.what()
              << "\n";
  }
}

}  // namespace consentkit
