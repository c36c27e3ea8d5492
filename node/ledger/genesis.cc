#include "node/ledger/genesis.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"
#include "node/epcis/rfc3339.h"

namespace jejak::ledger {
namespace {

using Json = nlohmann::json;

constexpr const char* kRoleNames[] = {"producer", "processor", "logistics", "certifier", "auditor"};

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// Reads a required string member; `where` names the object for the error message.
Result<std::string> GetString(const Json& obj, const char* key, const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) return Status::Invalid(where + "." + key + " is missing");
  if (!it->is_string()) return Status::Invalid(where + "." + key + " must be a string");
  return it->get<std::string>();
}

Result<std::string> GetHexKey(const Json& obj, const char* key, const std::string& where) {
  auto text = GetString(obj, key, where);
  if (!text.ok()) return text.status();
  auto raw = crypto::FromHex(*text);
  if (!raw.ok()) return raw.status().WithContext(where + "." + key);
  if (raw->size() != 32) {
    return Status::Invalid(where + "." + key + " must be 32 bytes (64 hex digits), got " +
                           std::to_string(raw->size()) + " bytes");
  }
  return std::move(raw).value();
}

Result<const Json*> GetArray(const Json& obj, const char* key, const std::string& where,
                             bool required) {
  static const Json kEmpty = Json::array();
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return Status::Invalid(where + key + " is missing");
    return &kEmpty;
  }
  if (!it->is_array()) return Status::Invalid(where + key + " must be an array");
  return &*it;
}

Result<AgentKey> ParseAgentKey(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::Invalid(where + " must be an object");
  AgentKey key;
  auto name = GetString(j, "name", where);
  if (!name.ok()) return name.status();
  key.name = *name;
  auto pub = GetHexKey(j, "public_key", where);
  if (!pub.ok()) return pub.status();
  key.public_key = *pub;
  if (auto it = j.find("active"); it != j.end()) {
    if (!it->is_boolean()) return Status::Invalid(where + ".active must be true or false");
    key.active = it->get<bool>();
  }
  if (auto it = j.find("admin"); it != j.end()) {
    if (!it->is_boolean()) return Status::Invalid(where + ".admin must be true or false");
    key.admin = it->get<bool>();
  }
  return key;
}

Result<Organisation> ParseOrganisation(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::Invalid(where + " must be an object");
  Organisation org;
  auto id = GetString(j, "id", where);
  if (!id.ok()) return id.status();
  org.id = *id;
  auto name = GetString(j, "name", where);
  if (!name.ok()) return name.status();
  org.name = *name;
  auto roles = GetArray(j, "roles", where + ".", true);
  if (!roles.ok()) return roles.status();
  for (size_t i = 0; i < (*roles)->size() && i < 16; ++i) {
    const Json& r = (**roles)[i];
    std::string rw = where + ".roles[" + std::to_string(i) + "]";
    if (!r.is_string()) return Status::Invalid(rw + " must be a string");
    auto role = RoleFromName(r.get<std::string>());
    if (!role) {
      return Status::Invalid(rw + ": unknown role \"" + r.get<std::string>() +
                             "\" (known: producer, processor, logistics, certifier, auditor)");
    }
    org.roles.push_back(*role);
  }
  auto parties = GetArray(j, "party_ids", where + ".", false);
  if (!parties.ok()) return parties.status();
  for (size_t i = 0; i < (*parties)->size(); ++i) {
    const Json& p = (**parties)[i];
    if (!p.is_string()) {
      return Status::Invalid(where + ".party_ids[" + std::to_string(i) + "] must be a string");
    }
    org.party_ids.push_back(p.get<std::string>());
  }
  auto keys = GetArray(j, "agent_keys", where + ".", true);
  if (!keys.ok()) return keys.status();
  if ((*keys)->size() > kMaxKeysPerOrganisation) {
    return Status::Invalid(where + ".agent_keys has more than " +
                           std::to_string(kMaxKeysPerOrganisation) + " keys");
  }
  for (size_t i = 0; i < (*keys)->size(); ++i) {
    auto key = ParseAgentKey((**keys)[i], where + ".agent_keys[" + std::to_string(i) + "]");
    if (!key.ok()) return key.status();
    org.agent_keys.push_back(std::move(key).value());
  }
  return org;
}

