// Governance entries: proposals, approvals, own-key changes, and the membership in force.
#include <gtest/gtest.h>

#include "node/ledger/governance.h"
#include "node/ledger/keys.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using testing::ExpectRefusal;
using testing::kAuditor;
using testing::kCertifier;
using testing::kGayo;
using testing::KeyFromSeed;
using testing::kRoaster;
using testing::kTrucks;

constexpr const char* kBaru = "koperasi-baru";

uint8_t ClerkSeed(const std::string& org) {
  static const std::map<std::string, uint8_t> seeds = {
      {kGayo, 1}, {kRoaster, 2}, {kTrucks, 3}, {kCertifier, 4}, {kAuditor, 5}};
  return seeds.at(org);
}
crypto::PrivateKey AdminKey(const std::string& org) { return KeyFromSeed(static_cast<uint8_t>(20 + ClerkSeed(org))); }
std::string KeyIdOfSeed(uint8_t seed) { return crypto::KeyId(KeyFromSeed(seed).public_key()); }

v1::AgentKeySpec KeySpec(const std::string& name, uint8_t seed, bool admin) {
  v1::AgentKeySpec spec;
  spec.set_name(name);
  spec.set_public_key(KeyFromSeed(seed).public_key());
  spec.set_admin(admin);
  return spec;
}

// koperasi-baru, a producer with an admin key (seed 40) and a clerk key (seed 41).
v1::GovernanceChange AddBaru() {
  v1::GovernanceChange change;
  v1::OrganisationSpec* org = change.mutable_add_organisation();
  org->set_id(kBaru);
  org->set_name("Koperasi Baru");
  org->add_roles("producer");
  *org->add_agent_keys() = KeySpec("admin", 40, true);
  *org->add_agent_keys() = KeySpec("clerk", 41, false);
  return change;
}

v1::GovernanceChange OrgStatus(const std::string& org, v1::OrganisationStatus status) {
  v1::GovernanceChange change;
  change.mutable_set_organisation_status()->set_organisation(org);
  change.mutable_set_organisation_status()->set_status(status);
  return change;
}

v1::GovernanceChange Rotate(const std::string& org, uint8_t old_seed, uint8_t new_seed) {
  v1::GovernanceChange change;
  change.mutable_rotate_agent_key()->set_organisation(org);
  change.mutable_rotate_agent_key()->set_old_key_id(KeyIdOfSeed(old_seed));
  *change.mutable_rotate_agent_key()->mutable_new_key() = KeySpec("clerk-2", new_seed, false);
  return change;
}

v1::GovernanceChange Revoke(const std::string& org, const std::string& key_id, std::optional<int64_t> since = {}) {
  v1::GovernanceChange change;
  change.mutable_revoke_agent_key()->set_organisation(org);
  change.mutable_revoke_agent_key()->set_key_id(key_id);
  if (since) change.mutable_revoke_agent_key()->set_compromised_since_ms(*since);
  return change;
}

// A chain applied a block at a time (membership changes take effect at block boundaries).
class GovChain {
 public:
  explicit GovChain(Genesis genesis = testing::TestGenesis()) : ledger_(std::move(genesis)) {}

