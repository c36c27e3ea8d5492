// jejak label LOT --out label.png [--base-uri URI] [--force]
// A QR code holding the lot's GS1 Digital Link URI, for a sack or a pallet; prints the URI too.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/lot_label.h"
#include "cli/output_file.h"
#include "node/ledger/vocabulary.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

struct LabelArgs {
  std::string lot;
  std::string out;
  std::string base_uri;
  int module_pixels = kDefaultModulePixels;
  bool force = false;
};

int Label(const GlobalOptions& options, const LabelArgs& args) {
  Output out(options);
  std::string lot_arg = ResolveLotArgument(args.lot);
  auto uri = LotLabelUri(lot_arg, args.base_uri);
  if (!uri.ok()) return out.Fail(uri.status());
  // No label for a lot the ledger does not know: ask the node before writing anything.
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  net::LedgerClient client(*endpoint);
  auto history = client.LotHistory(lot_arg);
  if (!history.ok()) return out.Fail(history.status());
  auto qr = EncodeQr(*uri);
  if (!qr.ok()) return out.Fail(qr.status());
  auto png = QrToPng(*qr, args.module_pixels);
  if (!png.ok()) return out.Fail(png.status());
  Status written = WriteOutputFile(args.out, *png, args.force);
  if (!written.ok()) return out.Fail(written);
  auto lot_id = ledger::NormalizeLotId(lot_arg);
  out.Print(*uri + "\nQR code (version " + std::to_string(qr->version) + ", " +
                std::to_string(qr->width) + "x" + std::to_string(qr->width) + " modules) written to " +
                args.out + "\n",
            {{"lot_id", lot_id.ok() ? *lot_id : lot_arg},
             {"uri", *uri},
             {"out", args.out},
             {"qr_version", qr->version},
             {"qr_modules", qr->width}});
  return 0;
}

}  // namespace

void AddLabelCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<LabelArgs>();
  CLI::App* cmd =
      app.add_subcommand("label", "Write a QR code label (PNG) holding the lot's GS1 Digital Link");
  cmd->add_option("lot", args->lot, "Lot id (any accepted form)")->required();
  cmd->add_option("--out", args->out, "PNG file to write")->required();
  cmd->add_option("--base-uri", args->base_uri,
                  "Resolver for the URI (default: https://id.gs1.org for GS1 keys, " +
                      std::string(kDefaultJejakResolver) + " for jejak lots)");
  cmd->add_option("--module-pixels", args->module_pixels, "Pixels per QR module")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_flag("--force", args->force, "Replace --out if it exists");
  cmd->callback([&options, &exit_code, args] { exit_code = Label(options, *args); });
}

}  // namespace jejak::cli
