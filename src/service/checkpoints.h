// Signed checkpoints of the audit chain (store/store.h, Checkpoint): the
// clinic's seal key signs where the chain ended, so that removing its
// newest events, or all of them, contradicts a signature no one without
// that key can make. verify (archive/verify_checkpoints.h) holds the chain
// against them.
#ifndef CONSENTKIT_SERVICE_CHECKPOINTS_H_
#define CONSENTKIT_SERVICE_CHECKPOINTS_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "seal/seal.h"
#include "store/store.h"

namespace consentkit {

// Signs a checkpoint of the chain as it ends now (its last event's seq and
// hash; seq 0 and kGenesisHash when it is empty), timed `at` (UTC ISO
// 8601), stores it with Store::AddCheckpoint and returns it. Throws
// StoreError or SealError.
Checkpoint SignCheckpoint(Store& store, const SigningIdentity& identity, const std::string& at);

// "seq=12 last_hash=<hex> at=<time>": what an officer writes down or
// prints on a daily report, and `verify --expect-last-hash` takes back.
std::string CheckpointLine(const Checkpoint& checkpoint);

// Signs checkpoints while a server runs: once when started, whenever at
// least `every_events` events were appended since the last one, at least
// every `every_minutes` minutes while the chain moves (none while it stands
// still), and once more when stopped, after the last request. Every
// checkpoint signed is passed to `on_signed` (the server logs it).
// Start and Stop are for one thread; the signing thread is its own.
class ChainCheckpointer {
 public:
  struct Policy {
    int every_events = 1000;
    int every_minutes = 5;
    std::chrono::milliseconds poll{1000};  // how often the chain's length is read
  };
  using OnSigned = std::function<void(const Checkpoint&)>;

  // `store` and `identity` must outlive this.
  ChainCheckpointer(Store& store, const SigningIdentity& identity, Policy policy,
                    OnSigned on_signed);
  ~ChainCheckpointer();  // Stop()
  ChainCheckpointer(const ChainCheckpointer&) = delete;
  ChainCheckpointer& operator=(const ChainCheckpointer&) = delete;

  // Signs the first checkpoint (its errors propagate: a server that cannot
  // sign should not start), then starts the thread.
  void Start();
  // Ends the thread, then signs a last checkpoint if the chain moved since
  // the latest. A failure there is reported to std::cerr, not thrown.
  void Stop();

 private:
  void Run();
  bool Due(std::int64_t seq, std::chrono::steady_clock::time_point now) const;
  void Sign();

  Store& store_;
  const SigningIdentity& identity_;
  Policy policy_;
  OnSigned on_signed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  // Touched by Start, then the thread, then Stop after the join: never at once.
  std::int64_t signed_seq_ = -1;
  std::chrono::steady_clock::time_point signed_when_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_SERVICE_CHECKPOINTS_H_
