// GetBlocks over a real store, and BlockSyncClient against real gRPC servers on 127.0.0.1.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "net_test_support.h"
#include "node/net/block_sync_client.h"
#include "node/net/grpc_status.h"
#include "node/net/ledger_client.h"
#include "node/net/peer_tls.h"
#include "node/storage/store.h"

namespace jejak::net {
namespace {

using testing_util::TempDir;

std::unique_ptr<storage::Store> OpenStore(const std::string& dir) {
  storage::StoreOptions options;
  options.chain_id = testing_util::kChain;
  options.block_cache_bytes = 4u << 20;
  options.write_buffer_bytes = 1u << 20;
  options.total_write_buffer_bytes = 8u << 20;
  Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(dir, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

// Commits blocks up to `head`, each carrying `payload_bytes` of event bytes. Storage does not
// interpret blocks or certificates, so these need only the right chain and heights.
void CommitBlocks(storage::Store& store, uint64_t head, size_t payload_bytes = 10) {
  for (uint64_t h = store.head_height() + 1; h <= head; ++h) {
    v1::Block block;
    block.mutable_header()->set_chain_id(testing_util::kChain);
    block.mutable_header()->set_height(h);
    block.mutable_header()->set_event_count(1);
    block.add_events()->set_event_bytes(
        std::string(payload_bytes, static_cast<char>('a' + h % 26)));
    v1::CommitCertificate certificate;
    certificate.set_height(h);
    certificate.set_block_hash(std::string(32, static_cast<char>(h)));
    ASSERT_TRUE(store.CommitBlock(block, certificate, ledger::WriteSet()).ok());
  }
}

class StoreBlocks : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenStore(dir_.path() + "/db");
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(StoreBlocks, ReadsConsecutiveBlocksWithTheirCertificates) {
  CommitBlocks(*store_, 5);
  Result<v1::GetBlocksResponse> got = ReadCommittedBlocks(*store_, 2, 3);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->head_height(), 5u);
  ASSERT_EQ(got->blocks_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(got->blocks(i).block().header().height(), 2u + i);
    EXPECT_EQ(got->blocks(i).certificate().height(), 2u + i);
  }
  EXPECT_TRUE(CheckBlocksResponse(*got, 2, 3).ok());
  // Up to the head only; past the head: none, with the head.
  EXPECT_EQ(ReadCommittedBlocks(*store_, 4, 10)->blocks_size(), 2);
  Result<v1::GetBlocksResponse> past = ReadCommittedBlocks(*store_, 6, 10);
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(past->blocks_size(), 0);
  EXPECT_EQ(past->head_height(), 5u);
}

TEST_F(StoreBlocks, RefusesHeightZero) {
  Result<v1::GetBlocksResponse> got = ReadCommittedBlocks(*store_, 0, 1);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalid);
  EXPECT_NE(got.status().message().find("from_height"), std::string::npos);
}

TEST_F(StoreBlocks, CountIsBoundedAndZeroMeansTheDefault) {
  CommitBlocks(*store_, kMaxBlocksPerResponse + 4);
  EXPECT_EQ(ReadCommittedBlocks(*store_, 1, 0)->blocks_size(), int{kDefaultBlocksPerResponse});
  EXPECT_EQ(ReadCommittedBlocks(*store_, 1, 100000)->blocks_size(), int{kMaxBlocksPerResponse});
}

TEST_F(StoreBlocks, BytesAreBoundedButOneBlockAlwaysGoes) {
  CommitBlocks(*store_, 1, kMaxBlocksResponseBytes + 1000);  // one block above the bound alone
  CommitBlocks(*store_, 12, 1 << 20);
  Result<v1::GetBlocksResponse> big = ReadCommittedBlocks(*store_, 1, 10);
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->blocks_size(), 1);
  Result<v1::GetBlocksResponse> rest = ReadCommittedBlocks(*store_, 2, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_GE(rest->blocks_size(), 6);
  EXPECT_LE(rest->blocks_size(), 8);
  EXPECT_LE(rest->ByteSizeLong(), kMaxBlocksResponseBytes + 1024);
}

TEST(CheckBlocksResponse, RefusesGapsWrongCertificatesAndExtraBlocks) {
  v1::GetBlocksResponse response;
  for (uint64_t h : {7, 8, 10}) {
    v1::CommittedBlock* block = response.add_blocks();
    block->mutable_block()->mutable_header()->set_height(h);
    block->mutable_certificate()->set_height(h);
  }
  Status gap = CheckBlocksResponse(response, 7, 5);
  EXPECT_EQ(gap.code(), StatusCode::kInvalid);
  EXPECT_NE(gap.message().find("blocks[2] has height 10, expected 9"), std::string::npos);
  response.mutable_blocks(2)->mutable_block()->mutable_header()->set_height(9);
  EXPECT_NE(CheckBlocksResponse(response, 7, 5).message().find("certificate for height 10"),
            std::string::npos);
  response.mutable_blocks(2)->mutable_certificate()->set_height(9);
  EXPECT_TRUE(CheckBlocksResponse(response, 7, 5).ok());
  EXPECT_NE(CheckBlocksResponse(response, 7, 2).message().find("at most 2"), std::string::npos);
  EXPECT_FALSE(CheckBlocksResponse(response, 6, 5).ok());
}

// The two ledger-service calls block sync uses, over a real store; `shift` makes it lie about
// heights (a broken or malicious node).
class FakeLedgerService final : public v1::LedgerService::Service {
 public:
  FakeLedgerService(storage::Store& store, uint64_t shift) : store_(store), shift_(shift) {}
  grpc::Status Status(grpc::ServerContext*, const v1::StatusRequest*,
                      v1::StatusResponse* response) override {
    response->set_height(store_.head_height());
    ++status_calls;
    return grpc::Status::OK;
  }
  grpc::Status GetBlocks(grpc::ServerContext*, const v1::GetBlocksRequest* request,
                         v1::GetBlocksResponse* response) override {
    ++get_blocks_calls;
    Result<v1::GetBlocksResponse> blocks =
        ReadCommittedBlocks(store_, request->from_height(), request->max_blocks());
    if (!blocks.ok()) return ToGrpc(blocks.status());
    *response = *blocks;
    for (v1::CommittedBlock& block : *response->mutable_blocks()) {
      auto* header = block.mutable_block()->mutable_header();
      header->set_height(header->height() + shift_);
    }
    return grpc::Status::OK;
  }
  std::atomic<int> status_calls{0};
  std::atomic<int> get_blocks_calls{0};

