// What `jejak graph` draws: a trace (the node's TraceBack/TraceForward answer) as a Graphviz DOT
// graph, and the DOT text rendered to SVG or PNG by Graphviz's `dot` program.
//
// The graph: lots are boxes (lot id, product, quantity left, owner and holder), grouped in one
// cluster per owning organisation; edges run from upstream to downstream lot whichever way the
// trace went, labelled with the event (transformation or aggregation, local time, signing
// organisation). Certified lots have a double border and name their certificates; the lot asked
// about is bold; recalled lots are red. Output is deterministic: clusters, lots and edges are
// sorted, never taken from the order the node happened to answer in.
//
// Why the `dot` program and not libgvc: the program is what Debian's `graphviz` package installs
// (libgraphviz-dev is not among our build dependencies), it keeps Graphviz's plugin loading and
// any crash out of our process, and jejak still builds and writes DOT text where it is missing.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cli/trace_format.h"
#include "jejak/v1/ledger_service.pb.h"
#include "node/base/status.h"

namespace jejak::cli {

// Graphs with more lots than this are refused for SVG/PNG (Graphviz would take minutes); DOT
// text has no such limit.
inline constexpr int kMaxRenderedLots = 2000;

// `text` as a DOT double-quoted string, quotes included: `"` and `\` escaped (so Graphviz's label
// escapes such as \N cannot be triggered by data), line breaks as \n, other control characters
// and invalid UTF-8 replaced, valid UTF-8 kept as is.
std::string DotQuote(std::string_view text);

// The provenance graph as DOT text (see above).
std::string TraceToDot(const v1::TraceGraph& graph, TraceDirection direction);

struct RenderOptions {
  std::string program = "dot";  // found on PATH
  // A pathological graph (or a wedged Graphviz) must not hang the command: killed past this.
  std::chrono::milliseconds timeout{120'000};
};

// `dot_text` rendered by `dot -T<format>` (format "svg" or "png"): the bytes of the image.
// Internal, saying what to install, when the program is missing; Internal with Graphviz's own
// message when it fails or does not finish within the timeout.
Result<std::string> RenderDot(const std::string& dot_text, const std::string& format,
                              const RenderOptions& options = {});

}  // namespace jejak::cli
