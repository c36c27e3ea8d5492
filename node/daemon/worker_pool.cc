#include "node/daemon/worker_pool.h"

#include <atomic>
#include <memory>

namespace jejak::daemon {

WorkerPool::WorkerPool(size_t threads) {
  for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void WorkerPool::WorkerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void WorkerPool::ParallelFor(size_t count, const std::function<void(size_t)>& fn) {
  if (count == 0) return;
  // Work is claimed index by index from a shared counter; helpers and the caller race for it.
  struct Shared {
    std::atomic<size_t> next{0};
    std::atomic<size_t> done{0};
    std::mutex mutex;
    std::condition_variable finished;
  };
  auto shared = std::make_shared<Shared>();
  auto run = [shared, count, &fn] {
    for (size_t i = shared->next.fetch_add(1); i < count; i = shared->next.fetch_add(1)) {
      fn(i);
      if (shared->done.fetch_add(1) + 1 == count) {
        std::lock_guard lock(shared->mutex);
        shared->finished.notify_all();
      }
    }
  };
  size_t helpers = std::min(workers_.size(), count - 1);
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < helpers; ++i) tasks_.emplace_back(run);
  }
  wake_.notify_all();
  run();
  std::unique_lock lock(shared->mutex);
  shared->finished.wait(lock, [&] { return shared->done.load() == count; });
}

}  // namespace jejak::daemon