 private:
  storage::Store& store_;
  uint64_t shift_;
};

struct Server {
  Server(const std::string& dir, uint64_t head, uint64_t shift = 0,
         std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials())
      : store(OpenStore(dir)), service(*store, shift) {
    CommitBlocks(*store, head);
    grpc::ServerBuilder builder;
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.AddListeningPort("127.0.0.1:0", credentials, &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
  }
  ~Server() { server->Shutdown(std::chrono::system_clock::now()); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port); }

  std::unique_ptr<storage::Store> store;
  FakeLedgerService service;
  int port = 0;
  std::unique_ptr<grpc::Server> server;
};

std::string DeadAddress() {
  Result<int> port = FreeLoopbackPort();
  return "127.0.0.1:" + std::to_string(port.ok() ? *port : 1);
}

std::vector<LedgerEndpoint> Plaintext(const std::vector<std::string>& addresses) {
  std::vector<LedgerEndpoint> endpoints;
  for (const std::string& address : addresses) endpoints.push_back({address, ""});
  return endpoints;
}

TEST(BlockSyncClient, FetchesFromTheSourceWithTheBestHead) {
  TempDir dir;
  Server low(dir.path() + "/low", 3), high(dir.path() + "/high", 9);
  BlockSyncClient sync(Plaintext({DeadAddress(), low.address(), high.address()}));
  Result<uint64_t> best = sync.BestHeadHeight();
  ASSERT_TRUE(best.ok()) << best.status().ToString();
  EXPECT_EQ(*best, 9u);
  Result<std::vector<v1::CommittedBlock>> blocks = sync.FetchBlocks(2, 4);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 4u);
  EXPECT_EQ((*blocks)[0].block().header().height(), 2u);
  EXPECT_EQ((*blocks)[3].block().header().height(), 5u);
  EXPECT_EQ(high.service.get_blocks_calls.load(), 1);
  EXPECT_EQ(low.service.get_blocks_calls.load(), 0);
  // Past every head: none, and no error.
  Result<std::vector<v1::CommittedBlock>> none = sync.FetchBlocks(10, 4);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(BlockSyncClient, FallsBackWhenTheBestSourceIsDownOrLies) {
  TempDir dir;
  Server good(dir.path() + "/good", 4), liar(dir.path() + "/liar", 20, /*shift=*/1);
  BlockSyncClient sync(Plaintext({good.address(), liar.address()}));
  ASSERT_EQ(*sync.BestHeadHeight(), 20u);
  // The liar has the best head but its heights are off by one: refused, the other one answers.
  Result<std::vector<v1::CommittedBlock>> blocks = sync.FetchBlocks(1, 10);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 4u);
  EXPECT_EQ(liar.service.get_blocks_calls.load(), 1);
  EXPECT_EQ(good.service.get_blocks_calls.load(), 1);
  // Only the liar has blocks from 5 on: refused; the honest source has none yet, which is no error.
  Result<std::vector<v1::CommittedBlock>> later = sync.FetchBlocks(5, 10);
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_TRUE(later->empty());
  // With the liar alone, its refusal is the answer.
  BlockSyncClient liar_only(Plaintext({liar.address()}));
  Result<std::vector<v1::CommittedBlock>> refused = liar_only.FetchBlocks(1, 10);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalid);
  EXPECT_NE(refused.status().message().find("blocks[0] has height 2, expected 1"),
            std::string::npos);
}

