// The ledger as the consensus core's Application: proposes blocks from the mempool and says
// whether a proposed block is valid against the state after the previous block.
//
// Deterministic and single-threaded: the chain is read through ledger::ChainReader, signatures
// are checked by the replica's EventChecker (which the server runs in parallel and which
// remembers what it verified), the clock is the replica's last Tick.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "consensus/interfaces.h"
#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/ledger.h"
#include "node/replica/event_checker.h"
#include "node/replica/mempool.h"

namespace jejak::replica {

// A block that passed validation, ready to commit.
struct ValidatedBlock {
  v1::Block block;
  ledger::WriteSet writes;
  std::vector<std::string> event_ids;  // ledger event ids, in block order
};

class ChainApplication final : public consensus::Application {
 public:
  struct Options {
    std::string proposer_id;
    uint32_t max_block_events = 1000;
    // Serialised block size the consensus core accepts (consensus::Config::max_value_bytes).
    size_t max_block_bytes = 4 << 20;
    // An event left out of a proposal: `reason` ok when it was committed meanwhile.
    std::function<void(const std::string& event_id, const Status& reason)> on_left_out;
    // Our own failure (storage) while validating: the replica stops before sending anything.
    std::function<void(const Status& failure)> on_failure;
  };

  // `chain` is the committed chain (the replica's head); `now_ms` the replica's wall clock.
  ChainApplication(const ledger::Genesis& genesis, const ledger::ChainReader& chain, Mempool& mempool,
                   EventChecker& checker, const int64_t& now_ms, Options options);

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
  // Signatures (the checker), then ledger::ValidateBlock against the chain.
  Result<ValidatedBlock> Validate(const v1::Block& block);

  const ledger::Genesis& genesis_;
  // Rules only: signatures are checked (once per node) by the checker before the rules run.
  ledger::Ledger unchecked_ledger_;
  const ledger::ChainReader& chain_;
  Mempool& mempool_;
  EventChecker& checker_;
  const int64_t& now_ms_;
  Options options_;
  std::map<std::string, ValidatedBlock> validated_;  // by block hash; current height only
};

}  // namespace jejak::replica
