// jejakd as a real process, driven over gRPC: commits, idempotency, every kind of bad input
// refused with a clear error and no change of state, restart.
#include <grpcpp/grpcpp.h>
#include <set>
#include <gtest/gtest.h>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "node/config/config.h"

#include "node/ledger/signing.h"
#include "tests/integration/node_fixture.h"
#include "tests/unit/ledger/test_support.h"

namespace jejak::testing {
namespace {

using ledger::testing::Events;

class NodeSubmitTest : public NodeFixture {
 protected:
  v1::SignedEvent SignAs(const std::string& org, const v1::Event& event, std::string chain = "") {
    Result<v1::SignedEvent> signed_event =
        ledger::SignEvent(OrgKey(org), chain.empty() ? chain_id() : chain, event);
    EXPECT_TRUE(signed_event.ok()) << signed_event.status().ToString();
    return std::move(signed_event).value();
  }
  Result<v1::SubmitEventsResponse> Submit(const std::vector<v1::SignedEvent>& events) {
    return client().SubmitEvents(events);
  }
  uint64_t Height() {
    Result<v1::StatusResponse> status = client().GetStatus();
    EXPECT_TRUE(status.ok()) << status.status().ToString();
    return status.ok() ? status->height() : 0;
  }
  // Submits, expects a refusal of event `event_index` of the request with `code` under `rule` (read
  // from the refusal's details, as a client does: not from its words), whose message holds
  // `words`, and no new block.
  void ExpectRefused(const std::vector<v1::SignedEvent>& events, StatusCode code, std::string_view rule,
                     uint32_t event_index, const std::string& words = "") {
    uint64_t before = Height();
    Result<v1::SubmitEventsResponse> response = Submit(events);
    ASSERT_FALSE(response.ok()) << "accepted, but should be refused under " << rule;
    const Status& refused = response.status();
    EXPECT_EQ(refused.code(), code) << refused.ToString();
    EXPECT_EQ(refused.rule_code(), rule) << refused.ToString();
    ASSERT_TRUE(refused.event_index().has_value()) << refused.ToString();
    EXPECT_EQ(*refused.event_index(), event_index) << refused.ToString();
    EXPECT_EQ(refused.event_reason().rfind("[" + std::string(rule) + "] ", 0), 0u) << refused.event_reason();
    EXPECT_EQ(refused.message(), "event " + std::to_string(event_index) + ": " + std::string(refused.event_reason()));
    EXPECT_NE(refused.message().find(words), std::string::npos) << refused.message();
    EXPECT_EQ(Height(), before);
  }

  Events events_;
  const std::string lot_ = "urn:jejak:lot:gayo:h-001";
};

TEST_F(NodeSubmitTest, CommittedEventIsInTheLotHistory) {
  Result<v1::SubmitEventsResponse> response = Submit({SignAs("gayo", events_.Commission(lot_, 500))});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->results_size(), 1);
  EXPECT_GE(response->results(0).height(), 1u);
  EXPECT_FALSE(response->results(0).already_committed());
  EXPECT_EQ(response->results(0).event_id().rfind("ni:///sha-256;", 0), 0u);

  Result<v1::EventList> history = client().LotHistory(lot_);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->events_size(), 1);
  EXPECT_EQ(history->events(0).event_id(), response->results(0).event_id());
  EXPECT_EQ(history->events(0).signer_organization(), "gayo");
  Result<v1::CommittedEvent> event = client().GetEvent(response->results(0).event_id());
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->height(), response->results(0).height());
  EXPECT_EQ(Height(), response->results(0).height());
}

TEST_F(NodeSubmitTest, ResubmittingTheSameSignedEventChangesNothing) {
  v1::SignedEvent commission = SignAs("gayo", events_.Commission(lot_, 500));
  Result<v1::SubmitEventsResponse> first = Submit({commission});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  uint64_t height = Height();
  Result<v1::SubmitEventsResponse> again = Submit({commission, commission});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  for (const v1::SubmitResult& result : again->results()) {
    EXPECT_TRUE(result.already_committed());
    EXPECT_EQ(result.height(), first->results(0).height());
  }
  EXPECT_EQ(Height(), height);
  EXPECT_EQ(client().LotHistory(lot_)->events_size(), 1);
}

TEST_F(NodeSubmitTest, ABatchIsCheckedInOrderAndCommitsTogether) {
  Result<v1::SubmitEventsResponse> response =
      Submit({SignAs("gayo", events_.Commission(lot_, 500)),
              SignAs("gayo", events_.Ship(lot_, "urn:jejak:org:hulling"))});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_TRUE(Submit({SignAs("hulling", events_.Receive(lot_))}).ok());
  Result<v1::EventList> history = client().LotHistory(lot_);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->events_size(), 3);
}

