// A proposer with nothing to propose asks again on every tick of its propose step, so a value
// that arrives in an idle network is proposed at once rather than after a round change.
#include <gtest/gtest.h>

#include "consensus/core.h"
#include "tests/sim/fakes.h"

namespace jejak::consensus::testing {
namespace {

class IdleApp : public Application {
 public:
  std::optional<Value> GetValueToPropose(uint64_t height) override {
    ++asked;
    if (!has_value) return std::nullopt;
    has_value = false;  // one value only: a lone validator would otherwise decide forever
    return MakeValue(height, "late");
  }
  bool ValidateValue(uint64_t height, const Value& value) override {
    return IsValidValue(height, value);
  }
  bool has_value = false;
  int asked = 0;
};

struct SingleValidator {
  SingleValidator() : signer(PublicKeyOf(0)) {
    core = std::make_unique<Core>(MakeConfig(0), MakeValidators(1), app, signer, verifier, 1,
                                  std::nullopt);
  }
  std::vector<Commit> Drain() {
    std::vector<Commit> committed;
    while (core->HasReady()) {
      Ready ready = core->TakeReady();
      committed.insert(committed.end(), ready.committed.begin(), ready.committed.end());
      core->Advance(ready);
    }
    return committed;
  }
  IdleApp app;
  FakeSigner signer;
  FakeVerifier verifier;
  std::unique_ptr<Core> core;
};

TEST(IdleProposerTest, ValueArrivingBeforeTheTimeoutIsProposedOnTheNextTick) {
  SingleValidator v;
  v.Drain();
  ASSERT_EQ(v.core->round(), 0);
  v.core->Tick();
  v.core->Tick();
  EXPECT_GE(v.app.asked, 3);  // at the round start, then once per tick
  EXPECT_TRUE(v.Drain().empty());
  v.app.has_value = true;
  v.core->Tick();
  std::vector<Commit> committed = v.Drain();
  ASSERT_EQ(committed.size(), 1u);
  EXPECT_EQ(committed[0].certificate.round, 0);  // no round change was needed
  EXPECT_EQ(v.core->height(), 2u);
}

TEST(IdleProposerTest, RetryingDoesNotArmMoreThanOneProposeTimeout) {
  SingleValidator v;
  v.Drain();
  size_t timers = 0;
  for (int i = 0; i < 5; ++i) {
    v.core->Tick();
    while (v.core->HasReady()) {
      Ready ready = v.core->TakeReady();
      timers += ready.timers.size();
      v.core->Advance(ready);
    }
  }
  EXPECT_EQ(timers, 0u);  // the round-start timeout was reported before; retries add none
  EXPECT_EQ(v.core->round(), 0);
}

}  // namespace
}  // namespace jejak::consensus::testing
