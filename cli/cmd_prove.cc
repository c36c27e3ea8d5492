// jejak prove LOT [--forward] --out FILE: asks a node for the lot's proof bundle and writes it.
// The bundle is checked later, offline, by `jejak verify` (cmd_verify.cc).
#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>

#include "cli/cli_context.h"
#include "cli/lot_label.h"
#include "cli/commands.h"
#include "node/ledger/proof_bundle.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

struct ProveArgs {
  std::string lot;
  bool forward = false;
  std::string out_path;
};

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return Status::IoError("cannot write " + path);
  file << text;
  file.close();
  if (!file) return Status::IoError("writing " + path + " failed");
  return Status::Ok();
}

int Prove(const GlobalOptions& options, const ProveArgs& args) {
  Output out(options);
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  net::LedgerClient client(*endpoint);
  auto json = client.ProveLot(ResolveLotArgument(args.lot), args.forward);  // a label URI too
  if (!json.ok()) return out.Fail(json.status());
  // Read back only to report what it holds; trust comes from `jejak verify`, not from here.
  auto bundle = ledger::ParseProofBundle(*json);
  if (!bundle.ok()) return out.Fail(bundle.status().WithContext("the node's answer"));
  Status written = WriteFile(args.out_path, *json);
  if (!written.ok()) return out.Fail(written);
  std::string human = "wrote the proof bundle of lot " + bundle->lot_id + " to " +
                      args.out_path + ": " + std::to_string(bundle->events.size()) +
                      " events in " + std::to_string(bundle->blocks.size()) + " blocks, " +
                      std::to_string(json->size()) + " bytes\ncheck it offline with: jejak " +
                      "verify " + args.out_path + " --genesis GENESIS.json\n";
  out.Print(human, {{"lot_id", bundle->lot_id},
                    {"out", args.out_path},
                    {"events", bundle->events.size()},
                    {"blocks", bundle->blocks.size()},
                    {"bytes", json->size()}});
  return 0;
}

}  // namespace

void AddProveCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<ProveArgs>();
  CLI::App* cmd = app.add_subcommand(
      "prove", "Get a lot's proof bundle from a node (checkable offline with `jejak verify`)");
  cmd->add_option("lot", args->lot, "Lot to prove (any accepted identifier form)")->required();
  cmd->add_flag("--forward", args->forward, "Also prove the downstream graph (recalls)");
  cmd->add_option("--out", args->out_path, "File to write the bundle (JSON) to")->required();
  cmd->callback([&options, &exit_code, args] { exit_code = Prove(options, *args); });
}

}  // namespace jejak::cli
