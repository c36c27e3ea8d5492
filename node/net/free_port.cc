#include "node/net/free_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <deque>
#include <mutex>
#include <set>

namespace jejak::net {
namespace {

// The kernel may hand the same free port to two bind(0) calls in a row once the first socket is
// closed; a caller that asks for several ports before binding any (a test's validators, a
// testnet's nodes) would then get one twice. Ports handed out recently are skipped.
constexpr size_t kRememberedPorts = 4096;
constexpr int kAttempts = 64;

Result<int> AskTheKernel() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IoError("cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  if (port <= 0) return Status::IoError("no free port on 127.0.0.1");
  return port;
}

}  // namespace

Result<int> FreeLoopbackPort() {
  static std::mutex mutex;
  static std::set<int> handed_out;
  static std::deque<int> order;  // oldest first
  std::lock_guard<std::mutex> lock(mutex);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    Result<int> port = AskTheKernel();
    if (!port.ok()) return port;
    if (!handed_out.insert(*port).second) continue;
    order.push_back(*port);
    if (order.size() > kRememberedPorts) {
      handed_out.erase(order.front());
      order.pop_front();
    }
    return port;
  }
  return Status::IoError("no free port on 127.0.0.1 that was not handed out already");
}

}  // namespace jejak::net
