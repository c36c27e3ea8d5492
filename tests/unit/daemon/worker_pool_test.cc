#include "node/daemon/worker_pool.h"

#include <atomic>
#include <gtest/gtest.h>
#include <thread>
#include <vector>

namespace jejak::daemon {
namespace {

TEST(WorkerPoolTest, RunsEveryIndexExactlyOnce) {
  WorkerPool pool(3);
  std::vector<std::atomic<int>> hits(1000);
  pool.ParallelFor(hits.size(), [&](size_t i) { hits[i].fetch_add(1); });
  for (const auto& hit : hits) EXPECT_EQ(hit.load(), 1);
}

TEST(WorkerPoolTest, ManyCallersAtOnceAllFinish) {
  WorkerPool pool(2);
  std::atomic<int> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 8; ++c) {
    callers.emplace_back([&] { pool.ParallelFor(100, [&](size_t) { total.fetch_add(1); }); });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(total.load(), 800);
}

TEST(WorkerPoolTest, EmptyRangeDoesNothing) {
  WorkerPool pool(2);
  bool called = false;
  pool.ParallelFor(0, [&](size_t) { called = true; });
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace jejak::daemon