Result<Validator> ParseValidator(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::Invalid(where + " must be an object");
  Validator v;
  for (auto [key, field] : {std::pair{"id", &v.id}, std::pair{"organisation", &v.organisation},
                            std::pair{"address", &v.address}}) {
    auto s = GetString(j, key, where);
    if (!s.ok()) return s.status();
    *field = *s;
  }
  auto pub = GetHexKey(j, "public_key", where);
  if (!pub.ok()) return pub.status();
  v.public_key = *pub;
  auto tls = GetHexKey(j, "tls_cert_sha256", where);
  if (!tls.ok()) return tls.status();
  v.tls_cert_sha256 = *tls;
  return v;
}

Result<ProductRule> ParseProductRule(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::Invalid(where + " must be an object");
  ProductRule rule;
  auto product = GetString(j, "product", where);
  if (!product.ok()) return product.status();
  rule.product = *product;
  auto it = j.find("max_yield");
  if (it != j.end()) {
    if (!it->is_number()) return Status::Invalid(where + ".max_yield must be a number");
    // Any JSON number is a double to its reader; an integer beyond 2^53 is out of range anyway.
    auto yield = epcis::Quantity::FromDouble(it->get<double>());
    if (!yield.ok()) return yield.status().WithContext(where + ".max_yield");
    rule.max_yield = *yield;
  }
  return rule;
}

Result<EventTimeRules> ParseEventTimeRules(const Json& j) {
  EventTimeRules rules;
  auto it = j.find("event_time");
  if (it == j.end()) return rules;
  if (!it->is_object()) return Status::Invalid("event_time must be an object");
  for (const auto& [key, value] : it->items()) {
    if (key != "max_future_skew_ms" && key != "earliest") {
      return Status::Invalid("event_time." + key +
                             " is not a known member (known: max_future_skew_ms, earliest)");
    }
  }
  if (auto skew = it->find("max_future_skew_ms"); skew != it->end()) {
    if (!skew->is_number_unsigned() ||
        skew->get<uint64_t>() > static_cast<uint64_t>(kMaxFutureSkewLimitMs)) {
      return Status::Invalid("event_time.max_future_skew_ms must be a whole number of "
                             "milliseconds from 0 to " + std::to_string(kMaxFutureSkewLimitMs));
    }
    rules.max_future_skew_ms = skew->get<int64_t>();
  }
  if (auto earliest = it->find("earliest"); earliest != it->end()) {
    if (!earliest->is_string()) {
      return Status::Invalid("event_time.earliest must be an RFC 3339 date-time string");
    }
    auto ms = epcis::ParseRfc3339Ms(earliest->get<std::string>());
    if (!ms.ok()) return ms.status().WithContext("event_time.earliest");
    rules.earliest_ms = *ms;
  }
  return rules;
}

Status ValidateEventTimeRules(const EventTimeRules& rules) {
  if (rules.max_future_skew_ms < 0 || rules.max_future_skew_ms > kMaxFutureSkewLimitMs) {
    return Status::Invalid("event_time.max_future_skew_ms must be from 0 to " +
                           std::to_string(kMaxFutureSkewLimitMs));
  }
  // Within what ParseRfc3339Ms reads, so that the canonical JSON parses back.
  if (rules.earliest_ms < epcis::kMinRfc3339Ms || rules.earliest_ms > epcis::kMaxRfc3339Ms) {
    return Status::Invalid("event_time.earliest must be within the years 0000 to 9999");
  }
  return Status::Ok();
}

Status CheckAddress(std::string_view where, std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return Status::Invalid(std::string(where) + ".address \"" + std::string(address) +
                           "\" must be host:port");
  }
  std::string_view port = address.substr(colon + 1);
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
        return c >= '0' && c <= '9';
      }) || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
    return Status::Invalid(std::string(where) + ".address \"" + std::string(address) +
                           "\" has no valid port (1-65535)");
  }
  return Status::Ok();
}

