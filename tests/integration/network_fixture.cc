#include "tests/integration/network_fixture.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "node/config/config.h"
#include "node/ledger/genesis.h"
#include "node/ledger/signing.h"

namespace jejak::testing {
namespace {
namespace fs = std::filesystem;

constexpr uint32_t kBlocksPerRequest = 256;
constexpr uint32_t kEventsPerPage = 1000;
constexpr int kMaxEventPages = 1000;

}  // namespace

void NetworkFixture::SetUpNetwork(const NetworkOptions& options) {
  std::vector<std::string> args = {kNetJejak,
                                   "--home",
                                   dir_.path() + "/net",
                                   "testnet",
                                   "--no-start",
                                   "--validators",
                                   std::to_string(options.validators),
                                   "--observers",
                                   std::to_string(options.observers),
                                   "--chain-id",
                                   chain_id_,
                                   "--org",
                                   "gayo:producer,processor:Koperasi Gayo",
                                   "--org",
                                   "roaster:processor:Roaster Bandung",
                                   "--org",
                                   "buyer:logistics:Kopi Buyer"};
  CommandResult written = RunCommand(args, std::chrono::seconds(60));
  ASSERT_EQ(written.exit_code, 0) << written.stdout_text << written.stderr_text;
  for (int i = 1; i <= options.validators; ++i)
    validators_.push_back("validator-" + std::to_string(i));
  nodes_ = validators_;
  for (int i = 1; i <= options.observers; ++i) nodes_.push_back("observer-" + std::to_string(i));
  for (const std::string& node : nodes_) {
    Result<config::NodeConfig> config = config::LoadNodeConfig(Home(node));
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    ledger_address_[node] = config->ledger_listen;
    SetConfig(node, "consensus", "tick_ms", std::to_string(options.tick_ms));
    SetConfig(node, "consensus", "timeout_propose_ms", std::to_string(options.timeout_propose_ms));
    SetConfig(node, "consensus", "timeout_prevote_ms", std::to_string(options.timeout_vote_ms));
    SetConfig(node, "consensus", "timeout_precommit_ms", std::to_string(options.timeout_vote_ms));
    SetConfig(node, "consensus", "timeout_increase_per_round_ms",
              std::to_string(options.timeout_increase_per_round_ms));
  }
  Result<ledger::Genesis> genesis =
      ledger::ParseGenesis(ReadFileText(Home(nodes_[0]) + "/genesis.json"));
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  for (const ledger::Organisation& org : genesis->organisations) {
    Result<crypto::PrivateKey> key =
        crypto::PrivateKey::LoadPem(Home(nodes_[0]) + "/keys/" + org.id + ".pem");
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    org_keys_.emplace(org.id, std::move(*key));
  }
  if (options.start) StartAll();
}

void NetworkFixture::TearDown() {
  std::vector<std::string> running = RunningNodes();
  for (const std::string& node : running) Resume(node);  // a test that failed while one was paused
  if (!running.empty() && !HasFatalFailure()) {
    // Whatever a node acknowledged must be everywhere once the network has settled.
    std::vector<std::string> ids;
    {
      std::lock_guard<std::mutex> lock(acknowledged_mutex_);
      ids = acknowledged_;
    }
    bool settled = WaitFor(
        [&] {
          for (const std::string& node : running) {
            Result<std::set<std::string>> held = EventIds(node);
            if (!held.ok()) return false;
            for (const std::string& id : ids) {
              if (!held->contains(id)) return false;
            }
          }
          return true;
        },
        std::chrono::seconds(30));
    if (!settled) ExpectAcknowledgedEverywhere(running);
  }
  for (auto& [node, process] : processes_) {
    if (process && process->running()) process->Kill();
  }
  processes_.clear();
}

void NetworkFixture::Start(const std::string& node, const std::string& binary) {
  ASSERT_FALSE(Running(node)) << node << " is already running";
  std::string log = dir_.path() + "/" + node + "-" + std::to_string(++starts_[node]) + ".log";
  processes_[node] =
      std::make_unique<ChildProcess>(std::vector<std::string>{binary, "--home", Home(node)}, log);
  // jejakd logs this line once its ledger service listens; waiting for it keeps clients out of
  // gRPC's reconnect backoff.
  const std::string ready = "ledger service on " + LedgerAddress(node);
  ChildProcess& process = *processes_[node];
  bool up =
      WaitFor([&] { return !process.running() || process.Log().find(ready) != std::string::npos; },
              std::chrono::seconds(30));
  ASSERT_TRUE(up && process.running()) << node << " did not come up:\n" << process.Log();
}

void NetworkFixture::StartAll() {
  // Start every process first, then wait: validators waiting for each other start together.
  for (const std::string& node : nodes_) {
    std::string log = dir_.path() + "/" + node + "-" + std::to_string(++starts_[node]) + ".log";
    processes_[node] = std::make_unique<ChildProcess>(
        std::vector<std::string>{kNetJejakd, "--home", Home(node)}, log);
  }
  for (const std::string& node : nodes_) {
    const std::string ready = "ledger service on " + LedgerAddress(node);
    ChildProcess& process = *processes_[node];
    bool up = WaitFor(
        [&] { return !process.running() || process.Log().find(ready) != std::string::npos; },
        std::chrono::seconds(30));
    ASSERT_TRUE(up && process.running()) << node << " did not come up:\n" << process.Log();
  }
}

void NetworkFixture::Kill(const std::string& node) {
  ASSERT_TRUE(Running(node)) << node;
  processes_[node]->Kill();
}

void NetworkFixture::Stop(const std::string& node) {
  ASSERT_TRUE(Running(node)) << node;
  int code = processes_[node]->Stop();
  EXPECT_EQ(code, 0) << node << " did not stop cleanly:\n" << processes_[node]->Log();
}

void NetworkFixture::Pause(const std::string& node) { processes_.at(node)->Signal(SIGSTOP); }
void NetworkFixture::Resume(const std::string& node) { processes_.at(node)->Signal(SIGCONT); }

bool NetworkFixture::Running(const std::string& node) {
  auto it = processes_.find(node);
  return it != processes_.end() && it->second && it->second->running();
}

std::vector<std::string> NetworkFixture::RunningNodes() {
  std::vector<std::string> running;
  for (const std::string& node : nodes_) {
    if (Running(node)) running.push_back(node);
  }
  return running;
}

std::string NetworkFixture::Log(const std::string& node) const {
  std::string all;
  auto it = starts_.find(node);
  for (int i = 1; it != starts_.end() && i <= it->second; ++i) {
    all += ReadFileText(dir_.path() + "/" + node + "-" + std::to_string(i) + ".log");
  }
  return all;
}

std::unique_ptr<net::LedgerClient> NetworkFixture::Client(const std::string& node,
                                                          std::chrono::milliseconds timeout) {
  return std::make_unique<net::LedgerClient>(LedgerAddress(node), timeout);
}

v1::SignedEvent NetworkFixture::Sign(const std::string& org, const v1::Event& event) {
  Result<v1::SignedEvent> signed_event = ledger::SignEvent(org_keys_.at(org), chain_id_, event);
  EXPECT_TRUE(signed_event.ok()) << signed_event.status().ToString();
  return std::move(signed_event).value();
}

v1::SignedEvent NetworkFixture::NextCommission() {
  v1::Event event;
  {
    std::lock_guard<std::mutex> lock(events_mutex_);
    event = events_.Commission(LoadLot(++next_lot_), 10);
  }
  return Sign(kProducer, event);
}

Result<v1::SubmitEventsResponse> NetworkFixture::Submit(const std::string& node,
                                                        const std::vector<v1::SignedEvent>& events,
                                                        std::chrono::milliseconds timeout) {
  Result<v1::SubmitEventsResponse> response = Client(node, timeout)->SubmitEvents(events);
  if (response.ok()) {
    std::lock_guard<std::mutex> lock(acknowledged_mutex_);
    for (const v1::SubmitResult& result : response->results())
      acknowledged_.push_back(result.event_id());
  }
  return response;
}

size_t NetworkFixture::acknowledged_count() {
  std::lock_guard<std::mutex> lock(acknowledged_mutex_);
  return acknowledged_.size();
}

Result<uint64_t> NetworkFixture::Height(const std::string& node) {
  Result<v1::StatusResponse> status = Client(node, std::chrono::seconds(2))->GetStatus();
  if (!status.ok()) return status.status();
  return status->height();
}

bool NetworkFixture::WaitForHeight(const std::vector<std::string>& nodes, uint64_t height,
                                   std::chrono::milliseconds timeout) {
  return WaitFor(
      [&] {
        for (const std::string& node : nodes) {
          Result<uint64_t> head = Height(node);
          if (!head.ok() || *head < height) return false;
        }
        return true;
      },
      timeout);
}

Result<std::vector<std::string>> NetworkFixture::Blocks(const std::string& node, uint64_t height) {
  auto channel = grpc::CreateChannel(LedgerAddress(node), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::LedgerService::Stub> stub = v1::LedgerService::NewStub(channel);
  std::vector<std::string> blocks;
  while (blocks.size() < height) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::GetBlocksRequest request;
    request.set_from_height(blocks.size() + 1);
    request.set_max_blocks(kBlocksPerRequest);
    v1::GetBlocksResponse response;
    grpc::Status status = stub->GetBlocks(&context, request, &response);
    if (!status.ok()) return Status::Unavailable(node + ": GetBlocks: " + status.error_message());
    if (response.blocks_size() == 0) {
      return Status::NotFound(node + " has no block " + std::to_string(blocks.size() + 1));
    }
    for (const v1::CommittedBlock& block : response.blocks()) {
      if (blocks.size() < height) blocks.push_back(block.block().SerializeAsString());
    }
  }
  return blocks;
}

void NetworkFixture::ExpectSameBlocks(const std::vector<std::string>& nodes, uint64_t height) {
  ASSERT_FALSE(nodes.empty());
  Result<std::vector<std::string>> reference = Blocks(nodes.front(), height);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  for (size_t i = 1; i < nodes.size(); ++i) {
    Result<std::vector<std::string>> blocks = Blocks(nodes[i], height);
    ASSERT_TRUE(blocks.ok()) << blocks.status().ToString();
    for (uint64_t h = 0; h < height; ++h) {
      ASSERT_EQ((*blocks)[h], (*reference)[h])
          << nodes[i] << " and " << nodes.front() << " differ at height " << h + 1;
    }
  }
}

void NetworkFixture::ExpectAcknowledgedEverywhere(const std::vector<std::string>& nodes) {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(acknowledged_mutex_);
    ids = acknowledged_;
  }
  for (const std::string& node : nodes) {
    Result<std::set<std::string>> held = EventIds(node);
    ASSERT_TRUE(held.ok()) << held.status().ToString();
    size_t missing = 0;
    std::string first;
    for (const std::string& id : ids) {
      if (!held->contains(id) && missing++ == 0) first = id;
    }
    EXPECT_EQ(missing, 0u) << node << " lacks " << missing << " of " << ids.size()
                           << " acknowledged events, e.g. " << first;
  }
}