TEST(BlockSyncClient, ASourceWhoseBlocksTheNodeRefusedIsLeftOut) {
  TempDir dir;
  Server low(dir.path() + "/low", 3), high(dir.path() + "/high", 9);
  BlockSyncClient sync(Plaintext({low.address(), high.address()}));
  ASSERT_EQ(*sync.BestHeadHeight(), 9u);
  Result<std::vector<v1::CommittedBlock>> blocks = sync.FetchBlocks(2, 4);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  EXPECT_EQ(high.service.get_blocks_calls.load(), 1);
  // The node found a bad certificate in what `high` sent: it is neither asked nor believed.
  sync.RefuseLastFetch("certificate of block 2 does not check");
  ASSERT_EQ(*sync.BestHeadHeight(), 3u);
  blocks = sync.FetchBlocks(2, 4);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ(high.service.get_blocks_calls.load(), 1);
  EXPECT_EQ(low.service.get_blocks_calls.load(), 1);
  // Refusing those too leaves no source: block sync says so rather than trusting anyone.
  sync.RefuseLastFetch("certificate of block 3 does not check");
  EXPECT_EQ(sync.BestHeadHeight().status().code(), StatusCode::kUnavailable);
  sync.RefuseLastFetch("nothing fetched since: no one to blame");
}

TEST(BlockSyncClient, NoSourceAnsweringIsUnavailable) {
  BlockSyncOptions options;
  options.head_timeout = std::chrono::milliseconds(300);
  options.fetch_timeout = std::chrono::milliseconds(300);
  BlockSyncClient sync(Plaintext({DeadAddress(), DeadAddress()}), options);
  EXPECT_EQ(sync.BestHeadHeight().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(sync.FetchBlocks(1, 1).status().code(), StatusCode::kUnavailable);
  BlockSyncClient empty({});
  EXPECT_EQ(empty.BestHeadHeight().status().code(), StatusCode::kUnavailable);
}

// A ledger service with TLS (its certificate's fingerprint: pin_) at height 5, beside a
// plaintext one at height 3.
class LedgerTlsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  crypto::TlsIdentity identity_ = crypto::GenerateTlsIdentity("v1").value();
  std::string pin_ = testing_util::Fingerprint(identity_);
  std::string stranger_ = std::string(32, '\x07');
  Server tls_{dir_.path() + "/tls", 5, 0, LedgerServerCredentials(identity_)};
  Server plain_{dir_.path() + "/plain", 3};
};