Status ValidateOrganisations(const Genesis& g) {
  if (g.organisations.empty()) return Status::Invalid("organisations: at least one is needed");
  if (g.organisations.size() > kMaxOrganisations) {
    return Status::Invalid("organisations: more than " + std::to_string(kMaxOrganisations));
  }
  std::set<std::string> ids, parties, keys;
  for (size_t i = 0; i < g.organisations.size(); ++i) {
    const Organisation& org = g.organisations[i];
    std::string where = "organisations[" + std::to_string(i) + "]";
    JEJAK_RETURN_IF_ERROR(CheckIdentifier(where + ".id", org.id, 64));
    if (!ids.insert(org.id).second) {
      return Status::Invalid(where + ".id: organisation \"" + org.id + "\" is listed twice");
    }
    if (org.roles.empty()) return Status::Invalid(where + ".roles: at least one role is needed");
    if (std::set<Role>(org.roles.begin(), org.roles.end()).size() != org.roles.size()) {
      return Status::Invalid(where + ".roles: a role is listed twice");
    }
    for (const std::string& party : org.party_ids) {
      if (party.empty() || party.find('\0') != std::string::npos) {
        return Status::Invalid(where + ".party_ids: empty or malformed party identifier");
      }
      if (!parties.insert(party).second) {
        return Status::Invalid(where + ".party_ids: party \"" + party +
                               "\" belongs to more than one organisation");
      }
    }
    for (size_t k = 0; k < org.agent_keys.size(); ++k) {
      const AgentKey& key = org.agent_keys[k];
      std::string kw = where + ".agent_keys[" + std::to_string(k) + "]";
      if (key.name.empty()) return Status::Invalid(kw + ".name is empty");
      if (key.public_key.size() != 32) return Status::Invalid(kw + ".public_key must be 32 bytes");
      if (!keys.insert(key.public_key).second) {
        return Status::Invalid(kw + ".public_key is used by another agent key");
      }
    }
  }
  return Status::Ok();
}

Status ValidateValidators(const Genesis& g) {
  if (g.validators.empty()) return Status::Invalid("validators: at least one is needed");
  if (g.validators.size() > kMaxValidators) {
    return Status::Invalid("validators: more than " + std::to_string(kMaxValidators));
  }
  std::set<std::string> ids, keys;
  std::map<std::string, std::string> address_owner;  // address -> validator id
  for (size_t i = 0; i < g.validators.size(); ++i) {
    const Validator& v = g.validators[i];
    std::string where = "validators[" + std::to_string(i) + "]";
    JEJAK_RETURN_IF_ERROR(CheckIdentifier(where + ".id", v.id, 64));
    if (!ids.insert(v.id).second) {
      return Status::Invalid(where + ".id: validator \"" + v.id + "\" is listed twice");
    }
    if (g.FindOrganisation(v.organisation) == nullptr) {
      return Status::Invalid(where + ".organisation: \"" + v.organisation +
                             "\" is not one of the organisations");
    }
    if (v.public_key.size() != 32) return Status::Invalid(where + ".public_key must be 32 bytes");
    if (!keys.insert(v.public_key).second) {
      return Status::Invalid(where + ".public_key is used by another validator");
    }
    if (v.tls_cert_sha256.size() != 32) {
      return Status::Invalid(where + ".tls_cert_sha256 must be 32 bytes");
    }
    JEJAK_RETURN_IF_ERROR(CheckAddress(where, v.address));
    // One peer service is one validator: two sharing an address would have every message for
    // the one delivered to the other (and a quorum counting one machine twice).
    auto [owner, fresh] = address_owner.emplace(v.address, v.id);
    if (!fresh) {
      return Status::Invalid(where + ".address \"" + v.address + "\" is also the address of validator \"" +
                             owner->second + "\": validators \"" + owner->second + "\" and \"" + v.id +
                             "\" need addresses of their own");
    }
  }
  return Status::Ok();
}

Status ValidateGovernance(const Genesis& g) {
  if (g.governance_threshold.is_zero() || g.governance_threshold > epcis::Quantity::Units(1)) {
    return Status::Invalid("governance_threshold " + g.governance_threshold.ToString() +
                           " must be a fraction of the member organisations above 0 and at most 1");
  }
  if (g.governance_proposal_lifetime_blocks < 1 ||
      g.governance_proposal_lifetime_blocks > kMaxProposalLifetimeBlocks) {
    return Status::Invalid("governance_proposal_lifetime_blocks must be from 1 to " +
                           std::to_string(kMaxProposalLifetimeBlocks));
  }
  return Status::Ok();
}

