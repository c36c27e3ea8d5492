// Real processes for integration tests: started with posix_spawn, their output captured to a
// file, and always stopped by the test (SIGKILL in the destructor if the test did not stop them),
// also when an assertion fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace jejak::testing {

// Output and exit of a command that ran to completion.
struct CommandResult {
  int exit_code = -1;   // -1 if killed by a signal or not started
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `argv` to completion (killing it after `timeout`), capturing stdout and stderr.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = std::chrono::seconds(120),
                         const std::string& stdin_text = "");

// A long-running child (a node). Stopped in the destructor.
class ChildProcess {
 public:
  // Starts `argv` with stdout+stderr appended to `log_path`.
  ChildProcess(std::vector<std::string> argv, std::string log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int signal_number);
  // Sends SIGTERM and waits up to `timeout`; SIGKILL after that. Returns the exit code, or
  // -signal when it died of a signal.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  void Kill();  // SIGKILL and reap
  std::string Log() const;

 private:
  int Reap(bool block);
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::string log_path_;
};

// The whole file (empty when it cannot be read).
std::string ReadFileText(const std::string& path);

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
int FreeLoopbackPort();
// Polls `probe` until it returns true or `timeout` passes. Polling a condition is not
// sleeping-as-synchronisation: the wait ends as soon as the condition holds.
bool WaitFor(const std::function<bool()>& probe, std::chrono::milliseconds timeout);
// A fresh directory under the system temp dir, removed by the destructor.

}  // namespace jejak::testing