TEST_F(LedgerTlsTest, PinnedClientReachesATlsLedgerServiceAndAWrongPinDoesNot) {
  auto call_status = [&](std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto stub = v1::LedgerService::NewStub(grpc::CreateChannel(tls_.address(), credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::StatusResponse response;
    grpc::Status status = stub->Status(&context, v1::StatusRequest(), &response);
    return std::make_pair(status.error_code(), response.height());
  };
  EXPECT_EQ(call_status(LedgerChannelCredentials(pin_)), std::make_pair(grpc::StatusCode::OK, uint64_t{5}));
  EXPECT_EQ(call_status(LedgerChannelCredentials(stranger_)).first, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(call_status(grpc::InsecureChannelCredentials()).first, grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(tls_.service.status_calls.load(), 1);
}

TEST_F(LedgerTlsTest, LedgerClientNamesWhyATlsServiceCannotBeReached) {
  const auto timeout = std::chrono::seconds(5);
  Result<v1::StatusResponse> pinned = LedgerClient(LedgerEndpoint{tls_.address(), pin_}, timeout).GetStatus();
  ASSERT_TRUE(pinned.ok()) << pinned.status().ToString();
  EXPECT_EQ(pinned->height(), 5u);

  Status wrong_pin = LedgerClient(LedgerEndpoint{tls_.address(), stranger_}, timeout).GetStatus().status();
  EXPECT_EQ(wrong_pin.code(), StatusCode::kUnavailable);
  EXPECT_NE(wrong_pin.message().find("other than the pinned sha256 " + FingerprintHex(stranger_)),
            std::string::npos) << wrong_pin.message();
  EXPECT_NE(wrong_pin.message().find(FingerprintHex(pin_)), std::string::npos) << wrong_pin.message();

  Status no_pin = LedgerClient(tls_.address(), timeout).GetStatus().status();
  EXPECT_EQ(no_pin.code(), StatusCode::kUnavailable);
  EXPECT_NE(no_pin.message().find("--tls-pin"), std::string::npos) << no_pin.message();

  Status pin_at_plaintext = LedgerClient(LedgerEndpoint{plain_.address(), pin_}, timeout).GetStatus().status();
  EXPECT_EQ(pin_at_plaintext.code(), StatusCode::kUnavailable);
  EXPECT_NE(pin_at_plaintext.message().find("does not use TLS"), std::string::npos)
      << pin_at_plaintext.message();
  EXPECT_EQ(tls_.service.status_calls.load(), 1);
  EXPECT_EQ(plain_.service.status_calls.load(), 0);
}

TEST_F(LedgerTlsTest, BlockSyncFetchesFromATlsSourceOnlyWithItsPin) {
  BlockSyncClient pinned({LedgerEndpoint{tls_.address(), pin_}, LedgerEndpoint{plain_.address(), ""}});
  Result<uint64_t> head = pinned.BestHeadHeight();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(*head, 5u);
  Result<std::vector<v1::CommittedBlock>> blocks = pinned.FetchBlocks(1, 10);
  ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
  EXPECT_EQ(blocks->size(), 5u);
  // With a wrong pin the TLS source is never asked: only the plaintext one answers.
  BlockSyncClient wrong({LedgerEndpoint{tls_.address(), stranger_}, LedgerEndpoint{plain_.address(), ""}});
  head = wrong.BestHeadHeight();
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(*head, 3u);
  EXPECT_EQ(tls_.service.status_calls.load(), 1);
}

}  // namespace
}  // namespace jejak::net