Status ValidateProductRules(const Genesis& g) {
  std::set<std::string> products;
  for (size_t i = 0; i < g.product_rules.size(); ++i) {
    const ProductRule& rule = g.product_rules[i];
    std::string where = "product_rules[" + std::to_string(i) + "]";
    if (rule.product.empty()) return Status::Invalid(where + ".product is empty");
    if (!products.insert(rule.product).second) {
      return Status::Invalid(where + ".product \"" + rule.product + "\" has two rules");
    }
    if (rule.max_yield.is_zero() || rule.max_yield > epcis::Quantity::Units(1000)) {
      return Status::Invalid(where + ".max_yield must be above 0 and at most 1000");
    }
  }
  return Status::Ok();
}

Json OrganisationToJson(const Organisation& org) {
  Json roles = Json::array();
  for (Role r : org.roles) roles.push_back(RoleName(r));
  Json keys = Json::array();
  for (const AgentKey& k : org.agent_keys) {
    keys.push_back({{"name", k.name}, {"public_key", crypto::ToHex(k.public_key)},
                    {"active", k.active}, {"admin", k.admin}});
  }
  return {{"id", org.id},       {"name", org.name},         {"roles", roles},
          {"party_ids", org.party_ids}, {"agent_keys", keys}};
}

}  // namespace

const char* RoleName(Role role) { return kRoleNames[static_cast<int>(role)]; }

