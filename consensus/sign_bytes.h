// The exact bytes a validator signs. Deterministic, length-prefixed, big-endian:
//
//   "jejak/consensus/v1" (18 bytes, no prefix)
//   u8   kind          1 = proposal, 2 = prevote, 3 = precommit
//   u32  len(chain_id) || chain_id
//   u64  height
//   u32  round         (two's complement of the int32)
//   u32  len(value_id) || value_id       (empty = nil)
//   u32  valid_round   proposals only    (two's complement; 0xFFFFFFFF = -1)
//
// The kind byte keeps a prevote from being replayed as a precommit or a proposal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "types.h"

namespace jejak::consensus {

std::string VoteSignBytes(std::string_view chain_id, VoteType type, uint64_t height,
                          int32_t round, std::string_view value_id);
std::string VoteSignBytes(std::string_view chain_id, const Vote& vote);
std::string ProposalSignBytes(std::string_view chain_id, uint64_t height, int32_t round,
                              std::string_view value_id, int32_t valid_round);
std::string ProposalSignBytes(std::string_view chain_id, const Proposal& proposal);

}  // namespace jejak::consensus
