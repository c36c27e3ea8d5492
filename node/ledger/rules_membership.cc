// Who may sign: the signer key and its organisation, against the membership in force.
#include "node/epcis/rfc3339.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"

namespace jejak::ledger::rules {
namespace {

std::string KeyLabel(const MemberKey& member) {
  return "signer key " + member.key->key_id() + " (" + member.key->name() + " of " +
         member.organisation->id() + ")";
}

std::string AtBlock(uint64_t height) { return height == 0 ? "in the genesis" : "at block " + std::to_string(height); }

}  // namespace

Result<MemberKey> CheckSigner(const Membership& membership, std::string_view key_id) {
  std::optional<MemberKey> member = membership.FindKey(key_id);
  if (!member) {
    return Status::PermissionDenied("signer key " + std::string(key_id) +
                                    " is not an agent key of any member organisation")
        .WithRule(rule::kSignerUnknown);
  }
  const v1::AgentKeyRecord& key = *member->key;
  switch (key.status()) {
    case v1::AGENT_KEY_ACTIVE: break;
    case v1::AGENT_KEY_REVOKED: {
      std::string since;
      if (key.has_compromised_since_ms()) {
        since = ", as compromised since " + epcis::FormatRfc3339Ms(key.compromised_since_ms());
      }
      return Status::PermissionDenied(KeyLabel(*member) + " was revoked " + AtBlock(key.changed_at_height()) +
                                      " by governance entry " + key.changed_by() + since)
          .WithRule(rule::kSignerRevoked);
    }
    case v1::AGENT_KEY_ROTATED:
      return Status::PermissionDenied(KeyLabel(*member) + " was rotated out " + AtBlock(key.changed_at_height()) +
                                      ": sign with its successor, key " + key.replaced_by_key_id())
          .WithRule(rule::kSignerRetired);
    default:
      return Status::PermissionDenied(KeyLabel(*member) + " is no longer active (inactive in the genesis)")
          .WithRule(rule::kSignerRetired);
  }
  if (!membership.IsActive(*member->organisation)) {
    const char* status = member->organisation->status() == v1::ORGANISATION_REMOVED ? "removed" : "suspended";
    return Status::PermissionDenied("organisation " + member->organisation->id() + " is " + status +
                                    " from the network: its keys sign nothing")
        .WithRule(rule::kSignerSuspended);
  }
  return *member;
}

}  // namespace jejak::ledger::rules