TEST_F(NodeSubmitTest, BadInputIsRefusedWithAReasonAndChangesNothing) {
  ASSERT_TRUE(Submit({SignAs("gayo", events_.Commission(lot_, 500))}).ok());

  ExpectRefused({SignAs("gayo", events_.Commission(lot_, 10))}, StatusCode::kAlreadyExists, "lot-exists", 0, lot_);
  ExpectRefused({SignAs("kintamani", events_.Ship(lot_, "urn:jejak:org:roaster"))},
                StatusCode::kPermissionDenied, "not-custodian", 0, lot_);
  ExpectRefused({SignAs("gayo", events_.Transform({{lot_, 600}}, {{"urn:jejak:lot:gayo:g-1", 100}}))},
                StatusCode::kInvalid, "over-consumption", 0, lot_);
  ExpectRefused({SignAs("gayo", events_.Commission("urn:jejak:lot:gayo:h-002", 5), "another-chain")},
                StatusCode::kPermissionDenied, "signature-invalid", 0);
  v1::SignedEvent tampered = SignAs("gayo", events_.Commission("urn:jejak:lot:gayo:h-003", 5));
  tampered.mutable_signature()->at(3) ^= 0x01;
  ExpectRefused({tampered}, StatusCode::kPermissionDenied, "signature-invalid", 0);
  Result<crypto::PrivateKey> stranger = crypto::PrivateKey::Generate();
  ASSERT_TRUE(stranger.ok());
  Result<v1::SignedEvent> unknown =
      ledger::SignEvent(*stranger, chain_id(), events_.Commission("urn:jejak:lot:gayo:h-004", 5));
  ASSERT_TRUE(unknown.ok());
  ExpectRefused({*unknown}, StatusCode::kPermissionDenied, "signer-unknown", 0,
                crypto::KeyId(stranger->public_key()));
  v1::SignedEvent garbage = SignAs("gayo", events_.Commission("urn:jejak:lot:gayo:h-005", 5));
  garbage.set_event_bytes("\xff\xff not an event");
  ExpectRefused({garbage}, StatusCode::kInvalid, "event-encoding", 0);
  // One bad event refuses the whole batch: the good one before it is not committed either.
  ExpectRefused({SignAs("gayo", events_.Commission("urn:jejak:lot:gayo:h-006", 5)), tampered},
                StatusCode::kPermissionDenied, "signature-invalid", 1);
  // A refused event queued by mistake would commit with the next block: make one and look.
  const uint64_t before = Height();
  ASSERT_TRUE(Submit({SignAs("gayo", events_.Commission("urn:jejak:lot:gayo:h-007", 5))}).ok());
  EXPECT_EQ(Height(), before + 1);
  EXPECT_EQ(client().LotHistory("urn:jejak:lot:gayo:h-006").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client().LotHistory(lot_)->events_size(), 1);
  Result<v1::EventList> block = client().LotHistory("urn:jejak:lot:gayo:h-007");
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->events(0).index(), 0u);  // alone in its block
}

