#include "cli/testnet_processes.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cli/cli_context.h"
#include "node/config/config.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

constexpr size_t kMaxTestnetNodes = 256;
constexpr size_t kLogTailLines = 20;
constexpr auto kPollInterval = std::chrono::milliseconds(100);

// "validator-10" after "validator-2": the name's trailing number compares as a number.
bool NaturalLess(const std::string& a, const std::string& b) {
  auto split = [](const std::string& s) {
    size_t digits = s.find_last_not_of("0123456789") + 1;
    long number = digits < s.size() ? std::strtol(s.c_str() + digits, nullptr, 10) : -1;
    return std::make_pair(s.substr(0, digits), number);
  };
  return split(a) < split(b);
}

std::string LogTail(const fs::path& home) {
  std::ifstream in(home / kTestnetLogFile);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > kLogTailLines) lines.pop_front();
  }
  std::string tail;
  for (const std::string& line : lines) tail += "\n  | " + line;
  return tail.empty() ? " (its log " + (home / kTestnetLogFile).string() + " is empty)" : tail;
}

pid_t ReadPid(const fs::path& home) {
  std::ifstream in(home / kTestnetPidFile);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return -1;
  return static_cast<pid_t>(pid);
}

// Alive and still a jejakd of this home (a pid file may outlive its process, and the pid may
// since belong to someone else: never signal that one).
bool IsNodeProcess(pid_t pid, const fs::path& home) {
  if (pid <= 1) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string stat_line;
  if (!std::getline(stat, stat_line)) return false;
  size_t paren = stat_line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat_line.size() || stat_line[paren + 2] == 'Z')
    return false;
  std::ifstream cmdline_file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)),
                      std::istreambuf_iterator<char>());
  return cmdline.find("jejakd") != std::string::npos &&
         cmdline.find(home.string()) != std::string::npos;
}

// fork + setsid + exec: the node leaves this terminal's session, so closing it or stopping this
// command does not stop the node.
Result<pid_t> SpawnDetached(const std::string& jejakd, const fs::path& home) {
  std::string log = (home / kTestnetLogFile).string(), home_arg = home.string();
  std::vector<char*> argv = {const_cast<char*>(jejakd.c_str()), const_cast<char*>("--home"),
                             home_arg.data(), nullptr};
  pid_t pid = fork();
  if (pid < 0) return Status::IoError("cannot fork to start jejakd for " + home.string());
  if (pid == 0) {
    setsid();
    int in = open("/dev/null", O_RDONLY);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(127);
    execv(argv[0], argv.data());
    _exit(127);
  }
  std::ofstream pid_file(home / kTestnetPidFile, std::ios::trunc);
  pid_file << pid << "\n";
  if (!pid_file.flush())
    return Status::IoError("cannot write " + (home / kTestnetPidFile).string());
  return pid;
}

bool Answers(const TestnetNode& node) {
  net::LedgerClient client(net::LedgerEndpoint{node.ledger_listen, node.ledger_tls_fingerprint},
                           std::chrono::milliseconds(500));
  return client.GetStatus().ok();
}

}  // namespace

Result<std::vector<TestnetNode>> ListTestnetNodes(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) return Status::NotFound(dir.string() + " is not a directory");
  std::vector<TestnetNode> nodes;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const fs::path home = entry.path();
    if (!fs::exists(home / config::kConfigFileName, error) ||
        !fs::exists(home / kGenesisFile, error))
      continue;
    if (nodes.size() == kMaxTestnetNodes)
      return Status::Invalid(dir.string() + " holds too many node homes");
    Result<config::NodeConfig> config = config::LoadNodeConfig(home.string());
    if (!config.ok()) return config.status().WithContext(home.string());
    Result<net::LedgerEndpoint> ledger = HomeLedgerEndpoint(*config);
    if (!ledger.ok()) return ledger.status().WithContext(home.string());
    nodes.push_back({home.filename().string(), home, ledger->address, ledger->tls_fingerprint,
                     config->peer_listen});
  }
  if (error) return Status::IoError("cannot list " + dir.string() + ": " + error.message());
  // Validators first, then observers.
  std::sort(nodes.begin(), nodes.end(), [](const TestnetNode& a, const TestnetNode& b) {
    if (a.peer_listen.empty() != b.peer_listen.empty()) return b.peer_listen.empty();
    return NaturalLess(a.id, b.id);
  });
  return nodes;
}

