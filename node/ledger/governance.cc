#include "node/ledger/governance.h"

#include <algorithm>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"
#include "node/epcis/quantity.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/keys.h"
#include "node/ledger/signing.h"

namespace jejak::ledger {
namespace {

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string Micros(int64_t micros) {
  Result<epcis::Quantity> q = epcis::Quantity::FromMicros(micros);
  return q.ok() ? q->ToString() : std::to_string(micros) + " millionths";
}

const char* StatusWord(v1::OrganisationStatus status) {
  switch (status) {
    case v1::ORGANISATION_ACTIVE: return "reinstate";
    case v1::ORGANISATION_SUSPENDED: return "suspend";
    case v1::ORGANISATION_REMOVED: return "remove";
    default: return "set an unknown status of";
  }
}

}  // namespace

std::string GovernanceEntryId(std::string_view governance_bytes) {
  return std::string(kGovernanceIdPrefix) + crypto::ToHex(crypto::Sha256(governance_bytes));
}

bool IsGovernanceEntry(const v1::SignedEvent& entry) {
  return entry.payload_case() == v1::SignedEvent::kGovernanceBytes;
}

Result<v1::SignedEvent> SignGovernance(const crypto::PrivateKey& key, std::string_view chain_id,
                                       const v1::GovernanceTx& tx) {
  v1::SignedEvent out;
  if (!tx.SerializeToString(out.mutable_governance_bytes())) {
    return Status::Internal("the governance entry could not be serialised");
  }
  if (out.governance_bytes().size() > kMaxGovernanceBytes) {
    return Status::Invalid("the governance entry is larger than " + std::to_string(kMaxGovernanceBytes) + " bytes");
  }
  auto digest = GovernanceDigest(chain_id, out.governance_bytes());
  if (!digest.ok()) return digest.status();
  out.set_signature(key.Sign(*digest));
  if (out.signature().size() != crypto::kEd25519SignatureBytes) {
    return Status::Internal("signing the governance entry failed");
  }
  out.set_signer_key_id(crypto::KeyId(key.public_key()));
  return out;
}

Result<std::vector<v1::ProposalRecord>> ReadProposals(const StateReader& state, size_t limit) {
  std::vector<v1::ProposalRecord> out;
  Status failed = Status::Ok();
  // Every proposal is read (bounded by the scan cost of the state), then the newest kept.
  JEJAK_RETURN_IF_ERROR(state.Scan(Table::kState, keys::ProposalsPrefix(), [&](std::string_view, std::string_view value) {
    v1::ProposalRecord record;
    if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      failed = Status::Corruption("a stored governance proposal cannot be read");
      return false;
    }
    out.push_back(std::move(record));
    return true;
  }));
  JEJAK_RETURN_IF_ERROR(failed);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.proposed_at_height() != b.proposed_at_height()) return a.proposed_at_height() > b.proposed_at_height();
    return a.id() < b.id();
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::optional<v1::ProposalRecord>> ReadProposal(const StateReader& state, std::string_view proposal_id) {
  auto stored = state.Get(Table::kState, keys::ProposalKey(proposal_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<v1::ProposalRecord>();
  v1::ProposalRecord record;
  if (!record.ParseFromString(**stored)) return Status::Corruption("proposal " + std::string(proposal_id) + " cannot be read");
  return std::optional<v1::ProposalRecord>(std::move(record));
}

std::string DescribeChange(const v1::GovernanceChange& change) {
  switch (change.change_case()) {
    case v1::GovernanceChange::kAddOrganisation: {
      const v1::OrganisationSpec& o = change.add_organisation();
      return "add organisation " + o.id() + " (" + o.name() + "; " + Join(o.roles()) + "; " +
             std::to_string(o.agent_keys_size()) + " agent key" + (o.agent_keys_size() == 1 ? "" : "s") + ")";
    }
    case v1::GovernanceChange::kSetOrganisationStatus: {
      const v1::SetOrganisationStatus& s = change.set_organisation_status();
      return std::string(StatusWord(s.status())) + " organisation " + s.organisation();
    }
    case v1::GovernanceChange::kAddAgentKey: {
      const v1::AddAgentKey& a = change.add_agent_key();
      return std::string("add ") + (a.key().admin() ? "admin " : "") + "key " + a.key().name() + " (" +
             crypto::KeyId(a.key().public_key()) + ") to " + a.organisation();
    }
    case v1::GovernanceChange::kRotateAgentKey: {
      const v1::RotateAgentKey& r = change.rotate_agent_key();
      return "rotate key " + r.old_key_id() + " of " + r.organisation() + " to " + r.new_key().name() + " (" +
             crypto::KeyId(r.new_key().public_key()) + ")";
    }
    case v1::GovernanceChange::kRevokeAgentKey: {
      const v1::RevokeAgentKey& r = change.revoke_agent_key();
      std::string since;
      if (r.has_compromised_since_ms()) {
        since = ", compromised since " + epcis::FormatRfc3339Ms(r.compromised_since_ms());
      }
      std::string replacement;
      if (r.has_replacement()) {
        replacement = ", replaced by " + r.replacement().name() + " (" + crypto::KeyId(r.replacement().public_key()) + ")";
      }
      return "revoke key " + r.key_id() + " of " + r.organisation() + since + replacement;
    }
    case v1::GovernanceChange::kSetRoles:
      return "set the roles of " + change.set_roles().organisation() + " to " + Join(change.set_roles().roles());
    case v1::GovernanceChange::kSetThreshold:
      return "set the governance threshold to " + Micros(change.set_threshold().threshold_micros());
    case v1::GovernanceChange::kSetMaxYield: {
      const v1::SetMaxYield& y = change.set_max_yield();
      if (y.max_yield_micros() == 0) return "remove the max yield rule of " + y.product();
      return "set the max yield of " + y.product() + " to " + Micros(y.max_yield_micros());
    }
    case v1::GovernanceChange::CHANGE_NOT_SET: break;
  }
  return "no change";
}

}  // namespace jejak::ledger
