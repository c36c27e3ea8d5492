#include "node/ledger/block_rules.h"

#include <algorithm>
#include <set>

#include "node/ledger/block.h"
#include "node/ledger/event_time.h"
#include "node/ledger/keys.h"
#include "node/ledger/queries.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {
namespace {

// Bounds on what the header's remaining fields and each event's protobuf framing add to a block.
constexpr size_t kHeaderSlackBytes = 256;
constexpr size_t kEventFramingBytes = 16;

Result<int64_t> ParentTime(const ChainReader& chain) {
  if (chain.head_height() == 0) return int64_t{0};
  Result<v1::Block> parent = chain.GetBlock(chain.head_height());
  if (!parent.ok()) return parent.status();
  return parent->header().time_ms();
}

Result<std::string> HeadHash(const ChainReader& chain) {
  if (chain.head_height() == 0) return std::string();
  Result<v1::Block> parent = chain.GetBlock(chain.head_height());
  if (!parent.ok()) return parent.status();
  return BlockHash(parent->header());
}

void Seal(v1::Block* block) {
  block->mutable_header()->set_event_count(static_cast<uint32_t>(block->events_size()));
  block->mutable_header()->set_events_root(EventsRoot(*block));
}

// How many of `events`, from the first, fit in a block of `max_block_bytes` after `header`.
size_t FittingEvents(const v1::BlockHeader& header, std::span<const v1::SignedEvent* const> events,
                     size_t max_block_bytes) {
  size_t block_bytes = header.ByteSizeLong() + kHeaderSlackBytes;
  size_t fitting = 0;
  for (; fitting < events.size(); ++fitting) {
    block_bytes += events[fitting]->ByteSizeLong() + kEventFramingBytes;
    if (block_bytes > max_block_bytes) break;  // the rest waits its turn
  }
  return fitting;
}

}  // namespace

Result<BuiltBlock> BuildBlock(const Ledger& rules, const ChainReader& chain,
                              std::span<const std::string> event_ids,
                              std::span<const v1::SignedEvent* const> events, const BlockParams& params) {
  if (event_ids.size() != events.size()) return Status::Internal("BuildBlock: an id for every event");
  Result<int64_t> parent_time = ParentTime(chain);
  if (!parent_time.ok()) return parent_time.status();
  Result<std::string> previous_hash = HeadHash(chain);
  if (!previous_hash.ok()) return previous_hash.status();
  BuiltBlock built;
  v1::BlockHeader& header = *built.block.mutable_header();
  header.set_chain_id(rules.genesis().chain_id);
  header.set_height(chain.head_height() + 1);
  header.set_time_ms(std::max(params.now_ms, *parent_time));
  header.set_previous_block_hash(*previous_hash);
  header.set_validator_set_hash(ValidatorSetHash(rules.genesis().validators));
  header.set_proposer(params.proposer);
  const size_t fitting = FittingEvents(header, events, params.max_block_bytes);

  Result<AppliedEvents> applied =
      rules.ApplyEvents(chain, events.first(fitting), event_ids.first(fitting),
                        {header.height(), 0, header.time_ms()}, OnRefusal::kLeaveOut);
  if (!applied.ok()) return applied.status();
  for (size_t i = 0; i < fitting; ++i) {
    const EventVerdict& verdict = applied->verdicts[i];
    if (!verdict.changed) {
      built.left_out.push_back({event_ids[i], verdict.refusal});
      continue;
    }
    *built.block.add_events() = *events[i];
    built.event_ids.push_back(event_ids[i]);
  }
  Seal(&built.block);
  built.writes = std::move(applied->writes);
  built.writes.Put(Table::kState, keys::LastHeightKey(), keys::EncodeU64(header.height()));
  built.writes.Put(Table::kState, keys::LastHashKey(), BlockHash(header));
  return built;
}

Result<WriteSet> ValidateBlock(const Ledger& rules, const ChainReader& chain, const v1::Block& block,
                               std::span<const std::string> event_ids) {
  const v1::BlockHeader& header = block.header();
  if (header.validator_set_hash() != ValidatorSetHash(rules.genesis().validators)) {
    return Status::Invalid("the block names another validator set").WithRule(rule::kBlockValidatorSet);
  }
  Result<int64_t> parent_time = ParentTime(chain);
  if (!parent_time.ok()) return parent_time.status();
  JEJAK_RETURN_IF_ERROR(CheckBlockTimeOrder(header.time_ms(), *parent_time));
  // The rules take a repeated event as a no-op; a block must not carry one, or the chain would
  // hold the same event twice.
  std::set<std::string> seen;
  for (const std::string& id : event_ids) {
    Result<std::optional<v1::EventRecord>> earlier = GetEvent(chain, id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value() || !seen.insert(id).second) {
      return Status::Invalid("event " + id + " is already in the chain or twice in the block")
          .WithRule(rule::kBlockDuplicateEvent);
    }
  }
  return rules.ApplyBlock(chain, block, event_ids);
}

}  // namespace jejak::ledger
