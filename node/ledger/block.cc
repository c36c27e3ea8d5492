#include "node/ledger/block.h"

#include <algorithm>

#include "node/crypto/hex.h"
#include "node/crypto/merkle.h"
#include "node/crypto/sha256.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {
namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutStr(std::string& out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

std::string ShortHex(std::string_view bytes) {
  return bytes.empty() ? "(empty)" : crypto::ToHex(bytes.substr(0, 8)) + "...";
}

}  // namespace

std::string CanonicalHeaderBytes(const v1::BlockHeader& h) {
  std::string out = "jejak/block-header/v1";
  out.push_back('\0');
  PutStr(out, h.chain_id());
  PutU64(out, h.height());
  PutU64(out, static_cast<uint64_t>(h.time_ms()));
  PutStr(out, h.previous_block_hash());
  PutStr(out, h.events_root());
  PutStr(out, h.validator_set_hash());
  PutStr(out, h.proposer());
  PutU32(out, h.event_count());
  return out;
}

std::string BlockHash(const v1::BlockHeader& header) {
  return crypto::Sha256(CanonicalHeaderBytes(header));
}

std::string EventsRoot(const v1::Block& block) {
  std::vector<std::string> leaves;
  leaves.reserve(block.events_size());
  for (const v1::SignedEvent& e : block.events()) leaves.push_back(e.SerializeAsString());
  return crypto::MerkleRoot(leaves);
}

std::string ValidatorSetHash(const std::vector<Validator>& validators) {
  std::vector<const Validator*> sorted;
  for (const Validator& v : validators) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(),
            [](const Validator* a, const Validator* b) { return a->id < b->id; });
  std::string out = "jejak/validator-set/v1";
  out.push_back('\0');
  PutU32(out, static_cast<uint32_t>(sorted.size()));
  for (const Validator* v : sorted) {
    PutStr(out, v->id);
    PutStr(out, v->organisation);
    PutStr(out, v->public_key);
    PutStr(out, v->address);
    PutStr(out, v->tls_cert_sha256);
  }
  return crypto::Sha256(out);
}

namespace {

Status CheckHeaderFields(const v1::Block& block, std::string_view chain_id, const PreviousBlock& previous) {
  const v1::BlockHeader& h = block.header();
  if (h.chain_id() != chain_id) {
    return Status::Invalid("chain id is \"" + h.chain_id() + "\", this network is \"" + std::string(chain_id) + "\"")
        .WithRule(rule::kBlockChainId);
  }
  if (h.height() != previous.height + 1) {
    return Status::Invalid("height must be " + std::to_string(previous.height + 1) + " (the block after " +
                           std::to_string(previous.height) + ")")
        .WithRule(rule::kBlockHeight);
  }
  if (h.previous_block_hash() != previous.hash) {
    return Status::Invalid("previous block hash " + ShortHex(h.previous_block_hash()) + " does not match block " +
                           std::to_string(previous.height) + " (" + ShortHex(previous.hash) + ")")
        .WithRule(rule::kBlockPreviousHash);
  }
  if (block.events_size() > static_cast<int>(kMaxBlockEvents)) {
    return Status::Invalid("more than " + std::to_string(kMaxBlockEvents) + " events").WithRule(rule::kBlockTooLarge);
  }
  if (h.event_count() != static_cast<uint32_t>(block.events_size())) {
    return Status::Invalid("header says " + std::to_string(h.event_count()) + " events, the block holds " +
                           std::to_string(block.events_size()))
        .WithRule(rule::kBlockEventsRoot);
  }
  if (h.events_root() != EventsRoot(block)) {
    return Status::Invalid("events root does not match the block's events").WithRule(rule::kBlockEventsRoot);
  }
  return Status::Ok();
}

}  // namespace

Status CheckBlockHeader(const v1::Block& block, std::string_view chain_id, const PreviousBlock& previous) {
  return CheckHeaderFields(block, chain_id, previous).WithContext("block " + std::to_string(block.header().height()));
}

}  // namespace jejak::ledger
