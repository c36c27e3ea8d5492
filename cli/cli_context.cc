#include "cli/cli_context.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "node/crypto/tls_identity.h"
#include "node/config/config.h"
#include "node/ledger/genesis.h"
#include "node/net/tls_pin.h"

namespace jejak::cli {
namespace fs = std::filesystem;

namespace {
constexpr size_t kMaxCertificateBytes = 64 * 1024;
}  // namespace

void Output::Print(const std::string& human, const nlohmann::json& data) const {
  if (options_.json) {
    std::cout << data.dump(2) << "\n";
  } else {
    std::cout << human;
    if (!human.empty() && human.back() != '\n') std::cout << "\n";
  }
}

int Output::Fail(const Status& status, const std::string& note) const {
  std::string line = status.message() + (note.empty() ? "" : " (" + note + ")");
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  std::cerr << "jejak: " << line << "\n";
  if (options_.json) {
    nlohmann::json error{{"error", line}, {"code", StatusCodeName(status.code())}};
    // For scripts: the stable rule code, and which event (counted from 1) was refused.
    if (!status.rule_code().empty()) error["rule"] = status.rule_code();
    if (status.event_index()) error["event_number"] = *status.event_index() + 1;
    std::cout << error.dump() << "\n";
  }
  return status.code() == StatusCode::kUnavailable ? 3 : (status.IsInputFault() ? 1 : 2);
}

Result<std::string> ReadTextFile(const std::string& path, size_t max_bytes) {
  std::error_code error;
  if (!fs::exists(path, error)) return Status::NotFound("no such file: " + path);
  uintmax_t size = fs::file_size(path, error);
  if (error) return Status::IoError("cannot read " + path + ": " + error.message());
  if (size > max_bytes) {
    return Status::ResourceExhausted(path + " is " + std::to_string(size) + " bytes, more than the " +
                                     std::to_string(max_bytes) + " accepted");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  // Read into one buffer of the file's size: a stream copy would hold the text twice (a 200 MB
  // proof bundle cost 400 MB before it was parsed).
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status::IoError("cannot read " + path);
  text.resize(static_cast<size_t>(in.gcount()));  // the file shrank under us: keep what is there
  return text;
}

Result<std::string> GenesisPath(const GlobalOptions& options) {
  if (!options.genesis_path.empty()) return options.genesis_path;
  if (options.home.empty()) return Status::Invalid("say which genesis to use: --genesis FILE or --home DIR");
  return (fs::path(options.home) / kGenesisFile).string();
}

Result<net::LedgerEndpoint> HomeLedgerEndpoint(const config::NodeConfig& config) {
  net::LedgerEndpoint endpoint{config.ledger_listen, ""};
  if (!config.ledger_tls) return endpoint;
  Result<std::string> certificate = ReadTextFile(config.tls_cert_path, kMaxCertificateBytes);
  if (!certificate.ok()) return certificate.status().WithContext("[ledger_service] tls: the node's certificate");
  Result<std::string> fingerprint = crypto::CertificateFingerprint(*certificate);
  if (!fingerprint.ok()) return fingerprint.status().WithContext(config.tls_cert_path);
  endpoint.tls_fingerprint = std::move(*fingerprint);
  return endpoint;
}

Result<net::LedgerEndpoint> HomeLedgerEndpoint(const std::string& home) {
  Result<config::NodeConfig> config = config::LoadNodeConfig(home);
  if (!config.ok()) return config.status();
  return HomeLedgerEndpoint(*config);
}

// --tls-pin: 64 hex digits, or a validator id whose pin the genesis holds.
Result<std::string> TlsPin(const GlobalOptions& options) {
  const std::string& pin = options.tls_pin_hex;
  if (Result<std::string> hex = net::ParseFingerprintHex(pin, "--tls-pin"); hex.ok()) return hex;
  const std::string wrong = "--tls-pin must be 64 hex digits (the SHA-256 of the node's certificate) "
                            "or the id of a validator in the genesis";
  Result<std::string> path = GenesisPath(options);
  if (!path.ok()) return Status::Invalid(wrong + " (--genesis FILE)");
  Result<std::string> text = ReadTextFile(*path, ledger::kMaxGenesisBytes);
  if (!text.ok()) return text.status().WithContext("--tls-pin " + pin);
  Result<ledger::Genesis> genesis = ledger::ParseGenesis(*text);
  if (!genesis.ok()) return genesis.status().WithContext(*path);
  std::string ids;
  for (const ledger::Validator& validator : genesis->validators) {
    if (validator.id == pin) return validator.tls_cert_sha256;
    ids += (ids.empty() ? "" : ", ") + validator.id;
  }
  return Status::Invalid(wrong + ": '" + pin + "' is neither (validators of " + genesis->chain_id +
                         ": " + ids + ")");
}

Result<net::LedgerEndpoint> NodeEndpoint(const GlobalOptions& options) {
  net::LedgerEndpoint endpoint{options.node_address, ""};
  if (endpoint.address.empty()) {
    if (options.home.empty()) return Status::Invalid("say which node to ask: --node HOST:PORT or --home DIR");
    Result<net::LedgerEndpoint> home = HomeLedgerEndpoint(options.home);
    if (!home.ok()) return home.status();
    endpoint = std::move(*home);
  }
  if (!options.tls_pin_hex.empty()) {
    Result<std::string> pin = TlsPin(options);
    if (!pin.ok()) return pin.status();
    endpoint.tls_fingerprint = std::move(*pin);
  }
  return endpoint;
}

Result<crypto::PrivateKey> LoadSigningKey(const GlobalOptions& options) {
  if (!options.key_path.empty()) return crypto::PrivateKey::LoadPem(options.key_path);
  if (options.home.empty()) return Status::Invalid("say which key signs: --key FILE or --home DIR");
  fs::path keys = fs::path(options.home) / kAgentKeysDir;
  if (!options.as_org.empty()) return crypto::PrivateKey::LoadPem((keys / (options.as_org + ".pem")).string());
  std::vector<fs::path> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(keys, error)) {
    if (entry.path().extension() == ".pem") found.push_back(entry.path());
  }
  if (found.size() == 1) return crypto::PrivateKey::LoadPem(found[0].string());
  if (found.empty()) return Status::NotFound("no agent key in " + keys.string() + ": use --key FILE");
  return Status::Invalid(keys.string() + " holds " + std::to_string(found.size()) +
                         " agent keys: say which organisation signs with --as ORG");
}

}  // namespace jejak::cli
