// Crash safety: a child process commits blocks and is killed with SIGKILL at varying points; the
// reopened store must hold every reported block and, for every height, all of its writes or none.
//
// The child is this test binary re-executed (fork + exec) with one test selected, so it starts as a
// fresh single-threaded process rather than a fork of a process that may run RocksDB threads.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "node/storage/store.h"
#include "tests/unit/storage/store_test_util.h"

namespace jejak::storage {
namespace {

using ledger::Table;
using namespace testing_util;

constexpr char kChildDirEnv[] = "JEJAK_STORAGE_CRASH_CHILD_DIR";
constexpr char kChildFdEnv[] = "JEJAK_STORAGE_CRASH_CHILD_FD";
constexpr uint64_t kChildFailed = UINT64_MAX;
constexpr uint64_t kChildMaxBlocks = 20000;  // the child stops by itself even if never killed
constexpr int kReadTimeoutMs = 60000;        // a safety bound only; the pipe synchronises

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// The child: commits deterministic blocks after the head and reports each height once durable.
// It is this test binary re-executed with the two variables set, and runs before gtest's main
// (from a static initialiser below), so it is not a test of its own.
void RunCrashChild(const char* dir, const char* fd_text) {
  const int fd = std::atoi(fd_text);
  Result<std::unique_ptr<Store>> store = Store::Open(dir, SmallOptions());
  if (!store.ok()) {
    WriteAll(fd, &kChildFailed, sizeof kChildFailed);
    _exit(2);
  }
  const uint64_t first = (*store)->head_height() + 1;
  for (uint64_t h = first; h < first + kChildMaxBlocks; ++h) {
    const int events = 1 + static_cast<int>(h % 3);
    if (!(*store)->CommitBlock(MakeBlock(h, events), MakeCertificate(h), WritesForHeight(h)).ok() ||
        !WriteAll(fd, &h, sizeof h)) {
      WriteAll(fd, &kChildFailed, sizeof kChildFailed);
      _exit(3);
    }
  }
  _exit(0);
}

const bool kRanAsCrashChild = [] {
  const char* dir = std::getenv(kChildDirEnv);
  const char* fd_text = std::getenv(kChildFdEnv);
  if (dir != nullptr && fd_text != nullptr) RunCrashChild(dir, fd_text);  // never returns
  return false;
}();

// Kills and reaps the child however the test leaves the scope.
struct ChildGuard {
  pid_t pid = -1;
  int read_fd = -1;
  int status = 0;
  void KillAndWait() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      pid = -1;
    }
    if (read_fd >= 0) close(read_fd);
    read_fd = -1;
  }
  ~ChildGuard() { KillAndWait(); }
};

// Starts the child on `dir`; returns false (with a test failure) if it cannot.
bool StartChild(const std::string& dir, ChildGuard* child) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed: errno " << errno;
    return false;
  }
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  const std::string dir_env = std::string(kChildDirEnv) + "=" + dir;
  const std::string fd_env = std::string(kChildFdEnv) + "=" + std::to_string(fds[1]);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  envp.push_back(const_cast<char*>(dir_env.c_str()));
  envp.push_back(const_cast<char*>(fd_env.c_str()));
  envp.push_back(nullptr);
  const char* argv[] = {"storage_test", "--gtest_list_tests",
                        nullptr};
  const int dev_null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a test that died
    if (getppid() != parent) _exit(4);
    if (dev_null >= 0) dup2(dev_null, STDOUT_FILENO);
    fcntl(fds[1], F_SETFD, 0);  // keep the write end across exec
    execve("/proc/self/exe", const_cast<char* const*>(argv), envp.data());
    _exit(5);
  }
  if (dev_null >= 0) close(dev_null);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    ADD_FAILURE() << "fork failed: errno " << errno;
    return false;
  }
  child->pid = pid;
  child->read_fd = fds[0];
  return true;
}

