// Proof bundles carry the governance entries behind every membership change: the verifier
// replays them from the genesis, judges each event's signer by the keys in force at its block,
// and shows a later revocation.
#include <gtest/gtest.h>

#include "node/ledger/governance.h"
#include "node/ledger/proof_verify.h"
#include "tests/unit/ledger/proof_chain.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

constexpr const char* kLotA = "urn:jejak:lot:koperasi-gayo:a";
constexpr const char* kLotB = "urn:jejak:lot:baru:b";

class ProofGovernanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Commit({Sign(kGayo, events_.Commission(kLotA, 100))});  // 1: by gayo's clerk (seed 1)
    v1::GovernanceChange join;
    v1::OrganisationSpec* org = join.mutable_add_organisation();
    org->set_id("baru");
    org->set_name("Koperasi Baru");
    org->add_roles("producer");
    v1::AgentKeySpec* admin = org->add_agent_keys();
    admin->set_name("admin");
    admin->set_public_key(KeyFromSeed(40).public_key());
    admin->set_admin(true);
    v1::AgentKeySpec* clerk = org->add_agent_keys();
    clerk->set_name("clerk");
    clerk->set_public_key(KeyFromSeed(41).public_key());
    v1::GovernanceTx propose;
    *propose.mutable_propose() = join;
    const v1::SignedEvent proposal = Governance(21, propose);  // gayo's admin
    proposal_id_ = GovernanceEntryId(proposal.governance_bytes());
    Commit({proposal});  // 2
    v1::GovernanceTx approve;
    approve.set_approve(proposal_id_);
    Commit({Governance(22, approve), Governance(23, approve)});  // 3: roaster, trucks: applied
    auto b = SignEvent(KeyFromSeed(41), chain_.genesis().chain_id, events_.Commission(kLotB, 10));
    ASSERT_TRUE(b.ok());
    Commit({*b});  // 4
    // 5: gayo revokes its clerk's key, reported stolen since before lot a was commissioned.
    v1::GovernanceTx revoke;
    revoke.mutable_own_key()->mutable_revoke_agent_key()->set_organisation(kGayo);
    revoke.mutable_own_key()->mutable_revoke_agent_key()->set_key_id(crypto::KeyId(KeyFromSeed(1).public_key()));
    revoke.mutable_own_key()->mutable_revoke_agent_key()->set_compromised_since_ms(kT0);
    Commit({Governance(21, revoke)});
  }
  v1::SignedEvent Governance(uint8_t admin_seed, v1::GovernanceTx tx) {
    tx.set_format_version(kGovernanceFormatVersion);
    static const std::map<uint8_t, std::string> orgs = {{21, kGayo}, {22, kRoaster}, {23, kTrucks}, {3, kTrucks}};
    tx.set_organisation(orgs.at(admin_seed));
    tx.set_issued_at_ms(++issued_ms_);
    auto entry = SignGovernance(KeyFromSeed(admin_seed), chain_.genesis().chain_id, tx);
    EXPECT_TRUE(entry.ok());
    return *entry;
  }
  void Commit(const std::vector<v1::SignedEvent>& entries) {
    Status s = chain_.Commit(entries, events_.now_ms() + 1000);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  ProofBundle Build(const std::string& lot) {
    auto bundle = BuildProofBundle(chain_.genesis(), chain_.state(), chain_, lot);
    EXPECT_TRUE(bundle.ok()) << bundle.status().ToString();
    return bundle.ok() ? *bundle : ProofBundle();
  }
  Result<VerifiedTrace> Verify(const ProofBundle& bundle) {
    // Through the JSON form, as a buyer reads it.
    return VerifyProofBundle(chain_.genesis(), ProofBundleToJson(bundle));
  }
  void ExpectFails(const ProofBundle& bundle, const std::string& needle) {
    auto trace = Verify(bundle);
    ASSERT_FALSE(trace.ok()) << "tampered bundle verified; wanted: " << needle;
    EXPECT_NE(trace.status().message().find(needle), std::string::npos) << trace.status().ToString();
  }

  CertifiedChain chain_{FourValidatorGenesis(), ValidatorKeys(), 3};
  Events events_;
  std::string proposal_id_;
  int64_t issued_ms_ = kT0;
};

TEST_F(ProofGovernanceTest, AnEventOfAMemberAdmittedByGovernanceVerifiesFromTheGenesisAlone) {
  ProofBundle bundle = Build(kLotB);
  ASSERT_EQ(bundle.governance.size(), 4u);  // the proposal, its two approvals, the revocation
  EXPECT_EQ(bundle.governance[0].event_id, proposal_id_);
  auto trace = Verify(bundle);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_EQ(trace->governance_entries, 4u);
  ASSERT_EQ(trace->steps.size(), 1u);
  EXPECT_EQ(trace->steps[0].organisation, "baru");
  EXPECT_TRUE(trace->steps[0].signer_key_revoked.empty());

  ProofBundle without = bundle;
  without.governance.clear();
  ExpectFails(without, "[signer-unknown]");
}

TEST_F(ProofGovernanceTest, ALaterRevocationAsCompromisedIsShownOnTheEventsTheKeySigned) {
  auto trace = Verify(Build(kLotA));
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  ASSERT_EQ(trace->steps.size(), 1u);
  const VerifiedStep& step = trace->steps[0];
  EXPECT_TRUE(step.signer_key_compromised);
  EXPECT_NE(step.signer_key_revoked.find("was revoked at block 5"), std::string::npos) << step.signer_key_revoked;
  EXPECT_NE(step.signer_key_revoked.find("compromised since " + epcis::FormatRfc3339Ms(kT0)), std::string::npos);
  EXPECT_EQ(trace->compromised_steps, 1u);
}

TEST_F(ProofGovernanceTest, TamperedGovernanceFailsNamingTheEntry) {
  const ProofBundle good = Build(kLotB);
  ProofBundle b = good;
  b.governance.erase(b.governance.begin() + 2);  // one approval short: baru never joined
  ExpectFails(b, "[signer-unknown]");
  b = good;
  std::swap(b.governance[0], b.governance[1]);
  ExpectFails(b, "chain order");
  b = good;
  b.governance[1].signed_event.mutable_governance_bytes()->back() ^= 1;
  ExpectFails(b, "governance[1] (" + good.governance[1].event_id + "): the signed bytes are not the governance entry");
  b = good;
  ASSERT_EQ(b.governance[1].path.size(), 1u);  // block 3 holds the two approvals
  b.governance[1].path[0][0] ^= 1;
  ExpectFails(b, "governance[1]");
  b = good;
  // An entry signed by a key that is not an admin key, placed where a real one was.
  v1::GovernanceTx approve;
  approve.set_approve(proposal_id_);
  v1::SignedEvent forged = Governance(3, approve);  // trucks' clerk
  b.governance[2].signed_event = forged;
  b.governance[2].event_id = GovernanceEntryId(forged.governance_bytes());
  ExpectFails(b, "governance[2]");
}

}  // namespace
}  // namespace jejak::ledger