  // `entries` as the next block, all or nothing.
  Status Block(const std::vector<v1::SignedEvent>& entries) {
    std::vector<const v1::SignedEvent*> pointers;
    for (const v1::SignedEvent& e : entries) pointers.push_back(&e);
    const int64_t time_ms = std::max(testing::kT0 + static_cast<int64_t>(height_) * 1000, events_.now_ms());
    auto applied = ledger_.ApplyEvents(store_, pointers, {}, {height_, 0, time_ms}, OnRefusal::kFailAll);
    if (!applied.ok()) return applied.status();
    store_.Apply(applied->writes);
    ++height_;
    return Status::Ok();
  }
  void MustBlock(const std::vector<v1::SignedEvent>& entries) {
    Status s = Block(entries);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  v1::SignedEvent Signed(const crypto::PrivateKey& key, v1::GovernanceTx tx) {
    tx.set_format_version(kGovernanceFormatVersion);
    // The organisation the key belongs to (none for a stranger's).
    const std::shared_ptr<const Membership> members = Members();
    std::optional<MemberKey> member = members->FindKey(crypto::KeyId(key.public_key()));
    if (member && tx.organisation().empty()) tx.set_organisation(member->organisation->id());
    tx.set_issued_at_ms(++issued_ms_);
    auto entry = SignGovernance(key, "jejak-test-1", tx);
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return *entry;
  }
  v1::SignedEvent Propose(const std::string& org, const v1::GovernanceChange& change) {
    return ProposeWith(AdminKey(org), change);
  }
  v1::SignedEvent ProposeWith(const crypto::PrivateKey& key, const v1::GovernanceChange& change) {
    v1::GovernanceTx tx;
    *tx.mutable_propose() = change;
    return Signed(key, tx);
  }
  v1::SignedEvent Approve(const std::string& org, const std::string& proposal_id) {
    v1::GovernanceTx tx;
    tx.set_approve(proposal_id);
    return Signed(AdminKey(org), tx);
  }
  v1::SignedEvent OwnKey(const std::string& org, const v1::GovernanceChange& change) {
    v1::GovernanceTx tx;
    *tx.mutable_own_key() = change;
    return Signed(AdminKey(org), tx);
  }
  // A commissioning of a new lot of `org`, signed with the key of `seed`.
  v1::SignedEvent Commission(const std::string& org, uint8_t seed) {
    auto e = SignEvent(KeyFromSeed(seed), "jejak-test-1",
                       events_.Commission("urn:jejak:lot:" + org + ":lot-" + std::to_string(++lots_), 10));
    EXPECT_TRUE(e.ok());
    return *e;
  }

  std::shared_ptr<const Membership> Members() {
    auto m = ledger_.MembershipIn(store_);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return *m;
  }
  v1::ProposalRecord Proposal(const std::string& id) {
    auto p = ReadProposal(store_, id);
    EXPECT_TRUE(p.ok() && p->has_value());
    return p.ok() && p->has_value() ? **p : v1::ProposalRecord();
  }
  uint64_t height() const { return height_; }
  MemoryStore& store() { return store_; }

 private:
  Ledger ledger_;
  MemoryStore store_;
  testing::Events events_;
  uint64_t height_ = 1;
  int64_t issued_ms_ = testing::kT0;
  int lots_ = 0;
};

std::string IdOf(const v1::SignedEvent& entry) { return GovernanceEntryId(entry.governance_bytes()); }

TEST(GovernanceTest, AnOrganisationJoinsWhenApprovalsReachTheThresholdAndSignsFromTheNextBlock) {
  GovChain chain;
  EXPECT_EQ(chain.Members()->RequiredApprovals(), 3u);  // half of 5, rounded up
  v1::SignedEvent proposal = chain.Propose(kGayo, AddBaru());
  const std::string id = IdOf(proposal);
  EXPECT_EQ(id.rfind("gov:", 0), 0u);
  chain.MustBlock({proposal});
  EXPECT_EQ(chain.Proposal(id).status(), v1::PROPOSAL_OPEN);
  EXPECT_EQ(chain.Proposal(id).approvals_size(), 1);  // proposing is approving
  ExpectRefusal(chain.Block({chain.Commission(kBaru, 41)}), StatusCode::kPermissionDenied, rule::kSignerUnknown, {});

  chain.MustBlock({chain.Approve(kRoaster, id)});
  EXPECT_EQ(chain.Proposal(id).status(), v1::PROPOSAL_OPEN);
  // The third approval applies the change, but only from the next block on.
  ExpectRefusal(chain.Block({chain.Approve(kTrucks, id), chain.Commission(kBaru, 41)}),
                StatusCode::kPermissionDenied, rule::kSignerUnknown, {"event 1"});
  const uint64_t applied_at = chain.height();
  chain.MustBlock({chain.Approve(kTrucks, id)});
  v1::ProposalRecord applied = chain.Proposal(id);
  EXPECT_EQ(applied.status(), v1::PROPOSAL_APPLIED);
  EXPECT_EQ(applied.applied_at_height(), applied_at);
  EXPECT_EQ(applied.approvals_size(), 3);
  chain.MustBlock({chain.Commission(kBaru, 41)});

  std::shared_ptr<const Membership> members = chain.Members();
  const v1::OrganisationRecord* baru = members->FindOrganisationRecord(kBaru);
  ASSERT_NE(baru, nullptr);
  EXPECT_EQ(baru->status(), v1::ORGANISATION_ACTIVE);
  EXPECT_EQ(baru->joined_at_height(), applied_at);
  EXPECT_EQ(baru->party_ids(0), OrgPartyId(kBaru));
  EXPECT_EQ(members->RequiredApprovals(), 3u);  // half of 6
  // The change is in the governance log at the approving entry's place.
  auto logged = chain.store().Get(Table::kState, keys::GovernanceLogKey({applied_at, 0}));
  ASSERT_TRUE(logged.ok() && logged->has_value());
  EXPECT_EQ(**logged, applied.approvals(2).entry_id());
}

TEST(GovernanceTest, OnlyAnAdminKeyOfAMemberSignsAWellFormedEntry) {
  GovChain chain;
  ExpectRefusal(chain.Block({chain.ProposeWith(KeyFromSeed(1), AddBaru())}), StatusCode::kPermissionDenied,
                rule::kGovNotAdmin, {"is not an admin key"});
  ExpectRefusal(chain.Block({chain.ProposeWith(KeyFromSeed(77), AddBaru())}), StatusCode::kPermissionDenied,
                rule::kSignerUnknown, {});
  v1::SignedEvent forged = chain.Propose(kGayo, AddBaru());
  forged.mutable_governance_bytes()->back() ^= 1;
  ExpectRefusal(chain.Block({forged}), StatusCode::kPermissionDenied, rule::kSignatureInvalid, {"governance entry"});

  v1::GovernanceTx later;
  later.set_format_version(2);
  later.set_approve("gov:00");
  auto future = SignGovernance(AdminKey(kGayo), "jejak-test-1", later);
  ASSERT_TRUE(future.ok());
  ExpectRefusal(chain.Block({*future}), StatusCode::kInvalid, rule::kGovFormat,
                {"format version 2; this ledger knows version 1"});
  ExpectRefusal(chain.Block({chain.Signed(AdminKey(kGayo), v1::GovernanceTx())}), StatusCode::kInvalid,
                rule::kGovFormat, {"names no action"});
  v1::GovernanceTx empty_change;
  empty_change.mutable_propose();
  ExpectRefusal(chain.Block({chain.Signed(AdminKey(kGayo), empty_change)}), StatusCode::kInvalid, rule::kGovFormat,
                {"names no change"});
  v1::GovernanceTx long_memo;
  *long_memo.mutable_propose() = AddBaru();
  long_memo.set_memo(std::string(kMaxMemoBytes + 1, 'm'));
  ExpectRefusal(chain.Block({chain.Signed(AdminKey(kGayo), long_memo)}), StatusCode::kInvalid,
                rule::kGovChangeFormat, {"memo"});
  EXPECT_TRUE(chain.store().Get(Table::kState, keys::MembershipKey())->value_or("").empty());
}

TEST(GovernanceTest, ApprovalsAreRefusedTwiceUnknownAppliedOrExpired) {
  Genesis genesis = testing::TestGenesis();
  genesis.governance_proposal_lifetime_blocks = 2;
  GovChain chain(genesis);
  ExpectRefusal(chain.Block({chain.Approve(kRoaster, "gov:feed")}), StatusCode::kNotFound,
                rule::kGovProposalUnknown, {"there is no proposal gov:feed"});
  v1::SignedEvent proposal = chain.Propose(kGayo, AddBaru());
  const std::string id = IdOf(proposal);
  chain.MustBlock({proposal});  // block 1: approvals count up to block 3
  ExpectRefusal(chain.Block({chain.Approve(kGayo, id)}), StatusCode::kAlreadyExists, rule::kGovApprovedTwice,
                {"approved proposal " + id + " already, at block 1"});
  chain.MustBlock({chain.Approve(kRoaster, id)});  // block 2
  chain.MustBlock({chain.Commission(kGayo, 1)});   // block 3
  ExpectRefusal(chain.Block({chain.Approve(kTrucks, id)}), StatusCode::kInvalid, rule::kGovProposalExpired,
                {"expired after block 3"});

  v1::SignedEvent second = chain.Propose(kGayo, AddBaru());
  chain.MustBlock({second, chain.Approve(kRoaster, IdOf(second)), chain.Approve(kTrucks, IdOf(second))});
  ExpectRefusal(chain.Block({chain.Approve(kCertifier, IdOf(second))}), StatusCode::kInvalid,
                rule::kGovProposalApplied, {"was applied at block 4"});
}

TEST(GovernanceTest, ChangesThatCannotApplyAreRefusedWhenProposed) {
  GovChain chain;
  auto refused = [&](const v1::GovernanceChange& change, StatusCode code, std::string_view rule,
                     std::initializer_list<std::string> words) {
    ExpectRefusal(chain.Block({chain.Propose(kGayo, change)}), code, rule, words);
  };
  v1::GovernanceChange existing = AddBaru();
  existing.mutable_add_organisation()->set_id(kRoaster);
  refused(existing, StatusCode::kAlreadyExists, rule::kGovOrgExists, {"organisation roaster-bandung already exists"});
  v1::GovernanceChange taken_key = AddBaru();
  *taken_key.mutable_add_organisation()->mutable_agent_keys(1) = KeySpec("clerk", 2, false);
  refused(taken_key, StatusCode::kAlreadyExists, rule::kGovKeyExists, {"is already key clerk of roaster-bandung"});
  v1::GovernanceChange twice = AddBaru();
  *twice.mutable_add_organisation()->mutable_agent_keys(1) = KeySpec("again", 40, false);
  refused(twice, StatusCode::kAlreadyExists, rule::kGovKeyExists, {"named twice"});
  v1::GovernanceChange party = AddBaru();
  party.mutable_add_organisation()->add_party_ids(testing::kRoasterPgln);
  refused(party, StatusCode::kAlreadyExists, rule::kGovPartyTaken, {"belongs to organisation roaster-bandung"});
  v1::GovernanceChange bad_id = AddBaru();
  bad_id.mutable_add_organisation()->set_id("koperasi baru");
  refused(bad_id, StatusCode::kInvalid, rule::kGovChangeFormat, {"organisation id"});
  v1::GovernanceChange bad_role = AddBaru();
  bad_role.mutable_add_organisation()->add_roles("trader");
  refused(bad_role, StatusCode::kInvalid, rule::kGovChangeFormat, {"unknown role \"trader\""});
  v1::GovernanceChange no_keys = AddBaru();
  no_keys.mutable_add_organisation()->clear_agent_keys();
  refused(no_keys, StatusCode::kInvalid, rule::kGovChangeFormat, {"needs an admin agent key"});
  v1::GovernanceChange short_key = AddBaru();
  short_key.mutable_add_organisation()->mutable_agent_keys(0)->set_public_key("short");
  refused(short_key, StatusCode::kInvalid, rule::kGovChangeFormat, {"must be 32 bytes"});

  refused(Revoke(kRoaster, KeyIdOfSeed(1)), StatusCode::kNotFound, rule::kGovKeyUnknown,
          {"organisation roaster-bandung has no agent key"});
  refused(Revoke("nobody", KeyIdOfSeed(1)), StatusCode::kNotFound, rule::kGovOrgUnknown, {"nobody"});
  refused(Rotate(kGayo, 9, 50), StatusCode::kInvalid, rule::kGovKeyNotActive, {"is not active"});
  refused(OrgStatus(kTrucks, v1::ORGANISATION_ACTIVE), StatusCode::kInvalid, rule::kGovOrgStatus, {"already active"});
  refused(OrgStatus(kTrucks, v1::ORGANISATION_STATUS_UNSPECIFIED), StatusCode::kInvalid, rule::kGovOrgStatus, {});
  v1::GovernanceChange threshold;
  threshold.mutable_set_threshold()->set_threshold_micros(0);
  refused(threshold, StatusCode::kInvalid, rule::kGovThresholdRange, {"above 0 and at most 1"});
  threshold.mutable_set_threshold()->set_threshold_micros(1'000'001);
  refused(threshold, StatusCode::kInvalid, rule::kGovThresholdRange, {});
  v1::GovernanceChange yield;
  yield.mutable_set_max_yield()->set_product("no-such-product");
  refused(yield, StatusCode::kNotFound, rule::kGovProductRule, {"has no max yield rule to remove"});
  yield.mutable_set_max_yield()->set_max_yield_micros(1000LL * 1'000'000 + 1);
  refused(yield, StatusCode::kInvalid, rule::kGovProductRule, {"at most 1000"});
  EXPECT_TRUE(ReadProposals(chain.store(), 10)->empty());
}

TEST(GovernanceTest, TheLastGoverningOrganisationIsNotSuspended) {
  Genesis genesis = testing::TestGenesis();
  genesis.organisations.resize(1);
  genesis.validators.resize(1);
  GovChain chain(genesis);
  EXPECT_EQ(chain.Members()->RequiredApprovals(), 1u);
  ExpectRefusal(chain.Block({chain.Propose(kGayo, OrgStatus(kGayo, v1::ORGANISATION_SUSPENDED))}),
                StatusCode::kInvalid, rule::kGovLastOrganisation, {"no change could pass again"});
  // A sole member applies its own proposal at once.
  v1::SignedEvent join = chain.Propose(kGayo, AddBaru());
  chain.MustBlock({join});
  EXPECT_EQ(chain.Proposal(IdOf(join)).status(), v1::PROPOSAL_APPLIED);
}

TEST(GovernanceTest, AnOrganisationRotatesItsOwnKeyWithoutApprovals) {
  GovChain chain;
  chain.MustBlock({chain.OwnKey(kGayo, Rotate(kGayo, 1, 50))});
  ExpectRefusal(chain.Block({chain.Commission(kGayo, 1)}), StatusCode::kPermissionDenied, rule::kSignerRetired,
                {"was rotated out at block 1", "sign with its successor, key " + KeyIdOfSeed(50)});
  chain.MustBlock({chain.Commission(kGayo, 50)});
  const std::shared_ptr<const Membership> members = chain.Members();
  const MemberKey old_key = *members->FindKey(KeyIdOfSeed(1));
  EXPECT_EQ(old_key.key->status(), v1::AGENT_KEY_ROTATED);
  EXPECT_EQ(old_key.key->replaced_by_key_id(), KeyIdOfSeed(50));

  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, Rotate(kRoaster, 2, 51))}), StatusCode::kPermissionDenied,
                rule::kGovOwnKeyOnly, {"may only rotate or revoke its own keys"});
  v1::GovernanceChange add;
  add.mutable_add_agent_key()->set_organisation(kGayo);
  *add.mutable_add_agent_key()->mutable_key() = KeySpec("extra", 52, true);
  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, add)}), StatusCode::kPermissionDenied, rule::kGovOwnKeyOnly, {});
}