// Reads one reported height; nullopt at end of stream, timeout or error.
std::optional<uint64_t> ReadHeight(int fd) {
  uint64_t height = 0;
  size_t got = 0;
  char* p = reinterpret_cast<char*>(&height);
  while (got < sizeof height) {
    pollfd pfd{fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, kReadTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return std::nullopt;
    const ssize_t n = read(fd, p + got, sizeof height - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    got += static_cast<size_t>(n);
  }
  return height;
}

// All-or-nothing: every write of every height <= head is there, none of any height above.
void CheckStore(const std::string& dir, uint64_t last_reported) {
  Result<std::unique_ptr<Store>> opened = Store::Open(dir, SmallOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  const Store& store = **opened;
  const uint64_t head = store.head_height();
  ASSERT_GE(head, last_reported) << "a block reported as committed was lost";
  size_t expected_events = 0;
  for (uint64_t h = 1; h <= head; ++h) {
    Result<v1::Block> block = store.GetBlock(h);
    ASSERT_TRUE(block.ok()) << "height " << h << ": " << block.status().ToString();
    EXPECT_EQ(block->SerializeAsString(),
              MakeBlock(h, 1 + static_cast<int>(h % 3)).SerializeAsString());
    ASSERT_TRUE(store.GetCertificate(h).ok()) << "height " << h;
    for (int i = 0; i < EventKeysAt(h); ++i, ++expected_events) {
      Result<std::optional<std::string>> value = store.Get(Table::kEvents, EventKey(h, i));
      ASSERT_TRUE(value.ok());
      ASSERT_EQ(*value, EventValue(h, i)) << "height " << h << " write " << i << " missing";
    }
  }
  // No write of a height above the head: the events table holds exactly the expected keys.
  size_t events = 0;
  uint64_t highest = 0;
  ASSERT_TRUE(store
                  .Scan(Table::kEvents, "h/",
                        [&](std::string_view key, std::string_view) {
                          ++events;
                          highest = std::stoull(std::string(key.substr(2, 20)));
                          return true;
                        })
                  .ok());
  EXPECT_EQ(events, expected_events);
  EXPECT_LE(highest, head);
  Result<std::optional<std::string>> last = store.Get(Table::kState, "last");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, head == 0 ? std::nullopt : std::optional<std::string>(std::to_string(head)));
  std::vector<std::string> tmp_keys;
  ASSERT_TRUE(store
                  .Scan(Table::kLots, "tmp/",
                        [&](std::string_view key, std::string_view) {
                          tmp_keys.emplace_back(key);
                          return true;
                        })
                  .ok());
  EXPECT_EQ(tmp_keys, head == 0 ? std::vector<std::string>{}
                                : std::vector<std::string>{"tmp/" + Padded(head)});
  EXPECT_EQ(store.GetBlock(head + 1).status().code(), StatusCode::kNotFound);
}

TEST(StoreCrashTest, KillDuringCommitsLeavesWholeBlocks) {
  TempDir tmp;
  uint64_t last_reported = 0;
  for (int kill_after : {1, 4, 17, 40, 2}) {
    SCOPED_TRACE("killed after " + std::to_string(kill_after) + " reported heights");
    ChildGuard child;
    ASSERT_TRUE(StartChild(tmp.db(), &child));
    for (int i = 0; i < kill_after; ++i) {
      std::optional<uint64_t> height = ReadHeight(child.read_fd);
      ASSERT_TRUE(height.has_value()) << "the child stopped reporting";
      ASSERT_NE(*height, kChildFailed) << "the child failed to open or commit";
      ASSERT_EQ(*height, last_reported + 1) << "the child skipped or repeated a height";
      last_reported = *height;
    }
    child.KillAndWait();
    ASSERT_TRUE(WIFSIGNALED(child.status) && WTERMSIG(child.status) == SIGKILL)
        << "the child ended before it was killed, status " << child.status;
    CheckStore(tmp.db(), last_reported);
    if (HasFatalFailure()) return;
    // The next child continues from the recovered head, which may be above what was reported.
    Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
    ASSERT_TRUE(store.ok());
    last_reported = (*store)->head_height();
  }
}

TEST(StoreCrashTest, AnotherProcessHoldingTheDatabaseIsReported) {
  TempDir tmp;
  ChildGuard child;
  ASSERT_TRUE(StartChild(tmp.db(), &child));
  std::optional<uint64_t> height = ReadHeight(child.read_fd);
  ASSERT_TRUE(height.has_value() && *height == 1u) << "the child did not commit its first block";
  Result<std::unique_ptr<Store>> store = Store::Open(tmp.db(), SmallOptions());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable) << store.status().ToString();
  EXPECT_NE(store.status().message().find("in use by another process"), std::string::npos);
  child.KillAndWait();
  // Once the holder is gone the database opens.
  EXPECT_TRUE(Store::Open(tmp.db(), SmallOptions()).ok());
}

}  // namespace
}  // namespace jejak::storage
