// jejak testnet: a local multi-node network under one directory, one home per node
// (validator-1..N, observer-1..M) that `jejakd --home` and every `jejak --home` command accept.
// Built and checked in memory first (network_builder), written only when valid, never over an
// existing network; then (unless --no-start) every jejakd is started detached.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/network_builder.h"
#include "cli/testnet_processes.h"
#include "node/crypto/hex.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

constexpr auto kStartWait = std::chrono::seconds(30);
constexpr auto kStopWait = std::chrono::seconds(20);

struct TestnetOptions {
  int validators = 4;
  int observers = 0;
  std::string chain_id = "jejak-testnet";
  std::vector<std::string> orgs;
  bool no_start = false;
  bool ledger_tls = false;
  std::string jejakd;
};

Result<fs::path> TestnetDir(const GlobalOptions& options, const char* command) {
  if (options.home.empty())
    return Status::Invalid(std::string("say where: jejak --home DIR ") + command);
  std::error_code error;
  fs::path dir = fs::absolute(options.home, error);
  if (error) return Status::Invalid("cannot use " + options.home + ": " + error.message());
  return dir.lexically_normal();
}

Status CheckCounts(const TestnetOptions& options) {
  if (options.validators < 1) return Status::Invalid("--validators must be at least 1");
  if (options.validators > static_cast<int>(kMaxTestnetValidators)) {
    return Status::Invalid("--validators " + std::to_string(options.validators) + " is more than " +
                           std::to_string(kMaxTestnetValidators));
  }
  if (options.observers < 0 || options.observers > static_cast<int>(kMaxTestnetObservers)) {
    return Status::Invalid("--observers must be 0.." + std::to_string(kMaxTestnetObservers));
  }
  return Status::Ok();
}

Status RefuseExistingNetwork(const fs::path& dir) {
  std::error_code error;
  if (!fs::exists(dir, error)) return Status::Ok();
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    if (fs::exists(entry.path() / kGenesisFile, error) ||
        fs::exists(entry.path() / "config.toml", error)) {
      return Status::AlreadyExists(
          dir.string() + " already holds a network (" + entry.path().filename().string() +
          "): refusing to overwrite it; stop it with `jejak --home " + dir.string() +
          " testnet stop` and remove it, or choose another directory");
    }
  }
  return error ? Status::IoError("cannot list " + dir.string() + ": " + error.message())
               : Status::Ok();
}

NetworkPlan PlanFor(const TestnetOptions& options) {
  NetworkPlan plan;
  plan.chain_id = options.chain_id;
  plan.org_specs = options.orgs;
  plan.ledger_tls = options.ledger_tls;
  for (int i = 1; i <= options.validators; ++i)
    plan.validator_ids.push_back("validator-" + std::to_string(i));
  for (int i = 1; i <= options.observers; ++i)
    plan.observer_ids.push_back("observer-" + std::to_string(i));
  return plan;
}

// One line per node, and the same as JSON.
void Describe(const std::vector<TestnetNode>& nodes, bool running, std::ostringstream* text,
              nlohmann::json* data) {
  nlohmann::json list = nlohmann::json::array();
  for (const TestnetNode& node : nodes) {
    *text << "  " << node.id << (node.peer_listen.empty() ? " (observer)" : " (validator)")
          << "  ledger " << node.ledger_listen;
    const std::string pin = node.ledger_tls_fingerprint.empty()
                                ? ""
                                : crypto::ToHex(node.ledger_tls_fingerprint);
    if (!pin.empty()) *text << " (TLS sha256 " << pin.substr(0, 16) << "...)";
    if (!node.peer_listen.empty()) *text << "  peer " << node.peer_listen;
    *text << "  home " << node.home.string() << "\n";
    list.push_back({{"id", node.id},
                    {"validator", !node.peer_listen.empty()},
                    {"ledger", node.ledger_listen},
                    {"ledger_tls_sha256", pin},
                    {"peer", node.peer_listen},
                    {"home", node.home.string()}});
  }
  (*data)["nodes"] = list;
  (*data)["running"] = running;
}