TEST(GovernanceTest, ARevokedKeysNextEventIsRefusedNamingTheRevocation) {
  GovChain chain;
  const int64_t since = testing::kT0 - testing::kDayMs;
  v1::SignedEvent revoke = chain.OwnKey(kGayo, Revoke(kGayo, KeyIdOfSeed(1), since));
  const v1::SignedEvent last = chain.Commission(kGayo, 1);
  chain.MustBlock({revoke, last});  // still in force in this block
  chain.MustBlock({last, revoke});  // sent again: already there, not refused (and changes nothing)
  ExpectRefusal(chain.Block({chain.Commission(kGayo, 1)}), StatusCode::kPermissionDenied, rule::kSignerRevoked,
                {"signer key " + KeyIdOfSeed(1) + " (clerk of koperasi-gayo) was revoked at block 1",
                 "by governance entry " + IdOf(revoke), "compromised since " + epcis::FormatRfc3339Ms(since)});
  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, Revoke(kGayo, KeyIdOfSeed(1)))}), StatusCode::kInvalid,
                rule::kGovKeyRevoked, {"already revoked"});
  // A quorum revokes another organisation's key too.
  v1::SignedEvent by_quorum = chain.Propose(kGayo, Revoke(kRoaster, KeyIdOfSeed(2)));
  chain.MustBlock({by_quorum, chain.Approve(kTrucks, IdOf(by_quorum)), chain.Approve(kCertifier, IdOf(by_quorum))});
  ExpectRefusal(chain.Block({chain.Commission(kRoaster, 2)}), StatusCode::kPermissionDenied, rule::kSignerRevoked, {});
}

