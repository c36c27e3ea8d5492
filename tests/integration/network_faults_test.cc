// Real jejakd processes on loopback, four validators: agreement, crashes (kill -9), stalls
// (SIGSTOP), loss of quorum, a Byzantine validator, an impostor, and a late observer. Every test
// ends (fixture TearDown) by checking that each acknowledged event is on every running node.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "jejak/v1/peer_service.grpc.pb.h"
#include "node/crypto/tls_identity.h"
#include "node/ledger/genesis.h"
#include "node/net/peer_tls.h"
#include "tests/integration/network_fixture.h"

namespace jejak::testing {
namespace {

using namespace std::chrono_literals;

class NetworkTest : public NetworkFixture {
 protected:
  uint64_t HeightOf(const std::string& node) {
    Result<uint64_t> height = Height(node);
    EXPECT_TRUE(height.ok()) << height.status().ToString();
    return height.ok() ? *height : 0;
  }
  uint64_t MaxHeight(const std::vector<std::string>& nodes) {
    uint64_t best = 0;
    for (const std::string& node : nodes) best = std::max(best, HeightOf(node));
    return best;
  }
  // Submits one fresh event to `node` and expects it acknowledged.
  void SubmitOne(const std::string& node) {
    Result<v1::SubmitEventsResponse> response = Submit(node, {NextCommission()}, 20s);
    ASSERT_TRUE(response.ok()) << node << ": " << response.status().ToString();
  }
  std::vector<std::string> Except(const std::string& left_out) {
    std::vector<std::string> rest;
    for (const std::string& node : validators()) {
      if (node != left_out) rest.push_back(node);
    }
    return rest;
  }
  // Every listed node catches up with the highest and holds the same blocks.
  void ExpectAgreement(const std::vector<std::string>& nodes) {
    uint64_t height = MaxHeight(nodes);
    ASSERT_TRUE(WaitForHeight(nodes, height, 30s)) << "not every node reached height " << height;
    ExpectSameBlocks(nodes, height);
  }
  // Crash one validator under load, check the rest keep committing, restart it, check agreement.
  void CrashUnderLoad(const std::string& victim) {
    std::vector<std::string> rest = Except(victim);
    LoadGenerator load(this, rest);
    ASSERT_TRUE(WaitFor([&] { return load.acknowledged() >= 5; }, 20s)) << "no commits under load";
    Kill(victim);
    size_t before = load.acknowledged();
    uint64_t height = MaxHeight(rest);
    ASSERT_TRUE(WaitForHeight(rest, height + 5, 30s)) << "the other three stopped committing";
    EXPECT_GT(load.acknowledged(), before);
    Start(victim);
    ASSERT_TRUE(WaitForHeight({victim}, MaxHeight(rest), 30s)) << victim << " did not catch up:\n"
                                                               << Log(victim);
    load.StopAndJoin();
    ExpectAgreement(validators());
  }
};

TEST_F(NetworkTest, EventsSubmittedToDifferentNodesGiveIdenticalBlocksAndAnswers) {
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork({}));
  const std::string lot = "urn:jejak:lot:gayo:agree-1", roast = "urn:jejak:lot:roaster:agree-r1";
  v1::Event commission, ship, receive, transform;
  {
    std::lock_guard<std::mutex> lock(events_mutex_);
    commission = events_.Commission(lot, 100);
    ship = events_.Ship(lot, ledger::OrgPartyId("roaster"), ledger::OrgPartyId("roaster"));
    receive = events_.Receive(lot);
    transform = events_.Transform({{lot, 100}}, {{roast, 80}});
  }
  // Each step through another node; a node checks an event against its own committed state, so
  // the next step waits until every node holds the previous one.
  const std::vector<std::pair<std::string, v1::SignedEvent>> steps = {
      {"validator-1", Sign("gayo", commission)},
      {"validator-2", Sign("gayo", ship)},
      {"validator-3", Sign("roaster", receive)},
      {"validator-4", Sign("roaster", transform)}};
  for (const auto& [node, event] : steps) {
    Result<v1::SubmitEventsResponse> response = Submit(node, {event});
    ASSERT_TRUE(response.ok()) << node << ": " << response.status().ToString();
    ASSERT_TRUE(WaitForHeight(validators(), response->results(0).height()));
  }
  for (const std::string& node : validators()) ASSERT_NO_FATAL_FAILURE(SubmitOne(node));
  ExpectAgreement(validators());
  std::string reference_history, reference_trace;
  for (const std::string& node : validators()) {
    std::unique_ptr<net::LedgerClient> client = Client(node);
    Result<v1::EventList> history = client->LotHistory(lot);
    Result<v1::TraceGraph> trace = client->TraceBack(roast);
    ASSERT_TRUE(history.ok() && trace.ok()) << node;
    EXPECT_EQ(history->events_size(), 4) << node;
    if (reference_history.empty()) {
      reference_history = history->SerializeAsString();
      reference_trace = trace->SerializeAsString();
    }
    EXPECT_EQ(history->SerializeAsString(), reference_history) << node << " answers differently";
    EXPECT_EQ(trace->SerializeAsString(), reference_trace) << node << " traces differently";
  }
  // `status` names the peers each validator has a stream to (it used to say "peers: 0").
  for (const std::string& node : validators()) {
    std::vector<std::string> others = Except(node);
    std::vector<std::string> peers;
    EXPECT_TRUE(WaitFor([&] {
      Result<v1::StatusResponse> status = Client(node)->GetStatus();
      if (!status.ok()) return false;
      EXPECT_TRUE(status->validator()) << node;
      peers.assign(status->peers().begin(), status->peers().end());
      return peers == others;
    }, 30s)) << node << " reports peers " << ::testing::PrintToString(peers);
  }
}

TEST_F(NetworkTest, KilledValidatorCatchesUpAfterRestart) {
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork({}));
  CrashUnderLoad("validator-3");
}

