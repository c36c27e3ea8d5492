// What each governance change requires, and what it makes of the membership record.
#include <algorithm>
#include <set>

#include "node/crypto/ed25519.h"
#include "node/ledger/governance.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"

namespace jejak::ledger::rules {
namespace {

constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxPartyIdBytes = 256;
constexpr size_t kMaxPartiesPerOrganisation = 100;
constexpr size_t kMaxProductBytes = 256;
constexpr int64_t kMaxYieldMicros = 1000 * epcis::Quantity::kMicrosPerUnit;

Status Malformed(const std::string& message) { return Status::Invalid(message).WithRule(rule::kGovChangeFormat); }

// No control characters: names and ids are printed to other members (a forged line in
// `jejak gov show` must not be possible).
bool Printable(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Result<std::vector<std::string>> CheckRoles(const google::protobuf::RepeatedPtrField<std::string>& names) {
  std::vector<Role> roles;
  for (const std::string& name : names) {
    std::optional<Role> role = RoleFromName(name);
    if (!role) {
      return Malformed("unknown role \"" + name + "\" (known: producer, processor, logistics, certifier, auditor)");
    }
    roles.push_back(*role);
  }
  if (roles.empty()) return Malformed("an organisation needs at least one role");
  std::sort(roles.begin(), roles.end());
  if (std::adjacent_find(roles.begin(), roles.end()) != roles.end()) return Malformed("a role is listed twice");
  std::vector<std::string> out;
  for (Role role : roles) out.push_back(RoleName(role));
  return out;
}

// A key the change brings: well formed, and its id no key's, ever (nor another of `fresh`'s).
Result<v1::AgentKeyRecord> NewKey(const Membership& m, const v1::AgentKeySpec& spec, std::set<std::string>& fresh,
                                  uint64_t height, const std::string& entry_id) {
  if (spec.name().empty() || spec.name().size() > kMaxNameBytes || !Printable(spec.name())) {
    return Malformed("an agent key needs a name of 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  }
  if (spec.public_key().size() != 32) {
    return Malformed("agent key " + spec.name() + ": the public key must be 32 bytes, not " +
                     std::to_string(spec.public_key().size()));
  }
  std::string key_id = crypto::KeyId(spec.public_key());
  if (std::optional<MemberKey> taken = m.FindKey(key_id)) {
    return Status::AlreadyExists("key " + key_id + " (" + spec.name() + ") is already key " + taken->key->name() +
                                 " of " + taken->organisation->id() + ": every key joins once")
        .WithRule(rule::kGovKeyExists);
  }
  if (!fresh.insert(key_id).second) {
    return Status::AlreadyExists("key " + key_id + " is named twice in the change").WithRule(rule::kGovKeyExists);
  }
  v1::AgentKeyRecord key;
  key.set_key_id(key_id);
  key.set_name(spec.name());
  key.set_public_key(spec.public_key());
  key.set_admin(spec.admin());
  key.set_status(v1::AGENT_KEY_ACTIVE);
  key.set_changed_at_height(height);
  key.set_changed_by(entry_id);
  return key;
}

// The organisation a change names, which must exist; unless `removed_ok`, not removed.
Result<v1::OrganisationRecord*> ExistingOrganisation(v1::MembershipRecord& next, const std::string& id,
                                                     bool removed_ok) {
  for (v1::OrganisationRecord& org : *next.mutable_organisations()) {
    if (org.id() != id) continue;
    if (!removed_ok && org.status() == v1::ORGANISATION_REMOVED) {
      return Status::Invalid("organisation " + id + " was removed from the network and changes no more")
          .WithRule(rule::kGovOrgRemoved);
    }
    return &org;
  }
  return Status::NotFound("organisation " + id + " is not a member of this network").WithRule(rule::kGovOrgUnknown);
}

Result<v1::AgentKeyRecord*> KeyOf(v1::OrganisationRecord& org, const std::string& key_id) {
  for (v1::AgentKeyRecord& key : *org.mutable_agent_keys()) {
    if (key.key_id() == key_id) return &key;
  }
  return Status::NotFound("organisation " + org.id() + " has no agent key " + key_id).WithRule(rule::kGovKeyUnknown);
}

// At most kMaxKeysPerOrganisation active keys, and kMaxKeyHistory keys ever (the record keeps them
// all): a revocation with a 1-for-1 replacement passes until the history is full.
constexpr size_t kMaxKeyHistory = 10 * kMaxKeysPerOrganisation;
Status CheckKeyCount(const v1::OrganisationRecord& org, size_t adding, size_t retiring = 0) {
  const size_t active = static_cast<size_t>(std::count_if(org.agent_keys().begin(), org.agent_keys().end(),
                                                          [](const auto& k) { return k.status() == v1::AGENT_KEY_ACTIVE; }));
  if (active + adding - retiring <= kMaxKeysPerOrganisation && org.agent_keys_size() + adding <= kMaxKeyHistory) {
    return Status::Ok();
  }
  return Status::ResourceExhausted("organisation " + org.id() + " would have more than " +
                                   std::to_string(kMaxKeysPerOrganisation) + " active agent keys, or more than " +
                                   std::to_string(kMaxKeyHistory) + " ever")
      .WithRule(rule::kGovLimit);
}

bool HasActiveAdminKey(const v1::OrganisationRecord& org) {
  return std::any_of(org.agent_keys().begin(), org.agent_keys().end(),
                     [](const auto& k) { return k.admin() && k.status() == v1::AGENT_KEY_ACTIVE; });
}

}  // namespace

// Governance must stay able to act: as many active organisations hold an active admin key as a
// proposal needs approvals (else no change, not even a repair, could ever pass again).
Status CheckGovernanceCanAct(const v1::MembershipRecord& next) {
  size_t active = 0, governing = 0;
  for (const v1::OrganisationRecord& org : next.organisations()) {
    if (org.status() != v1::ORGANISATION_ACTIVE) continue;
    ++active;
    if (HasActiveAdminKey(org)) ++governing;
  }
  const auto scaled = static_cast<epcis::WideMicros>(active) * next.governance_threshold_micros();
  const size_t required = std::max<size_t>(1, static_cast<size_t>((scaled + 999'999) / 1'000'000));
  if (governing >= required) return Status::Ok();
  return Status::Invalid("only " + std::to_string(governing) + " active organisations would hold an active admin key, " +
                         "fewer than the " + std::to_string(required) +
                         " approvals a proposal needs: no change could pass again")
      .WithRule(rule::kGovLastOrganisation);
}

namespace {

Status AddOrganisation(const Membership& m, const v1::OrganisationSpec& spec, uint64_t height,
                       const std::string& entry_id, v1::MembershipRecord& next) {
  Status id_ok = CheckIdentifier("organisation id", spec.id(), kMaxOrganisationIdBytes);
  if (!id_ok.ok()) return id_ok.WithRule(rule::kGovChangeFormat);
  if (const v1::OrganisationRecord* existing = m.FindOrganisationRecord(spec.id())) {
    return Status::AlreadyExists("organisation " + spec.id() + " already exists" +
                                 (existing->status() == v1::ORGANISATION_REMOVED ? " (removed: ids are not reused)" : ""))
        .WithRule(rule::kGovOrgExists);
  }
  if (next.organisations_size() >= static_cast<int>(kMaxOrganisations)) {
    return Status::ResourceExhausted("the network has " + std::to_string(kMaxOrganisations) +
                                     " organisations, the most it may have")
        .WithRule(rule::kGovLimit);
  }
  if (spec.name().empty() || spec.name().size() > kMaxNameBytes || !Printable(spec.name())) {
    return Malformed("organisation " + spec.id() + " needs a name of 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  }
  auto roles = CheckRoles(spec.roles());
  if (!roles.ok()) return roles.status().WithContext("organisation " + spec.id());
  v1::OrganisationRecord org;
  org.set_id(spec.id());
  org.set_name(spec.name());
  for (const std::string& role : *roles) org.add_roles(role);
  org.set_status(v1::ORGANISATION_ACTIVE);
  org.set_joined_at_height(height);
  std::vector<std::string> parties(spec.party_ids().begin(), spec.party_ids().end());
  if (std::find(parties.begin(), parties.end(), OrgPartyId(spec.id())) == parties.end()) {
    parties.push_back(OrgPartyId(spec.id()));
  }
  if (parties.size() > kMaxPartiesPerOrganisation) {
    return Status::ResourceExhausted("organisation " + spec.id() + " names more than " +
                                     std::to_string(kMaxPartiesPerOrganisation) + " party ids")
        .WithRule(rule::kGovLimit);
  }
  std::set<std::string> seen;
  for (const std::string& party : parties) {
    if (party.empty() || party.size() > kMaxPartyIdBytes || !Printable(party)) {
      return Malformed("organisation " + spec.id() + ": a party id of 1 to " + std::to_string(kMaxPartyIdBytes) +
                       " bytes without NUL is needed");
    }
    if (!seen.insert(party).second) return Malformed("party id " + party + " is listed twice");
    if (const Organisation* owner = m.OrganisationOfParty(party)) {
      return Status::AlreadyExists("party id " + party + " belongs to organisation " + owner->id)
          .WithRule(rule::kGovPartyTaken);
    }
    org.add_party_ids(party);
  }
  if (std::none_of(spec.agent_keys().begin(), spec.agent_keys().end(), [](const auto& k) { return k.admin(); })) {
    return Malformed("organisation " + spec.id() + " needs an admin agent key (it signs its governance entries)");
  }
  if (static_cast<size_t>(spec.agent_keys_size()) > kMaxKeysPerOrganisation) {
    return Status::ResourceExhausted("organisation " + spec.id() + " brings more than " +
                                     std::to_string(kMaxKeysPerOrganisation) + " agent keys")
        .WithRule(rule::kGovLimit);
  }
  std::set<std::string> fresh;
  for (const v1::AgentKeySpec& spec_key : spec.agent_keys()) {
    auto key = NewKey(m, spec_key, fresh, height, entry_id);
    if (!key.ok()) return key.status();
    *org.add_agent_keys() = std::move(*key);
  }
  *next.add_organisations() = std::move(org);
  return Status::Ok();
}

Status SetStatus(const v1::SetOrganisationStatus& change, v1::MembershipRecord& next) {
  auto org = ExistingOrganisation(next, change.organisation(), /*removed_ok=*/false);
  if (!org.ok()) return org.status();
  const v1::OrganisationStatus status = change.status();
  if (status != v1::ORGANISATION_ACTIVE && status != v1::ORGANISATION_SUSPENDED &&
      status != v1::ORGANISATION_REMOVED) {
    return Status::Invalid("the change names no organisation status (active, suspended or removed)")
        .WithRule(rule::kGovOrgStatus);
  }
  if ((*org)->status() == status) {
    return Status::Invalid("organisation " + change.organisation() + " is already " +
                           (status == v1::ORGANISATION_ACTIVE ? "active" : "suspended"))
        .WithRule(rule::kGovOrgStatus);
  }
  (*org)->set_status(status);
  return Status::Ok();
}

Status AddKey(const Membership& m, const v1::AddAgentKey& change, uint64_t height, const std::string& entry_id,
              v1::MembershipRecord& next) {
  auto org = ExistingOrganisation(next, change.organisation(), /*removed_ok=*/false);
  if (!org.ok()) return org.status();
  JEJAK_RETURN_IF_ERROR(CheckKeyCount(**org, 1));
  std::set<std::string> fresh;
  auto key = NewKey(m, change.key(), fresh, height, entry_id);
  if (!key.ok()) return key.status();
  *(*org)->add_agent_keys() = std::move(*key);
  return Status::Ok();
}

Status RotateKey(const Membership& m, const v1::RotateAgentKey& change, uint64_t height,
                 const std::string& entry_id, v1::MembershipRecord& next) {
  auto org = ExistingOrganisation(next, change.organisation(), /*removed_ok=*/false);
  if (!org.ok()) return org.status();
  JEJAK_RETURN_IF_ERROR(CheckKeyCount(**org, 1, 1));
  auto old_key = KeyOf(**org, change.old_key_id());
  if (!old_key.ok()) return old_key.status();
  if ((*old_key)->status() != v1::AGENT_KEY_ACTIVE) {
    return Status::Invalid("key " + change.old_key_id() + " of " + change.organisation() +
                           " is not active: only an active key is rotated (revoke it instead)")
        .WithRule(rule::kGovKeyNotActive);
  }
  std::set<std::string> fresh;
  auto key = NewKey(m, change.new_key(), fresh, height, entry_id);
  if (!key.ok()) return key.status();
  key->set_admin(key->admin() || (*old_key)->admin());  // a rotation never demotes an admin key
  (*old_key)->set_status(v1::AGENT_KEY_ROTATED);
  (*old_key)->set_changed_at_height(height);
  (*old_key)->set_changed_by(entry_id);
  (*old_key)->set_replaced_by_key_id(key->key_id());
  *(*org)->add_agent_keys() = std::move(*key);
  return Status::Ok();
}

Status RevokeKey(const Membership& m, const v1::RevokeAgentKey& change, uint64_t height,
                 const std::string& entry_id, v1::MembershipRecord& next) {
  auto org = ExistingOrganisation(next, change.organisation(), /*removed_ok=*/true);
  if (!org.ok()) return org.status();
  auto key = KeyOf(**org, change.key_id());
  if (!key.ok()) return key.status();
  if ((*key)->status() == v1::AGENT_KEY_REVOKED) {
    return Status::Invalid("key " + change.key_id() + " of " + change.organisation() + " is already revoked")
        .WithRule(rule::kGovKeyRevoked);
  }
  if (change.has_compromised_since_ms() && change.compromised_since_ms() < 0) {
    return Malformed("compromised_since must not be before 1970");
  }
  const bool was_active = (*key)->status() == v1::AGENT_KEY_ACTIVE;
  const bool was_admin = (*key)->admin();
  if (change.has_replacement() && !was_active) {
    return Status::Invalid("key " + change.key_id() + " of " + change.organisation() +
                           " is not active: only an active key is replaced (add a key instead)")
        .WithRule(rule::kGovKeyNotActive);
  }
  (*key)->set_status(v1::AGENT_KEY_REVOKED);
  (*key)->set_changed_at_height(height);
  (*key)->set_changed_by(entry_id);
  if (change.has_compromised_since_ms()) (*key)->set_compromised_since_ms(change.compromised_since_ms());
  if (!change.has_replacement()) return Status::Ok();
  if ((*org)->status() == v1::ORGANISATION_REMOVED) {
    return Status::Invalid("organisation " + change.organisation() + " was removed from the network: it takes no new key")
        .WithRule(rule::kGovOrgRemoved);
  }
  JEJAK_RETURN_IF_ERROR(CheckKeyCount(**org, 1, 1));
  std::set<std::string> fresh;
  auto replacement = NewKey(m, change.replacement(), fresh, height, entry_id);
  if (!replacement.ok()) return replacement.status();
  replacement->set_admin(replacement->admin() || was_admin);
  (*key)->set_replaced_by_key_id(replacement->key_id());
  *(*org)->add_agent_keys() = std::move(*replacement);
  return Status::Ok();
}

Status SetRoles(const v1::SetRoles& change, v1::MembershipRecord& next) {
  auto org = ExistingOrganisation(next, change.organisation(), /*removed_ok=*/false);
  if (!org.ok()) return org.status();
  auto roles = CheckRoles(change.roles());
  if (!roles.ok()) return roles.status().WithContext("organisation " + change.organisation());
  (*org)->clear_roles();
  for (const std::string& role : *roles) (*org)->add_roles(role);
  return Status::Ok();
}

Status SetThreshold(const v1::SetThreshold& change, v1::MembershipRecord& next) {
  if (change.threshold_micros() <= 0 || change.threshold_micros() > epcis::Quantity::kMicrosPerUnit) {
    return Status::Invalid("the governance threshold is a fraction of the member organisations above 0 and at most 1, "
                           "not " + std::to_string(change.threshold_micros()) + " millionths")
        .WithRule(rule::kGovThresholdRange);
  }
  next.set_governance_threshold_micros(change.threshold_micros());
  return Status::Ok();
}

Status SetMaxYield(const v1::SetMaxYield& change, v1::MembershipRecord& next) {
  const std::string& product = change.product();
  if (product.empty() || product.size() > kMaxProductBytes || !Printable(product)) {
    return Malformed("a product rule names a product of 1 to " + std::to_string(kMaxProductBytes) + " bytes");
  }
  auto* rules = next.mutable_product_rules();
  auto it = std::find_if(rules->begin(), rules->end(), [&](const auto& r) { return r.product() == product; });
  if (change.max_yield_micros() == 0) {
    if (it == rules->end()) {
      return Status::NotFound("product " + product + " has no max yield rule to remove").WithRule(rule::kGovProductRule);
    }
    rules->erase(it);
    return Status::Ok();
  }
  if (change.max_yield_micros() < 0 || change.max_yield_micros() > kMaxYieldMicros) {
    return Status::Invalid("a max yield is above 0 and at most 1000").WithRule(rule::kGovProductRule);
  }
  if (it != rules->end()) {
    it->set_max_yield_micros(change.max_yield_micros());
    return Status::Ok();
  }
  v1::ProductRuleRecord added;
  added.set_product(product);
  added.set_max_yield_micros(change.max_yield_micros());
  *rules->Add() = std::move(added);
  std::sort(rules->begin(), rules->end(), [](const auto& a, const auto& b) { return a.product() < b.product(); });
  return Status::Ok();
}

}  // namespace

Result<v1::MembershipRecord> ApplyChange(const Membership& current, const v1::GovernanceChange& change,
                                         uint64_t height, const std::string& entry_id) {
  v1::MembershipRecord next = current.record();
  Status applied = Status::Ok();
  switch (change.change_case()) {
    case v1::GovernanceChange::kAddOrganisation:
      applied = AddOrganisation(current, change.add_organisation(), height, entry_id, next);
      break;
    case v1::GovernanceChange::kSetOrganisationStatus: applied = SetStatus(change.set_organisation_status(), next); break;
    case v1::GovernanceChange::kAddAgentKey:
      applied = AddKey(current, change.add_agent_key(), height, entry_id, next);
      break;
    case v1::GovernanceChange::kRotateAgentKey:
      applied = RotateKey(current, change.rotate_agent_key(), height, entry_id, next);
      break;
    case v1::GovernanceChange::kRevokeAgentKey:
      applied = RevokeKey(current, change.revoke_agent_key(), height, entry_id, next);
      break;
    case v1::GovernanceChange::kSetRoles: applied = SetRoles(change.set_roles(), next); break;
    case v1::GovernanceChange::kSetThreshold: applied = SetThreshold(change.set_threshold(), next); break;
    case v1::GovernanceChange::kSetMaxYield: applied = SetMaxYield(change.set_max_yield(), next); break;
    case v1::GovernanceChange::CHANGE_NOT_SET:
      applied = Status::Invalid("the governance entry names no change").WithRule(rule::kGovFormat);
      break;
  }
  if (!applied.ok()) return applied;
  JEJAK_RETURN_IF_ERROR(CheckGovernanceCanAct(next));
  next.set_changed_at_height(height);
  return next;
}

}  // namespace jejak::ledger::rules
