// Block sync decisions and the sit-out of a validator that lost its safety record.
//
// A node that is behind (restart, partition, observer) asks its driver to fetch committed blocks
// (Ready::fetch); the answer (ReceiveFetched) is taken one block per Ready: each block is checked
// exactly as a commit would be, its certificate for this block (height, hash) with a quorum of
// valid precommit signatures of the validator set (ledger::CheckCommitCertificate), its content as
// a proposal (ChainApplication::CheckValue: header, previous hash, time, signatures, ledger rules,
// without the proposer-clock check). The first block that fails ends the attempt: nothing after it
// is taken, and the driver is told to refuse the source's answer.
#include <algorithm>

#include "node/ledger/block.h"
#include "node/ledger/commit_certificate.h"
#include "node/replica/replica.h"

namespace jejak::replica {

void Replica::MaybeRequestFetch() {
  if (!options_.has_block_source || fetch_outstanding_ || fetch_ || !fetched_.empty() || !synced_ready_.empty()) {
    return;
  }
  // A validator with a core fetches when it sees it is behind (a message too far ahead, a later
  // decision, or peers a height ahead for behind_after_ms); an observer (or a validator sitting
  // out) polls.
  const bool left_behind = ahead_seen_since_ms_ &&
                           monotonic_ms_ - *ahead_seen_since_ms_ >= static_cast<int64_t>(options_.behind_after_ms);
  if (monotonic_ms_ < next_sync_ms_ || (core_ && !sync_wanted_ && !left_behind)) return;
  sync_wanted_ = false;
  next_sync_ms_ = monotonic_ms_ + options_.sync_poll_interval_ms;
  fetch_ = FetchRequest{committed_height_ + 1, options_.max_blocks_per_fetch};
  fetch_outstanding_ = true;
}

void Replica::ReceiveFetched(const Result<uint64_t>& best_head, Result<std::vector<v1::CommittedBlock>> blocks) {
  fetch_outstanding_ = false;
  if (!best_head.ok()) {
    Log(LogLine::Level::kDebug, "block sync: no source answers: " + best_head.status().message());
    return;
  }
  best_head_ = *best_head;
  best_head_known_ = true;
  if (!blocks.ok() || blocks->empty() || *best_head <= committed_height_) {
    if (!blocks.ok()) Log(LogLine::Level::kDebug, "block sync: " + blocks.status().message());
    MaybeEndSitOut();
    return;
  }
  if (blocks->size() > options_.max_blocks_per_fetch) {
    RefuseFetched(Status::Invalid("block sync: the source sent " + std::to_string(blocks->size()) +
                                  " blocks, more than the " + std::to_string(options_.max_blocks_per_fetch) +
                                  " asked for"));
    return;
  }
  if (!sync_from_) sync_from_ = committed_height_;
  for (v1::CommittedBlock& block : *blocks) fetched_.push_back(std::move(block));
  ContinueSync();
}

void Replica::RefuseFetched(const Status& reason) {
  Log(LogLine::Level::kWarn, "refused a block from the block sources: " + reason.message());
  refuse_fetch_ = reason.message();
  fetched_.clear();
}

void Replica::ContinueSync() {
  while (!awaiting_advance_ && synced_ready_.empty() && !fetched_.empty() && failure_.ok()) {
    v1::CommittedBlock committed = std::move(fetched_.front());
    fetched_.pop_front();
    const uint64_t height = committed_height_ + 1;
    const v1::Block& block = committed.block();
    if (block.header().height() < height) continue;  // decided here meanwhile
    if (block.header().height() != height) {
      RefuseFetched(Status::Invalid("block sync: expected block " + std::to_string(height) + ", got block " +
                                    std::to_string(block.header().height())));
      return;
    }
    const std::string where = "block sync: block " + std::to_string(height);
    const std::string hash = ledger::BlockHash(block.header());
    Status certified = ledger::CheckCommitCertificate(genesis_.chain_id, validators_, committed.certificate(),
                                                      height, hash, verifier_);
    if (!certified.ok()) {
      RefuseFetched(certified.WithContext(where));
      return;
    }
    Result<ValidatedBlock> validated = application_->CheckValue(height, {hash, block.SerializeAsString()});
    if (!validated.ok()) {
      // A block with a valid certificate that does not validate here means a quorum signed an
      // invalid block, or our state differs: either way not something to apply.
      if (validated.status().IsInputFault()) {
        RefuseFetched(validated.status().WithContext(where));
      } else {
        Fail(validated.status().WithContext(where));
      }
      return;
    }
    synced_ready_.push_back(BlockToCommit{std::move(validated->block), committed.certificate(),
                                          std::move(validated->writes), std::move(validated->event_ids), hash,
                                          true});
  }
}

void Replica::AfterSyncedBlocks() {
  const bool drained = fetched_.empty() && synced_ready_.empty();
  if (drained && sync_from_) {
    Log(LogLine::Level::kInfo, "block sync: caught up from height " + std::to_string(*sync_from_) + " to " +
                                   std::to_string(committed_height_));
    sync_from_.reset();
  }
  if (drained && committed_height_ < best_head_) {  // still behind: go on at once
    next_sync_ms_ = monotonic_ms_;
    sync_wanted_ = true;
  }
  if (core_ && core_->height() != committed_height_ + 1) {
    MakeCore();
    last_activity_ms_ = monotonic_ms_;
  }
  MaybeEndSitOut();
}

// The sit-out ends once the chain has passed the height the network was at when this validator
// first asked: the highest height it may have signed.
void Replica::MaybeEndSitOut() {
  if (!sitting_out_) return;
  if (!sit_out_until_) {
    if (!best_head_known_) return;  // the network's height is not known yet
    // Our own head counts too: a source behind us must not end the sit-out at once.
    sit_out_until_ = std::max(best_head_, committed_height_) + 1;
    Log(LogLine::Level::kWarn, "sitting out until block " + std::to_string(*sit_out_until_) +
                                   " is committed (the network is at height " + std::to_string(best_head_) + ")");
  }
  if (committed_height_ < *sit_out_until_) return;
  Log(LogLine::Level::kWarn, "the chain passed height " + std::to_string(*sit_out_until_) +
                                 ": this validator votes again from height " + std::to_string(committed_height_ + 1));
  sitting_out_ = false;
  MakeCore();
  last_activity_ms_ = monotonic_ms_;
}

}  // namespace jejak::replica
