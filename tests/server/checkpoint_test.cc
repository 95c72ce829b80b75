// Signed checkpoints of the audit chain, as the server makes them: at
// start, every so many events, while the chain moves, and at the stop.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "seal/seal.h"
#include "server/test_server.h"
#include "service/checkpoints.h"
#include "store/store.h"
#include "support/support.h"

namespace consentkit {
namespace {

std::vector<Checkpoint> All(Store& store) {
  std::vector<Checkpoint> all;
  store.ForEachCheckpoint([&](const Checkpoint& c) { all.push_back(c); });
  return all;
}

std::string HashOf(Store& store, std::int64_t seq) {
  std::string hash;
  store.ForEachAuditEvent(seq, seq, [&](const AuditEvent& e) { hash = e.hash; });
  return hash;
}

// The signature as verify reads it: base64, then a detached CMS over the
// checkpoint's canonical text.
bool SignatureHolds(const Checkpoint& c) {
  auto decoded = test::Run("base64 -d", c.signature);
  if (decoded.exit_code != 0) return false;
  return VerifyDetachedData(CanonicalCheckpoint(c), decoded.out, TestSeal().certificate_pem())
      .valid;
}

ChainCheckpointer::Policy Fast(int every_events, int every_minutes = 60) {
  ChainCheckpointer::Policy policy;
  policy.every_events = every_events;
  policy.every_minutes = every_minutes;
  policy.poll = std::chrono::milliseconds(20);
  return policy;
}

void WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

TEST_CASE("SignCheckpoint signs the chain's head; an empty chain's is the genesis") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  Checkpoint empty = SignCheckpoint(*store, TestSeal(), "2026-11-23T09:00:00Z");
  CHECK(empty.seq == 0);
  CHECK(empty.last_hash == kGenesisHash);
  CHECK(SignatureHolds(empty));
  store->RecordEvent("cli", "test.event", "a");
  store->RecordEvent("cli", "test.event", "b");
  Checkpoint two = SignCheckpoint(*store, TestSeal(), "2026-11-23T09:01:00Z");
  CHECK(two.seq == 2);
  CHECK(two.last_hash == HashOf(*store, 2));
  CHECK(SignatureHolds(two));
  CHECK(CheckpointLine(two) == "seq=2 last_hash=" + two.last_hash + " at=2026-11-23T09:01:00Z");
  REQUIRE(store->LatestCheckpoint());
  CHECK(store->LatestCheckpoint()->signature == two.signature);

  Checkpoint forged = two;
  forged.seq = 1;  // a signature covers its own seq only
  CHECK_FALSE(SignatureHolds(forged));
}

TEST_CASE("the checkpointer signs at start, every N events, and at the stop") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  store->RecordEvent("cli", "test.event", "before");
  std::vector<std::int64_t> logged;
  std::mutex logged_mutex;
  {
    ChainCheckpointer checkpointer(*store, TestSeal(), Fast(3), [&](const Checkpoint& c) {
      std::lock_guard<std::mutex> lock(logged_mutex);
      logged.push_back(c.seq);
    });
    checkpointer.Start();
    REQUIRE(store->LatestCheckpoint());
    CHECK(store->LatestCheckpoint()->seq == 1);
    for (int i = 0; i < 3; ++i) store->RecordEvent("cli", "test.event", std::to_string(i));
    WaitFor([&] { return store->LatestCheckpoint()->seq == 4; });
    CHECK(store->LatestCheckpoint()->seq == 4);
    store->RecordEvent("cli", "test.event", "after");  // 1 < 3: not yet
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(store->LatestCheckpoint()->seq == 4);
    checkpointer.Stop();
    CHECK(store->LatestCheckpoint()->seq == 5);  // the stop covers the last event
  }
  std::vector<std::int64_t> seqs;
  for (const Checkpoint& c : All(*store)) {
    seqs.push_back(c.seq);
    CHECK(SignatureHolds(c));
    CHECK(c.last_hash == HashOf(*store, c.seq));
  }
  CHECK(seqs == std::vector<std::int64_t>{1, 4, 5});
  CHECK(logged == seqs);
}

TEST_CASE("an idle chain gets no new checkpoints, and a stop with nothing new signs none") {
  test::TempDir dir;
  auto store = OpenSqliteStore(dir.path());
  store->RecordEvent("cli", "test.event", "only");
  ChainCheckpointer checkpointer(*store, TestSeal(), Fast(1, 1), nullptr);
  checkpointer.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  checkpointer.Stop();
  CHECK(All(*store).size() == 1);
}

}  // namespace
}  // namespace consentkit
