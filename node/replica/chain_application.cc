#include "node/replica/chain_application.h"

#include "node/ledger/block.h"
#include "node/ledger/block_rules.h"
#include "node/ledger/event_time.h"

namespace jejak::replica {
namespace {

ledger::LedgerOptions Unchecked() {
  ledger::LedgerOptions options;
  options.verify_signatures = false;
  return options;
}

}  // namespace

ChainApplication::ChainApplication(const ledger::Genesis& genesis, const ledger::ChainReader& chain,
                                   Mempool& mempool, EventChecker& checker, const int64_t& now_ms,
                                   Options options)
    : genesis_(genesis),
      unchecked_ledger_(genesis, Unchecked()),
      chain_(chain),
      mempool_(mempool),
      checker_(checker),
      now_ms_(now_ms),
      options_(std::move(options)) {}

// Waiting events were checked when they reached this node (submission or gossip), so the block
// is built by the rules alone, and kept as validated: ValidateValue finds its own proposal done.
std::optional<consensus::Value> ChainApplication::GetValueToPropose(uint64_t height) {
  if (chain_.head_height() + 1 != height) return std::nullopt;
  std::vector<PendingEvent> pending = mempool_.Peek(options_.max_block_events);
  if (pending.empty()) return std::nullopt;
  std::vector<std::string> ids;
  std::vector<const v1::SignedEvent*> events;
  for (const PendingEvent& event : pending) {
    ids.push_back(event.event_id);
    events.push_back(&event.signed_event);
  }
  const ledger::BlockParams params{now_ms_, options_.proposer_id, options_.max_block_bytes};
  Result<ledger::BuiltBlock> built = ledger::BuildBlock(unchecked_ledger_, chain_, ids, events, params);
  if (!built.ok()) {
    if (options_.on_failure) options_.on_failure(built.status().WithContext("building a proposal"));
    return std::nullopt;
  }
  // Events that no longer apply leave the mempool with their reason.
  std::vector<std::string> dropped;
  for (const ledger::BuiltBlock::LeftOut& left : built->left_out) {
    dropped.push_back(left.event_id);
    if (options_.on_left_out) options_.on_left_out(left.event_id, left.refusal);
  }
  mempool_.Remove(dropped);
  if (built->block.events_size() == 0) return std::nullopt;
  std::string id = ledger::BlockHash(built->block.header());
  std::string bytes = built->block.SerializeAsString();
  validated_.emplace(id, ValidatedBlock{std::move(built->block), std::move(built->writes),
                                        std::move(built->event_ids)});
  return consensus::Value{std::move(id), std::move(bytes)};
}

Result<ValidatedBlock> ChainApplication::CheckValue(uint64_t height, const consensus::Value& value) {
  v1::Block block;
  if (!block.ParseFromString(value.bytes)) return Status::Invalid("the block bytes do not parse");
  const v1::BlockHeader& header = block.header();
  if (header.height() != height) {
    return Status::Invalid("the block is for height " + std::to_string(header.height()) + ", not " +
                           std::to_string(height));
  }
  if (ledger::BlockHash(header) != value.id) return Status::Invalid("the block hash does not match its header");
  return Validate(block);
}

bool ChainApplication::ValidateValue(uint64_t height, const consensus::Value& value) {
  if (auto done = validated_.find(value.id); done != validated_.end()) {
    return done->second.block.header().height() == height;
  }
  Result<ValidatedBlock> validated = CheckValue(height, value);
  if (validated.ok()) {  // a proposal, judged by this validator's clock too (not so in block sync)
    Status on_time = ledger::CheckProposedBlockTime(genesis_.event_time, validated->block.header().time_ms(),
                                                    now_ms_);
    if (!on_time.ok()) validated = on_time;
  }
  if (!validated.ok()) {
    // Our own failure (storage): answering "invalid" would be a lie that other nodes cannot see,
    // and answering "valid" unchecked could commit garbage. The replica stops instead.
    if (!validated.status().IsInputFault() && options_.on_failure) {
      options_.on_failure(validated.status().WithContext("validating block " + std::to_string(height)));
    }
    return false;
  }
  validated_.emplace(value.id, std::move(*validated));
  return true;
}

Result<ValidatedBlock> ChainApplication::TakeValidated(const consensus::Value& value) {
  auto it = validated_.find(value.id);
  Result<ValidatedBlock> result = Status::Internal("unset");
  if (it != validated_.end()) {
    result = std::move(it->second);
  } else {
    v1::Block block;
    if (!block.ParseFromString(value.bytes)) return Status::Invalid("committed block does not parse");
    result = Validate(block);
  }
  validated_.clear();  // the height is decided: other candidates are moot
  return result;
}

Result<ValidatedBlock> ChainApplication::Validate(const v1::Block& block) {
  ValidatedBlock validated{block, {}, {}};
  std::vector<const v1::SignedEvent*> events;
  for (const v1::SignedEvent& event : block.events()) events.push_back(&event);
  auto membership = unchecked_ledger_.MembershipIn(chain_);
  if (!membership.ok()) return membership.status();
  std::vector<Status> checks = checker_.Check(events, **membership, &validated.event_ids);
  for (size_t i = 0; i < checks.size(); ++i) {
    if (!checks[i].ok()) return checks[i].ForEvent(static_cast<uint32_t>(i));
  }
  Result<ledger::WriteSet> writes = ledger::ValidateBlock(unchecked_ledger_, chain_, block, validated.event_ids);
  if (!writes.ok()) return writes.status();
  validated.writes = std::move(*writes);
  return validated;
}

}  // namespace jejak::replica
