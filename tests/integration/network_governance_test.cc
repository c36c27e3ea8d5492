// Governance between real jejakd processes: an organisation joins by the approvals of the others
// while events flow and a validator is killed; a revoked key is refused by every node; an observer
// started afterwards syncs from genesis through the changes.
#include <gtest/gtest.h>

#include "node/ledger/governance.h"
#include "node/ledger/membership.h"
#include "node/ledger/rule_codes.h"
#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;

class GovernanceNetworkTest : public NetworkFixture {
 protected:
  v1::SignedEvent Governance(const std::string& org, v1::GovernanceTx tx) {
    Result<crypto::PrivateKey> admin = crypto::PrivateKey::LoadPem(Home(nodes()[0]) + "/keys/admin/" + org + ".pem");
    EXPECT_TRUE(admin.ok()) << admin.status().ToString();
    tx.set_format_version(ledger::kGovernanceFormatVersion);
    tx.set_organisation(org);
    tx.set_issued_at_ms(++issued_ms_);
    Result<v1::SignedEvent> entry = ledger::SignGovernance(*admin, chain_id_, tx);
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return *entry;
  }
  // Submits one entry to `node` and waits for its commit (retrying while a node restarts).
  void Commit(const std::string& node, const v1::SignedEvent& entry) {
    Result<v1::SubmitEventsResponse> response = Status::Unavailable("not tried");
    ASSERT_TRUE(WaitFor(
        [&] {
          response = Client(node)->SubmitEvents({entry});
          return response.ok() || response.status().IsInputFault();
        },
        30s));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
  }
  std::shared_ptr<const ledger::Membership> MembershipOf(const std::string& node) {
    Result<v1::GetGovernanceResponse> state = Client(node)->GetGovernance();
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    if (!state.ok()) return nullptr;
    Result<std::shared_ptr<const ledger::Membership>> m = ledger::Membership::FromRecord(state->membership());
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : nullptr;
  }
  uint64_t MaxHeight() {
    uint64_t best = 0;
    for (const std::string& node : RunningNodes()) {
      Result<uint64_t> height = Height(node);
      if (height.ok()) best = std::max(best, *height);
    }
    return best;
  }
  int64_t issued_ms_ = 1'770'000'000'000;
};

v1::GovernanceChange AddBaru(const crypto::PrivateKey& admin, const crypto::PrivateKey& clerk) {
  v1::GovernanceChange change;
  v1::OrganisationSpec* org = change.mutable_add_organisation();
  org->set_id("baru");
  org->set_name("Koperasi Baru");
  org->add_roles("producer");
  v1::AgentKeySpec* a = org->add_agent_keys();
  a->set_name("admin");
  a->set_public_key(admin.public_key());
  a->set_admin(true);
  v1::AgentKeySpec* c = org->add_agent_keys();
  c->set_name("clerk");
  c->set_public_key(clerk.public_key());
  return change;
}

TEST_F(GovernanceNetworkTest, AnOrganisationJoinsUnderLoadAcrossACrashAndARevokedKeyIsRefusedEverywhere) {
  NetworkOptions options;
  options.observers = 1;
  options.start = false;
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork(options));
  for (const std::string& v : validators()) Start(v);
  LoadGenerator load(this, validators());
  ASSERT_TRUE(WaitFor([&] { return load.acknowledged() >= 3; }, 30s)) << "no commits";

  const crypto::PrivateKey baru_admin = ledger::testing::KeyFromSeed(40);
  const crypto::PrivateKey baru_clerk = ledger::testing::KeyFromSeed(41);
  v1::GovernanceTx propose;
  *propose.mutable_propose() = AddBaru(baru_admin, baru_clerk);
  const v1::SignedEvent proposal = Governance("gayo", propose);
  const std::string id = ledger::GovernanceEntryId(proposal.governance_bytes());
  ASSERT_NO_FATAL_FAILURE(Commit("validator-1", proposal));

  Kill("validator-4");  // during the change: it learns of it by block sync
  v1::GovernanceTx approve;
  approve.set_approve(id);
  ASSERT_NO_FATAL_FAILURE(Commit("validator-2", Governance("roaster", approve)));
  ASSERT_NO_FATAL_FAILURE(Commit("validator-3", Governance("buyer", approve)));
  Start("validator-4");

  // Baru's clerk records through the restarted validator once it has caught up.
  ledger::testing::Events events;
  Result<v1::SignedEvent> baru_event =
      ledger::SignEvent(baru_clerk, chain_id_, events.Commission("urn:jejak:lot:baru:first", 10));
  ASSERT_TRUE(baru_event.ok());
  Result<v1::SubmitEventsResponse> recorded = Status::Unavailable("not tried");
  ASSERT_TRUE(WaitFor(
      [&] {
        recorded = Submit("validator-4", {*baru_event});
        return recorded.ok();
      },
      30s))
      << recorded.status().ToString() << "\n" << Log("validator-4");

  // Roaster revokes its clerk's key at once (a stolen laptop); every node refuses its next event.
  const std::string roaster_clerk = crypto::KeyId(org_keys_.at("roaster").public_key());
  v1::GovernanceTx revoke;
  revoke.mutable_own_key()->mutable_revoke_agent_key()->set_organisation("roaster");
  revoke.mutable_own_key()->mutable_revoke_agent_key()->set_key_id(roaster_clerk);
  const v1::SignedEvent revocation = Governance("roaster", revoke);
  ASSERT_NO_FATAL_FAILURE(Commit("validator-2", revocation));
  load.StopAndJoin();
  const uint64_t height = MaxHeight();
  ASSERT_TRUE(WaitForHeight(validators(), height, 30s));
  for (const std::string& v : validators()) {
    Result<v1::SubmitEventsResponse> refused =
        Submit(v, {Sign("roaster", events.Commission("urn:jejak:lot:roaster:stolen-" + v, 1))});
    ASSERT_FALSE(refused.ok()) << v << " took an event signed by a revoked key";
    EXPECT_EQ(refused.status().rule_code(), ledger::rule::kSignerRevoked) << v << ": " << refused.status().ToString();
    EXPECT_NE(refused.status().message().find(ledger::GovernanceEntryId(revocation.governance_bytes())),
              std::string::npos)
        << refused.status().ToString();
  }

  // An observer started now syncs from genesis through the changes.
  Start("observer-1");
  ASSERT_TRUE(WaitForHeight({"observer-1"}, height, 30s)) << Log("observer-1");
  for (const std::string& node : nodes()) {
    std::shared_ptr<const ledger::Membership> members = MembershipOf(node);
    ASSERT_NE(members, nullptr);
    const v1::OrganisationRecord* baru = members->FindOrganisationRecord("baru");
    ASSERT_NE(baru, nullptr) << node;
    EXPECT_EQ(baru->status(), v1::ORGANISATION_ACTIVE) << node;
    EXPECT_EQ(members->FindKey(roaster_clerk)->key->status(), v1::AGENT_KEY_REVOKED) << node;
    Result<v1::EventList> history = Client(node)->LotHistory("urn:jejak:lot:baru:first");
    ASSERT_TRUE(history.ok()) << node << ": " << history.status().ToString();
    EXPECT_EQ(history->events_size(), 1) << node;
  }
  ExpectSameBlocks(nodes(), height);
}

}  // namespace
}  // namespace jejak::testing
