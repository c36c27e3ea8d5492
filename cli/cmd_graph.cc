// jejak graph LOT [--forward] [--format dot|svg|png|text] [--out FILE] [--force]
// The provenance graph of a lot, from the node's trace, as Graphviz DOT, an image or a text tree.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "cli/graph_render.h"
#include "cli/lot_label.h"
#include "cli/output_file.h"
#include "cli/trace_format.h"
#include "node/net/ledger_client.h"

namespace jejak::cli {
namespace {

struct GraphArgs {
  std::string lot;
  bool forward = false;
  std::string format = "dot";
  std::string out;
  bool force = false;
};

// The bytes to write or print in the chosen format.
Result<std::string> Draw(const v1::TraceGraph& graph, const GraphArgs& args) {
  TraceDirection direction = args.forward ? TraceDirection::kForward : TraceDirection::kBack;
  if (args.format == "text") return FormatTrace(graph, direction);
  std::string dot = TraceToDot(graph, direction);
  if (args.format == "dot") return dot;
  if (graph.nodes_size() > kMaxRenderedLots) {
    return Status::ResourceExhausted(
        "the graph has " + std::to_string(graph.nodes_size()) + " lots, more than the " +
        std::to_string(kMaxRenderedLots) + " Graphviz draws in reasonable time; use --format dot");
  }
  return RenderDot(dot, args.format);
}

int Graph(const GlobalOptions& options, const GraphArgs& args) {
  Output out(options);
  if (args.format == "png" && args.out.empty()) {
    return out.Fail(Status::Invalid("--format png needs --out FILE (an image is not terminal text)"));
  }
  auto endpoint = NodeEndpoint(options);
  if (!endpoint.ok()) return out.Fail(endpoint.status());
  net::LedgerClient client(*endpoint);
  std::string lot = ResolveLotArgument(args.lot);
  auto graph = args.forward ? client.TraceForward(lot) : client.TraceBack(lot);
  if (!graph.ok()) return out.Fail(graph.status());
  auto drawn = Draw(*graph, args);
  if (!drawn.ok()) return out.Fail(drawn.status());
  nlohmann::json data = {{"lot_id", graph->root_lot()},
                         {"direction", args.forward ? "forward" : "back"},
                         {"format", args.format},
                         {"lots", graph->nodes_size()},
                         {"edges", graph->edges_size()}};
  if (args.out.empty()) {
    if (!out.json()) {
      std::cout << *drawn;
      return 0;
    }
    data["graph"] = *drawn;
    out.Print("", data);
    return 0;
  }
  Status written = WriteOutputFile(args.out, *drawn, args.force);
  if (!written.ok()) return out.Fail(written);
  data["out"] = args.out;
  out.Print("Wrote the " + args.format + " graph of " + graph->root_lot() + " (" +
                std::to_string(graph->nodes_size()) + " lots) to " + args.out + "\n",
            data);
  return 0;
}

}  // namespace

void AddGraphCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto args = std::make_shared<GraphArgs>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "Draw a lot's provenance graph (Graphviz DOT, SVG, PNG or a text tree)");
  cmd->add_option("lot", args->lot, "Lot id (any accepted form, or a `jejak label` URI)")
      ->required();
  cmd->add_flag("--forward", args->forward, "Draw everything made from the lot instead");
  cmd->add_option("--format", args->format, "dot, svg, png (Graphviz's dot program) or text")
      ->capture_default_str()
      ->check(CLI::IsMember({"dot", "svg", "png", "text"}));
  cmd->add_option("--out", args->out, "Write to this file instead of standard output");
  cmd->add_flag("--force", args->force, "Replace --out if it exists");
  cmd->callback([&options, &exit_code, args] { exit_code = Graph(options, *args); });
}

}  // namespace jejak::cli
