// Who takes part in a network at one point of its chain: organisations with every key they ever
// had and its status, validators, and the parameters governance may change (threshold, proposal
// lifetime, product rules). The genesis gives the first membership; applied governance changes
// (governance.h) give the next, stored as one MembershipRecord in the state table.
//
// Entries of block h are judged against the membership after block h-1 ("in force at h"):
// changes a block applies take effect from the next block, so every validator can check the
// signatures of a block in parallel against one known set of keys.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jejak/v1/ledger_state.pb.h"
#include "node/base/status.h"
#include "node/epcis/quantity.h"
#include "node/ledger/genesis.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

// Public keys by key id (crypto::KeyId). A key id names one public key for ever (governance
// refuses a key whose id is taken, by any key ever), so every lookup that knows an id agrees.
class KeyLookup {
 public:
  virtual ~KeyLookup() = default;
  // The raw public key, nullopt for an id no organisation ever had.
  virtual std::optional<std::string_view> PublicKeyOf(std::string_view key_id) const = 0;
};

// A signer key with its organisation, as in force.
struct MemberKey {
  const v1::OrganisationRecord* organisation = nullptr;
  const v1::AgentKeyRecord* key = nullptr;
  const Organisation* rules_view = nullptr;  // the organisation as the rules see it
};

class Membership final : public KeyLookup {
 public:
  // Checks the record (format version, references) and indexes it.
  static Result<std::shared_ptr<const Membership>> FromRecord(v1::MembershipRecord record);
  static std::shared_ptr<const Membership> FromGenesis(const Genesis& genesis);

  const v1::MembershipRecord& record() const { return record_; }

  // Any organisation ever admitted (whatever its status), by id.
  const Organisation* FindOrganisation(std::string_view id) const;
  const v1::OrganisationRecord* FindOrganisationRecord(std::string_view id) const;
  // The organisation a party identifier (urn:epc:id:pgln:..., urn:jejak:org:<id>) belongs to.
  const Organisation* OrganisationOfParty(std::string_view party_id) const;
  // Any key ever admitted, whatever its status.
  std::optional<MemberKey> FindKey(std::string_view key_id) const;
  std::optional<std::string_view> PublicKeyOf(std::string_view key_id) const override;

  bool IsActive(const v1::OrganisationRecord& organisation) const {
    return organisation.status() == v1::ORGANISATION_ACTIVE;
  }
  size_t ActiveOrganisations() const;
  // Approvals a proposal needs: the threshold fraction of the active organisations, rounded up,
  // at least one.
  size_t RequiredApprovals() const;
  uint64_t proposal_lifetime_blocks() const { return record_.proposal_lifetime_blocks(); }
  epcis::Quantity MaxYield(std::string_view product) const;

 private:
  Membership() = default;
  void Index();

  v1::MembershipRecord record_;
  std::vector<Organisation> rules_views_;  // parallel to record_.organisations()
  std::map<std::string, size_t, std::less<>> org_index_;
  std::map<std::string, size_t, std::less<>> party_index_;
  std::map<std::string, std::pair<size_t, size_t>, std::less<>> key_index_;  // (org, key)
  std::map<std::string, int64_t, std::less<>> max_yield_micros_;
};

inline constexpr uint32_t kMembershipFormatVersion = 1;

// The genesis as a MembershipRecord (what governance changes start from).
v1::MembershipRecord MembershipRecordFromGenesis(const Genesis& genesis);

// The membership in force after the last block applied to `state`: its record, or the genesis
// one (`from_genesis`) when governance has changed nothing yet.
Result<std::shared_ptr<const Membership>> LoadMembership(
    const StateReader& state, const std::shared_ptr<const Membership>& from_genesis);

}  // namespace jejak::ledger
