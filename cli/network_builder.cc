#include "cli/network_builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <set>
#include <sstream>

#include "cli/cli_context.h"
#include "node/crypto/hex.h"
#include "node/config/config.h"
#include "node/storage/safety_record.h"
#include "node/net/free_port.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kDefaultOrg = "koperasi:producer,processor,logistics:Koperasi";
constexpr int kMaxPortAttempts = 200;

// A new file (O_EXCL: never replaces one), mode 0644, synced.
Status WritePublicFile(const fs::path& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return errno == EEXIST
               ? Status::AlreadyExists(path.string() + " exists: refusing to overwrite it")
               : Status::IoError("cannot create " + path.string());
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Status::IoError("cannot write " + path.string());
}

// Free ports found one at a time can repeat (the kernel may hand out a released port again):
// remember what this network already uses.
class PortPicker {
 public:
  Result<std::string> Next() {
    for (int attempt = 0; attempt < kMaxPortAttempts; ++attempt) {
      Result<int> port = net::FreeLoopbackPort();
      if (!port.ok()) return port.status();
      if (used_.insert(*port).second) return "127.0.0.1:" + std::to_string(*port);
    }
    return Status::IoError("cannot find enough distinct free ports on 127.0.0.1");
  }
  void Reserve(const std::string& address) {
    size_t colon = address.rfind(':');
    if (colon != std::string::npos) used_.insert(std::atoi(address.c_str() + colon + 1));
  }

 private:
  std::set<int> used_;
};

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

// The whole configuration, every key written out (defaults from config::NodeConfig), so a reader
// of config.toml sees what the node runs with.
std::string ConfigText(const NodePlan& node, const std::vector<config::BlockSyncSource>& sync_sources) {
  const config::ConsensusTimeouts t;
  const config::Limits l;
  std::ostringstream out;
  out << "# jejakd node configuration. Paths are relative to this directory.\n"
      << "[node]\nid = " << Quoted(node.id) << "\nrole = "
      << (node.validator ? "\"validator\"" : "\"observer\"  # follows by block sync, never votes")
      << "\ngenesis = \"genesis.json\"\ndata_dir = \"data\"\n"
      << "key = \"node_key.pem\"\nlog_level = \"info\"\n\n"
      << "[ledger_service]\nlisten = " << Quoted(node.ledger_listen) << "\n";
  if (node.ledger_tls) out << "tls = true  # clients pin tls/node.crt's SHA-256\n";
  out << "\n";
  if (!node.peer_listen.empty()) {
    out << "[peer_service]  # consensus with the other validators (mutual TLS, tls/node.crt)\n"
        << "listen = " << Quoted(node.peer_listen) << "\n\n";
  }
  if (!sync_sources.empty()) {
    out << "[block_sync]  # other nodes' ledger services: blocks are fetched there when "
           "behind\nsources = [";
    for (size_t i = 0; i < sync_sources.size(); ++i) {
      const config::BlockSyncSource& source = sync_sources[i];
      out << (i ? ",\n  " : "\n  ");
      if (source.tls_cert_sha256_hex.empty()) {
        out << Quoted(source.address);
      } else {
        out << "{ address = " << Quoted(source.address)
            << ", tls_cert_sha256 = " << Quoted(source.tls_cert_sha256_hex) << " }";
      }
    }
    out << ",\n]\n\n";
  }
  out << "[consensus]\ntimeout_propose_ms = " << t.propose_ms
      << "\ntimeout_prevote_ms = " << t.prevote_ms << "\ntimeout_precommit_ms = " << t.precommit_ms
      << "\ntimeout_increase_per_round_ms = " << t.increase_per_round_ms
      << "\ntick_ms = " << t.tick_ms
      << "\n\n[limits]\nmempool_max_events = " << l.mempool_max_events
      << "\nmax_block_events = " << l.max_block_events
      << "\nmax_request_bytes = " << l.max_request_bytes
      << "\nmax_events_per_request = " << l.max_events_per_request
      << "\nverify_threads = " << l.verify_threads << "\n";
  return out.str();
}