TEST(GovernanceTest, AStolenKeyIsRevokedAndReplacedInOneStepWithoutApprovals) {
  GovChain chain;
  v1::GovernanceChange change = Revoke(kGayo, KeyIdOfSeed(1), testing::kT0);
  *change.mutable_revoke_agent_key()->mutable_replacement() = KeySpec("clerk-new", 60, false);
  chain.MustBlock({chain.OwnKey(kGayo, change)});
  ExpectRefusal(chain.Block({chain.Commission(kGayo, 1)}), StatusCode::kPermissionDenied, rule::kSignerRevoked, {});
  chain.MustBlock({chain.Commission(kGayo, 60)});
  const std::shared_ptr<const Membership> members = chain.Members();
  EXPECT_EQ(members->FindKey(KeyIdOfSeed(1))->key->replaced_by_key_id(), KeyIdOfSeed(60));
  EXPECT_EQ(DescribeChange(change), "revoke key " + KeyIdOfSeed(1) + " of koperasi-gayo, compromised since " +
                                        epcis::FormatRfc3339Ms(testing::kT0) + ", replaced by clerk-new (" +
                                        KeyIdOfSeed(60) + ")");
  // The replacement is a new key like any other: not one some organisation has.
  v1::GovernanceChange reuse = Revoke(kGayo, KeyIdOfSeed(21));
  *reuse.mutable_revoke_agent_key()->mutable_replacement() = KeySpec("taken", 2, false);
  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, reuse)}), StatusCode::kAlreadyExists, rule::kGovKeyExists, {});
}

