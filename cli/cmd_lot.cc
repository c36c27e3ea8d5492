// jejak lot commission|ship|receive|transform|pack|unpack|inspect|certify|recall
// Each builds one EPCIS 2.0 event (node/ledger/event_builders.h), signs it, submits it and
// prints the committed event id and block height.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/event_flags.h"
#include "node/ledger/event_builders.h"
#include "cli/recorder.h"

namespace jejak::cli {
namespace {

// A certificate document is hashed, never sent; this bounds what is read into memory.
constexpr size_t kMaxCertificateDocumentBytes = 64 * 1024 * 1024;

void AddLocation(CLI::App* cmd, std::string& location) {
  cmd->add_option("--location", location,
                  "Where it happens: readPoint and bizLocation (a URI, e.g. urn:epc:id:sgln:...)");
}

void AddCommission(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::CommissionSpec>();
  auto quantity = std::make_shared<std::string>();
  CLI::App* cmd =
      lot->add_subcommand("commission", "Create a lot (ObjectEvent ADD, commissioning)");
  cmd->add_option("lot", spec->lot, "Lot id: urn:jejak:lot:<org>:<id>, LGTIN or GS1 Digital Link")
      ->required();
  CLI::Option* q = cmd->add_option(
      "--quantity", *quantity, "How much the lot holds: a decimal, at most 6 decimals (e.g. 250.5)");
  cmd->add_option("--uom", spec->uom, "Unit of the quantity (UN/CEFACT code, e.g. KGM)");
  cmd->add_option("--product", spec->product, "Product the lot is of (ILMD jejak:product)");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec, quantity, q] {
    ledger::CommissionSpec s = *spec;
    if (q->count() > 0) {
      auto parsed = ParseQuantityFlag(*quantity, "--quantity");
      if (!parsed.ok()) {
        exit_code = Output(options).Fail(parsed.status());
        return;
      }
      s.quantity = *parsed;
    }
    exit_code = RecordEvent(options, ledger::BuildCommission(s, SystemClock()));
  });
}

void AddShip(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::ShipSpec>();
  CLI::App* cmd = lot->add_subcommand("ship", "Ship lots to another organisation (shipping)");
  cmd->add_option("lots", spec->lots, "Lots to ship")->required();
  cmd->add_option("--to", spec->to, "Receiving organisation (id or party URI)")->required();
  cmd->add_flag("--transfer-ownership", spec->transfer_ownership,
                "The receiver also becomes the owner");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec] {
    exit_code = RecordEvent(options, [&](const Signer& signer) {
      ledger::ShipSpec s = *spec;
      s.from = signer.organisation;
      return ledger::BuildShip(s, SystemClock());
    });
  });
}

void AddReceive(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::ReceiveSpec>();
  CLI::App* cmd = lot->add_subcommand("receive", "Receive lots shipped to you (receiving)");
  cmd->add_option("lots", spec->lots, "Lots to receive")->required();
  cmd->add_option("--from", spec->from, "The shipping organisation (id or party URI)");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec] {
    exit_code = RecordEvent(options, [&](const Signer& signer) {
      ledger::ReceiveSpec s = *spec;
      s.receiver = signer.organisation;
      return ledger::BuildReceive(s, SystemClock());
    });
  });
}

Result<std::vector<ledger::LotAmount>> ParseAmounts(const std::vector<std::string>& texts,
                                            const char* flag) {
  std::vector<ledger::LotAmount> out;
  for (const std::string& text : texts) {
    auto amount = ParseLotQuantity(text, flag);
    if (!amount.ok()) return amount.status();
    out.push_back(std::move(amount).value());
  }
  return out;
}

