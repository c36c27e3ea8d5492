// jejak history LOT | trace back LOT | trace forward LOT | export LOT | events [filters] | status
// Read-only questions to a node's ledger service.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/event_flags.h"
#include "node/ledger/event_builders.h"
#include "cli/lot_label.h"
#include "cli/trace_format.h"
#include "node/crypto/hex.h"
#include "node/epcis/document.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

// The node gives at most this many events per page (ledger_service.cc).
constexpr uint32_t kMaxPageSize = 1000;
// `jejak events` stops after this many pages even if --limit is not reached (a bound on the loop).
constexpr size_t kMaxPages = 100000;

Result<net::LedgerClient*> Connect(const GlobalOptions& options,
                                   std::unique_ptr<net::LedgerClient>& holder) {
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return endpoint.status();
  holder = std::make_unique<net::LedgerClient>(*endpoint);
  return holder.get();
}

int History(const GlobalOptions& options, const std::string& lot_arg) {
  Output out(options);
  const std::string lot = ResolveLotArgument(lot_arg);  // a scanned `jejak label` URI works too
  std::unique_ptr<net::LedgerClient> holder;
  auto client = Connect(options, holder);
  if (!client.ok()) return out.Fail(client.status());
  auto events = (*client)->LotHistory(lot);
  if (!events.ok()) return out.Fail(events.status());
  out.Print(FormatHistory(lot, *events), {{"lot_id", lot}, {"events", EventListJson(*events)}});
  return 0;
}

int Trace(const GlobalOptions& options, const std::string& lot_arg, TraceDirection direction) {
  Output out(options);
  const std::string lot = ResolveLotArgument(lot_arg);  // a scanned `jejak label` URI works too
  std::unique_ptr<net::LedgerClient> holder;
  auto client = Connect(options, holder);
  if (!client.ok()) return out.Fail(client.status());
  auto graph =
      direction == TraceDirection::kBack ? (*client)->TraceBack(lot) : (*client)->TraceForward(lot);
  if (!graph.ok()) return out.Fail(graph.status());
  out.Print(FormatTrace(*graph, direction), TraceJson(*graph, direction));
  return 0;
}

int Export(const GlobalOptions& options, const std::string& lot_arg) {
  Output out(options);
  const std::string lot = ResolveLotArgument(lot_arg);
  std::unique_ptr<net::LedgerClient> holder;
  auto client = Connect(options, holder);
  if (!client.ok()) return out.Fail(client.status());
  auto history = (*client)->LotHistory(lot);
  if (!history.ok()) return out.Fail(history.status());
  std::vector<v1::Event> events;
  events.reserve(static_cast<size_t>(history->events_size()));
  for (const v1::CommittedEvent& c : history->events()) events.push_back(c.event());
  auto document = epcis::ExportDocument(events, ledger::FormatRfc3339Utc(SystemClock().now_ms));
  if (!document.ok()) return out.Fail(document.status());
  std::cout << *document << "\n";  // a document, the same with or without --json
  return 0;
}

struct EventsArgs {
  v1::QueryEventsRequest request;
  std::vector<std::string> event_types, biz_steps, dispositions, epcs, epc_classes, locations;
  std::string from, until;
  size_t limit = 100;
};

int Events(const GlobalOptions& options, const EventsArgs& args) {
  Output out(options);
  std::unique_ptr<net::LedgerClient> holder;
  auto client = Connect(options, holder);
  if (!client.ok()) return out.Fail(client.status());
  v1::QueryEventsRequest request = args.request;
  for (const auto& v : args.event_types) request.add_event_type(v);
  for (const auto& v : args.biz_steps) request.add_biz_step(v);
  for (const auto& v : args.dispositions) request.add_disposition(v);
  for (const auto& v : args.epcs) request.add_match_any_epc(v);
  for (const auto& v : args.epc_classes) request.add_match_epc_class(v);
  for (const auto& v : args.locations) request.add_eq_biz_location(v);
  request.set_ge_event_time(args.from);
  request.set_lt_event_time(args.until);
  v1::EventList found;
  bool more = false;
  for (size_t page = 0; page < kMaxPages && static_cast<size_t>(found.events_size()) < args.limit;
       ++page) {
    size_t wanted = args.limit - static_cast<size_t>(found.events_size());
    request.set_page_size(static_cast<uint32_t>(std::min<size_t>(wanted, kMaxPageSize)));
    auto response = (*client)->QueryEvents(request);
    if (!response.ok()) return out.Fail(response.status());
    for (const v1::CommittedEvent& c : response->events()) {
      if (static_cast<size_t>(found.events_size()) < args.limit) *found.add_events() = c;
    }
    more = !response->next_page_token().empty();
    if (!more) break;
    request.set_page_token(response->next_page_token());
  }
  std::ostringstream human;
  human << found.events_size() << (found.events_size() == 1 ? " event" : " events")
        << (more ? " (more match: raise --limit)" : "") << "\n";
  for (const v1::CommittedEvent& c : found.events()) human << FormatEvent(c);
  out.Print(human.str(), {{"events", EventListJson(found)}, {"more", more}});
  return 0;
}

