// The node's EventChecker: ledger::CheckSignedEvent on the worker pool, each signature once.
#include "node/daemon/event_checker.h"

#include <gtest/gtest.h>

#include "tests/unit/ledger/test_support.h"

namespace jejak::daemon {
namespace {

// Signatures are verified once per node: when an event is admitted (submission, gossip) or first
// seen in a block.
TEST(PooledEventCheckerTest, SignaturesAndIdsAlreadyKnownAreNotComputedAgain) {
  const ledger::Genesis genesis = ledger::testing::TestGenesis();
  WorkerPool workers(2);
  VerifiedCache verified;
  PooledEventChecker checker(genesis, workers, verified);
  const std::shared_ptr<const ledger::Membership> keys = ledger::Membership::FromGenesis(genesis);
  ledger::testing::Events events;
  v1::SignedEvent event =
      ledger::testing::Sign(ledger::testing::kGayo, events.Commission("urn:jejak:lot:koperasi-gayo:h-4", 1));
  std::vector<std::string> ids;
  const v1::SignedEvent* one[] = {&event};
  std::vector<Status> checks = checker.Check(one, *keys, &ids);
  ASSERT_TRUE(checks[0].ok()) << checks[0].ToString();
  // What was verified is remembered with its ledger id.
  v1::Event parsed;
  ASSERT_TRUE(parsed.ParseFromString(event.event_bytes()));
  EXPECT_EQ(ids[0], ledger::LedgerEventId(parsed).value());
  EXPECT_EQ(verified.Find(VerifiedCache::Key(event)), ids[0]);
  // The same event with a broken signature: refused with its rule unless the cache says it was
  // verified, which shows the checker consults the cache rather than verifying again...
  v1::SignedEvent forged = event;
  forged.mutable_signature()->at(0) ^= 1;
  const v1::SignedEvent* bad[] = {&forged};
  checks = checker.Check(bad, *keys, &ids);
  ASSERT_FALSE(checks[0].ok());
  EXPECT_FALSE(checks[0].rule_code().empty()) << checks[0].ToString();
  // ...and a marker in place of the remembered id shows the id is not computed again either.
  verified.Insert(VerifiedCache::Key(forged), "remembered-id");
  checks = checker.Check(bad, *keys, &ids);
  EXPECT_TRUE(checks[0].ok());
  EXPECT_EQ(ids, std::vector<std::string>{"remembered-id"});
}

}  // namespace
}  // namespace jejak::daemon
