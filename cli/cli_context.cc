#include "cli/cli_context.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "node/daemon/config.h"

namespace jejak::cli {
namespace fs = std::filesystem;

void Output::Print(const std::string& human, const nlohmann::json& data) const {
  if (options_.json) {
    std::cout << data.dump(2) << "\n";
  } else {
    std::cout << human;
    if (!human.empty() && human.back() != '\n') std::cout << "\n";
  }
}

int Output::Fail(const Status& status) const {
  std::string line = status.message();
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  std::cerr << "jejak: " << line << "\n";
  if (options_.json) {
    std::cout << nlohmann::json{{"error", line}, {"code", StatusCodeName(status.code())}}.dump()
              << "\n";
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
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::string> GenesisPath(const GlobalOptions& options) {
  if (!options.genesis_path.empty()) return options.genesis_path;
  if (options.home.empty()) return Status::Invalid("say which genesis to use: --genesis FILE or --home DIR");
  return (fs::path(options.home) / kGenesisFile).string();
}

Result<std::string> NodeAddress(const GlobalOptions& options) {
  if (!options.node_address.empty()) return options.node_address;
  if (options.home.empty()) return Status::Invalid("say which node to ask: --node HOST:PORT or --home DIR");
  Result<daemon::NodeConfig> config = daemon::LoadNodeConfig(options.home);
  if (!config.ok()) return config.status();
  return config->ledger_listen;
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
