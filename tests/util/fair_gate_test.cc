// FairGate: never more than its slots inside, and first come, first served.
#include "util/fair_gate.h"

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace consentkit {
namespace {

TEST_CASE("NeverMoreThanItsSlotsInside") {
  for (int slots : {1, 2, 3}) {
    FairGate gate(slots);
    std::atomic<int> inside{0}, most{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 12; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 200; ++i) {
          FairGate::Pass pass = gate.Enter();
          int now = ++inside;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::yield();
          --inside;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(most.load() <= slots);
    CHECK(most.load() >= 1);
    CHECK(gate.Waiting() == 0);
  }
}

TEST_CASE("WaitersGoInInTheOrderTheyArrived") {
  FairGate gate(1);
  FairGate::Pass holder = gate.Enter();
  std::vector<int> order;
  std::mutex order_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      FairGate::Pass pass = gate.Enter();
      std::lock_guard<std::mutex> lock(order_mutex);
      order.push_back(t);
    });
    // The next thread starts only once this one holds its ticket.
    while (gate.Waiting() != t + 1) std::this_thread::yield();
  }
  holder.Leave();
  for (auto& thread : threads) thread.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("LeavingEarlyFreesTheSlotOnce") {
  FairGate gate(1);
  {
    FairGate::Pass pass = gate.Enter();
    pass.Leave();
    FairGate::Pass second = gate.Enter();  // would wait forever if not freed
    pass.Leave();                          // a second Leave does nothing
    FairGate::Pass moved = std::move(second);
  }
  FairGate::Pass again = gate.Enter();
  CHECK(gate.Waiting() == 0);
  CHECK(FairGate(0).slots() == 1);
}

}  // namespace
}  // namespace consentkit
