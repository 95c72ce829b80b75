#include "service/checkpoints.h"

#include <Poco/Base64Encoder.h>

#include <iostream>
#include <sstream>

#include "util/util.h"

namespace consentkit {
namespace {

std::string Base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);  // one line: the column holds no line breaks
  encoder << bytes;
  encoder.close();
  return out.str();
}

// The chain's last event, or the genesis of an empty chain.
Checkpoint Head(Store& store) {
  Checkpoint head{0, kGenesisHash, "", ""};
  std::int64_t last = store.LastAuditSeq();
  if (last == 0) return head;
  store.ForEachAuditEvent(last, last, [&](const AuditEvent& event) {
    head.seq = event.seq;
    head.last_hash = event.hash;
  });
  return head;
}

}  // namespace

Checkpoint SignCheckpoint(Store& store, const SigningIdentity& identity, const std::string& at) {
  Checkpoint checkpoint = Head(store);
  checkpoint.at = at;
  checkpoint.signature = Base64(SignDetachedData(CanonicalCheckpoint(checkpoint), identity));
  store.AddCheckpoint(checkpoint);
  return checkpoint;
}

std::string CheckpointLine(const Checkpoint& c) {
  return "seq=" + std::to_string(c.seq) + " last_hash=" + c.last_hash + " at=" + c.at;
}

ChainCheckpointer::ChainCheckpointer(Store& store, const SigningIdentity& identity, Policy policy,
                                     OnSigned on_signed)
    : store_(store), identity_(identity), policy_(policy), on_signed_(std::move(on_signed)) {}

ChainCheckpointer::~ChainCheckpointer() { Stop(); }

void ChainCheckpointer::Start() {
  Sign();
  thread_ = std::thread([this] { Run(); });
}

void ChainCheckpointer::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  try {
    if (store_.LastAuditSeq() != signed_seq_) Sign();
  } catch (const std::exception& e) {
    std::cerr << "consentkit: could not sign the last checkpoint of the audit chain: " << e.what()
              << "\n";
  }
}

bool ChainCheckpointer::Due(std::int64_t seq, std::chrono::steady_clock::time_point now) const {
  if (seq == signed_seq_) return false;
  return seq - signed_seq_ >= policy_.every_events ||
         now - signed_when_ >= std::chrono::minutes(policy_.every_minutes);
}

void ChainCheckpointer::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, policy_.poll, [this] { return stopping_; })) {
    lock.unlock();
    try {
      if (Due(store_.LastAuditSeq(), std::chrono::steady_clock::now())) Sign();
    } catch (const std::exception& e) {
      // The next poll tries again; the server keeps serving meanwhile.
      std::cerr << "consentkit: could not sign a checkpoint of the audit chain: " << e.what()
                << "\n";
    }
    lock.lock();
  }
}

void ChainCheckpointer::Sign() {
  Checkpoint checkpoint = SignCheckpoint(store_, identity_, UtcNow());
  signed_seq_ = checkpoint.seq;
  signed_when_ = std::chrono::steady_clock::now();
  if (on_signed_) on_signed_(checkpoint);
}

}  // namespace consentkit
