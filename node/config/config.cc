#include "node/config/config.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace jejak::config {
namespace {

namespace fs = std::filesystem;

std::string Resolve(const std::string& home_dir, const std::string& path) {
  if (path.empty()) return path;
  fs::path p(path);
  return p.is_absolute() ? p.lexically_normal().string() : (fs::path(home_dir) / p).lexically_normal().string();
}

std::string Relative(const std::string& home_dir, const std::string& path) {
  fs::path rel = fs::path(path).lexically_relative(home_dir);
  return (rel.empty() || rel.native().starts_with("..")) ? path : rel.string();
}

Status ReadString(const toml::table& table, const char* section, const char* key, bool required,
                  std::string* out) {
  const toml::node* node = table.at_path(std::string(section) + "." + key).node();
  if (node == nullptr) {
    if (required) return Status::Invalid(std::string("config: [") + section + "] " + key + " is missing");
    return Status::Ok();
  }
  if (!node->is_string()) {
    return Status::Invalid(std::string("config: [") + section + "] " + key + " must be a string");
  }
  *out = node->as_string()->get();
  return Status::Ok();
}

Status ReadBounded(const toml::table& table, const char* section, const char* key, int64_t min,
                   int64_t max, uint32_t* out) {
  const toml::node* node = table.at_path(std::string(section) + "." + key).node();
  if (node == nullptr) return Status::Ok();  // keep the default
  std::string name = std::string("config: [") + section + "] " + key;
  if (!node->is_integer()) return Status::Invalid(name + " must be an integer");
  int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    return Status::Invalid(name + " = " + std::to_string(value) + " is outside " +
                           std::to_string(min) + ".." + std::to_string(max));
  }
  *out = static_cast<uint32_t>(value);
  return Status::Ok();
}

Status ReadAddressList(const toml::table& table, const char* section, const char* key, size_t max,
                       std::vector<std::string>* out) {
  const std::string name = std::string("config: [") + section + "] " + key;
  const toml::node* node = table.at_path(std::string(section) + "." + key).node();
  if (node == nullptr) return Status::Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return Status::Invalid(name + " must be a list of host:port");
  if (array->size() > max) {
    return Status::Invalid(name + " lists more than " + std::to_string(max) + " addresses");
  }
  for (const toml::node& entry : *array) {
    if (!entry.is_string()) return Status::Invalid(name + " must be strings");
    out->push_back(entry.as_string()->get());
  }
  return Status::Ok();
}

Status CheckAddress(const std::string& key, const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
    return Status::Invalid("config: " + key + " '" + address + "' is not host:port");
  }
  for (size_t i = colon + 1; i < address.size(); ++i) {
    if (address[i] < '0' || address[i] > '9') {
      return Status::Invalid("config: " + key + " '" + address + "' has a port that is not a number");
    }
  }
  return Status::Ok();
}

Status ReadBool(const toml::table& table, const char* section, const char* key, bool* out) {
  const toml::node* node = table.at_path(std::string(section) + "." + key).node();
  if (node == nullptr) return Status::Ok();  // keep the default
  if (!node->is_boolean()) {
    return Status::Invalid(std::string("config: [") + section + "] " + key + " must be true or false");
  }
  *out = node->as_boolean()->get();
  return Status::Ok();
}