TEST_F(NetworkTest, KilledProposerOfTheCurrentHeightIsReplacedByTheNextRound) {
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork({}));
  {
    LoadGenerator warm_up(this, validators());
    ASSERT_TRUE(WaitFor([&] { return warm_up.acknowledged() >= 5; }, 20s)) << "no commits";
  }
  uint64_t head = MaxHeight(validators());
  // The proposer of height h, round 0, is validator index h mod n (ordered by id): the next
  // height can only be decided in a later round.
  const std::string proposer = validators()[(head + 1) % validators().size()];
  Kill(proposer);
  std::vector<std::string> rest = Except(proposer);
  LoadGenerator load(this, rest);
  ASSERT_TRUE(WaitForHeight(rest, head + 5, 30s)) << "no new height without " << proposer;
  Start(proposer);
  ASSERT_TRUE(WaitForHeight({proposer}, MaxHeight(rest), 30s)) << proposer << " did not catch up:\n"
                                                               << Log(proposer);
  load.StopAndJoin();
  ExpectAgreement(validators());
}

TEST_F(NetworkTest, StalledValidatorCatchesUpAfterSigcont) {
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork({}));
  const std::string stalled = "validator-2";
  std::vector<std::string> rest = Except(stalled);
  LoadGenerator load(this, rest);
  ASSERT_TRUE(WaitFor([&] { return load.acknowledged() >= 3; }, 20s));
  Pause(stalled);
  uint64_t height = MaxHeight(rest);
  // Well past every timeout (300 ms propose, growing per round).
  ASSERT_TRUE(WaitForHeight(rest, height + 10, 30s))
      << "the others stopped while " << stalled << " stalled";
  Resume(stalled);
  ASSERT_TRUE(WaitForHeight({stalled}, MaxHeight(rest), 30s)) << Log(stalled);
  load.StopAndJoin();
  ExpectAgreement(validators());
}

TEST_F(NetworkTest, TwoOfFourDownStopsCommitsAndOneBackResumesThem) {
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork({}));
  for (const std::string& node : validators()) ASSERT_NO_FATAL_FAILURE(SubmitOne(node));
  ExpectAgreement(validators());
  Kill("validator-3");
  Kill("validator-4");
  std::vector<std::string> alive = {"validator-1", "validator-2"};
  uint64_t height = MaxHeight(alive);
  // No quorum: a submission is not acknowledged, and no block appears meanwhile.
  Result<v1::SubmitEventsResponse> stuck = Submit("validator-1", {NextCommission()}, 2s);
  EXPECT_FALSE(stuck.ok()) << "committed without a quorum";
  EXPECT_FALSE(WaitForHeight(alive, height + 1, 1s)) << "a block without a quorum";
  ExpectAcknowledgedEverywhere(alive);
  Start("validator-3");
  alive.push_back("validator-3");
  ASSERT_NO_FATAL_FAILURE(SubmitOne("validator-2"));
  EXPECT_GT(MaxHeight(alive), height);
  ExpectAgreement(alive);
}

