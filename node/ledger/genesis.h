// The genesis of a network: who takes part, with which keys and roles, and the product rules.
//
// JSON form (all members required unless marked optional):
// {
//   "chain_id": "jejak-gayo-1",
//   "organisations": [{
//     "id": "koperasi-gayo", "name": "Koperasi Gayo",
//     "roles": ["producer", "processor"],            // producer processor logistics certifier auditor
//     "party_ids": ["urn:epc:id:pgln:8991234.00000"], // optional; urn:jejak:org:<id> is always added
//     "agent_keys": [{"name": "clerk-1", "public_key": "<64 hex>",
//                     "active": true, "admin": false}]  // active (true) and admin (false) optional
//   }],
//   "validators": [{"id": "v1", "organisation": "koperasi-gayo", "public_key": "<64 hex>",
//                   "address": "127.0.0.1:7001", "tls_cert_sha256": "<64 hex>"}],
//   "governance_threshold": 0.67,     // fraction of active member organisations, above 0, at most 1
//   "governance_proposal_lifetime_blocks": 10000,   // optional
//   "product_rules": [{"product": "urn:epc:idpat:sgtin:8991234.00001.*", "max_yield": 0.2}], // optional
//   "event_time": {"max_future_skew_ms": 300000,        // optional, and each member (event_time.h)
//                  "earliest": "2000-01-01T00:00:00Z"}
// }
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/base/status.h"
#include "node/epcis/quantity.h"
#include "node/ledger/event_time.h"

namespace jejak::ledger {

enum class Role : uint8_t { kProducer, kProcessor, kLogistics, kCertifier, kAuditor };
const char* RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);

struct AgentKey {
  std::string name;
  std::string public_key;  // raw 32-byte Ed25519 public key
  bool active = true;
  bool admin = false;  // signs governance transactions for its organisation
};

struct Organisation {
  std::string id;
  std::string name;
  std::vector<Role> roles;           // sorted, unique
  std::vector<std::string> party_ids;  // includes urn:jejak:org:<id>
  std::vector<AgentKey> agent_keys;
  bool HasRole(Role role) const;
};

struct Validator {
  std::string id;
  std::string organisation;
  std::string public_key;       // raw 32-byte Ed25519 node key
  std::string address;          // host:port
  std::string tls_cert_sha256;  // raw 32 bytes
};

struct ProductRule {
  std::string product;
  // Outputs of this product never exceed inputs x max_yield. An exact decimal (6 decimals at
  // most), above 0 and at most 1000.
  epcis::Quantity max_yield = epcis::Quantity::Units(1);
};

struct Genesis {
  std::string chain_id;
  std::vector<Organisation> organisations;
  std::vector<Validator> validators;
  // A proposal applies when approvals reach this fraction of the active member organisations
  // (rounded up, at least one): exact, 6 decimals, above 0 and at most 1.
  epcis::Quantity governance_threshold = epcis::Quantity::Units(1);
  // Approvals count up to this many blocks after the proposal's block.
  uint64_t governance_proposal_lifetime_blocks = 10000;
  std::vector<ProductRule> product_rules;
  EventTimeRules event_time;

  const Organisation* FindOrganisation(std::string_view id) const;
  // The maximum yield for `product`: its rule, or 1.0 when there is none.
  epcis::Quantity MaxYield(std::string_view product) const;
};

inline constexpr size_t kMaxChainIdBytes = 64;
inline constexpr size_t kMaxOrganisations = 1000;
inline constexpr size_t kMaxKeysPerOrganisation = 100;
inline constexpr size_t kMaxValidators = 100;
inline constexpr size_t kMaxGenesisBytes = 4 * 1024 * 1024;
inline constexpr uint64_t kMaxProposalLifetimeBlocks = 100000000;

std::string OrgPartyId(std::string_view org_id);  // "urn:jejak:org:<id>"
// Ids of chains, organisations and validators: 1 to max_bytes of letters, digits, '-', '_', '.'.
// The message starts with `what`.
Status CheckIdentifier(std::string_view what, std::string_view id, size_t max_bytes);
inline constexpr size_t kMaxOrganisationIdBytes = 64;

// Parses and validates; the message names the member and the item ("organisations[2].roles[0]: ...").
Result<Genesis> ParseGenesis(std::string_view json_text);
// Checks a Genesis built in code (ParseGenesis already does this).
Status ValidateGenesis(const Genesis& genesis);
// Canonical JSON (sorted members, no whitespace); ParseGenesis(GenesisToJson(g)) gives g back.
std::string GenesisToJson(const Genesis& genesis, int indent = -1);
// SHA-256 over "jejak/genesis/v1" 0x00 and the canonical JSON: 32 raw bytes.
std::string GenesisHash(const Genesis& genesis);

}  // namespace jejak::ledger
