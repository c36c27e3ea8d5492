#include "node/daemon/block_application.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>
#include <spdlog/spdlog.h>

#include "node/crypto/sha256.h"
#include "node/ledger/block.h"
#include "node/ledger/event_time.h"
#include "node/ledger/overlay.h"
#include "node/ledger/queries.h"
#include "node/ledger/signing.h"

namespace jejak::daemon {
namespace {

// Bounds on what the header's remaining fields and each event's protobuf framing add to a block.
constexpr size_t kHeaderSlackBytes = 256;
constexpr size_t kEventFramingBytes = 16;

ledger::LedgerOptions Unchecked() {
  ledger::LedgerOptions options;
  options.verify_signatures = false;
  return options;
}

Result<int64_t> PreviousBlockTime(const storage::Store& store, uint64_t height) {
  if (height <= 1) return int64_t{0};
  Result<v1::Block> previous = store.GetBlock(height - 1);
  if (!previous.ok()) return previous.status();
  return previous->header().time_ms();
}

}  // namespace

BlockApplication::BlockApplication(const ledger::Genesis& genesis, storage::Store& store,
                                   Mempool& mempool, WorkerPool& workers, VerifiedCache& verified,
                                   Options options)
    : genesis_(genesis),
      keys_(genesis),
      unchecked_ledger_(genesis, Unchecked()),
      store_(store),
      mempool_(mempool),
      workers_(workers),
      options_(std::move(options)),
      validator_set_hash_(ledger::ValidatorSetHash(genesis.validators)),
      verified_(verified) {}

std::optional<consensus::Value> BlockApplication::GetValueToPropose(uint64_t height) {
  Result<ledger::ChainTip> tip = ledger::ReadChainTip(store_);
  Result<int64_t> previous_time = PreviousBlockTime(store_, height);
  if (!tip.ok() || !previous_time.ok() || tip->height + 1 != height) return std::nullopt;
  std::vector<PendingEvent> pending = mempool_.Peek(options_.max_block_events);
  if (pending.empty()) return std::nullopt;

  v1::Block block;
  v1::BlockHeader& header = *block.mutable_header();
  header.set_chain_id(genesis_.chain_id);
  header.set_height(height);
  header.set_time_ms(std::max(options_.now_ms(), *previous_time));
  header.set_previous_block_hash(tip->hash);
  header.set_validator_set_hash(validator_set_hash_);
  header.set_proposer(options_.proposer_id);
  size_t block_bytes = header.ByteSizeLong() + kHeaderSlackBytes;
  size_t fitting = 0;
  for (; fitting < pending.size(); ++fitting) {
    block_bytes += pending[fitting].signed_event.ByteSizeLong() + kEventFramingBytes;
    if (block_bytes > options_.max_block_bytes) break;  // the rest waits its turn
  }
  pending.resize(fitting);

  // Usually every waiting event still applies: then one pass of the rules over the whole block
  // both builds and validates it (ValidateValue finds it done).
  for (const PendingEvent& event : pending) *block.add_events() = event.signed_event;
  Seal(&block);
  Result<ValidatedBlock> whole = Validate(block);
  if (whole.ok()) {
    std::string id = ledger::BlockHash(header);
    std::string bytes = block.SerializeAsString();
    validated_.emplace(id, std::move(*whole));
    return consensus::Value{std::move(id), std::move(bytes)};
  }
  if (!whole.status().IsInputFault()) {
    spdlog::error("cannot build a proposal: {}", whole.status().ToString());  // our own failure
    return std::nullopt;
  }
  // Otherwise find the events that no longer apply, one by one; they leave the mempool with
  // their reason.
  block.clear_events();
  ledger::WriteSet writes;
  std::vector<std::string> dropped;
  for (PendingEvent& event : pending) {
    ledger::OverlayReader state(store_, writes);
    ledger::Position position{height, static_cast<uint32_t>(block.events_size()), header.time_ms()};
    Result<ledger::WriteSet> change =
        unchecked_ledger_.ApplyEvent(state, event.signed_event, position, event.event_id);
    if (!change.ok() && !change.status().IsInputFault()) {
      spdlog::error("cannot build a proposal: {}", change.status().ToString());  // our own failure
      return std::nullopt;
    }
    if (!change.ok() || change->empty()) {
      dropped.push_back(event.event_id);
      if (!change.ok() && options_.on_rejected) options_.on_rejected(event.event_id, change.status());
      if (change.ok() && options_.on_already_committed) options_.on_already_committed(event.event_id);
      continue;
    }
    writes.Merge(*change);
    *block.add_events() = std::move(event.signed_event);
  }
  mempool_.Remove(dropped);
  if (block.events_size() == 0) return std::nullopt;
  Seal(&block);
  return consensus::Value{ledger::BlockHash(header), block.SerializeAsString()};
}

void BlockApplication::Seal(v1::Block* block) {
  block->mutable_header()->set_event_count(static_cast<uint32_t>(block->events_size()));
  block->mutable_header()->set_events_root(ledger::EventsRoot(*block));
}

Result<ValidatedBlock> BlockApplication::CheckValue(uint64_t height, const consensus::Value& value) {
  v1::Block block;
  if (!block.ParseFromString(value.bytes)) return Status::Invalid("the block bytes do not parse");
  const v1::BlockHeader& header = block.header();
  if (header.height() != height) {
    return Status::Invalid("the block is for height " + std::to_string(header.height()) + ", not " +
                           std::to_string(height));
  }
  if (ledger::BlockHash(header) != value.id) return Status::Invalid("the block hash does not match its header");
  if (header.validator_set_hash() != validator_set_hash_) {
    return Status::Invalid("the block names another validator set");
  }
  Result<int64_t> previous_time = PreviousBlockTime(store_, height);
  if (!previous_time.ok()) return previous_time.status();
  JEJAK_RETURN_IF_ERROR(ledger::CheckBlockTimeOrder(header.time_ms(), *previous_time));
  return Validate(block);
}

bool BlockApplication::ValidateValue(uint64_t height, const consensus::Value& value) {
  if (auto done = validated_.find(value.id); done != validated_.end()) {
    return done->second.block.header().height() == height;
  }
  Result<ValidatedBlock> validated = CheckValue(height, value);
  if (validated.ok()) {  // a proposal, judged by this validator's clock too (not so in block sync)
    Status on_time = ledger::CheckProposedBlockTime(genesis_.event_time, validated->block.header().time_ms(),
                                                    options_.now_ms());
    if (!on_time.ok()) validated = on_time;
  }
  if (!validated.ok()) {
    if (!validated.status().IsInputFault()) {
      // Our own failure (storage): answering "invalid" would be a lie that other nodes cannot
      // see, and answering "valid" unchecked could commit garbage. Stop loudly instead.
      spdlog::critical("cannot validate block {}: {}", height, validated.status().ToString());
      std::abort();
    }
    spdlog::warn("proposed block {} is invalid: {}", height, validated.status().message());
    return false;
  }
  validated_.emplace(value.id, std::move(*validated));
  return true;
}

Result<ValidatedBlock> BlockApplication::TakeValidated(const consensus::Value& value) {
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

Status BlockApplication::CheckEvents(const v1::Block& block, std::vector<std::string>* event_ids) {
  const size_t count = static_cast<size_t>(block.events_size());
  std::vector<std::string> keys(count);
  std::vector<Status> outcomes(count);
  event_ids->assign(count, "");
  std::vector<char> known(count, 0);
  workers_.ParallelFor(count, [&](size_t i) {
    const v1::SignedEvent& signed_event = block.events(static_cast<int>(i));
    keys[i] = VerifiedCache::Key(signed_event);
    if (std::optional<std::string> id = verified_.Find(keys[i])) {
      (*event_ids)[i] = std::move(*id);  // decoded and verified when it first reached this node
      known[i] = 1;
      return;
    }
    v1::Event event;
    if (!event.ParseFromString(signed_event.event_bytes())) {
      outcomes[i] = Status::Invalid("the event bytes are not a serialised jejak.v1.Event");
      return;
    }
    Result<std::string> id = ledger::LedgerEventId(event);
    if (!id.ok()) {
      outcomes[i] = id.status();
      return;
    }
    (*event_ids)[i] = std::move(*id);
    outcomes[i] = ledger::VerifyEventSignature(keys_, genesis_.chain_id, signed_event);
  });
  for (size_t i = 0; i < count; ++i) {
    if (!outcomes[i].ok()) return outcomes[i].WithContext("event " + std::to_string(i));
  }
  for (size_t i = 0; i < count; ++i) {
    if (!known[i]) verified_.Insert(std::move(keys[i]), (*event_ids)[i]);
  }
  return Status::Ok();
}

Result<ValidatedBlock> BlockApplication::Validate(const v1::Block& block) {
  ValidatedBlock validated{block, {}, {}};
  // Decoding, ids and signatures in parallel; each signature is verified once per node.
  JEJAK_RETURN_IF_ERROR(CheckEvents(block, &validated.event_ids));
  // The rules accept a repeated event as a no-op; a block must not carry one, or the chain would
  // hold the same event twice.
  std::set<std::string> seen;
  for (const std::string& id : validated.event_ids) {
    Result<std::optional<v1::EventRecord>> earlier = ledger::GetEvent(store_, id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value() || !seen.insert(id).second) {
      return Status::Invalid("event " + id + " is already in the chain or twice in the block");
    }
  }
  Result<ledger::WriteSet> writes = unchecked_ledger_.ApplyBlock(store_, block, validated.event_ids);
  if (!writes.ok()) return writes.status();
  validated.writes = std::move(*writes);
  return validated;
}

}  // namespace jejak::daemon
