// jejak init: a ready single-node network in one directory (keys, TLS identity, genesis, config),
// which `jejakd --home DIR` runs. Everything is generated and checked in memory first; files are
// written only when the whole network is valid, and an existing network is never overwritten.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "node/crypto/tls_identity.h"
#include "node/daemon/config.h"
#include "node/ledger/genesis.h"
#include "node/net/free_port.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

struct InitOptions {
  std::string chain_id = "jejak-local";
  std::vector<std::string> orgs;
  std::string listen;
  std::string validator_id = "validator-1";
};

// What init writes, built completely before anything touches the disk.
struct Network {
  ledger::Genesis genesis;
  std::vector<std::pair<std::string, crypto::PrivateKey>> agent_keys;  // organisation id, key
  std::optional<crypto::PrivateKey> node_key;
  crypto::TlsIdentity tls;
  daemon::NodeConfig config;
};

// "ID:ROLE,ROLE[:Display name]"
Result<ledger::Organisation> ParseOrg(const std::string& spec) {
  size_t first = spec.find(':');
  if (first == std::string::npos || first == 0) {
    return Status::Invalid("--org '" + spec + "' is not ID:ROLE,ROLE[:NAME] (e.g. gayo:producer,processor)");
  }
  ledger::Organisation org;
  org.id = spec.substr(0, first);
  size_t second = spec.find(':', first + 1);
  std::string roles = spec.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  org.name = second == std::string::npos ? org.id : spec.substr(second + 1);
  std::stringstream list(roles);
  for (std::string role; std::getline(list, role, ',');) {
    std::optional<ledger::Role> parsed = ledger::RoleFromName(role);
    if (!parsed) {
      return Status::Invalid("--org '" + spec + "': '" + role +
                             "' is not a role (producer, processor, logistics, certifier, auditor)");
    }
    org.roles.push_back(*parsed);
  }
  return org;
}

// A new file (O_EXCL: never replaces one), mode 0644.
Status WritePublicFile(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return errno == EEXIST ? Status::AlreadyExists(path.string() + " exists: refusing to overwrite it")
                           : Status::IoError("cannot create " + path.string());
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Status::IoError("cannot write " + path.string());
}

Result<Network> BuildNetwork(const fs::path& home, const InitOptions& options) {
  Network net;
  net.genesis.chain_id = options.chain_id;
  net.genesis.governance_threshold = 1;
  std::vector<std::string> specs = options.orgs;
  if (specs.empty()) specs.push_back("koperasi:producer,processor,logistics:Koperasi");
  for (const std::string& spec : specs) {
    Result<ledger::Organisation> org = ParseOrg(spec);
    if (!org.ok()) return org.status();
    Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
    if (!key.ok()) return key.status();
    org->agent_keys.push_back({"clerk", key->public_key(), true});
    net.agent_keys.emplace_back(org->id, std::move(*key));
    net.genesis.organisations.push_back(std::move(*org));
  }
  Result<crypto::PrivateKey> node_key = crypto::PrivateKey::Generate();
  Result<crypto::TlsIdentity> tls = crypto::GenerateTlsIdentity(options.validator_id);
  if (!node_key.ok()) return node_key.status();
  if (!tls.ok()) return tls.status();
  Result<std::string> fingerprint = crypto::CertificateFingerprint(tls->certificate_pem);
  Result<int> peer_port = net::FreeLoopbackPort();
  if (!fingerprint.ok()) return fingerprint.status();
  if (!peer_port.ok()) return peer_port.status();
  net.genesis.validators.push_back({options.validator_id, net.genesis.organisations.front().id,
                                    node_key->public_key(), "127.0.0.1:" + std::to_string(*peer_port),
                                    *fingerprint});
  net.node_key = std::move(*node_key);
  net.tls = std::move(*tls);
  JEJAK_RETURN_IF_ERROR(ledger::ValidateGenesis(net.genesis));

  std::string listen = options.listen;
  if (listen.empty()) {
    Result<int> port = net::FreeLoopbackPort();
    if (!port.ok()) return port.status();
    listen = "127.0.0.1:" + std::to_string(*port);
  }
  Result<daemon::NodeConfig> config = daemon::ParseNodeConfig(
      "[node]\nid = \"" + options.validator_id + "\"\n[ledger_service]\nlisten = \"" + listen + "\"\n",
      home.string());
  if (!config.ok()) return config.status().WithContext("--listen or --validator-id");
  net.config = std::move(*config);
  return net;
}

