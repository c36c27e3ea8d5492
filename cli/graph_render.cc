#include "cli/graph_render.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <vector>

extern char** environ;

namespace jejak::cli {
namespace {

// Certificates named in one lot's box before "and N more".
constexpr int kCertificatesPerLot = 4;
// Graphviz's complaint is cut to this many bytes in our one-line error.
constexpr size_t kMaxGraphvizMessage = 400;

// Length of the UTF-8 sequence starting at `s[i]` if it is well-formed, else 0.
size_t Utf8Length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms and surrogates are not valid UTF-8.
  if (n == 2 && c < 0xC2) return 0;
  if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;
  if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90) || (c == 0xF4 && byte(i + 1) >= 0x90))) {
    return 0;
  }
  return n;
}

std::string Kind(const v1::CommittedEvent* event) {
  if (event == nullptr) return "event";
  if (event->event().type() == v1::TRANSFORMATION_EVENT) return "transformation";
  if (event->event().type() == v1::AGGREGATION_EVENT) return "aggregation";
  return EventStep(event->event());
}

std::string NodeLabel(const std::string& lot_id, const v1::TraceNode* node) {
  std::string label = lot_id;
  if (node == nullptr) return label;
  if (!node->product().empty()) label += "\n" + node->product();
  label += "\n" + FormatQuantity(node->remaining_micros()) + (node->uom().empty() ? "" : " " + node->uom()) + " left";
  if (node->owner() == node->custodian()) {
    label += "\nowned and held by " + node->owner();
  } else {
    label += "\nowner " + node->owner() + ", held by " + node->custodian();
  }
  for (int i = 0; i < node->certificates_size() && i < kCertificatesPerLot; ++i) {
    label += "\ncertified: " + node->certificates(i);
  }
  if (node->certificates_size() > kCertificatesPerLot) {
    label += "\nand " + std::to_string(node->certificates_size() - kCertificatesPerLot) +
             " more certificates";
  }
  if (!node->disposition().empty()) label += "\n[" + node->disposition() + "]";
  return label;
}

std::string NodeAttributes(const std::string& lot_id, const v1::TraceNode* node, bool root) {
  std::string style = root ? "rounded,bold" : "rounded";
  std::string attrs = "label=" + DotQuote(NodeLabel(lot_id, node)) + ", style=\"" + style + "\"";
  if (node != nullptr && node->certificates_size() > 0) attrs += ", peripheries=2, color=darkgreen";
  if (node != nullptr && node->disposition().find("recall") != std::string::npos) {
    attrs += ", color=red, fontcolor=red";
  }
  if (root) attrs += ", penwidth=2";
  return attrs;
}

struct EdgeKey {
  std::string from, to, event_id;
  auto operator<=>(const EdgeKey&) const = default;
};

class DotWriter {
 public:
  DotWriter(const v1::TraceGraph& graph, TraceDirection direction)
      : graph_(graph), direction_(direction) {
    for (const v1::TraceNode& node : graph.nodes()) nodes_.emplace(node.lot_id(), &node);
    for (const v1::CommittedEvent& e : graph.events()) events_.emplace(e.event_id(), &e);
    std::set<std::string> lots = {graph.root_lot()};
    for (const auto& [lot_id, node] : nodes_) lots.insert(lot_id);
    for (const v1::TraceEdge& edge : graph.edges()) {
      edges_.insert({edge.from_lot(), edge.to_lot(), edge.event_id()});
      lots.insert(edge.from_lot());
      lots.insert(edge.to_lot());
    }
    // Short node names in lot-id order keep the DOT readable and independent of answer order.
    for (const std::string& lot : lots) ids_.emplace(lot, "lot" + std::to_string(ids_.size()));
  }

  std::string Write() {
    std::string title = (direction_ == TraceDirection::kBack ? "Where " : "What became of ") +
                        graph_.root_lot() + (direction_ == TraceDirection::kBack ? " came from" : "");
    out_ << "digraph provenance {\n"
         << "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label=" << DotQuote(title)
         << "];\n"
         << "  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
         << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    WriteClusters();
    for (const EdgeKey& edge : edges_) WriteEdge(edge);
    out_ << "}\n";
    return out_.str();
  }

 private:
  std::string OwnerOf(const std::string& lot_id) const {
    auto node = nodes_.find(lot_id);
    return node == nodes_.end() ? "" : node->second->owner();
  }

  void WriteNode(const std::string& lot_id, const std::string& indent) {
    auto node = nodes_.find(lot_id);
    out_ << indent << ids_.at(lot_id) << " ["
         << NodeAttributes(lot_id, node == nodes_.end() ? nullptr : node->second,
                           lot_id == graph_.root_lot())
         << "];\n";
  }