// Issue 12's cases against a real node, checked at submission against the node's clock: events
// dated 9999 or 1969, and a shipping dated before the commissioning of its lot.
TEST_F(NodeSubmitTest, EventTimesOutOfBoundsAreRefusedNamingTheRule) {
  using ledger::testing::Dated;
  ASSERT_TRUE(Submit({SignAs("gayo", events_.Commission(lot_, 500))}).ok());
  const int64_t created_ms = events_.now_ms();
  ExpectRefused({SignAs("gayo", Dated(events_.Commission("urn:jejak:lot:gayo:t-1", 5),
                                      253402214400000))},  // 9999-12-31T00:00:00Z
                StatusCode::kInvalid, "time-future", 0);
  ExpectRefused({SignAs("gayo", Dated(events_.Commission("urn:jejak:lot:gayo:t-2", 5), -1000))},
                StatusCode::kInvalid, "time-too-early", 0);
  ExpectRefused({SignAs("gayo", Dated(events_.Ship(lot_, "urn:jejak:org:hulling"),
                                      created_ms - ledger::testing::kDayMs))},
                StatusCode::kInvalid, "time-before-lot", 0);
  EXPECT_EQ(client().LotHistory("urn:jejak:lot:gayo:t-1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client().LotHistory(lot_)->events_size(), 1);
}

TEST_F(NodeSubmitTest, OversizedRequestIsRefused) {
  v1::SignedEvent big = SignAs("gayo", events_.Commission(lot_, 500));
  std::vector<v1::SignedEvent> many(40, big);
  for (v1::SignedEvent& event : many) event.set_signer_key_id(std::string(256 * 1024, 'k'));
  Result<v1::SubmitEventsResponse> response = Submit(many);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kResourceExhausted) << response.status().ToString();
  EXPECT_EQ(Height(), 0u);
}

TEST_F(NodeSubmitTest, UnknownLotAndEventAreNotFound) {
  EXPECT_EQ(client().LotHistory("urn:jejak:lot:gayo:nothing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client().GetEvent("ni:///sha-256;00?ver=CBV2.0").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(client().TraceBack("not a lot id at all").status().code(), StatusCode::kInvalid);
}

TEST_F(NodeSubmitTest, CommittedStateSurvivesARestart) {
  ASSERT_TRUE(Submit({SignAs("gayo", events_.Commission(lot_, 500))}).ok());
  uint64_t height = Height();
  ASSERT_NO_FATAL_FAILURE(StopNode());
  ASSERT_NO_FATAL_FAILURE(StartNode());
  EXPECT_EQ(Height(), height);
  ASSERT_EQ(client().LotHistory(lot_)->events_size(), 1);
  ASSERT_TRUE(Submit({SignAs("gayo", events_.Ship(lot_, "urn:jejak:org:hulling"))}).ok());
  EXPECT_EQ(client().LotHistory(lot_)->events_size(), 2);
}

TEST(NodeNotRunningTest, ClientSaysNoNodeAnswers) {
  int port = FreeLoopbackPort();
  net::LedgerClient client("127.0.0.1:" + std::to_string(port), std::chrono::seconds(5));
  Result<v1::StatusResponse> status = client.GetStatus();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace jejak::testing

namespace jejak::testing {
namespace {

using ledger::testing::Events;

class SubscribeTest : public NodeFixture {};

TEST_F(SubscribeTest, StreamReplaysCommittedEventsThenFollowsNewOnes) {
  Events events;
  crypto::PrivateKey gayo = OrgKey("gayo");
  auto sign = [&](const v1::Event& e) { return *ledger::SignEvent(gayo, chain_id(), e); };
  const std::string lot = "urn:jejak:lot:gayo:s-001";
  ASSERT_TRUE(client().SubmitEvents({sign(events.Commission(lot, 10))}).ok());

  Result<config::NodeConfig> config = config::LoadNodeConfig(home());
  ASSERT_TRUE(config.ok());
  auto stub = v1::LedgerService::NewStub(
      grpc::CreateChannel(config->ledger_listen, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::SubscribeRequest request;
  request.set_from_height(1);
  std::unique_ptr<grpc::ClientReader<v1::CommittedEvent>> reader = stub->SubscribeCommitted(&context, request);
  v1::CommittedEvent first;
  ASSERT_TRUE(reader->Read(&first));  // the event committed before subscribing
  EXPECT_EQ(first.height(), 1u);
  EXPECT_EQ(first.signer_organization(), "gayo");

  Result<v1::SubmitEventsResponse> shipped =
      client().SubmitEvents({sign(events.Ship(lot, "urn:jejak:org:hulling"))});
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  v1::CommittedEvent second;
  ASSERT_TRUE(reader->Read(&second));  // followed as it commits
  EXPECT_EQ(second.event_id(), shipped->results(0).event_id());
  context.TryCancel();
  reader->Finish().ok();
}

}  // namespace
}  // namespace jejak::testing

namespace jejak::testing {
namespace {

class LargeEventsTest : public NodeFixture {};

// Legal events that together exceed one block's byte budget are split over several blocks, and
// every one commits (a block the core would refuse as too large must never be proposed).
TEST_F(LargeEventsTest, RequestLargerThanABlockCommitsOverSeveralBlocks) {
  ledger::testing::Events events;
  crypto::PrivateKey gayo = OrgKey("gayo");
  std::vector<v1::SignedEvent> batch;
  for (int i = 0; i < 24; ++i) {
    v1::Event e = events.Commission("urn:jejak:lot:gayo:big-" + std::to_string(i), 1);
    e.set_has_ilmd(true);
    v1::JsonMember* note = e.add_ilmd();
    note->set_key("jejak:note");
    note->set_json("\"" + std::string(200 * 1024, 'x') + "\"");
    v1::NamespaceBinding* ns = e.add_namespaces();
    ns->set_prefix("jejak");
    ns->set_uri("https://jejak.id/ns/epcis/v1/");
    Result<v1::SignedEvent> signed_event = ledger::SignEvent(gayo, chain_id(), e);
    ASSERT_TRUE(signed_event.ok()) << signed_event.status().ToString();
    batch.push_back(std::move(*signed_event));
  }
  Result<v1::SubmitEventsResponse> response = client().SubmitEvents(batch);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  std::set<uint64_t> heights;
  for (const v1::SubmitResult& result : response->results()) heights.insert(result.height());
  EXPECT_GE(heights.size(), 2u) << "24 x 200 KB cannot fit one 4 MiB block";
  for (int i = 0; i < 24; ++i) {
    EXPECT_TRUE(client().LotHistory("urn:jejak:lot:gayo:big-" + std::to_string(i)).ok()) << i;
  }
}

}  // namespace
}  // namespace jejak::testing
