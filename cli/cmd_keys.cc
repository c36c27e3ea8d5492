// jejak keys new --out DIR / jejak keys show
#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "node/crypto/hex.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

nlohmann::json KeyJson(const std::string& public_key, const std::string& path) {
  return {{"key_id", crypto::KeyId(public_key)},
          {"public_key", crypto::ToHex(public_key)},
          {"file", path}};
}

std::string KeyText(const std::string& public_key, const std::string& path) {
  std::ostringstream text;
  text << "key id:     " << crypto::KeyId(public_key) << "\n"
       << "public key: " << crypto::ToHex(public_key) << "\n"
       << "file:       " << path << "\n";
  return text.str();
}

int KeysNew(const GlobalOptions& options, const std::string& out_dir, const std::string& name) {
  Output out(options);
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) return out.Fail(Status::IoError("cannot create " + out_dir + ": " + error.message()));
  Result<crypto::PrivateKey> key = crypto::PrivateKey::Generate();
  if (!key.ok()) return out.Fail(key.status());
  std::string path = (fs::path(out_dir) / (name + ".pem")).string();
  if (Status saved = key->SavePem(path); !saved.ok()) return out.Fail(saved);
  out.Print(KeyText(key->public_key(), path), KeyJson(key->public_key(), path));
  return 0;
}

int KeysShow(const GlobalOptions& options) {
  Output out(options);
  Result<crypto::PrivateKey> key = LoadSigningKey(options);
  if (!key.ok()) return out.Fail(key.status());
  std::string path = options.key_path.empty() ? "(from " + options.home + ")" : options.key_path;
  out.Print(KeyText(key->public_key(), path), KeyJson(key->public_key(), path));
  return 0;
}

}  // namespace

void AddKeysCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* keys = app.add_subcommand("keys", "Create and show Ed25519 signing keys");
  keys->require_subcommand(1);
  auto out_dir = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>("agent_key");
  CLI::App* create = keys->add_subcommand("new", "Create a key pair (private key file mode 0600)");
  create->add_option("--out", *out_dir, "Directory to write the key into")->required();
  create->add_option("--name", *name, "File name without .pem")->capture_default_str();
  create->callback([&, out_dir, name] { exit_code = KeysNew(options, *out_dir, *name); });
  CLI::App* show = keys->add_subcommand("show", "Show the key id and public key of a signing key");
  show->callback([&] { exit_code = KeysShow(options); });
}

}  // namespace jejak::cli
