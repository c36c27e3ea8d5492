// jejak init: a ready single-node network in one directory (keys, TLS identity, genesis, config),
// which `jejakd --home DIR` runs.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "node/crypto/hex.h"
#include "node/crypto/tls_identity.h"
#include "node/daemon/config.h"
#include "node/ledger/genesis.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

struct InitOptions {
  std::string chain_id = "jejak-local";
  std::vector<std::string> orgs;
  std::string listen;
  std::string validator_id = "validator-1";
};

Result<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
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

Status WriteNewFile(const fs::path& path, const std::string& text, fs::perms perms) {
  if (fs::exists(path)) return Status::AlreadyExists(path.string() + " exists: refusing to overwrite it");
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return Status::IoError("cannot write " + path.string());
  std::error_code error;
  fs::permissions(path, perms, error);
  return error ? Status::IoError("cannot set the mode of " + path.string()) : Status::Ok();
}

Status MakeAgentKeys(const fs::path& home, ledger::Genesis& genesis) {
  fs::create_directories(home / kAgentKeysDir);
  for (ledger::Organisation& org : genesis.organisations) {
    Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
    if (!key.ok()) return key.status();
    JEJAK_RETURN_IF_ERROR(key->SavePem((home / kAgentKeysDir / (org.id + ".pem")).string()));
    org.agent_keys.push_back({"clerk", key->public_key(), true});
  }
  return Status::Ok();
}

Status MakeValidator(const fs::path& home, const InitOptions& options, ledger::Genesis& genesis) {
  Result<crypto::PrivateKey> node_key = crypto::PrivateKey::Generate();
  if (!node_key.ok()) return node_key.status();
  JEJAK_RETURN_IF_ERROR(node_key->SavePem((home / kNodeKeyFile).string()));
  Result<crypto::TlsIdentity> tls = crypto::GenerateTlsIdentity(options.validator_id);
  if (!tls.ok()) return tls.status();
  fs::create_directories(home / "tls");
  JEJAK_RETURN_IF_ERROR(WriteNewFile(home / "tls" / "node.crt", tls->certificate_pem,
                                     fs::perms::owner_read | fs::perms::owner_write |
                                         fs::perms::group_read | fs::perms::others_read));
  JEJAK_RETURN_IF_ERROR(WriteNewFile(home / "tls" / "node.key", tls->private_key_pem,
                                     fs::perms::owner_read | fs::perms::owner_write));
  Result<std::string> fingerprint = crypto::CertificateFingerprint(tls->certificate_pem);
  if (!fingerprint.ok()) return fingerprint.status();
  Result<int> peer_port = FreeLoopbackPort();
  if (!peer_port.ok()) return peer_port.status();
  genesis.validators.push_back({options.validator_id, genesis.organisations.front().id,
                                node_key->public_key(), "127.0.0.1:" + std::to_string(*peer_port),
                                *fingerprint});
  return Status::Ok();
}

Result<daemon::NodeConfig> MakeConfig(const fs::path& home, const InitOptions& options) {
  std::string listen = options.listen;
  if (listen.empty()) {
    Result<int> port = FreeLoopbackPort();
    if (!port.ok()) return port.status();
    listen = "127.0.0.1:" + std::to_string(*port);
  }
  std::string toml = "[node]\nid = \"" + options.validator_id + "\"\n[ledger_service]\nlisten = \"" +
                     listen + "\"\n";
  return daemon::ParseNodeConfig(toml, home.string());
}

Status Init(const std::string& home_dir, const InitOptions& options, std::string* summary) {
  if (home_dir.empty()) return Status::Invalid("say where: jejak --home DIR init");
  fs::path home = fs::absolute(home_dir);
  if (fs::exists(home / kGenesisFile)) {
    return Status::AlreadyExists(home.string() + " already holds a network (genesis.json): refusing to overwrite it");
  }
  ledger::Genesis genesis;
  genesis.chain_id = options.chain_id;
  std::vector<std::string> specs = options.orgs;
  if (specs.empty()) specs.push_back("koperasi:producer,processor,logistics:Koperasi");
  for (const std::string& spec : specs) {
    Result<ledger::Organisation> org = ParseOrg(spec);
    if (!org.ok()) return org.status();
    genesis.organisations.push_back(std::move(*org));
  }
  genesis.governance_threshold = 1;
  Result<daemon::NodeConfig> config = MakeConfig(home, options);  // checks --listen before writing
  if (!config.ok()) return config.status();
  std::error_code error;
  fs::create_directories(home, error);
  if (error) return Status::IoError("cannot create " + home.string() + ": " + error.message());
  JEJAK_RETURN_IF_ERROR(MakeAgentKeys(home, genesis));
  JEJAK_RETURN_IF_ERROR(MakeValidator(home, options, genesis));
  JEJAK_RETURN_IF_ERROR(ledger::ValidateGenesis(genesis));
  fs::perms readable = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                       fs::perms::others_read;
  JEJAK_RETURN_IF_ERROR(WriteNewFile(home / kGenesisFile, ledger::GenesisToJson(genesis, 2) + "\n", readable));
  JEJAK_RETURN_IF_ERROR(WriteNewFile(home / daemon::kConfigFileName, daemon::NodeConfigToToml(*config), readable));
  std::ostringstream text;
  text << "initialised chain " << genesis.chain_id << " in " << home.string() << "\n"
       << "  ledger service: " << config->ledger_listen << "\n";
  for (const ledger::Organisation& org : genesis.organisations) {
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
    out.Print(summary, {{"home", fs::absolute(options.home).string()}, {"chain_id", init->chain_id}});
    exit_code = 0;
  });
}

}  // namespace jejak::cli
