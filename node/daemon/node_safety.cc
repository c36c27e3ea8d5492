// The node's consensus safety record at start-up and the sit-out of a validator that lost it
// (docs/design.md, "Durability and start-up checks").
#include <spdlog/spdlog.h>

#include <algorithm>

#include "consensus/sign_bytes.h"
#include "node/daemon/node.h"
#include "node/storage/safety_record.h"

namespace jejak::daemon {

using Clock = std::chrono::steady_clock;

// A record copied from another validator, or left from another chain or key, would forbid the
// wrong votes: its last vote must carry this node key's signature for this chain. (A record whose
// last signature is a proposal's does not hold what its sign bytes need; it is taken as it is.)
Status Node::CheckRecordIsOurs(const consensus::SafetyRecord& record) const {
  if (record.height == 0 || record.step == consensus::RoundStep::kPropose) return Status::Ok();
  const consensus::VoteType type = record.step == consensus::RoundStep::kPrevote ? consensus::VoteType::kPrevote
                                                                                  : consensus::VoteType::kPrecommit;
  const std::string bytes =
      consensus::VoteSignBytes(genesis_.chain_id, type, record.height, record.round, record.value_id);
  if (crypto::Verify(node_key_.public_key(), bytes, record.signature)) return Status::Ok();
  return Status::Invalid("the safety record " + safety_record_path_ + " is not validator " + config_.node_id +
                         "'s on chain " + genesis_.chain_id + ": its last vote (height " +
                         std::to_string(record.height) + ", round " + std::to_string(record.round) +
                         ") does not carry this node key's signature. Put this validator's own record back, or "
                         "remove the file: the validator then sits out until the chain has passed the heights it "
                         "may have signed");
}

// The record says what this key signed last. Without it, a validator whose chain is not brand new
// may have signed votes (before its home was lost or replaced) that a new vote would contradict.
Status Node::PrepareSafetyRecord() {
  Result<int> lock = storage::LockSafetyRecord(safety_record_path_);
  if (!lock.ok()) return lock.status();
  safety_record_lock_fd_ = *lock;
  Result<std::optional<consensus::SafetyRecord>> record = storage::LoadSafetyRecord(safety_record_path_);
  if (!record.ok()) {
    return record.status().WithContext(
        "consensus safety record (restore the file from a backup; if it is lost, remove it: the validator "
        "then sits out until the chain has passed the heights it may have signed)");
  }
  if (record->has_value()) {
    JEJAK_RETURN_IF_ERROR(CheckRecordIsOurs(**record));
    const uint64_t head = store_->head_height();
    if ((*record)->height > head + 1) {
      spdlog::warn("the safety record {} says this validator signed at height {}, the chain here is at {}: it "
                   "signs nothing at or below height {} (it follows by block sync until then)",
                   safety_record_path_, (*record)->height, head, (*record)->height);
    }
    return Status::Ok();
  }
  if (validators_.size() == 1) {
    // A sole validator's votes reach no one, so it cannot contradict itself towards others.
    spdlog::warn("no safety record at {}: a sole validator goes on; creating it", safety_record_path_);
    return storage::SaveSafetyRecord(safety_record_path_, consensus::SafetyRecord{});
  }
  // Not even a new data directory shows that nothing was signed: the home may have been rebuilt
  // around a restored key. `jejak init` and `jejak testnet` write an empty record beside a new key.
  if (block_source_ == nullptr) {
    return Status::Invalid("there is no safety record at " + safety_record_path_ +
                           ": this validator may have signed votes before, and must "
                           "sit out until the chain has passed them, which needs [block_sync] sources (none are "
                           "configured). Restore the safety_record file or add [block_sync] sources");
  }
  sitting_out_.store(true);
  spdlog::warn("there is no safety record at {}: this validator may have signed votes before; it sits out "
               "(follows the chain, does not vote) until the chain has passed the height the network is at now",
               safety_record_path_);
  return Status::Ok();
}

Status Node::MaybeEndSitOut(uint64_t best_head) {
  if (!sitting_out_.load()) return Status::Ok();
  if (!sit_out_until_) {
    // The network works on best_head + 1: the highest height we may have signed. Our own head
    // counts too (a source behind us must not end the sit-out at once).
    sit_out_until_ = std::max(best_head, store_->head_height()) + 1;
    spdlog::warn("sitting out until block {} is committed (the network is at height {})", *sit_out_until_, best_head);
  }
  if (store_->head_height() < *sit_out_until_) return Status::Ok();
  spdlog::warn("the chain passed height {}: this validator votes again from height {}", *sit_out_until_,
               store_->head_height() + 1);
  JEJAK_RETURN_IF_ERROR(MakeCore());
  sitting_out_.store(false);
  last_activity_ = Clock::now();
  return Status::Ok();
}

}  // namespace jejak::daemon
