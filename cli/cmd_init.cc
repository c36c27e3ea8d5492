// jejak init: a ready single-node network in one directory (keys, TLS identity, genesis, config),
// which `jejakd --home DIR` runs. Everything is generated and checked in memory first; files are
// written only when the whole network is valid, and an existing network is never overwritten.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/network_builder.h"
#include "node/crypto/hex.h"
#include "node/ledger/genesis.h"

namespace jejak::cli {
namespace {
namespace fs = std::filesystem;

struct InitOptions {
  std::string chain_id = "jejak-local";
  std::vector<std::string> orgs;
  std::string listen;
  std::string validator_id = "validator-1";
  bool ledger_tls = false;
};

Status Init(const std::string& home_dir, const InitOptions& options, std::string* summary) {
  if (home_dir.empty()) return Status::Invalid("say where: jejak --home DIR init");
  std::error_code error;
  fs::path home = fs::absolute(home_dir, error);
  if (error) return Status::Invalid("cannot use " + home_dir + ": " + error.message());
  if (fs::exists(home / kGenesisFile, error)) {
    return Status::AlreadyExists(
        home.string() + " already holds a network (genesis.json): refusing to overwrite it");
  }
  NetworkPlan plan;
  plan.chain_id = options.chain_id;
  plan.org_specs = options.orgs;
  plan.validator_ids = {options.validator_id};
  plan.first_ledger_listen = options.listen;
  plan.ledger_tls = options.ledger_tls;
  Result<LocalNetwork> net = BuildLocalNetwork(plan);
  if (!net.ok()) return net.status();
  JEJAK_RETURN_IF_ERROR(WriteNodeHome(home, *net, net->nodes.front()));
  std::ostringstream text;
  text << "initialised chain " << net->genesis.chain_id << " in " << home.string() << "\n"
       << "  ledger service: " << net->nodes.front().ledger_listen;
  if (options.ledger_tls) {
    Result<std::string> pin = crypto::CertificateFingerprint(net->nodes.front().tls.certificate_pem);
    if (!pin.ok()) return pin.status();
    text << " (TLS: clients elsewhere pass --tls-pin " << crypto::ToHex(*pin) << ")";
  }
  text << "\n";
  for (const ledger::Organisation& org : net->genesis.organisations) {
    text << "  organisation " << org.id << ": key "
         << (home / kAgentKeysDir / (org.id + ".pem")).string() << "\n";
  }
  text << "start the node with: jejakd --home " << home.string() << "\n";
  *summary = text.str();
  return Status::Ok();
}

}  // namespace

void AddInitCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto init = std::make_shared<InitOptions>();
  CLI::App* command =
      app.add_subcommand("init", "Write a ready single-node network into --home DIR");
  command->add_option("--chain-id", init->chain_id, "Chain id")->capture_default_str();
  command->add_option("--org", init->orgs,
                      "Organisation ID:ROLE,ROLE[:NAME] (repeatable; roles: producer, processor, "
                      "logistics, certifier, auditor). The first one runs the validator.");
  command->add_option("--listen", init->listen,
                      "Ledger service address (default: a free 127.0.0.1 port)");
  command->add_option("--validator-id", init->validator_id, "Validator id")->capture_default_str();
  command->add_flag("--ledger-tls", init->ledger_tls,
                    "Serve the ledger service over TLS (clients pin the node's certificate)");
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