// Review of issue 13: a thief's entry right behind the owner's revocation in the same block took
// the organisation over (the signer was judged only by the membership at the block's start).
TEST(GovernanceTest, AKeyRevokedEarlierInTheBlockActsNoMore) {
  GovChain chain;
  v1::GovernanceChange owner = Revoke(kGayo, crypto::KeyId(AdminKey(kGayo).public_key()));
  *owner.mutable_revoke_agent_key()->mutable_replacement() = KeySpec("admin-2", 61, true);
  v1::GovernanceChange thief = Revoke(kGayo, KeyIdOfSeed(61));
  *thief.mutable_revoke_agent_key()->mutable_replacement() = KeySpec("thief", 62, true);
  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, owner), chain.OwnKey(kGayo, thief)}), StatusCode::kPermissionDenied,
                rule::kSignerRevoked, {"earlier in this block"});
  chain.MustBlock({chain.OwnKey(kGayo, owner)});
  // The replacement inherits the admin flag it stands in for; no own-key change locks an
  // organisation out of its own governance.
  EXPECT_TRUE(chain.Members()->FindKey(KeyIdOfSeed(61)).has_value());
  v1::GovernanceTx lock_out;
  *lock_out.mutable_own_key() = Revoke(kGayo, KeyIdOfSeed(61));
  ExpectRefusal(chain.Block({chain.Signed(KeyFromSeed(61), lock_out)}), StatusCode::kInvalid,
                rule::kGovLastOrganisation, {"would have no active admin key left"});
}

