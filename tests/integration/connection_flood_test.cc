// A flood of idle connections to a node's ledger port must not make it deaf: past its bounds the
// node closes new connections at once, and once the flood ends it answers again. Before the
// connection gate, a node whose descriptor limit the flood exceeded never answered again (gRPC's
// accept loop does not recover from EMFILE).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "node/config/config.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

constexpr int kNodeDescriptorLimit = 1100;  // room for (1100 - 1024) / 3 = 25 clients
constexpr int kFlood = 1500;                // more connections than the node has descriptors

int LedgerPort(const std::string& home) {
  Result<config::NodeConfig> config = config::LoadNodeConfig(home);
  EXPECT_TRUE(config.ok());
  return std::stoi(config->ledger_listen.substr(config->ledger_listen.rfind(':') + 1));
}

// Opens `count` TCP connections to 127.0.0.1:port that never say anything.
std::vector<int> Flood(int port, int count) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    fds.push_back(fd);
    // A refused connection is still accepted by the kernel first: connect succeeds either way.
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  }
  return fds;
}

// How many of `fds` the node has closed (a read sees end of stream or a reset at once).
int ClosedByPeer(const std::vector<int>& fds) {
  int closed = 0;
  for (int fd : fds) {
    char byte = 0;
    ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) ++closed;
  }
  return closed;
}

class ConnectionFloodTest : public NodeFixture {};

TEST_F(ConnectionFloodTest, ANodeOutOfDescriptorsRefusesTheFloodAndAnswersOnceItEnds) {
  rlimit own{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &own), 0);
  own.rlim_cur = own.rlim_max;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &own), 0);
  ASSERT_GE(own.rlim_cur, rlim_t{kFlood + 200}) << "this test needs ulimit -n >= " << kFlood + 200;

  StopNode();
  StartNode({"/usr/bin/prlimit", "--nofile=" + std::to_string(kNodeDescriptorLimit), "--"});
  EXPECT_NE(NodeLog().find("admits at most 25 client connections"), std::string::npos) << NodeLog();

  std::vector<int> flood = Flood(LedgerPort(home()), kFlood);
  ASSERT_EQ(flood.size(), static_cast<size_t>(kFlood));
  // Every connection past the bound is closed by the node (the admitted ones may follow later,
  // when they have said nothing for first_byte_timeout_ms).
  EXPECT_TRUE(WaitFor([&] { return ClosedByPeer(flood) >= kFlood - 25; }, std::chrono::seconds(60)))
      << ClosedByPeer(flood) << " of " << kFlood << " closed\n" << NodeLog();
  for (int fd : flood) ::close(fd);

  CommandResult status = Jejak({"status", "--json"}, std::chrono::seconds(60));
  EXPECT_EQ(status.exit_code, 0) << status.stderr_text << "\n" << NodeLog();
  EXPECT_NE(NodeLog().find("refused a connection from 127.0.0.1"), std::string::npos) << NodeLog();
}

}  // namespace
}  // namespace jejak::testing