std::optional<Role> RoleFromName(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kRoleNames[i]) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool Organisation::HasRole(Role role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const Organisation* Genesis::FindOrganisation(std::string_view id) const {
  for (const Organisation& org : organisations) {
    if (org.id == id) return &org;
  }
  return nullptr;
}

epcis::Quantity Genesis::MaxYield(std::string_view product) const {
  for (const ProductRule& rule : product_rules) {
    if (rule.product == product) return rule.max_yield;
  }
  return epcis::Quantity::Units(1);
}

Status CheckIdentifier(std::string_view what, std::string_view id, size_t max_bytes) {
  if (id.empty()) return Status::Invalid(std::string(what) + " is empty");
  if (id.size() > max_bytes) {
    return Status::Invalid(std::string(what) + " is longer than " + std::to_string(max_bytes) +
                           " bytes");
  }
  for (char c : id) {
    if (!IsIdChar(c)) {
      return Status::Invalid(std::string(what) + " \"" + std::string(id) +
                             "\" may only hold letters, digits, '-', '_' and '.'");
    }
  }
  return Status::Ok();
}

std::string OrgPartyId(std::string_view org_id) {
  return "urn:jejak:org:" + std::string(org_id);
}

Status ValidateGenesis(const Genesis& g) {
  JEJAK_RETURN_IF_ERROR(CheckIdentifier("chain_id", g.chain_id, kMaxChainIdBytes));
  JEJAK_RETURN_IF_ERROR(ValidateOrganisations(g));
  JEJAK_RETURN_IF_ERROR(ValidateValidators(g));
  JEJAK_RETURN_IF_ERROR(ValidateGovernance(g));
  JEJAK_RETURN_IF_ERROR(ValidateEventTimeRules(g.event_time));
  return ValidateProductRules(g);
}

Result<Genesis> ParseGenesis(std::string_view json_text) {
  if (json_text.size() > kMaxGenesisBytes) {
    return Status::Invalid("genesis is larger than " + std::to_string(kMaxGenesisBytes) + " bytes");
  }
  Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Invalid("genesis is not valid JSON");
  if (!j.is_object()) return Status::Invalid("genesis must be a JSON object");
  Genesis g;
  auto chain = GetString(j, "chain_id", "genesis");
  if (!chain.ok()) return chain.status();
  g.chain_id = *chain;
  auto orgs = GetArray(j, "organisations", "", true);
  if (!orgs.ok()) return orgs.status();
  for (size_t i = 0; i < (*orgs)->size() && i <= kMaxOrganisations; ++i) {
    auto org = ParseOrganisation((**orgs)[i], "organisations[" + std::to_string(i) + "]");
    if (!org.ok()) return org.status();
    g.organisations.push_back(std::move(org).value());
  }
  auto validators = GetArray(j, "validators", "", true);
  if (!validators.ok()) return validators.status();
  for (size_t i = 0; i < (*validators)->size() && i <= kMaxValidators; ++i) {
    auto v = ParseValidator((**validators)[i], "validators[" + std::to_string(i) + "]");
    if (!v.ok()) return v.status();
    g.validators.push_back(std::move(v).value());
  }
  auto threshold = j.find("governance_threshold");
  if (threshold == j.end()) return Status::Invalid("governance_threshold is missing");
  if (!threshold->is_number()) {
    return Status::Invalid("governance_threshold must be a number (a fraction above 0, at most 1)");
  }
  auto fraction = epcis::Quantity::FromDouble(threshold->get<double>());
  if (!fraction.ok()) return fraction.status().WithContext("governance_threshold");
  g.governance_threshold = *fraction;
  if (auto it = j.find("governance_proposal_lifetime_blocks"); it != j.end()) {
    if (!it->is_number_unsigned()) {
      return Status::Invalid("governance_proposal_lifetime_blocks must be a whole number of blocks");
    }
    g.governance_proposal_lifetime_blocks = it->get<uint64_t>();
  }
  auto rules = GetArray(j, "product_rules", "", false);
  if (!rules.ok()) return rules.status();
  for (size_t i = 0; i < (*rules)->size() && i < 10000; ++i) {
    auto rule = ParseProductRule((**rules)[i], "product_rules[" + std::to_string(i) + "]");
    if (!rule.ok()) return rule.status();
    g.product_rules.push_back(std::move(rule).value());
  }
  auto event_time = ParseEventTimeRules(j);
  if (!event_time.ok()) return event_time.status();
  g.event_time = *event_time;
  // Every organisation can always be named by its jejak party id.
  for (Organisation& org : g.organisations) {
    std::sort(org.roles.begin(), org.roles.end());
    std::string own = OrgPartyId(org.id);
    if (std::find(org.party_ids.begin(), org.party_ids.end(), own) == org.party_ids.end()) {
      org.party_ids.push_back(own);
    }
  }
  JEJAK_RETURN_IF_ERROR(ValidateGenesis(g));
  return g;
}

std::string GenesisToJson(const Genesis& g, int indent) {
  Json orgs = Json::array();
  for (const Organisation& org : g.organisations) orgs.push_back(OrganisationToJson(org));
  Json validators = Json::array();
  for (const Validator& v : g.validators) {
    validators.push_back({{"id", v.id},
                          {"organisation", v.organisation},
                          {"public_key", crypto::ToHex(v.public_key)},
                          {"address", v.address},
                          {"tls_cert_sha256", crypto::ToHex(v.tls_cert_sha256)}});
  }
  Json rules = Json::array();
  for (const ProductRule& r : g.product_rules) {
    // The double nearest the exact decimal: its shortest text is that decimal, and genesis
    // hashes stay what they were when max_yield was a double.
    rules.push_back({{"product", r.product}, {"max_yield", r.max_yield.ToDouble()}});
  }
  Json j = {{"chain_id", g.chain_id},
            {"organisations", orgs},
            {"validators", validators},
            {"governance_threshold", g.governance_threshold.ToDouble()},
            {"governance_proposal_lifetime_blocks", g.governance_proposal_lifetime_blocks},
            {"product_rules", rules},
            // Always written, defaults included: the genesis hash covers the rules in force.
            {"event_time",
             {{"max_future_skew_ms", g.event_time.max_future_skew_ms},
              {"earliest", epcis::FormatRfc3339Ms(g.event_time.earliest_ms)}}}};
  // Replace, not throw, on invalid UTF-8 in a Genesis built in code: no exception leaves us.
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string GenesisHash(const Genesis& genesis) {
  std::string data = "jejak/genesis/v1";
  data.push_back('\0');
  data += GenesisToJson(genesis);
  return crypto::Sha256(data);
}

}  // namespace jejak::ledger