// Review of issue 13: another member re-signed an approval's bytes and took it as its own.
TEST(GovernanceTest, AnEntryActsOnlyForTheSignersOrganisation) {
  GovChain chain;
  v1::SignedEvent proposal = chain.Propose(kGayo, AddBaru());
  chain.MustBlock({proposal});
  v1::GovernanceTx approve;
  approve.set_approve(IdOf(proposal));
  approve.set_organisation(kRoaster);
  ExpectRefusal(chain.Block({chain.Signed(AdminKey(kTrucks), approve)}), StatusCode::kPermissionDenied,
                rule::kGovNotAdmin, {"acts for organisation \"roaster-bandung\" but is signed by a key of logistik-jaya"});
}

// Review of issue 13: a retired key was "replaced" into a new active key without approvals.
TEST(GovernanceTest, OnlyAnActiveKeyIsReplaced) {
  GovChain chain;
  v1::GovernanceChange revive = Revoke(kGayo, KeyIdOfSeed(9));  // inactive in the genesis
  *revive.mutable_revoke_agent_key()->mutable_replacement() = KeySpec("revived", 63, true);
  ExpectRefusal(chain.Block({chain.OwnKey(kGayo, revive)}), StatusCode::kInvalid, rule::kGovKeyNotActive,
                {"only an active key is replaced"});
}

