#include "node/ledger/membership.h"

#include <algorithm>

#include "node/crypto/ed25519.h"
#include "node/ledger/keys.h"

namespace jejak::ledger {
namespace {

Organisation RulesView(const v1::OrganisationRecord& record) {
  Organisation org;
  org.id = record.id();
  org.name = record.name();
  for (const std::string& name : record.roles()) {
    if (std::optional<Role> role = RoleFromName(name)) org.roles.push_back(*role);
  }
  std::sort(org.roles.begin(), org.roles.end());
  org.party_ids.assign(record.party_ids().begin(), record.party_ids().end());
  for (const v1::AgentKeyRecord& key : record.agent_keys()) {
    org.agent_keys.push_back({key.name(), key.public_key(), key.status() == v1::AGENT_KEY_ACTIVE,
                              key.admin()});
  }
  return org;
}

}  // namespace

v1::MembershipRecord MembershipRecordFromGenesis(const Genesis& genesis) {
  v1::MembershipRecord record;
  record.set_format_version(kMembershipFormatVersion);
  for (const Organisation& org : genesis.organisations) {
    v1::OrganisationRecord* o = record.add_organisations();
    o->set_id(org.id);
    o->set_name(org.name);
    for (Role role : org.roles) o->add_roles(RoleName(role));
    for (const std::string& party : org.party_ids) o->add_party_ids(party);
    o->set_status(v1::ORGANISATION_ACTIVE);
    for (const AgentKey& key : org.agent_keys) {
      v1::AgentKeyRecord* k = o->add_agent_keys();
      k->set_key_id(crypto::KeyId(key.public_key));
      k->set_name(key.name);
      k->set_public_key(key.public_key);
      k->set_admin(key.admin);
      k->set_status(key.active ? v1::AGENT_KEY_ACTIVE : v1::AGENT_KEY_INACTIVE);
    }
  }
  for (const Validator& v : genesis.validators) {
    v1::ValidatorRecord* r = record.add_validators();
    r->set_id(v.id);
    r->set_organisation(v.organisation);
    r->set_public_key(v.public_key);
    r->set_address(v.address);
    r->set_tls_cert_sha256(v.tls_cert_sha256);
  }
  record.set_governance_threshold_micros(genesis.governance_threshold.micros());
  record.set_proposal_lifetime_blocks(genesis.governance_proposal_lifetime_blocks);
  std::vector<ProductRule> rules = genesis.product_rules;
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.product < b.product; });
  for (const ProductRule& rule : rules) {
    v1::ProductRuleRecord* r = record.add_product_rules();
    r->set_product(rule.product);
    r->set_max_yield_micros(rule.max_yield.micros());
  }
  return record;
}

Result<std::shared_ptr<const Membership>> Membership::FromRecord(v1::MembershipRecord record) {
  if (record.format_version() != kMembershipFormatVersion) {
    return Status::Corruption("the stored membership has format version " +
                              std::to_string(record.format_version()) + "; this program reads version " +
                              std::to_string(kMembershipFormatVersion));
  }
  std::shared_ptr<Membership> m(new Membership());
  m->record_ = std::move(record);
  m->Index();
  if (m->org_index_.size() != static_cast<size_t>(m->record_.organisations_size())) {
    return Status::Corruption("the stored membership lists an organisation twice");
  }
  return std::shared_ptr<const Membership>(std::move(m));
}

std::shared_ptr<const Membership> Membership::FromGenesis(const Genesis& genesis) {
  std::shared_ptr<Membership> m(new Membership());
  m->record_ = MembershipRecordFromGenesis(genesis);
  m->Index();
  return m;
}

void Membership::Index() {
  rules_views_.clear();
  for (int i = 0; i < record_.organisations_size(); ++i) {
    const v1::OrganisationRecord& org = record_.organisations(i);
    rules_views_.push_back(RulesView(org));
    org_index_.emplace(org.id(), i);
    for (const std::string& party : org.party_ids()) party_index_.emplace(party, i);
    for (int k = 0; k < org.agent_keys_size(); ++k) {
      key_index_.emplace(org.agent_keys(k).key_id(), std::pair<size_t, size_t>(i, k));
    }
  }
  for (const v1::ProductRuleRecord& rule : record_.product_rules()) {
    max_yield_micros_[rule.product()] = rule.max_yield_micros();
  }
}

const Organisation* Membership::FindOrganisation(std::string_view id) const {
  auto it = org_index_.find(id);
  return it == org_index_.end() ? nullptr : &rules_views_[it->second];
}

const v1::OrganisationRecord* Membership::FindOrganisationRecord(std::string_view id) const {
  auto it = org_index_.find(id);
  return it == org_index_.end() ? nullptr : &record_.organisations(static_cast<int>(it->second));
}

const Organisation* Membership::OrganisationOfParty(std::string_view party_id) const {
  auto it = party_index_.find(party_id);
  return it == party_index_.end() ? nullptr : &rules_views_[it->second];
}

std::optional<MemberKey> Membership::FindKey(std::string_view key_id) const {
  auto it = key_index_.find(key_id);
  if (it == key_index_.end()) return std::nullopt;
  const auto [org, key] = it->second;
  const v1::OrganisationRecord& record = record_.organisations(static_cast<int>(org));
  return MemberKey{&record, &record.agent_keys(static_cast<int>(key)), &rules_views_[org]};
}

std::optional<std::string_view> Membership::PublicKeyOf(std::string_view key_id) const {
  std::optional<MemberKey> found = FindKey(key_id);
  if (!found) return std::nullopt;
  return std::string_view(found->key->public_key());
}

size_t Membership::ActiveOrganisations() const {
  return static_cast<size_t>(std::count_if(record_.organisations().begin(), record_.organisations().end(),
                                           [this](const auto& org) { return IsActive(org); }));
}

size_t Membership::RequiredApprovals() const {
  // ceil(active x threshold), exactly: threshold is in millionths.
  const epcis::WideMicros scaled =
      static_cast<epcis::WideMicros>(ActiveOrganisations()) * record_.governance_threshold_micros();
  const size_t needed = static_cast<size_t>((scaled + 999'999) / 1'000'000);
  return std::max<size_t>(needed, 1);
}

epcis::Quantity Membership::MaxYield(std::string_view product) const {
  auto it = max_yield_micros_.find(product);
  if (it == max_yield_micros_.end()) return epcis::Quantity::Units(1);
  Result<epcis::Quantity> yield = epcis::Quantity::FromMicros(it->second);
  return yield.ok() ? *yield : epcis::Quantity::Units(1);
}

Result<std::shared_ptr<const Membership>> LoadMembership(
    const StateReader& state, const std::shared_ptr<const Membership>& from_genesis) {
  auto stored = state.Get(Table::kState, keys::MembershipKey());
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return from_genesis;
  v1::MembershipRecord record;
  if (!record.ParseFromString(**stored)) return Status::Corruption("the stored membership cannot be read");
  return Membership::FromRecord(std::move(record));
}

}  // namespace jejak::ledger