Result<std::set<std::string>> NetworkFixture::EventIds(const std::string& node) {
  std::unique_ptr<net::LedgerClient> client = Client(node);
  std::set<std::string> ids;
  v1::QueryEventsRequest request;
  request.set_page_size(kEventsPerPage);
  for (int page = 0; page < kMaxEventPages; ++page) {
    Result<v1::QueryEventsResponse> response = client->QueryEvents(request);
    if (!response.ok()) return response.status();
    for (const v1::CommittedEvent& event : response->events()) ids.insert(event.event_id());
    if (response->next_page_token().empty()) return ids;
    request.set_page_token(response->next_page_token());
  }
  return Status::Internal(node + " holds more than " +
                          std::to_string(kMaxEventPages * kEventsPerPage) + " events");
}

void NetworkFixture::SetConfig(const std::string& node, const std::string& section,
                               const std::string& key, const std::string& value) {
  const std::string path = Home(node) + "/config.toml";
  std::istringstream in(ReadFileText(path));
  std::ostringstream out;
  std::string current;
  bool done = false;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '[') {
      if (current == section && !done) {
        out << key << " = " << value << "\n";
        done = true;
      }
      current = line.substr(1, line.find(']') - 1);
    } else if (current == section && !done && line.rfind(key + " =", 0) == 0) {
      line = key + " = " + value;
      done = true;
    }
    out << line << "\n";
  }
  if (!done)
    out << (current == section ? "" : "[" + section + "]\n") << key << " = " << value << "\n";
  std::ofstream(path, std::ios::trunc) << out.str();
}

LoadGenerator::LoadGenerator(NetworkFixture* fixture, std::vector<std::string> targets)
    : fixture_(fixture), targets_(std::move(targets)) {
  thread_ = std::thread([this] {
    for (size_t i = 0; !stop_.load(); ++i) {
      const std::string& node = targets_[i % targets_.size()];
      Result<v1::SubmitEventsResponse> response =
          fixture_->Submit(node, {fixture_->NextCommission()}, std::chrono::seconds(3));
      (response.ok() ? acknowledged_ : failed_).fetch_add(1);
    }
  });
}

LoadGenerator::~LoadGenerator() { StopAndJoin(); }

void LoadGenerator::StopAndJoin() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

}  // namespace jejak::testing
