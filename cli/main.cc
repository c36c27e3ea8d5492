// jejak: keys, a local network, recording events, queries, traces, proofs.
#include <CLI/CLI.hpp>
#include <grpc/support/log.h>

#include "cli/cli_context.h"
#include "cli/commands.h"

namespace {

// gRPC's own log lines (e.g. TLS handshake details) would mix into our output on stderr; every
// failure that matters reaches the user as the failed call's one-line reason instead.
void DiscardGrpcLog(gpr_log_func_args* /*args*/) {}

}  // namespace

int main(int argc, char** argv) {
  gpr_set_log_function(DiscardGrpcLog);
  jejak::cli::GlobalOptions options;
  int exit_code = 0;
  CLI::App app{"jejak: record and trace supply-chain provenance on a Jejak ledger"};
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--home", options.home, "Node home directory written by `jejak init`");
  app.add_flag("--json", options.json, "Print results as JSON");
  app.add_option("--node", options.node_address, "Ledger service address HOST:PORT (overrides --home)");
  app.add_option("--tls-pin", options.tls_pin_hex,
                 "The node's ledger service uses TLS: SHA-256 (hex) of its certificate, or the "
                 "id of a validator in the genesis (its pinned certificate)")
      // An unset shell variable must not quietly mean plaintext.
      ->check([](const std::string& value) {
        return value.empty() ? std::string("--tls-pin is empty") : std::string();
      });
  app.add_option("--key", options.key_path, "Agent key file that signs (overrides --home)");
  app.add_option("--as", options.as_org, "Sign as this organisation (its key in <home>/keys)");
  app.add_option("--genesis", options.genesis_path, "Genesis file (overrides <home>/genesis.json)");

  jejak::cli::AddKeysCommands(app, options, exit_code);
  jejak::cli::AddHashCommand(app, options, exit_code);
  jejak::cli::AddInitCommand(app, options, exit_code);
  jejak::cli::AddLotCommands(app, options, exit_code);
  jejak::cli::AddEventCommands(app, options, exit_code);
  jejak::cli::AddCaptureCommand(app, options, exit_code);
  jejak::cli::AddQueryCommands(app, options, exit_code);
  jejak::cli::AddProveCommand(app, options, exit_code);
  jejak::cli::AddVerifyCommand(app, options, exit_code);
  jejak::cli::AddTestnetCommand(app, options, exit_code);
  jejak::cli::AddGraphCommand(app, options, exit_code);
  jejak::cli::AddLabelCommand(app, options, exit_code);
  jejak::cli::AddGovernanceCommands(app, options, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help exits 0; any malformed command line is refused input: exit 1, like every command.
    return app.exit(error) == 0 ? 0 : 1;
  }
  return exit_code;
}
