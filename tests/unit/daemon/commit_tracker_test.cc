#include "node/daemon/commit_tracker.h"

#include <gtest/gtest.h>
#include <thread>

namespace jejak::daemon {
namespace {

using Clock = std::chrono::steady_clock;

TEST(CommitTrackerTest, WaiterSeesCommitsAndRejections) {
  CommitTracker tracker(10);
  ASSERT_TRUE(tracker.Track({"a", "b"}).ok());
  std::thread apply([&] {
    tracker.Committed("a", 7);
    tracker.Rejected("b", Status::Invalid("lot x was already commissioned"));
  });
  std::vector<CommitOutcome> outcomes = tracker.Wait({"a", "b"}, Clock::now() + std::chrono::hours(1));
  apply.join();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_EQ(outcomes[0].height, 7u);
  EXPECT_EQ(outcomes[1].status.code(), StatusCode::kInvalid);
}

TEST(CommitTrackerTest, DeadlineLeavesOpenEventsUnavailable) {
  CommitTracker tracker(10);
  ASSERT_TRUE(tracker.Track({"a", "b"}).ok());
  tracker.Committed("a", 1);
  std::vector<CommitOutcome> outcomes = tracker.Wait({"a", "b"}, Clock::now());
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_EQ(outcomes[1].status.code(), StatusCode::kUnavailable);
  // Forgotten after the wait: a late commit changes nothing and the slot is free again.
  tracker.Committed("b", 2);
  EXPECT_TRUE(tracker.Track(std::vector<std::string>(10, "c")).ok());
}

TEST(CommitTrackerTest, BoundedNumberOfAwaitedEvents) {
  CommitTracker tracker(2);
  ASSERT_TRUE(tracker.Track({"a", "b"}).ok());
  EXPECT_EQ(tracker.Track({"c"}).code(), StatusCode::kResourceExhausted);
}

TEST(CommitTrackerTest, TwoWaitersForOneEventBothSeeIt) {
  CommitTracker tracker(10);
  ASSERT_TRUE(tracker.Track({"a"}).ok());
  ASSERT_TRUE(tracker.Track({"a"}).ok());
  tracker.Committed("a", 3);
  EXPECT_EQ(tracker.Wait({"a"}, Clock::now())[0].height, 3u);
  EXPECT_EQ(tracker.Wait({"a"}, Clock::now())[0].height, 3u);
}

TEST(CommitTrackerTest, ShutdownWakesWaiters) {
  CommitTracker tracker(10);
  ASSERT_TRUE(tracker.Track({"a"}).ok());
  std::thread stopper([&] { tracker.Shutdown(); });
  std::vector<CommitOutcome> outcomes = tracker.Wait({"a"}, Clock::now() + std::chrono::hours(1));
  stopper.join();
  EXPECT_EQ(outcomes[0].status.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jejak::daemon
