// The ledger as the consensus core's Application: proposes blocks from the mempool and says
// whether a proposed block is valid against the state after the previous block.
//
// Runs on the consensus thread only. Signature checks of a block's events run in parallel on the
// worker pool, and an event whose signature this node already verified (at submission, by gossip
// or in an earlier proposal: VerifiedCache) is not verified again.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "consensus/interfaces.h"
#include "jejak/v1/block.pb.h"
#include "node/daemon/mempool.h"
#include "node/daemon/verified_cache.h"
#include "node/daemon/worker_pool.h"
#include "node/ledger/ledger.h"
#include "node/ledger/signing.h"
#include "node/storage/store.h"

namespace jejak::daemon {

// A block that passed validation, ready to commit.
struct ValidatedBlock {
  v1::Block block;
  ledger::WriteSet writes;
  std::vector<std::string> event_ids;  // ledger event ids, in block order
};

class BlockApplication final : public consensus::Application {
 public:
  struct Options {
    std::string proposer_id;
    uint32_t max_block_events = 1000;
    // Serialised block size the consensus core accepts (consensus::Config::max_value_bytes).
    size_t max_block_bytes = 4 << 20;
    std::function<int64_t()> now_ms;  // the wall clock, injected
    // Called for an event dropped from the mempool because it is no longer valid.
    std::function<void(const std::string& event_id, const Status& reason)> on_rejected;
    // Called for an event dropped from the mempool because it was committed meanwhile.
    std::function<void(const std::string& event_id)> on_already_committed;
  };

  // `verified` is shared with the node's submit and gossip paths (one verification per event).
  BlockApplication(const ledger::Genesis& genesis, storage::Store& store, Mempool& mempool,
                   WorkerPool& workers, VerifiedCache& verified, Options options);

  std::optional<consensus::Value> GetValueToPropose(uint64_t height) override;
  bool ValidateValue(uint64_t height, const consensus::Value& value) override;

  // The validated block for `value`, validating it now if this node has not (a block learnt by
  // catch-up). Invalid only if the block is not valid: never for a committed one.
  Result<ValidatedBlock> TakeValidated(const consensus::Value& value);
  // valid(v) with the reason when it is not: Invalid for a bad block, another code for our own
  // failure (storage). Used by ValidateValue (which also judges a proposal's time against this
  // node's clock) and by block sync. Does not keep the result.
  Result<ValidatedBlock> CheckValue(uint64_t height, const consensus::Value& value);
  // Forgets validated candidates (the core was re-created at a new height by block sync).
  void ForgetCandidates() { validated_.clear(); }

 private:
  // Signatures (CheckEvents), then ledger::ValidateBlock against the store.
  Result<ValidatedBlock> Validate(const v1::Block& block);
  // Decodes every event, computes its ledger id and checks its signature (in parallel).
  Status CheckEvents(const v1::Block& block, std::vector<std::string>* event_ids);

  const ledger::Genesis& genesis_;
  ledger::KeyDirectory keys_;
  // Rules only: signatures are verified in parallel (and once) before the rules run.
  ledger::Ledger unchecked_ledger_;
  storage::Store& store_;
  Mempool& mempool_;
  WorkerPool& workers_;
  Options options_;
  VerifiedCache& verified_;
  std::map<std::string, ValidatedBlock> validated_;  // by block hash; current height only
};

}  // namespace jejak::daemon