  void WriteClusters() {
    std::map<std::string, std::vector<std::string>> by_owner;  // sorted owners, sorted lots
    for (const auto& [lot_id, id] : ids_) by_owner[OwnerOf(lot_id)].push_back(lot_id);
    size_t cluster = 0;
    for (const auto& [owner, lots] : by_owner) {
      if (owner.empty()) {
        for (const std::string& lot : lots) WriteNode(lot, "  ");
        continue;
      }
      out_ << "  subgraph cluster_" << cluster++ << " {\n"
           << "    label=" << DotQuote(owner) << ";\n"
           << "    style=\"rounded,dashed\";\n    color=gray50;\n";
      for (const std::string& lot : lots) WriteNode(lot, "    ");
      out_ << "  }\n";
    }
  }

  void WriteEdge(const EdgeKey& edge) {
    auto found = events_.find(edge.event_id);
    const v1::CommittedEvent* event = found == events_.end() ? nullptr : found->second;
    std::string label = Kind(event);
    if (event != nullptr) {
      label += "\n" + LocalEventTime(event->event()) + "\nby " + event->signer_organization();
    }
    out_ << "  " << ids_.at(edge.from) << " -> " << ids_.at(edge.to) << " [label=" << DotQuote(label)
         << ", tooltip=" << DotQuote(edge.event_id);
    if (event != nullptr && event->event().type() == v1::AGGREGATION_EVENT) out_ << ", style=dashed";
    out_ << "];\n";
  }

  const v1::TraceGraph& graph_;
  TraceDirection direction_;
  std::map<std::string, const v1::TraceNode*> nodes_;
  std::map<std::string, const v1::CommittedEvent*> events_;
  std::set<EdgeKey> edges_;
  std::map<std::string, std::string> ids_;  // lot id -> DOT node name
  std::ostringstream out_;
};

constexpr int kTimedOut = -2;

// Waits for `pid` until `timeout`, then kills it: its exit status, kTimedOut, or -1 with errno.
int WaitWithTimeout(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0 && errno != EINTR) return -1;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return kTimedOut;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // a child process: no fd to wait on
  }
}

// Runs `argv` with stdout and stderr into `log_path`; the exit status, kTimedOut, or -1 with
// errno set when it could not start.
int Run(const std::vector<std::string>& argv, const std::string& log_path,
        std::chrono::milliseconds timeout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    errno = spawned;
    return -1;
  }
  return WaitWithTimeout(pid, timeout);
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (text.size() > kMaxGraphvizMessage) text = text.substr(0, kMaxGraphvizMessage) + "...";
  return text;
}

}  // namespace

std::string DotQuote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(text.substr(i, n));
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += ' ';
    } else {
      out += c;
    }
    i += n;
  }
  return out + "\"";
}

std::string TraceToDot(const v1::TraceGraph& graph, TraceDirection direction) {
  return DotWriter(graph, direction).Write();
}

Result<std::string> RenderDot(const std::string& dot_text, const std::string& format,
                              const RenderOptions& options) {
  namespace fs = std::filesystem;
  if (format != "svg" && format != "png") {
    return Status::Invalid("Graphviz renders svg or png here, not '" + format + "'");
  }
  std::string pattern = (fs::temp_directory_path() / "jejak-graph-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError("cannot make a temporary directory: " + std::string(std::strerror(errno)));
  }
  const fs::path dir = pattern;
  const std::string dot_path = (dir / "graph.dot").string();
  const std::string log_path = (dir / "dot.log").string();
  const std::string out_path = (dir / ("graph." + format)).string();
  Status result = Status::Ok();
  {
    std::ofstream file(dot_path, std::ios::binary);
    file << dot_text;
    if (!file.flush()) result = Status::IoError("cannot write the temporary file " + dot_path);
  }
  if (result.ok()) {
    int code = Run({options.program, "-T" + format, "-o", out_path, dot_path}, log_path,
                   options.timeout);
    if (code == kTimedOut) {
      result = Status::Internal("Graphviz's dot did not finish within " +
                                std::to_string(options.timeout.count()) +
                                " ms and was stopped; --format dot writes the graph as text");
    } else if (code < 0 && errno == ENOENT) {
      result = Status::Internal(
          "Graphviz's `dot` program is not installed (Debian package graphviz); "
          "--format dot writes the graph as text without it");
    } else if (code < 0) {
      result = Status::Internal("cannot run Graphviz's dot: " + std::string(std::strerror(errno)));
    } else if (code != 0) {
      result = Status::Internal("Graphviz's dot failed (exit " + std::to_string(code) +
                                "): " + FirstLine(log_path));
    }
  }
  std::string rendered;
  if (result.ok()) {
    std::ifstream in(out_path, std::ios::binary);
    rendered.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) result = Status::IoError("cannot read what Graphviz rendered");
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  if (!result.ok()) return result;
  return rendered;
}

}  // namespace jejak::cli
