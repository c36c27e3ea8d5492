// The node's consensus safety record at start-up; a validator that lost it sits out (the
// replica decides when the sit-out ends)
// (docs/design.md, "Durability and start-up checks").
#include <spdlog/spdlog.h>

#include <algorithm>

#include "consensus/sign_bytes.h"
#include "node/daemon/node.h"
#include "node/storage/safety_record.h"

namespace jejak::daemon {

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
Status Node::PrepareSafetyRecord(std::optional<consensus::SafetyRecord>* loaded, bool* sit_out) {
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
    *loaded = *record;
    return Status::Ok();
  }
  if (genesis_.validators.size() == 1) {
    // A sole validator's votes reach no one, so it cannot contradict itself towards others.
    spdlog::warn("no safety record at {}: a sole validator goes on; creating it", safety_record_path_);
    *loaded = consensus::SafetyRecord{};
    return storage::SaveSafetyRecord(safety_record_path_, **loaded);
  }
  // Not even a new data directory shows that nothing was signed: the home may have been rebuilt
  // around a restored key. `jejak init` and `jejak testnet` write an empty record beside a new key.
  if (block_source_ == nullptr) {
    return Status::Invalid("there is no safety record at " + safety_record_path_ +
                           ": this validator may have signed votes before, and must "
                           "sit out until the chain has passed them, which needs [block_sync] sources (none are "
                           "configured). Restore the safety_record file or add [block_sync] sources");
  }
  *sit_out = true;
  spdlog::warn("there is no safety record at {}: this validator may have signed votes before; it sits out "
               "(follows the chain, does not vote) until the chain has passed the height the network is at now",
               safety_record_path_);
  return Status::Ok();
}

}  // namespace jejak::daemon