Status Create(const GlobalOptions& global, const TestnetOptions& options, std::string* text,
              nlohmann::json* data) {
  Result<fs::path> dir = TestnetDir(global, "testnet");
  if (!dir.ok()) return dir.status();
  JEJAK_RETURN_IF_ERROR(CheckCounts(options));
  JEJAK_RETURN_IF_ERROR(RefuseExistingNetwork(*dir));
  std::string jejakd;
  if (!options.no_start) {
    Result<std::string> found = FindJejakd(options.jejakd);
    if (!found.ok()) return found.status();
    jejakd = *found;
  }
  Result<LocalNetwork> net = BuildLocalNetwork(PlanFor(options));
  if (!net.ok()) return net.status();
  for (const NodePlan& node : net->nodes)
    JEJAK_RETURN_IF_ERROR(WriteNodeHome(*dir / node.id, *net, node));
  Result<std::vector<TestnetNode>> nodes = ListTestnetNodes(*dir);
  if (!nodes.ok()) return nodes.status();
  if (!options.no_start) JEJAK_RETURN_IF_ERROR(StartTestnetNodes(*nodes, jejakd, kStartWait));
  std::ostringstream out;
  out << "testnet " << net->genesis.chain_id << " in " << dir->string() << ": "
      << options.validators << " validator" << (options.validators == 1 ? ", " : "s, ")
      << options.observers << (options.observers == 1 ? " observer" : " observers")
      << (options.no_start ? " (not started)" : ", running") << "\n";
  Describe(*nodes, !options.no_start, &out, data);
  out << (options.no_start ? "start it with: jejak --home " : "stop it with: jejak --home ")
      << dir->string() << (options.no_start ? " testnet start\n" : " testnet stop\n")
      << "address a node with: jejak --home " << (*dir / nodes->front().id).string() << " status\n";
  *text = out.str();
  (*data)["home"] = dir->string();
  (*data)["chain_id"] = net->genesis.chain_id;
  return Status::Ok();
}

Status Start(const GlobalOptions& global, const TestnetOptions& options, std::string* text,
             nlohmann::json* data) {
  Result<fs::path> dir = TestnetDir(global, "testnet start");
  if (!dir.ok()) return dir.status();
  Result<std::vector<TestnetNode>> nodes = ListTestnetNodes(*dir);
  if (!nodes.ok()) return nodes.status();
  if (nodes->empty())
    return Status::NotFound(dir->string() + " holds no testnet (write one with `jejak testnet`)");
  Result<std::string> jejakd = FindJejakd(options.jejakd);
  if (!jejakd.ok()) return jejakd.status();
  JEJAK_RETURN_IF_ERROR(StartTestnetNodes(*nodes, *jejakd, kStartWait));
  std::ostringstream out;
  out << "testnet in " << dir->string() << " running\n";
  Describe(*nodes, true, &out, data);
  *text = out.str();
  return Status::Ok();
}

Status Stop(const GlobalOptions& global, std::string* text, nlohmann::json* data) {
  Result<fs::path> dir = TestnetDir(global, "testnet stop");
  if (!dir.ok()) return dir.status();
  Result<std::vector<TestnetNode>> nodes = ListTestnetNodes(*dir);
  if (!nodes.ok()) return nodes.status();
  if (nodes->empty()) return Status::NotFound(dir->string() + " holds no testnet");
  std::vector<std::string> lines;
  JEJAK_RETURN_IF_ERROR(StopTestnetNodes(*nodes, kStopWait, &lines));
  std::ostringstream out;
  out << "testnet in " << dir->string() << " stopped\n";
  for (const std::string& line : lines) out << "  " << line << "\n";
  *text = out.str();
  (*data)["nodes"] = lines;
  return Status::Ok();
}

}  // namespace

void AddTestnetCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto testnet = std::make_shared<TestnetOptions>();
  CLI::App* command = app.add_subcommand(
      "testnet",
      "Write a local network of several nodes under --home DIR (one home per node) and start it");
  command->add_option("--validators", testnet->validators, "Number of validators (1..64)")
      ->capture_default_str();
  command
      ->add_option("--observers", testnet->observers,
                   "Number of observers (nodes that only follow)")
      ->capture_default_str();
  command->add_option("--chain-id", testnet->chain_id, "Chain id")->capture_default_str();
  command->add_option(
      "--org", testnet->orgs,
      "Organisation ID:ROLE,ROLE[:NAME] (repeatable); validators join them round-robin");
  command->add_flag("--no-start", testnet->no_start, "Write the network but start nothing");
  command->add_flag("--ledger-tls", testnet->ledger_tls,
                    "Serve every node's ledger service over TLS (clients pin its certificate)");
  command->add_option("--jejakd", testnet->jejakd, "The jejakd binary (default: beside jejak)");
  CLI::App* start =
      command->add_subcommand("start", "Start the stopped nodes of the testnet in --home DIR");
  CLI::App* stop = command->add_subcommand("stop", "Stop every node of the testnet in --home DIR");
  start->add_option("--jejakd", testnet->jejakd, "The jejakd binary (default: beside jejak)");
  command->callback([&, testnet, start, stop] {
    Output out(options);
    std::string text;
    nlohmann::json data = nlohmann::json::object();
    Status status = stop->parsed()    ? Stop(options, &text, &data)
                    : start->parsed() ? Start(options, *testnet, &text, &data)
                                      : Create(options, *testnet, &text, &data);
    if (!status.ok()) {
      exit_code = out.Fail(status);
      return;
    }
    out.Print(text, data);
    exit_code = 0;
  });
}

}  // namespace jejak::cli
