// A first-come, first-served limit on how many threads do something at once.
//
// The HTTP server keeps a thread per open connection, so with 32 clients
// there are 32 threads wanting the CPU for a render and a seal. Left to the
// scheduler, 32 renders share 2 cores and each one's finish time is a lottery:
// the median wait was fine but the slowest 1 % took 2.6 times the median.
// Through a FairGate sized to the cores, submissions run a few at a time in
// arrival order, each at full speed, so waits are even; and only that many
// PDFs are being rendered at once.
#ifndef CONSENTKIT_UTIL_FAIR_GATE_H_
#define CONSENTKIT_UTIL_FAIR_GATE_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace consentkit {

class FairGate {
 public:
  // At most `slots` (at least 1) holders at a time.
  explicit FairGate(int slots) : slots_(slots < 1 ? 1 : static_cast<std::uint64_t>(slots)) {}
  FairGate(const FairGate&) = delete;
  FairGate& operator=(const FairGate&) = delete;

  // Held from Enter() until Leave() or destruction.
  class Pass {
   public:
    explicit Pass(FairGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    Pass& operator=(Pass&&) = delete;
    ~Pass() { Leave(); }
    void Leave() {
      if (gate_) gate_->Release();
      gate_ = nullptr;
    }

   private:
    FairGate* gate_;
  };

  // Waits until every thread that arrived earlier is through and a slot is
  // free. Tickets are handed out in arrival order, and ticket t may go in
  // once fewer than `slots` of tickets 0..t-1 are still inside.
  Pass Enter() {
    std::unique_lock<std::mutex> lock(mutex_);
    Waiter me{next_ticket_++, {}};
    if (!Admitted(me.ticket)) {
      waiting_.push_back(&me);
      me.turn.wait(lock, [&] { return Admitted(me.ticket); });
    }
    return Pass(this);
  }

  int slots() const { return static_cast<int>(slots_); }
  // Passes handed out so far (each Enter() takes one).
  std::uint64_t Entered() {
    std::lock_guard<std::mutex> lock(mutex_);
    return next_ticket_;
  }
  // Threads waiting in Enter() now.
  int Waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(waiting_.size());
  }

 private:
  // Each waiter sleeps on its own condition variable, and a leaving holder
  // wakes only the one waiter it lets in: with one shared variable, every
  // departure woke all 30 waiters of a busy server to find 29 still queued.
  struct Waiter {
    std::uint64_t ticket;
    std::condition_variable turn;
  };

  bool Admitted(std::uint64_t ticket) const { return ticket < left_ + slots_; }

  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++left_;
    // Notified under the lock: the waiter's Waiter lives on its stack and
    // must not return (and vanish) before this call is done with it.
    if (!waiting_.empty() && Admitted(waiting_.front()->ticket)) {
      Waiter* next = waiting_.front();
      waiting_.pop_front();
      next->turn.notify_one();
    }
  }

  const std::uint64_t slots_;
  std::mutex mutex_;
  std::deque<Waiter*> waiting_;  // in ticket order
  std::uint64_t next_ticket_ = 0;
  std::uint64_t left_ = 0;  // holders that have left
};

}  // namespace consentkit

#endif  // CONSENTKIT_UTIL_FAIR_GATE_H_
