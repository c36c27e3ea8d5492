// jejak event correct EVENT_ID --reason R [--corrective EVENT_ID ...]
// An EPCIS error declaration: the committed original is fetched and repeated with an
// errorDeclaration; nothing on the ledger is edited or deleted.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/event_flags.h"
#include "node/ledger/event_builders.h"
#include "cli/recorder.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

struct CorrectArgs {
  std::string event_id;
  std::string reason;
  std::vector<std::string> corrective;
};

int Correct(const GlobalOptions& options, const CorrectArgs& args) {
  Output out(options);
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  net::LedgerClient client(*endpoint);
  auto original = client.GetEvent(args.event_id);
  if (!original.ok()) return out.Fail(original.status());
  ledger::CorrectionSpec spec;
  spec.original = original->event();
  spec.original_event_id = original->event_id();
  spec.reason = args.reason;
  spec.corrective_event_ids = args.corrective;
  return RecordEvent(options, ledger::BuildCorrection(spec, SystemClock()));
}

}  // namespace

void AddEventCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* event = app.add_subcommand("event", "Act on committed events");
  event->require_subcommand(1);
  auto args = std::make_shared<CorrectArgs>();
  CLI::App* correct = event->add_subcommand(
      "correct", "Declare a committed event erroneous (EPCIS error declaration)");
  correct->add_option("event_id", args->event_id, "Ledger id of the wrong event")->required();
  correct->add_option("--reason", args->reason, "incorrect_data or did_not_occur (or a URI)")
      ->required();
  correct->add_option("--corrective", args->corrective,
                      "Id of an event that puts it right (repeat for more)");
  correct->callback([&options, &exit_code, args] { exit_code = Correct(options, *args); });
}

}  // namespace jejak::cli
