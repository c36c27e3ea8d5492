#include "node/replica/mempool.h"

#include <gtest/gtest.h>

namespace jejak::replica {
namespace {

PendingEvent Pending(const std::string& id) {
  PendingEvent event;
  event.event_id = id;
  event.signed_event.set_signer_key_id("k");
  return event;
}

TEST(MempoolTest, KeepsArrivalOrderAndEachEventOnce) {
  Mempool pool(10);
  ASSERT_TRUE(pool.Add(Pending("b")).ok());
  ASSERT_TRUE(pool.Add(Pending("a")).ok());
  ASSERT_TRUE(pool.Add(Pending("b")).ok());
  EXPECT_EQ(pool.size(), 2u);
  std::vector<PendingEvent> first = pool.Peek(1);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].event_id, "b");
  EXPECT_EQ(pool.Peek(10).size(), 2u);
}

TEST(MempoolTest, FullPoolRefusesWithResourceExhausted) {
  Mempool pool(2);
  ASSERT_TRUE(pool.Add(Pending("a")).ok());
  ASSERT_TRUE(pool.Add(Pending("b")).ok());
  Status full = pool.Add(Pending("c"));
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(pool.Contains("c"));
  pool.Remove({"a"});
  EXPECT_TRUE(pool.Add(Pending("c")).ok());
  EXPECT_EQ(pool.Peek(5)[0].event_id, "b");
}

TEST(MempoolTest, RemoveForgetsOnlyTheNamedEvents) {
  Mempool pool(10);
  for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(pool.Add(Pending(id)).ok());
  pool.Remove({"b", "unknown"});
  std::vector<PendingEvent> left = pool.Peek(10);
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].event_id, "a");
  EXPECT_EQ(left[1].event_id, "c");
  EXPECT_FALSE(pool.Contains("b"));
}

}  // namespace
}  // namespace jejak::replica
