#include "node/daemon/block_application.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <spdlog/spdlog.h>

#include "node/crypto/sha256.h"
#include "node/ledger/block.h"
#include "node/ledger/block_rules.h"
#include "node/ledger/event_time.h"
#include "node/ledger/signing.h"

namespace jejak::daemon {
namespace {

ledger::LedgerOptions Unchecked() {
  ledger::LedgerOptions options;
  options.verify_signatures = false;
  return options;
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
      verified_(verified) {}

// Waiting events were verified when they reached this node (submission or gossip), so the block
// is built by the rules alone, and kept as validated: ValidateValue finds its own proposal done.
std::optional<consensus::Value> BlockApplication::GetValueToPropose(uint64_t height) {
  if (store_.head_height() + 1 != height) return std::nullopt;
  std::vector<PendingEvent> pending = mempool_.Peek(options_.max_block_events);
  if (pending.empty()) return std::nullopt;
  std::vector<std::string> ids;
  std::vector<const v1::SignedEvent*> events;
  for (const PendingEvent& event : pending) {
    ids.push_back(event.event_id);
    events.push_back(&event.signed_event);
  }
  const ledger::BlockParams params{options_.now_ms(), options_.proposer_id, options_.max_block_bytes};
  Result<ledger::BuiltBlock> built = ledger::BuildBlock(unchecked_ledger_, store_, ids, events, params);
  if (!built.ok()) {
    spdlog::error("cannot build a proposal: {}", built.status().ToString());  // our own failure
    return std::nullopt;
  }
  // Events that no longer apply leave the mempool with their reason.
  std::vector<std::string> dropped;
  for (const ledger::BuiltBlock::LeftOut& left : built->left_out) {
    dropped.push_back(left.event_id);
    if (!left.refusal.ok() && options_.on_rejected) options_.on_rejected(left.event_id, left.refusal);
    if (left.refusal.ok() && options_.on_already_committed) options_.on_already_committed(left.event_id);
  }
  mempool_.Remove(dropped);
  if (built->block.events_size() == 0) return std::nullopt;
  std::string id = ledger::BlockHash(built->block.header());
  std::string bytes = built->block.SerializeAsString();
  validated_.emplace(id, ValidatedBlock{std::move(built->block), std::move(built->writes),
                                        std::move(built->event_ids)});
  return consensus::Value{std::move(id), std::move(bytes)};
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
  Result<ledger::WriteSet> writes = ledger::ValidateBlock(unchecked_ledger_, store_, block, validated.event_ids);
  if (!writes.ok()) return writes.status();
  validated.writes = std::move(*writes);
  return validated;
}

}  // namespace jejak::daemon
