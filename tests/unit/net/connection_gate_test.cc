// The ledger server behind its connection gate: real gRPC calls (plaintext and pinned TLS) pass
// through; connections past the bounds are closed at once; silent ones are closed; the service
// answers again as soon as a flood ends.
#include "node/net/connection_gate.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "node/crypto/tls_identity.h"
#include "node/net/ledger_server.h"
#include "node/net/peer_tls.h"
#include "tests/unit/net/net_test_support.h"

namespace jejak::net {
namespace {

class StatusOnlyService final : public v1::LedgerService::Service {
 public:
  grpc::Status Status(grpc::ServerContext*, const v1::StatusRequest*,
                      v1::StatusResponse* response) override {
    response->set_height(42);
    ++calls;
    return grpc::Status::OK;
  }
  // A subscription to a chain where nothing happens: it sends nothing until the client leaves.
  grpc::Status SubscribeCommitted(grpc::ServerContext* context, const v1::SubscribeRequest*,
                                  grpc::ServerWriter<v1::CommittedEvent>*) override {
    while (!context->IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return grpc::Status::CANCELLED;
  }
  std::atomic<int> calls{0};
};

// A raw TCP connection to 127.0.0.1:port that says nothing (what a flood is made of).
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    timeval guard{30, 0};  // a broken gate fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  }
  ~RawConnection() { ::close(fd_); }
  bool connected() const { return connected_; }
  // Blocks until the other side closes (true) or the guard passes (false). What the server says
  // first (an HTTP/2 server speaks at once) is read and dropped.
  bool WaitUntilClosedByPeer() {
    char buffer[4096];
    while (true) {
      ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) continue;
      return n == 0 || errno == ECONNRESET;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

class ConnectionGateTest : public ::testing::Test {
 protected:
  int Start(ConnectionGateOptions gate,
            std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials()) {
    LedgerServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.credentials = std::move(credentials);
    options.gate = gate;
    options.reserve_fds = 64;
    Result<int> port = server_.Start(&service_, options);
    EXPECT_TRUE(port.ok()) << port.status().ToString();
    port_ = port.ok() ? *port : 0;
    return port_;
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  grpc::StatusCode CallStatus(std::shared_ptr<grpc::ChannelCredentials> credentials =
                                  grpc::InsecureChannelCredentials()) {
    auto stub = v1::LedgerService::NewStub(grpc::CreateChannel(address(), credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::StatusResponse response;
    grpc::Status status = stub->Status(&context, v1::StatusRequest(), &response);
    if (status.ok()) {
      EXPECT_EQ(response.height(), 42u);
    }
    return status.error_code();
  }

  bool WaitForOpen(uint64_t open) {
    return testing_util::PollUntil([&] { return server_.GateStats().open == open; },
                                 std::chrono::seconds(30));
  }

  StatusOnlyService service_;
  LedgerServer server_;
  int port_ = 0;
};

TEST_F(ConnectionGateTest, RelaysCallsOverPlaintext) {
  Start({});
  EXPECT_EQ(CallStatus(), grpc::StatusCode::OK);
  EXPECT_EQ(CallStatus(), grpc::StatusCode::OK);
  EXPECT_EQ(service_.calls.load(), 2);
  EXPECT_GE(server_.GateStats().admitted, 2u);
}

TEST_F(ConnectionGateTest, RelaysPinnedTlsWithoutSeeingIt) {
  crypto::TlsIdentity identity = crypto::GenerateTlsIdentity("v1").value();
  Start({}, LedgerServerCredentials(identity));
  EXPECT_EQ(CallStatus(LedgerChannelCredentials(testing_util::Fingerprint(identity))),
            grpc::StatusCode::OK);
  EXPECT_EQ(CallStatus(LedgerChannelCredentials(std::string(32, '\x07'))),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(service_.calls.load(), 1);
}

TEST_F(ConnectionGateTest, RefusesPastTheTotalBoundAndAnswersAgainWhenTheFloodEnds) {
  ConnectionGateOptions gate;
  gate.max_connections = 20;
  gate.max_connections_per_client = 1000;
  gate.first_byte_timeout_ms = 600'000;  // the flood stays until the test ends it
  Start(gate);
  std::vector<std::unique_ptr<RawConnection>> flood;
  for (int i = 0; i < 20; ++i) flood.push_back(std::make_unique<RawConnection>(port_));
  ASSERT_TRUE(WaitForOpen(20));
  RawConnection one_too_many(port_);
  EXPECT_TRUE(one_too_many.WaitUntilClosedByPeer());
  EXPECT_NE(CallStatus(), grpc::StatusCode::OK);  // no room for a real client either
  EXPECT_GE(server_.GateStats().refused_total, 2u);

  flood.clear();
  ASSERT_TRUE(WaitForOpen(0));
  EXPECT_EQ(CallStatus(), grpc::StatusCode::OK);
}

TEST_F(ConnectionGateTest, RefusesPastTheBoundPerClientAddress) {
  ConnectionGateOptions gate;
  gate.max_connections_per_client = 5;
  gate.first_byte_timeout_ms = 600'000;
  Start(gate);
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 5; ++i) held.push_back(std::make_unique<RawConnection>(port_));
  ASSERT_TRUE(WaitForOpen(5));
  RawConnection sixth(port_);
  EXPECT_TRUE(sixth.connected());
  EXPECT_TRUE(sixth.WaitUntilClosedByPeer());
  EXPECT_EQ(server_.GateStats().refused_per_client, 1u);
  EXPECT_EQ(server_.GateStats().refused_total, 0u);
}

TEST_F(ConnectionGateTest, ClosesAConnectionThatSaysNothing) {
  ConnectionGateOptions gate;
  gate.first_byte_timeout_ms = 200;
  Start(gate);
  RawConnection silent(port_);
  EXPECT_TRUE(silent.WaitUntilClosedByPeer());
  EXPECT_EQ(server_.GateStats().closed_silent, 1u);
  EXPECT_EQ(CallStatus(), grpc::StatusCode::OK);  // a client that speaks is served
}

// gRPC's keepalive pings keep a quiet call moving through the gate, which closes only connections
// quiet for idle_timeout_ms (gRPC stops pinging after two pings without data by default).
TEST_F(ConnectionGateTest, AQuietSubscriptionOutlivesTheIdleTimeout) {
  ConnectionGateOptions gate;
  gate.idle_timeout_ms = 1000;  // keepalive pings every 250 ms
  Start(gate);
  auto stub = v1::LedgerService::NewStub(grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(4));
  std::unique_ptr<grpc::ClientReader<v1::CommittedEvent>> reader =
      stub->SubscribeCommitted(&context, v1::SubscribeRequest());
  v1::CommittedEvent event;
  EXPECT_FALSE(reader->Read(&event));  // nothing committed: the stream ends at the deadline
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
      << "the gate cut a live subscription as idle";
  EXPECT_EQ(server_.GateStats().closed_idle, 0u);
}

TEST(MaxGateConnectionsFor, KeepsTheReserveAndCountsThreeDescriptorsAConnection) {
  EXPECT_EQ(MaxGateConnectionsFor(1024, 1024), 0u);
  EXPECT_EQ(MaxGateConnectionsFor(100, 1024), 0u);
  EXPECT_EQ(MaxGateConnectionsFor(1024 + 300, 1024), 100u);
  EXPECT_EQ(MaxGateConnectionsFor(1024 + 301, 1024), 100u);
}

TEST(LedgerServer, RefusesToStartWhenTheDescriptorLimitLeavesNoRoom) {
  StatusOnlyService service;
  LedgerServer server;
  LedgerServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.credentials = grpc::InsecureServerCredentials();
  options.reserve_fds = uint64_t{1} << 40;
  Result<int> port = server.Start(&service, options);
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().code(), StatusCode::kInvalid);
  EXPECT_NE(port.status().message().find("ulimit -n"), std::string::npos) << port.status().message();
}

}  // namespace
}  // namespace jejak::net