void AddTransform(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  struct Args {
    std::vector<std::string> inputs, outputs;
    ledger::TransformSpec spec;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = lot->add_subcommand(
      "transform", "Turn input lots into output lots (TransformationEvent), e.g. hulling");
  cmd->add_option("--input", args->inputs, "Input LOT=QUANTITY consumed (LOT alone: all of it)")
      ->required();
  cmd->add_option("--output", args->outputs, "Output LOT=QUANTITY created")->required();
  cmd->add_option("--uom", args->spec.uom, "Unit of every quantity (e.g. KGM)");
  cmd->add_option("--product", args->spec.product, "Product of the outputs (ILMD jejak:product)");
  AddLocation(cmd, args->spec.location);
  cmd->callback([&options, &exit_code, args] {
    ledger::TransformSpec s = args->spec;
    auto inputs = ParseAmounts(args->inputs, "--input");
    auto outputs = ParseAmounts(args->outputs, "--output");
    if (!inputs.ok()) {
      exit_code = Output(options).Fail(inputs.status());
      return;
    }
    if (!outputs.ok()) {
      exit_code = Output(options).Fail(outputs.status());
      return;
    }
    s.inputs = std::move(*inputs);
    s.outputs = std::move(*outputs);
    exit_code = RecordEvent(options, ledger::BuildTransform(s, SystemClock()));
  });
}

void AddPacking(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto pack = std::make_shared<ledger::PackSpec>();
  CLI::App* cmd = lot->add_subcommand("pack", "Pack lots into a parent, e.g. sacks on a pallet");
  cmd->add_option("parent", pack->parent, "Parent id (e.g. an SSCC); created if new")->required();
  cmd->add_option("--child", pack->children, "Lot to pack (repeat for more)")->required();
  AddLocation(cmd, pack->location);
  cmd->callback([&options, &exit_code, pack] {
    exit_code = RecordEvent(options, ledger::BuildPack(*pack, SystemClock()));
  });
  auto unpack = std::make_shared<ledger::PackSpec>();
  CLI::App* un = lot->add_subcommand("unpack", "Take lots out of a parent");
  un->add_option("parent", unpack->parent, "Parent id")->required();
  un->add_option("--child", unpack->children, "Lot to take out (none given: every lot)");
  AddLocation(un, unpack->location);
  un->callback([&options, &exit_code, unpack] {
    exit_code = RecordEvent(options, ledger::BuildUnpack(*unpack, SystemClock()));
  });
}

void AddInspect(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::InspectSpec>();
  CLI::App* cmd = lot->add_subcommand("inspect", "Record an inspection of a lot (certifiers)");
  cmd->add_option("lot", spec->lot, "Lot inspected")->required();
  cmd->add_option("--disposition", spec->disposition,
                  "Outcome as a CBV disposition: conformant, non_conformant, ...");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec] {
    exit_code = RecordEvent(options, ledger::BuildInspect(*spec, SystemClock()));
  });
}

Result<v1::Event> CertifyEvent(const ledger::CertifySpec& base, const std::string& document) {
  ledger::CertifySpec spec = base;
  auto bytes = ReadTextFile(document, kMaxCertificateDocumentBytes);
  if (!bytes.ok()) return bytes.status().WithContext("--document");
  spec.document_sha256_hex = ledger::DocumentSha256Hex(*bytes);
  auto from = ParseValidityTime(base.valid_from, false);
  if (!from.ok()) return from.status().WithContext("--valid-from");
  auto until = ParseValidityTime(base.valid_until, true);
  if (!until.ok()) return until.status().WithContext("--valid-until");
  spec.valid_from = *from;
  spec.valid_until = *until;
  return ledger::BuildCertify(spec, SystemClock());
}

void AddCertify(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::CertifySpec>();
  auto document = std::make_shared<std::string>();
  CLI::App* cmd = lot->add_subcommand("certify", "Attach a certificate to lots (certifiers)");
  cmd->add_option("lots", spec->lots, "Lots certified")->required();
  cmd->add_option("--document", *document, "Certificate document (its SHA-256 is recorded)")
      ->required();
  cmd->add_option("--issuer", spec->issuer, "Who issued the certificate")->required();
  cmd->add_option("--scheme", spec->scheme, "Scheme: organic, halal, fairtrade, ...")->required();
  cmd->add_option("--valid-from", spec->valid_from, "Start of validity (date or RFC 3339)")
      ->required();
  cmd->add_option("--valid-until", spec->valid_until, "End of validity (date or RFC 3339)")
      ->required();
  cmd->add_option("--info", spec->info_uri, "certificationInfo URI (where the certificate is)");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec, document] {
    exit_code = RecordEvent(options, CertifyEvent(*spec, *document));
  });
}

void AddRecall(CLI::App* lot, GlobalOptions& options, int& exit_code) {
  auto spec = std::make_shared<ledger::RecallSpec>();
  CLI::App* cmd = lot->add_subcommand("recall", "Recall a lot (disposition recalled)");
  cmd->add_option("lot", spec->lot, "Lot recalled")->required();
  cmd->add_option("--reason", spec->reason, "Why, in words");
  AddLocation(cmd, spec->location);
  cmd->callback([&options, &exit_code, spec] {
    exit_code = RecordEvent(options, ledger::BuildRecall(*spec, SystemClock()));
  });
}

}  // namespace

void AddLotCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* lot = app.add_subcommand("lot", "Record what happens to lots");
  lot->require_subcommand(1);
  AddCommission(lot, options, exit_code);
  AddShip(lot, options, exit_code);
  AddReceive(lot, options, exit_code);
  AddTransform(lot, options, exit_code);
  AddPacking(lot, options, exit_code);
  AddInspect(lot, options, exit_code);
  AddCertify(lot, options, exit_code);
  AddRecall(lot, options, exit_code);
}

}  // namespace jejak::cli