// Review of issue 13: approvals enough once a member was suspended, yet every further approval
// was refused as repeated, so the proposal could only expire.
TEST(GovernanceTest, ARepeatedApprovalAppliesAProposalWhoseApprovalsNowSuffice) {
  GovChain chain;
  v1::SignedEvent join = chain.Propose(kGayo, AddBaru());
  chain.MustBlock({join, chain.Approve(kRoaster, IdOf(join))});  // 2 of 3
  v1::SignedEvent suspend = chain.Propose(kGayo, OrgStatus(kAuditor, v1::ORGANISATION_SUSPENDED));
  chain.MustBlock({suspend, chain.Approve(kRoaster, IdOf(suspend)), chain.Approve(kTrucks, IdOf(suspend))});
  EXPECT_EQ(chain.Members()->RequiredApprovals(), 2u);
  EXPECT_EQ(chain.Proposal(IdOf(join)).status(), v1::PROPOSAL_OPEN);
  chain.MustBlock({chain.Approve(kRoaster, IdOf(join))});
  EXPECT_EQ(chain.Proposal(IdOf(join)).status(), v1::PROPOSAL_APPLIED);
}

TEST(GovernanceTest, ASuspendedOrganisationSignsNothingAndIsNotCounted) {
  GovChain chain;
  v1::SignedEvent suspend = chain.Propose(kGayo, OrgStatus(kTrucks, v1::ORGANISATION_SUSPENDED));
  chain.MustBlock({suspend, chain.Approve(kRoaster, IdOf(suspend)), chain.Approve(kCertifier, IdOf(suspend))});
  EXPECT_EQ(chain.Members()->ActiveOrganisations(), 4u);
  EXPECT_EQ(chain.Members()->RequiredApprovals(), 2u);
  v1::SignedEvent reinstate = chain.Propose(kGayo, OrgStatus(kTrucks, v1::ORGANISATION_ACTIVE));
  chain.MustBlock({reinstate});
  ExpectRefusal(chain.Block({chain.Approve(kTrucks, IdOf(reinstate))}), StatusCode::kPermissionDenied,
                rule::kSignerSuspended, {"organisation logistik-jaya is suspended"});
  chain.MustBlock({chain.Approve(kRoaster, IdOf(reinstate))});
  EXPECT_EQ(chain.Proposal(IdOf(reinstate)).status(), v1::PROPOSAL_APPLIED);
  EXPECT_EQ(chain.Members()->ActiveOrganisations(), 5u);

  v1::SignedEvent remove = chain.Propose(kGayo, OrgStatus(kAuditor, v1::ORGANISATION_REMOVED));
  chain.MustBlock({remove, chain.Approve(kRoaster, IdOf(remove)), chain.Approve(kTrucks, IdOf(remove))});
  ExpectRefusal(chain.Block({chain.Propose(kGayo, OrgStatus(kAuditor, v1::ORGANISATION_ACTIVE))}), StatusCode::kInvalid,
                rule::kGovOrgRemoved, {"was removed from the network and changes no more"});
  v1::GovernanceChange again = AddBaru();
  again.mutable_add_organisation()->set_id(kAuditor);
  ExpectRefusal(chain.Block({chain.Propose(kGayo, again)}), StatusCode::kAlreadyExists, rule::kGovOrgExists,
                {"removed: ids are not reused"});
}

