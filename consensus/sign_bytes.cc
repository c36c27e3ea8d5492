#include "sign_bytes.h"

namespace jejak::consensus {
namespace {

constexpr std::string_view kDomain = "jejak/consensus/v1";

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

void PutBytes(std::string& out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
}

std::string Common(std::string_view chain_id, uint8_t kind, uint64_t height, int32_t round,
                   std::string_view value_id) {
  std::string out;
  out.reserve(kDomain.size() + 1 + 4 + chain_id.size() + 8 + 4 + 4 + value_id.size() + 4);
  out.append(kDomain);
  out.push_back(static_cast<char>(kind));
  PutBytes(out, chain_id);
  PutU64(out, height);
  PutU32(out, static_cast<uint32_t>(round));
  PutBytes(out, value_id);
  return out;
}

}  // namespace

std::string VoteSignBytes(std::string_view chain_id, VoteType type, uint64_t height,
                          int32_t round, std::string_view value_id) {
  const uint8_t kind = type == VoteType::kPrevote ? 2 : 3;
  return Common(chain_id, kind, height, round, value_id);
}

std::string VoteSignBytes(std::string_view chain_id, const Vote& vote) {
  return VoteSignBytes(chain_id, vote.type, vote.height, vote.round, vote.value_id);
}

std::string ProposalSignBytes(std::string_view chain_id, uint64_t height, int32_t round,
                              std::string_view value_id, int32_t valid_round) {
  std::string out = Common(chain_id, 1, height, round, value_id);
  PutU32(out, static_cast<uint32_t>(valid_round));
  return out;
}

std::string ProposalSignBytes(std::string_view chain_id, const Proposal& proposal) {
  return ProposalSignBytes(chain_id, proposal.height, proposal.round, proposal.value.id,
                           proposal.valid_round);
}

}  // namespace jejak::consensus
