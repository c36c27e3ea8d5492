// Block headers: canonical bytes, hash, events root, validator set hash, header checks.
//
// Canonical header bytes (hashing never relies on protobuf serialisation):
//   "jejak/block-header/v1" 0x00
//   str(chain_id) u64(height) u64(time_ms as two's complement) str(previous_block_hash)
//   str(events_root) str(validator_set_hash) str(proposer) u32(event_count)
// where u32/u64 are big-endian and str(x) = u32(byte length of x) followed by the bytes of x.
//
// Validator set bytes (hashed for BlockHeader.validator_set_hash):
//   "jejak/validator-set/v1" 0x00 u32(count), then for each validator in ascending id order:
//   str(id) str(organisation) str(public_key) str(address) str(tls_cert_sha256)
#pragma once

#include <string>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/genesis.h"

namespace jejak::ledger {

inline constexpr uint32_t kMaxBlockEvents = 10000;

std::string CanonicalHeaderBytes(const v1::BlockHeader& header);
// SHA-256 of CanonicalHeaderBytes: 32 raw bytes.
std::string BlockHash(const v1::BlockHeader& header);
// RFC 6962 Merkle root over each SignedEvent's serialised bytes, in block order.
std::string EventsRoot(const v1::Block& block);
std::string ValidatorSetHash(const std::vector<Validator>& validators);

// What a header must agree with: the chain, the block before it (height 0 = genesis, with an
// empty hash), and the block's own events.
struct PreviousBlock {
  uint64_t height = 0;
  std::string hash;  // empty for genesis
};
// Checks chain id, height = previous + 1, previous hash, event count and events root. Invalid
// with the field that does not match.
Status CheckBlockHeader(const v1::Block& block, std::string_view chain_id,
                        const PreviousBlock& previous);

}  // namespace jejak::ledger