TEST(GovernanceTest, RolesThresholdAndYieldChangeByGovernance) {
  GovChain chain;
  ExpectRefusal(chain.Block({chain.Commission(kTrucks, 3)}), StatusCode::kPermissionDenied, rule::kSignerRole, {});
  v1::GovernanceChange roles;
  roles.mutable_set_roles()->set_organisation(kTrucks);
  roles.mutable_set_roles()->add_roles("producer");
  roles.mutable_set_roles()->add_roles("logistics");
  v1::GovernanceChange threshold;
  threshold.mutable_set_threshold()->set_threshold_micros(1'000'000);
  v1::GovernanceChange yield;
  yield.mutable_set_max_yield()->set_product("roasted");
  yield.mutable_set_max_yield()->set_max_yield_micros(900'000);
  for (const v1::GovernanceChange& change : {roles, threshold, yield}) {
    v1::SignedEvent p = chain.Propose(kGayo, change);
    std::vector<v1::SignedEvent> block = {p};
    for (const char* org : {kRoaster, kCertifier, kAuditor, kTrucks}) {
      if (chain.Members()->RequiredApprovals() > block.size()) block.push_back(chain.Approve(org, IdOf(p)));
    }
    chain.MustBlock(block);
    EXPECT_EQ(chain.Proposal(IdOf(p)).status(), v1::PROPOSAL_APPLIED) << DescribeChange(change);
  }
  chain.MustBlock({chain.Commission(kTrucks, 3)});
  std::shared_ptr<const Membership> members = chain.Members();
  EXPECT_EQ(members->RequiredApprovals(), 5u);
  EXPECT_EQ(members->MaxYield("roasted").ToString(), "0.9");
  EXPECT_EQ(DescribeChange(yield), "set the max yield of roasted to 0.9");
  EXPECT_EQ(DescribeChange(roles), "set the roles of logistik-jaya to producer, logistics");
}

TEST(GovernanceTest, TheSameEntryTwiceChangesNothing) {
  GovChain chain;
  v1::SignedEvent proposal = chain.Propose(kGayo, AddBaru());
  chain.MustBlock({proposal});
  const std::string before = chain.store().Get(Table::kState, keys::ProposalKey(IdOf(proposal)))->value_or("");
  chain.MustBlock({proposal});
  EXPECT_EQ(chain.store().Get(Table::kState, keys::ProposalKey(IdOf(proposal)))->value_or(""), before);
  EXPECT_EQ(ReadProposals(chain.store(), 10)->size(), 1u);
}

TEST(GovernanceTest, TheStoredMembershipIsReadBackOrRefusedByVersion) {
  GovChain chain;
  chain.MustBlock({chain.OwnKey(kGayo, Rotate(kGayo, 1, 50))});
  auto stored = chain.store().Get(Table::kState, keys::MembershipKey());
  ASSERT_TRUE(stored.ok() && stored->has_value());
  v1::MembershipRecord record;
  ASSERT_TRUE(record.ParseFromString(**stored));
  EXPECT_EQ(record.changed_at_height(), 1u);
  EXPECT_EQ(record.organisations_size(), 5);
  record.set_format_version(2);
  auto refused = Membership::FromRecord(record);
  EXPECT_EQ(refused.status().code(), StatusCode::kCorruption);
  EXPECT_NE(refused.status().message().find("format version 2; this program reads version 1"), std::string::npos);
}

}  // namespace
}  // namespace jejak::ledger