bool IsSha256Hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// One entry of [block_sync] sources: "host:port" or { address = ..., tls_cert_sha256 = ... }.
Result<BlockSyncSource> ReadBlockSyncSource(const toml::node& entry) {
  const std::string name = "config: [block_sync] sources";
  if (entry.is_string()) return BlockSyncSource{entry.as_string()->get(), ""};
  const toml::table* table = entry.as_table();
  if (table == nullptr) {
    return Status::Invalid(name + " entries must be \"host:port\" or { address = \"host:port\", "
                           "tls_cert_sha256 = \"<64 hex digits>\" }");
  }
  for (const auto& [key, value] : *table) {
    if (key != "address" && key != "tls_cert_sha256") {
      return Status::Invalid(name + ": unknown key '" + std::string(key.str()) +
                             "' (expected address, tls_cert_sha256)");
    }
  }
  const toml::node* address = table->get("address");
  const toml::node* pin = table->get("tls_cert_sha256");
  if (address == nullptr || !address->is_string()) {
    return Status::Invalid(name + ": an entry written as a table needs address = \"host:port\"");
  }
  BlockSyncSource source{address->as_string()->get(), ""};
  if (pin != nullptr) {
    std::string hex = pin->is_string() ? pin->as_string()->get() : "";
    if (!IsSha256Hex(hex)) {
      return Status::Invalid(name + ": tls_cert_sha256 of '" + source.address +
                             "' must be 64 hex digits (the SHA-256 of its certificate)");
    }
    for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    source.tls_cert_sha256_hex = hex;
  }
  return source;
}

Status ReadBlockSyncSources(const toml::table& table, const std::string& own_ledger_listen,
                            std::vector<BlockSyncSource>* out) {
  const std::string name = "config: [block_sync] sources";
  const toml::node* node = table.at_path("block_sync.sources").node();
  if (node == nullptr) return Status::Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return Status::Invalid(name + " must be a list");
  if (array->size() > kMaxBlockSyncSources) {
    return Status::Invalid(name + " lists more than " + std::to_string(kMaxBlockSyncSources) +
                           " sources");
  }
  std::set<std::string> seen;
  for (const toml::node& entry : *array) {
    Result<BlockSyncSource> source = ReadBlockSyncSource(entry);
    if (!source.ok()) return source.status();
    JEJAK_RETURN_IF_ERROR(CheckAddress("[block_sync] sources", source->address));
    if (!seen.insert(source->address).second) {
      return Status::Invalid(name + " lists '" + source->address + "' twice");
    }
    if (source->address == own_ledger_listen) {
      return Status::Invalid(name + " lists this node's own ledger service '" + source->address + "'");
    }
    out->push_back(std::move(*source));
  }
  return Status::Ok();
}

