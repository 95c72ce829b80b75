// A first-come, first-served limit on how many threads do something at once.
//
// The HTTP server keeps a thread per open connection, so with 32 clients
// there are 32 threads wanting the CPU for a render and a seal. Left to the
// scheduler, 32 renders share 2 cores and each one's finish time is a lottery:
// the median wait was fine but the slowest 1 % took 2.6 times the median.
// Through a FairGate sized to the cores, submissions run a few at a time in
// arrival order, each at full speed, so waits are even; and only that many
// PDFs are in memory at once.
#ifndef CONSENTKIT_UTIL_FAIR_GATE_H_
#define CONSENTKIT_UTIL_FAIR_GATE_H_

#include <condition_variable>
#include <cstdint>
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
    std::uint64_t ticket = next_ticket_++;
    turn_.wait(lock, [&] { return ticket < left_ + slots_; });
    return Pass(this);
  }

  int slots() const { return static_cast<int>(slots_); }
  // Threads waiting in Enter() now.
  int Waiting() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::uint64_t admitted = left_ + slots_;
    return next_ticket_ > admitted ? static_cast<int>(next_ticket_ - admitted) : 0;
  }

 private:
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++left_;
    }
    turn_.notify_all();
  }

  const std::uint64_t slots_;
  std::mutex mutex_;
  std::condition_variable turn_;
  std::uint64_t next_ticket_ = 0;
  std::uint64_t left_ = 0;  // holders that have left
};

}  // namespace consentkit

#endif  // CONSENTKIT_UTIL_FAIR_GATE_H_