Status WriteNetwork(const fs::path& home, const Network& net) {
  std::error_code error;
  fs::create_directories(home / kAgentKeysDir, error);
  if (!error) fs::create_directories(home / "tls", error);
  if (error) return Status::IoError("cannot create " + home.string() + ": " + error.message());
  for (const auto& [org, key] : net.agent_keys) {
    JEJAK_RETURN_IF_ERROR(key.SavePem((home / kAgentKeysDir / (org + ".pem")).string()));
  }
  JEJAK_RETURN_IF_ERROR(net.node_key->SavePem((home / kNodeKeyFile).string()));
  JEJAK_RETURN_IF_ERROR(crypto::SaveTlsIdentity(net.tls, (home / "tls" / "node.crt").string(),
                                                (home / "tls" / "node.key").string()));
  JEJAK_RETURN_IF_ERROR(WritePublicFile(home / daemon::kConfigFileName, daemon::NodeConfigToToml(net.config)));
  // Last: its presence marks a complete network.
  return WritePublicFile(home / kGenesisFile, ledger::GenesisToJson(net.genesis, 2) + "\n");
}

Status Init(const std::string& home_dir, const InitOptions& options, std::string* summary) {
  if (home_dir.empty()) return Status::Invalid("say where: jejak --home DIR init");
  std::error_code error;
  fs::path home = fs::absolute(home_dir, error);
  if (error) return Status::Invalid("cannot use " + home_dir + ": " + error.message());
  if (fs::exists(home / kGenesisFile, error)) {
    return Status::AlreadyExists(home.string() + " already holds a network (genesis.json): refusing to overwrite it");
  }
  Result<Network> net = BuildNetwork(home, options);
  if (!net.ok()) return net.status();
  JEJAK_RETURN_IF_ERROR(WriteNetwork(home, *net));
  std::ostringstream text;
  text << "initialised chain " << net->genesis.chain_id << " in " << home.string() << "\n"
       << "  ledger service: " << net->config.ledger_listen << "\n";
  for (const ledger::Organisation& org : net->genesis.organisations) {
    text << "  organisation " << org.id << ": key " << (home / kAgentKeysDir / (org.id + ".pem")).string() << "\n";
  }
  text << "start the node with: jejakd --home " << home.string() << "\n";
  *summary = text.str();
  return Status::Ok();
}

}  // namespace

void AddInitCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto init = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand("init", "Write a ready single-node network into --home DIR");
  command->add_option("--chain-id", init->chain_id, "Chain id")->capture_default_str();
  command->add_option("--org", init->orgs,
                      "Organisation ID:ROLE,ROLE[:NAME] (repeatable; roles: producer, processor, "
                      "logistics, certifier, auditor). The first one runs the validator.");
  command->add_option("--listen", init->listen, "Ledger service address (default: a free 127.0.0.1 port)");
  command->add_option("--validator-id", init->validator_id, "Validator id")->capture_default_str();
  command->callback([&, init] {
    Output out(options);
    std::string summary;
    Status status = Init(options.home, *init, &summary);
    if (!status.ok()) {
      exit_code = out.Fail(status);
      return;
    }
    out.Print(summary, {{"home", options.home}, {"chain_id", init->chain_id}});
    exit_code = 0;
  });
}

}  // namespace jejak::cli
