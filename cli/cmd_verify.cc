// jejak verify BUNDLE --genesis GENESIS: checks a proof bundle offline, against the genesis file
// alone (no node is contacted), and prints the verified trace; exit 0 only if every check passed,
// otherwise non-zero with the first failure.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/verify_format.h"
#include "node/ledger/genesis.h"
#include "node/ledger/proof_verify.h"

namespace jejak::cli {
namespace {

int Verify(const GlobalOptions& options, const std::string& bundle_path) {
  Output out(options);
  auto genesis_path = GenesisPath(options);
  if (!genesis_path.ok()) return out.Fail(genesis_path.status());
  auto genesis_text = ReadTextFile(*genesis_path, ledger::kMaxGenesisBytes);
  if (!genesis_text.ok()) return out.Fail(genesis_text.status());
  auto genesis = ledger::ParseGenesis(*genesis_text);
  if (!genesis.ok()) return out.Fail(genesis.status().WithContext(*genesis_path));
  auto bundle = ReadTextFile(bundle_path, ledger::kMaxProofBundleBytes);
  if (!bundle.ok()) return out.Fail(bundle.status());
  auto trace = ledger::VerifyProofBundle(*genesis, std::string_view(*bundle));
  if (!trace.ok()) return out.Fail(trace.status().WithContext("NOT VERIFIED: " + bundle_path));
  out.Print(FormatVerifiedTrace(*trace), VerifiedTraceJson(*trace));
  return 0;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto bundle_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check a proof bundle offline against the genesis file (--genesis), no node");
  cmd->add_option("bundle", *bundle_path, "Proof bundle written by `jejak prove`")->required();
  cmd->callback(
      [&options, &exit_code, bundle_path] { exit_code = Verify(options, *bundle_path); });
}

}  // namespace jejak::cli