TEST_F(NetworkTest, NodeWithATlsIdentityNotInTheGenesisCannotConnect) {
  NetworkOptions options;
  options.start = false;
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork(options));
  Result<crypto::TlsIdentity> stranger = crypto::GenerateTlsIdentity("validator-4");
  ASSERT_TRUE(stranger.ok());
  // A validator whose TLS identity is not the one pinned for it refuses to serve at all.
  const std::string tls = Home("validator-4") + "/tls";
  std::filesystem::rename(tls, tls + ".real");
  std::filesystem::create_directory(tls);
  ASSERT_TRUE(crypto::SaveTlsIdentity(*stranger, tls + "/node.crt", tls + "/node.key").ok());
  ChildProcess impostor({kNetJejakd, "--home", Home("validator-4")}, dir_.path() + "/impostor.log");
  ASSERT_TRUE(WaitFor([&] { return !impostor.running(); }, 20s))
      << "jejakd ran with a certificate not pinned";
  EXPECT_NE(impostor.Log().find("is not the one the genesis pins"), std::string::npos)
      << impostor.Log();
  std::filesystem::remove_all(tls);
  std::filesystem::rename(tls + ".real", tls);
  StartAll();

  // Anyone dialling a validator's peer service with that identity is refused at the handshake.
  Result<ledger::Genesis> genesis = [&] {
    std::ifstream in(Home("validator-1") + "/genesis.json");
    return ledger::ParseGenesis(std::string(std::istreambuf_iterator<char>(in), {}));
  }();
  ASSERT_TRUE(genesis.ok());
  const ledger::Validator& target = genesis->validators.front();
  auto channel = grpc::CreateChannel(
      target.address,
      net::PeerChannelCredentials(*stranger, target.tls_cert_sha256, target.id, nullptr));
  std::unique_ptr<v1::PeerService::Stub> stub = v1::PeerService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  v1::PeerStreamEnd end;
  std::unique_ptr<grpc::ClientWriter<v1::PeerMessage>> stream = stub->Exchange(&context, &end);
  v1::PeerMessage message;
  *message.mutable_events()->add_events() = NextCommission();
  stream->Write(message);
  stream->WritesDone();
  EXPECT_FALSE(stream->Finish().ok())
      << "a stream with a certificate the genesis does not pin was accepted";
  EXPECT_TRUE(WaitFor(
      [&] {
        return LogHas(target.id, "not a pinned certificate") ||
               LogHas(target.id, "not the certificate the genesis pins") ||
               LogHas(target.id, "without a pinned certificate");
      },
      10s))
      << target.id << " did not log the refused peer:\n"
      << Log(target.id);
  // The honest network is unaffected.
  for (const std::string& node : validators()) ASSERT_NO_FATAL_FAILURE(SubmitOne(node));
  ExpectAgreement(validators());
}

#ifdef JEJAKD_BYZANTINE_PATH
TEST_F(NetworkTest, HonestValidatorsAgreeDespiteAnEquivocatingOne) {
  NetworkOptions options;
  options.start = false;
  ASSERT_NO_FATAL_FAILURE(SetUpNetwork(options));
  const std::string byzantine = "validator-4";
  for (const std::string& node : validators()) {
    ASSERT_NO_FATAL_FAILURE(Start(node, node == byzantine ? kJejakdByzantine : kNetJejakd));
  }
  std::vector<std::string> honest = Except(byzantine);
  LoadGenerator load(this, honest);
  // Enough heights for the Byzantine node to propose several times (every 4th height).
  uint64_t start = MaxHeight(honest);
  ASSERT_TRUE(WaitForHeight(honest, start + 12, 60s)) << "the honest three stopped committing";
  load.StopAndJoin();
  ExpectAgreement(honest);
  bool reported = WaitFor(
      [&] {
        for (const std::string& node : honest) {
          if (LogHas(node, "equivocation")) return true;
        }
        return false;
      },
      10s);
  EXPECT_TRUE(reported) << "no honest node reported the equivocation:\n" << Log("validator-1");
  EXPECT_TRUE(LogHas(byzantine, "byzantine")) << "the Byzantine build did not act:\n"
                                              << Log(byzantine);
  ExpectAcknowledgedEverywhere(honest);
  // The Byzantine node's own store is not trusted: TearDown checks only the honest ones.
  Kill(byzantine);
}
#endif

}  // namespace
}  // namespace jejak::testing