Status AddOrganisations(const NetworkPlan& plan, LocalNetwork* net) {
  std::vector<std::string> specs = plan.org_specs;
  if (specs.empty()) specs.push_back(kDefaultOrg);
  std::set<std::string> seen;
  for (const std::string& spec : specs) {
    Result<ledger::Organisation> org = ParseOrgSpec(spec);
    if (!org.ok()) return org.status();
    if (!seen.insert(org->id).second)
      return Status::Invalid("--org '" + org->id + "' is given twice");
    Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
    if (!key.ok()) return key.status();
    Result<crypto::PrivateKey> admin = crypto::PrivateKey::Generate();
    if (!admin.ok()) return admin.status();
    org->agent_keys.push_back({"clerk", key->public_key(), true});
    org->agent_keys.push_back({"admin", admin->public_key(), true, true});
    net->agent_keys.emplace_back(org->id, std::move(*key));
    net->admin_keys.emplace_back(org->id, std::move(*admin));
    net->genesis.organisations.push_back(std::move(*org));
  }
  return Status::Ok();
}

Result<NodePlan> MakeNode(const std::string& id, bool validator, PortPicker& ports,
                          std::string ledger_listen) {
  Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
  if (!key.ok()) return key.status();
  Result<crypto::TlsIdentity> tls = crypto::GenerateTlsIdentity(id);
  if (!tls.ok()) return tls.status();
  NodePlan node{id, validator, std::move(*key), std::move(*tls), std::move(ledger_listen), "", false, ""};
  if (node.ledger_listen.empty()) {
    Result<std::string> address = ports.Next();
    if (!address.ok()) return address.status();
    node.ledger_listen = *address;
  }
  if (validator) {
    Result<std::string> address = ports.Next();
    if (!address.ok()) return address.status();
    node.peer_listen = *address;
  }
  return node;
}

Status AddValidator(const NodePlan& node, size_t index, ledger::Genesis* genesis) {
  Result<std::string> fingerprint = crypto::CertificateFingerprint(node.tls.certificate_pem);
  if (!fingerprint.ok()) return fingerprint.status();
  const std::string& org = genesis->organisations[index % genesis->organisations.size()].id;
  genesis->validators.push_back(
      {node.id, org, node.node_key.public_key(), node.peer_listen, *fingerprint});
  return Status::Ok();
}

// Each node's config names every other node's ledger service as a block source (pinned by its
// certificate when it serves TLS).
Status WriteConfigs(LocalNetwork* net) {
  for (NodePlan& node : net->nodes) {
    std::vector<config::BlockSyncSource> sources;
    for (const NodePlan& other : net->nodes) {
      if (other.id == node.id) continue;
      config::BlockSyncSource source{other.ledger_listen, ""};
      if (other.ledger_tls) {
        Result<std::string> fingerprint = crypto::CertificateFingerprint(other.tls.certificate_pem);
        if (!fingerprint.ok()) return fingerprint.status();
        source.tls_cert_sha256_hex = crypto::ToHex(*fingerprint);
      }
      sources.push_back(std::move(source));
    }
    node.config_toml = ConfigText(node, sources);
    Result<config::NodeConfig> parsed = config::ParseNodeConfig(node.config_toml, "/");
    if (!parsed.ok()) return parsed.status().WithContext("node " + node.id);
  }
  return Status::Ok();
}

}  // namespace

Result<ledger::Organisation> ParseOrgSpec(const std::string& spec) {
  size_t first = spec.find(':');
  if (first == std::string::npos || first == 0) {
    return Status::Invalid("--org '" + spec +
                           "' is not ID:ROLE,ROLE[:NAME] (e.g. gayo:producer,processor)");
  }
  ledger::Organisation org;
  org.id = spec.substr(0, first);
  size_t second = spec.find(':', first + 1);
  std::string roles =
      spec.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  org.name = second == std::string::npos ? org.id : spec.substr(second + 1);
  std::stringstream list(roles);
  for (std::string role; std::getline(list, role, ',');) {
    std::optional<ledger::Role> parsed = ledger::RoleFromName(role);
    if (!parsed) {
      return Status::Invalid(
          "--org '" + spec + "': '" + role +
          "' is not a role (producer, processor, logistics, certifier, auditor)");
    }
    org.roles.push_back(*parsed);
  }
  return org;
}