int NodeStatus(const GlobalOptions& options) {
  Output out(options);
  std::unique_ptr<net::LedgerClient> holder;
  auto client = Connect(options, holder);
  if (!client.ok()) return out.Fail(client.status());
  auto status = (*client)->GetStatus();
  if (!status.ok()) return out.Fail(status.status());
  std::string hash = crypto::ToHex(status->head_block_hash());
  std::vector<std::string> validators(status->validators().begin(), status->validators().end());
  std::vector<std::string> peers(status->peers().begin(), status->peers().end());
  std::ostringstream human;
  human << "chain:      " << status->chain_id() << "\n"
        << "node:       " << status->node_id() << "\n"
        << "height:     " << status->height() << "\n"
        << "head block: " << (hash.empty() ? "(none yet)" : hash) << "\n"
        << "validators: " << validators.size() << "\n";
  for (const std::string& v : validators) human << "  " << v << "\n";
  if (status->validator()) {
    size_t others = validators.empty() ? 0 : validators.size() - 1;
    human << "peers:      " << peers.size() << " of " << others << " connected\n";
    for (const std::string& p : peers) human << "  " << p << "\n";
  } else {
    human << "peers:      none (an observer follows by block sync)\n";
  }
  out.Print(human.str(), {{"chain_id", status->chain_id()},
                          {"node_id", status->node_id()},
                          {"height", status->height()},
                          {"head_block_hash", hash},
                          {"validators", validators},
                          {"validator", status->validator()},
                          {"peers", peers}});
  return 0;
}

void AddTrace(CLI::App& app, GlobalOptions& options, int& exit_code) {
  CLI::App* trace = app.add_subcommand("trace", "Trace a lot through the supply chain");
  trace->require_subcommand(1);
  auto lot = std::make_shared<std::string>();
  CLI::App* back = trace->add_subcommand("back", "Every lot it came from, to the origins");
  back->add_option("lot", *lot, "Lot id")->required();
  back->callback(
      [&options, &exit_code, lot] { exit_code = Trace(options, *lot, TraceDirection::kBack); });
  CLI::App* forward = trace->add_subcommand("forward", "Every lot made from it (for recalls)");
  forward->add_option("lot", *lot, "Lot id")->required();
  forward->callback(
      [&options, &exit_code, lot] { exit_code = Trace(options, *lot, TraceDirection::kForward); });
}

void AddEvents(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<EventsArgs>();
  CLI::App* cmd = app.add_subcommand("events", "Find committed events (EPCIS query parameters)");
  cmd->add_option("--event-type", args->event_types, "ObjectEvent, TransformationEvent, ...");
  cmd->add_option("--biz-step", args->biz_steps, "CBV business step, e.g. shipping");
  cmd->add_option("--disposition", args->dispositions, "CBV disposition, e.g. recalled");
  cmd->add_option("--from", args->from, "Events at or after this time (RFC 3339)");
  cmd->add_option("--until", args->until, "Events before this time (RFC 3339)");
  cmd->add_option("--epc", args->epcs, "Events naming this lot or object anywhere");
  cmd->add_option("--epc-class", args->epc_classes, "Events naming this class (LGTIN, ...)");
  cmd->add_option("--location", args->locations, "Events at this business location");
  cmd->add_option("--limit", args->limit, "At most this many events")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  cmd->callback([&options, &exit_code, args] { exit_code = Events(options, *args); });
}

}  // namespace

void AddQueryCommands(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto lot = std::make_shared<std::string>();
  CLI::App* history = app.add_subcommand("history", "Every event of a lot, in order");
  history->add_option("lot", *lot, "Lot id")->required();
  history->callback([&options, &exit_code, lot] { exit_code = History(options, *lot); });
  AddTrace(app, options, exit_code);
  auto export_lot = std::make_shared<std::string>();
  CLI::App* export_cmd =
      app.add_subcommand("export", "A lot's history as an EPCIS 2.0 JSON-LD document");
  export_cmd->add_option("lot", *export_lot, "Lot id")->required();
  export_cmd->callback(
      [&options, &exit_code, export_lot] { exit_code = Export(options, *export_lot); });
  AddEvents(app, options, exit_code);
  CLI::App* status = app.add_subcommand("status", "The node's chain, height and peers");
  status->callback([&options, &exit_code] { exit_code = NodeStatus(options); });
}

}  // namespace jejak::cli