Status ReadConfig(const toml::table& table, NodeConfig* config) {
  std::string genesis = "genesis.json", data = "data", node_key = "node_key.pem";
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "id", true, &config->node_id));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "genesis", false, &genesis));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "data_dir", false, &data));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "key", false, &node_key));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "log_level", false, &config->log_level));
  std::string role = "validator";
  JEJAK_RETURN_IF_ERROR(ReadString(table, "node", "role", false, &role));
  if (role != "validator" && role != "observer") {
    return Status::Invalid("config: [node] role '" + role + "' is not validator or observer");
  }
  config->observer = role == "observer";
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warning", "error", "critical", "off"};
  if (!kLevels.contains(config->log_level)) {
    return Status::Invalid("config: [node] log_level '" + config->log_level +
                           "' is not one of trace, debug, info, warning, error, critical, off");
  }
  JEJAK_RETURN_IF_ERROR(ReadString(table, "ledger_service", "listen", true, &config->ledger_listen));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "peer_service", "listen", false, &config->peer_listen));
  JEJAK_RETURN_IF_ERROR(ReadAddressList(table, "peer_service", "peers", 1000, &config->peers));
  JEJAK_RETURN_IF_ERROR(ReadBool(table, "ledger_service", "tls", &config->ledger_tls));
  JEJAK_RETURN_IF_ERROR(CheckAddress("[ledger_service] listen", config->ledger_listen));
  ClientConnectionLimits& c = config->client_connections;
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "ledger_service", "max_connections", 16, 1'000'000, &c.max_connections));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "ledger_service", "max_connections_per_client", 1, 1'000'000,
                                    &c.max_connections_per_client));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "ledger_service", "first_byte_timeout_ms", 100, 600'000,
                                    &c.first_byte_timeout_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "ledger_service", "idle_timeout_ms", 1'000, 86'400'000,
                                    &c.idle_timeout_ms));
  JEJAK_RETURN_IF_ERROR(ReadBlockSyncSources(table, config->ledger_listen, &config->block_sync.sources));
  if (!config->peer_listen.empty()) {
    JEJAK_RETURN_IF_ERROR(CheckAddress("[peer_service] listen", config->peer_listen));
  }
  for (const std::string& peer : config->peers) {
    JEJAK_RETURN_IF_ERROR(CheckAddress("[peer_service] peers", peer));
  }
  std::string tls_cert = "tls/node.crt", tls_key = "tls/node.key";
  JEJAK_RETURN_IF_ERROR(ReadString(table, "peer_service", "tls_cert", false, &tls_cert));
  JEJAK_RETURN_IF_ERROR(ReadString(table, "peer_service", "tls_key", false, &tls_key));
  if (tls_cert.empty() || tls_key.empty()) {
    return Status::Invalid("config: [peer_service] tls_cert and tls_key must not be empty");
  }
  config->tls_cert_path = Resolve(config->home_dir, tls_cert);
  config->tls_key_path = Resolve(config->home_dir, tls_key);
  BlockSyncConfig& sync = config->block_sync;
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "block_sync", "poll_interval_ms", 10, 600'000, &sync.poll_interval_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "block_sync", "max_blocks_per_fetch", 1, 1'000,
                                    &sync.max_blocks_per_fetch));
  config->genesis_path = Resolve(config->home_dir, genesis);
  config->data_dir = Resolve(config->home_dir, data);
  config->node_key_path = Resolve(config->home_dir, node_key);

  ConsensusTimeouts& t = config->timeouts;
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "consensus", "timeout_propose_ms", 10, 600'000, &t.propose_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "consensus", "timeout_prevote_ms", 10, 600'000, &t.prevote_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "consensus", "timeout_precommit_ms", 10, 600'000, &t.precommit_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "consensus", "timeout_increase_per_round_ms", 0, 600'000,
                                    &t.increase_per_round_ms));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "consensus", "tick_ms", 1, 1'000, &t.tick_ms));
  Limits& l = config->limits;
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "limits", "mempool_max_events", 1, 10'000'000, &l.mempool_max_events));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "limits", "max_block_events", 1, kMaxBlockEventsBound,
                                    &l.max_block_events));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "limits", "max_request_bytes", 1024, 256 << 20, &l.max_request_bytes));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "limits", "max_events_per_request", 1, 1'000'000,
                                    &l.max_events_per_request));
  JEJAK_RETURN_IF_ERROR(ReadBounded(table, "limits", "verify_threads", 1, 64, &l.verify_threads));
  if (l.max_events_per_request > l.mempool_max_events) {
    return Status::Invalid("config: [limits] max_events_per_request (" + std::to_string(l.max_events_per_request) +
                           ") must not exceed mempool_max_events (" + std::to_string(l.mempool_max_events) +
                           "): such a request could never be queued");
  }
  return Status::Ok();
}

toml::table PeerServiceTable(const NodeConfig& config, toml::array peers) {
  toml::table table{{"listen", config.peer_listen}, {"peers", std::move(peers)}};
  // Unset (a config built in code): the reader's defaults under <home>/tls apply.
  if (!config.tls_cert_path.empty()) table.insert("tls_cert", Relative(config.home_dir, config.tls_cert_path));
  if (!config.tls_key_path.empty()) table.insert("tls_key", Relative(config.home_dir, config.tls_key_path));
  return table;
}

}  // namespace

Result<NodeConfig> ParseNodeConfig(const std::string& toml_text, const std::string& home_dir) {
  NodeConfig config;
  config.home_dir = fs::absolute(home_dir).lexically_normal().string();
  toml::table table;
  try {
    table = toml::parse(toml_text, std::string_view(kConfigFileName));
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << "config: " << error.description() << " at line " << error.source().begin.line;
    return Status::Invalid(message.str());
  }
  JEJAK_RETURN_IF_ERROR(ReadConfig(table, &config));
  return config;
}

