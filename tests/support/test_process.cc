#include "tests/support/test_process.h"

#include "node/net/free_port.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace jejak::testing {
namespace {

std::vector<char*> Argv(std::vector<std::string>& argv) {
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  return pointers;
}


// fork + exec rather than posix_spawn, so the child can ask to be killed when the test process
// dies (PR_SET_PDEATHSIG): a crashing or timed-out test binary leaves no node running.
pid_t Spawn(std::vector<std::string> argv, const std::string& stdin_path, const std::string& stdout_path,
            const std::string& stderr_path, bool append) {
  std::vector<char*> args = Argv(argv);
  const int flags = O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;  // the parent, or -1
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  int in = open(stdin_path.c_str(), O_RDONLY);
  int out = open(stdout_path.c_str(), flags, 0644);
  int err = open(stderr_path.c_str(), flags, 0644);
  if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(127);
  execv(args[0], args.data());
  _exit(127);
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool WaitFor(const std::function<bool()>& probe, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (probe()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                         const std::string& stdin_text) {
  TempDir dir;
  std::string in = dir.path() + "/stdin", out = dir.path() + "/stdout", err = dir.path() + "/stderr";
  std::ofstream(in) << stdin_text;
  CommandResult result;
  pid_t pid = Spawn(argv, in, out, err, false);
  if (pid < 0) {
    result.stderr_text = "cannot start " + argv[0];
    return result;
  }
  int status = 0;
  bool done = WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, timeout);
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  result.exit_code = done ? ExitCodeOf(status) : -1;
  result.stdout_text = ReadFileText(out);
  result.stderr_text = ReadFileText(err);
  return result;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string log_path)
    : log_path_(std::move(log_path)) {
  pid_ = Spawn(std::move(argv), "/dev/null", log_path_, log_path_, true);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !reaped_) Kill();
}

int ChildProcess::Reap(bool block) {
  if (reaped_) return ExitCodeOf(status_);
  pid_t got = waitpid(pid_, &status_, block ? 0 : WNOHANG);
  if (got == pid_) reaped_ = true;
  return reaped_ ? ExitCodeOf(status_) : 0;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  Reap(false);
  return !reaped_;
}

void ChildProcess::Signal(int signal_number) {
  if (running()) kill(pid_, signal_number);
}

int ChildProcess::Stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  Signal(SIGCONT);  // a stopped process cannot handle SIGTERM
  Signal(SIGTERM);
  if (!WaitFor([&] { return !running(); }, timeout)) Kill();
  return Reap(true);
}

void ChildProcess::Kill() {
  if (pid_ <= 0 || reaped_) return;
  kill(pid_, SIGKILL);
  Reap(true);
}

std::string ChildProcess::Log() const { return ReadFileText(log_path_); }

int FreeLoopbackPort() {
  Result<int> port = net::FreeLoopbackPort();
  return port.ok() ? *port : -1;
}

}  // namespace jejak::testing
