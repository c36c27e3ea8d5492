// Blocks a node proposes and blocks it accepts: building the next block from waiting events, and
// the rules a block must keep to extend the chain. Pure: the chain is read through ChainReader,
// and signatures are checked by the caller (in parallel, once per event), so `rules` is a Ledger
// whose options do not verify them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/chain_reader.h"
#include "node/ledger/ledger.h"

namespace jejak::ledger {

struct BlockParams {
  int64_t now_ms = 0;      // the proposer's clock; the block is never dated before its parent
  std::string proposer;    // validator id
  size_t max_block_bytes = 4 << 20;  // serialised, as the consensus core bounds a value
};

struct BuiltBlock {
  v1::Block block;
  WriteSet writes;                      // as ApplyBlock would give for `block`
  std::vector<std::string> event_ids;   // of block's events, in order
  struct LeftOut {
    std::string event_id;
    Status refusal;  // why the rules refuse it; Ok: it is already in the chain
  };
  std::vector<LeftOut> left_out;
};

// The block after chain.head_height(): the waiting events (`event_ids[i]` is LedgerEventId of
// `events[i]`) that fit in params.max_block_bytes, in order, without those the rules refuse or
// the chain already holds (left_out, with the reason). Its header is sealed: chain id, height,
// time max(now, parent's time), previous hash, the genesis validator set, proposer, event count
// and events root. A block may come out empty; the caller decides whether to propose it. Fails
// only on our own failure (storage).
Result<BuiltBlock> BuildBlock(const Ledger& rules, const ChainReader& chain,
                              std::span<const std::string> event_ids,
                              std::span<const v1::SignedEvent* const> events, const BlockParams& params);

// What a block must keep to extend `chain` (besides its consensus certificate): the header
// checks of ApplyBlock (chain id, height = head + 1, previous hash, event count, events root), a
// time not before its parent's ([block-time-order]), the genesis validator set
// ([block-validator-set]), no event already in the chain or twice ([block-duplicate-event]), and
// every event's rules in order. `event_ids`: LedgerEventId of each event. The changes it makes.
Result<WriteSet> ValidateBlock(const Ledger& rules, const ChainReader& chain, const v1::Block& block,
                               std::span<const std::string> event_ids);

}  // namespace jejak::ledger