Result<NodeConfig> LoadNodeConfig(const std::string& home_dir) {
  fs::path path = fs::path(home_dir) / kConfigFileName;
  std::ifstream in(path);
  if (!in) return Status::NotFound("no node configuration at " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return ParseNodeConfig(text.str(), home_dir);
}

Status CheckNodeRole(const NodeConfig& config, const std::string& chain_id,
                     const std::vector<std::string>& validator_ids) {
  std::string ids;
  bool listed = false;
  for (const std::string& id : validator_ids) {
    ids += (ids.empty() ? "" : ", ") + id;
    listed = listed || id == config.node_id;
  }
  if (config.observer && listed) {
    return Status::Invalid("config: [node] id '" + config.node_id + "' is a validator of chain " +
                           chain_id + ", but [node] role = \"observer\": give the "
                           "observer an id of its own, or remove role to run the validator");
  }
  if (!config.observer && !listed) {
    return Status::Invalid("config: [node] id '" + config.node_id + "' is not a validator of chain " +
                           chain_id + " (its validators: " + ids +
                           "): correct the id, or set [node] role = \"observer\" to follow the "
                           "chain without voting");
  }
  return Status::Ok();
}

std::string NodeConfigToToml(const NodeConfig& config) {
  toml::array peers;
  for (const std::string& peer : config.peers) peers.push_back(peer);
  toml::array sources;
  for (const BlockSyncSource& source : config.block_sync.sources) {
    if (source.tls_cert_sha256_hex.empty()) {
      sources.push_back(source.address);
    } else {
      sources.push_back(toml::table{{"address", source.address},
                                    {"tls_cert_sha256", source.tls_cert_sha256_hex}});
    }
  }
  const ConsensusTimeouts& t = config.timeouts;
  const Limits& l = config.limits;
  toml::table table{
      {"node", toml::table{{"id", config.node_id},
                           {"role", config.observer ? "observer" : "validator"},
                           {"genesis", Relative(config.home_dir, config.genesis_path)},
                           {"data_dir", Relative(config.home_dir, config.data_dir)},
                           {"key", Relative(config.home_dir, config.node_key_path)},
                           {"log_level", config.log_level}}},
      {"ledger_service", toml::table{{"listen", config.ledger_listen},
                                     {"tls", config.ledger_tls},
                                     {"max_connections", config.client_connections.max_connections},
                                     {"max_connections_per_client",
                                      config.client_connections.max_connections_per_client},
                                     {"first_byte_timeout_ms", config.client_connections.first_byte_timeout_ms},
                                     {"idle_timeout_ms", config.client_connections.idle_timeout_ms}}},
      {"peer_service", PeerServiceTable(config, std::move(peers))},
      {"block_sync", toml::table{{"sources", sources},
                                 {"poll_interval_ms", config.block_sync.poll_interval_ms},
                                 {"max_blocks_per_fetch", config.block_sync.max_blocks_per_fetch}}},
      {"consensus", toml::table{{"timeout_propose_ms", t.propose_ms},
                                {"timeout_prevote_ms", t.prevote_ms},
                                {"timeout_precommit_ms", t.precommit_ms},
                                {"timeout_increase_per_round_ms", t.increase_per_round_ms},
                                {"tick_ms", t.tick_ms}}},
      {"limits", toml::table{{"mempool_max_events", l.mempool_max_events},
                             {"max_block_events", l.max_block_events},
                             {"max_request_bytes", l.max_request_bytes},
                             {"max_events_per_request", l.max_events_per_request},
                             {"verify_threads", l.verify_threads}}},
  };
  std::ostringstream out;
  out << "# jejakd node configuration. Paths are relative to this directory.\n" << table << "\n";
  return out.str();
}

}  // namespace jejak::config