Result<LocalNetwork> BuildLocalNetwork(const NetworkPlan& plan) {
  if (plan.validator_ids.empty()) return Status::Invalid("a network needs at least one validator");
  if (plan.validator_ids.size() > kMaxTestnetValidators) {
    return Status::Invalid("at most " + std::to_string(kMaxTestnetValidators) + " validators");
  }
  if (plan.observer_ids.size() > kMaxTestnetObservers) {
    return Status::Invalid("at most " + std::to_string(kMaxTestnetObservers) + " observers");
  }
  LocalNetwork net;
  net.genesis.chain_id = plan.chain_id;
  // Two thirds of the member organisations apply a governance change.
  net.genesis.governance_threshold = *epcis::Quantity::Parse("0.67");
  JEJAK_RETURN_IF_ERROR(AddOrganisations(plan, &net));
  PortPicker ports;
  if (!plan.first_ledger_listen.empty()) ports.Reserve(plan.first_ledger_listen);
  std::set<std::string> ids;
  for (size_t i = 0; i < plan.validator_ids.size() + plan.observer_ids.size(); ++i) {
    bool validator = i < plan.validator_ids.size();
    const std::string& id =
        validator ? plan.validator_ids[i] : plan.observer_ids[i - plan.validator_ids.size()];
    if (!ids.insert(id).second) return Status::Invalid("node id '" + id + "' is given twice");
    Result<NodePlan> node = MakeNode(id, validator, ports, i == 0 ? plan.first_ledger_listen : "");
    if (!node.ok()) return node.status();
    node->ledger_tls = plan.ledger_tls;
    if (validator) JEJAK_RETURN_IF_ERROR(AddValidator(*node, i, &net.genesis));
    net.nodes.push_back(std::move(*node));
  }
  JEJAK_RETURN_IF_ERROR(ledger::ValidateGenesis(net.genesis));
  JEJAK_RETURN_IF_ERROR(WriteConfigs(&net));
  return net;
}

Status WriteNodeHome(const fs::path& home, const LocalNetwork& net, const NodePlan& node) {
  std::error_code error;
  fs::create_directories(home / kAgentKeysDir / kAdminKeysDir, error);
  if (!error) fs::create_directories(home / "tls", error);
  if (error) return Status::IoError("cannot create " + home.string() + ": " + error.message());
  for (const auto& [org, key] : net.agent_keys) {
    JEJAK_RETURN_IF_ERROR(key.SavePem((home / kAgentKeysDir / (org + ".pem")).string()));
  }
  for (const auto& [org, key] : net.admin_keys) {
    JEJAK_RETURN_IF_ERROR(key.SavePem((home / kAgentKeysDir / kAdminKeysDir / (org + ".pem")).string()));
  }
  JEJAK_RETURN_IF_ERROR(node.node_key.SavePem((home / kNodeKeyFile).string()));
  // A new key has signed nothing: its validator may vote from the start (an observer's is unused).
  JEJAK_RETURN_IF_ERROR(storage::CreateEmptySafetyRecord((home / kNodeKeyFile).string()));
  JEJAK_RETURN_IF_ERROR(crypto::SaveTlsIdentity(node.tls, (home / "tls" / "node.crt").string(),
                                                (home / "tls" / "node.key").string()));
  JEJAK_RETURN_IF_ERROR(WritePublicFile(home / config::kConfigFileName, node.config_toml));
  // Last: its presence marks a complete home.
  return WritePublicFile(home / kGenesisFile, ledger::GenesisToJson(net.genesis, 2) + "\n");
}

}  // namespace jejak::cli
