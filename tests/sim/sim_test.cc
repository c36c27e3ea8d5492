// The simulator itself: a seed replays exactly, and faults are really injected.
#include <gtest/gtest.h>

#include "tests/sim/simulator.h"

namespace jejak::consensus::sim {
namespace {

TEST(SimulatorTest, ASeedReplaysExactly) {
  for (uint64_t seed : {3u, 17u, 42u}) {
    SimOptions options;
    options.seed = seed;
    const SimResult a = RunSimulation(options);
    const SimResult b = RunSimulation(options);
    EXPECT_EQ(a.ok, b.ok);
    EXPECT_EQ(a.scenario, b.scenario);
    EXPECT_EQ(a.ticks, b.ticks);
    EXPECT_EQ(a.blocks, b.blocks);
    EXPECT_EQ(a.messages, b.messages);
    EXPECT_EQ(a.faults, b.faults);
  }
}

TEST(SimulatorTest, DifferentSeedsGiveDifferentRuns) {
  SimOptions a, b;
  a.seed = 1;
  b.seed = 2;
  a.validators = b.validators = 4;
  EXPECT_NE(RunSimulation(a).scenario, RunSimulation(b).scenario);
}

TEST(SimulatorTest, FaultFreeRunDecidesEveryHeightWithLinearMessages) {
  SimOptions options;
  options.faults = false;
  options.validators = 4;
  options.stop_height = 10;
  const SimResult r = RunSimulation(options);
  EXPECT_TRUE(r.ok) << r.violation;
  EXPECT_GE(r.blocks, 10u);
  EXPECT_TRUE(r.faults.empty());
  // One proposal and two votes per validator per height, to 3 peers each: 3 + 2*4*3 = 27, plus
  // at most one decision per peer answering a vote that arrived after we decided: 30.
  EXPECT_LE(r.messages, 30u * r.blocks + 30u);
}

TEST(SimulatorTest, HostileRunsInjectTheAttacksOnLocking) {
  SimOptions options;
  options.hostile = true;
  options.validators = 4;
  uint64_t amnesia = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    options.seed = seed;
    const SimResult r = RunSimulation(options);
    EXPECT_TRUE(r.ok) << "seed " << seed << ": " << r.violation;
    if (r.faults.count("amnesia_vote")) amnesia += r.faults.at("amnesia_vote");
  }
  EXPECT_GT(amnesia, 0u);
}

}  // namespace
}  // namespace jejak::consensus::sim