Result<std::string> FindJejakd(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (access(explicit_path.c_str(), X_OK) != 0)
      return Status::NotFound("--jejakd " + explicit_path + " is not executable");
    return fs::absolute(explicit_path).string();
  }
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    // Installed side by side, or the build tree (build/cli/jejak, build/node/server/jejakd).
    for (const fs::path& candidate : {self.parent_path() / "jejakd",
                                      self.parent_path() / ".." / "node" / "server" / "jejakd"}) {
      if (access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal().string();
    }
  }
  return Status::NotFound("cannot find jejakd beside " + self.string() + ": pass --jejakd PATH");
}

Status StartTestnetNodes(const std::vector<TestnetNode>& nodes, const std::string& jejakd,
                         std::chrono::milliseconds wait) {
  std::map<std::string, pid_t> started;  // node id -> our child
  for (const TestnetNode& node : nodes) {
    if (IsNodeProcess(ReadPid(node.home), node.home)) continue;  // already running
    Result<pid_t> pid = SpawnDetached(jejakd, node.home);
    if (!pid.ok()) return pid.status();
    started[node.id] = *pid;
  }
  std::vector<const TestnetNode*> waiting;
  for (const TestnetNode& node : nodes) waiting.push_back(&node);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const TestnetNode& node = **it;
      auto child = started.find(node.id);
      int status = 0;
      if (child != started.end() && waitpid(child->second, &status, WNOHANG) == child->second) {
        std::remove((node.home / kTestnetPidFile).c_str());
        return Status::Unavailable("node " + node.id +
                                   " exited at start; the end of its log:" + LogTail(node.home));
      }
      it = Answers(node) ? waiting.erase(it) : it + 1;
    }
    if (waiting.empty()) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Unavailable("node " + waiting.front()->id + " does not answer on " +
                                 waiting.front()->ledger_listen +
                                 "; the end of its log:" + LogTail(waiting.front()->home));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return Status::Ok();
}

Status StopTestnetNodes(const std::vector<TestnetNode>& nodes, std::chrono::milliseconds wait,
                        std::vector<std::string>* stopped) {
  std::vector<std::pair<const TestnetNode*, pid_t>> signalled;
  for (const TestnetNode& node : nodes) {
    pid_t pid = ReadPid(node.home);
    if (pid < 0) continue;
    if (IsNodeProcess(pid, node.home) && kill(pid, SIGTERM) == 0) {
      signalled.emplace_back(&node, pid);
    } else {
      std::remove((node.home / kTestnetPidFile).c_str());
      stopped->push_back(node.id + ": was not running");
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto all_gone = [&] {
    return std::none_of(signalled.begin(), signalled.end(), [](const auto& node) {
      return IsNodeProcess(node.second, node.first->home);
    });
  };
  while (!all_gone() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(kPollInterval);
  std::vector<std::string> stragglers;
  for (const auto& [node, pid] : signalled) {
    bool straggler = IsNodeProcess(pid, node->home);
    if (straggler) kill(pid, SIGKILL);
    if (straggler) stragglers.push_back(node->id);
    std::remove((node->home / kTestnetPidFile).c_str());
    stopped->push_back(node->id + (straggler ? ": killed (did not stop in time)" : ": stopped"));
  }
  // SIGKILL cannot be refused, but it takes the kernel a moment to tear a process down.
  const auto kill_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!all_gone() && std::chrono::steady_clock::now() < kill_deadline)
    std::this_thread::sleep_for(kPollInterval);
  if (!all_gone()) return Status::Internal("some nodes survived SIGKILL: " + stragglers.front());
  return Status::Ok();
}

}  // namespace jejak::cli
