// Governance entries: how members change the membership (membership.h) on the chain itself.
//
// A GovernanceTx (proto/jejak/v1/governance.proto) travels as a block entry beside events, in
// SignedEvent.governance_bytes, signed by an admin agent key of the organisation that acts:
//   propose   a change; it gets the entry's id, and counts as the proposer's approval
//   approve   an open proposal, once per organisation; the change is applied by the entry whose
//             approval reaches Membership::RequiredApprovals (counting active organisations only)
//   own_key   an organisation rotates or revokes one of its own keys, without approvals
// Proposals expire proposal_lifetime_blocks after their block. The rules are in
// rules_governance.cc, applied by Ledger::ApplyEvents (ledger.h).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "jejak/v1/event.pb.h"
#include "jejak/v1/governance.pb.h"
#include "jejak/v1/ledger_state.pb.h"
#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

inline constexpr uint32_t kGovernanceFormatVersion = 1;
inline constexpr size_t kMaxGovernanceBytes = 64 * 1024;
inline constexpr size_t kMaxMemoBytes = 1000;
inline constexpr std::string_view kGovernanceIdPrefix = "gov:";

// "gov:" + the hex SHA-256 of the entry's bytes.
std::string GovernanceEntryId(std::string_view governance_bytes);
bool IsGovernanceEntry(const v1::SignedEvent& entry);

Result<v1::SignedEvent> SignGovernance(const crypto::PrivateKey& key, std::string_view chain_id,
                                       const v1::GovernanceTx& tx);

// Governance proposals in `state`: the newest first (by block, then id), at most `limit`.
inline constexpr size_t kMaxProposalsListed = 1000;
Result<std::vector<v1::ProposalRecord>> ReadProposals(const StateReader& state, size_t limit);
Result<std::optional<v1::ProposalRecord>> ReadProposal(const StateReader& state, std::string_view proposal_id);

// The change in a clerk's words: "add organisation koperasi-baru (producer)".
std::string DescribeChange(const v1::GovernanceChange& change);

}  // namespace jejak::ledger
