#include "cli/trace_format.h"

#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "node/epcis/document.h"
#include "node/epcis/quantity.h"
#include "node/ledger/vocabulary.h"

namespace jejak::cli {
namespace {

// Lots listed in one line of an event before "and N more".
constexpr size_t kLotsPerLine = 4;
// A provenance chain deeper than this is cut (with a note) rather than printed.
constexpr size_t kMaxTreeDepth = 200;

std::string Normal(const std::string& lot) {
  auto id = ledger::NormalizeLotId(lot);
  return id.ok() ? *id : lot;
}

// A JSON number whose text is the exact decimal: whole numbers as integers, others as the
// double nearest the decimal (at most 15 significant digits, so its shortest text is the decimal).
nlohmann::json QuantityJson(int64_t micros) {
  if (micros % epcis::Quantity::kMicrosPerUnit == 0) {
    return micros / epcis::Quantity::kMicrosPerUnit;
  }
  auto q = epcis::Quantity::FromMicros(micros);
  return q.ok() ? nlohmann::json(q->ToDouble()) : nlohmann::json(FormatQuantity(micros));
}

std::string Amount(const v1::QuantityElement& q) {
  if (!q.has_quantity_micros()) return q.epc_class();
  return q.epc_class() + " (" + FormatQuantity(q.quantity_micros()) + (q.uom().empty() ? "" : " " + q.uom()) + ")";
}

void AddLots(const google::protobuf::RepeatedPtrField<std::string>& epcs,
             const google::protobuf::RepeatedPtrField<v1::QuantityElement>& quantities,
             std::vector<std::string>* out) {
  for (const std::string& epc : epcs) out->push_back(epc);
  for (const v1::QuantityElement& q : quantities) out->push_back(Amount(q));
}

std::string JoinLots(const std::vector<std::string>& lots) {
  std::string text;
  for (size_t i = 0; i < lots.size() && i < kLotsPerLine; ++i) text += (i ? ", " : "") + lots[i];
  if (lots.size() > kLotsPerLine) {
    text += " and " + std::to_string(lots.size() - kLotsPerLine) + " more";
  }
  return text;
}

std::string LotsOf(const v1::Event& e) {
  if (e.type() == v1::TRANSFORMATION_EVENT) {
    std::vector<std::string> in, out;
    AddLots(e.input_epc_list(), e.input_quantity_list(), &in);
    AddLots(e.output_epc_list(), e.output_quantity_list(), &out);
    return JoinLots(in) + " -> " + JoinLots(out);
  }
  std::vector<std::string> lots;
  AddLots(e.epc_list(), e.quantity_list(), &lots);
  if (e.type() == v1::AGGREGATION_EVENT) {
    std::vector<std::string> children;
    AddLots(e.child_epcs(), e.child_quantity_list(), &children);
    std::string kids = children.empty() ? "everything" : JoinLots(children);
    return e.action() == v1::DELETE ? kids + " out of " + e.parent_id()
                                    : kids + " into " + e.parent_id();
  }
  return JoinLots(lots);
}

// "+07:00" -> 420 minutes; 0 for anything else.
int OffsetMinutes(const std::string& offset) {
  int hours = 0, minutes = 0;
  char sign = 0;
  if (std::sscanf(offset.c_str(), "%c%2d:%2d", &sign, &hours, &minutes) != 3) return 0;
  if (sign != '+' && sign != '-') return 0;
  int total = hours * 60 + minutes;
  return sign == '-' ? -total : total;
}

// Lots each event created, by normalised lot id: the earliest creating event of each lot.
std::map<std::string, const v1::CommittedEvent*> Creators(const v1::TraceGraph& graph) {
  std::map<std::string, const v1::CommittedEvent*> creators;
  auto earlier = [](const v1::CommittedEvent* a, const v1::CommittedEvent* b) {
    return a->height() != b->height() ? a->height() < b->height() : a->index() < b->index();
  };
  for (const v1::CommittedEvent& c : graph.events()) {
    const v1::Event& e = c.event();
    if (e.has_error_declaration()) continue;
    std::vector<std::string> made;
    if (e.type() == v1::OBJECT_EVENT && e.action() == v1::ADD) {
      for (const auto& epc : e.epc_list()) made.push_back(epc);
      for (const auto& q : e.quantity_list()) made.push_back(q.epc_class());
    } else if (e.type() == v1::TRANSFORMATION_EVENT) {
      for (const auto& epc : e.output_epc_list()) made.push_back(epc);
      for (const auto& q : e.output_quantity_list()) made.push_back(q.epc_class());
    } else if (e.type() == v1::AGGREGATION_EVENT && e.action() == v1::ADD) {
      made.push_back(e.parent_id());  // packing creates a parent that did not exist
    }
    for (const std::string& lot : made) {
      auto [it, inserted] = creators.emplace(Normal(lot), &c);
      if (!inserted && earlier(&c, it->second)) it->second = &c;
    }
  }
  return creators;
}

class TreePrinter {
 public:
  TreePrinter(const v1::TraceGraph& graph, TraceDirection direction)
      : graph_(graph), direction_(direction), creators_(Creators(graph)) {
    for (const v1::TraceNode& node : graph.nodes()) nodes_.emplace(node.lot_id(), &node);
    for (const v1::CommittedEvent& e : graph.events()) events_.emplace(e.event_id(), &e);
    for (const v1::TraceEdge& edge : graph.edges()) {
      const std::string& from =
          direction == TraceDirection::kBack ? edge.to_lot() : edge.from_lot();
      children_[from].push_back(&edge);
    }
  }

  std::string Print() {
    text_ << (direction_ == TraceDirection::kBack ? "Where " : "What became of ")
          << graph_.root_lot() << (direction_ == TraceDirection::kBack ? " came from" : "") << " ("
          << graph_.nodes_size() << (graph_.nodes_size() == 1 ? " lot" : " lots") << ")\n";
    Lot(graph_.root_lot(), "", "", "", 0);
    return text_.str();
  }

 private:
  std::string Label(const v1::TraceEdge& edge) const {
    auto it = events_.find(edge.event_id());
    bool packed = it != events_.end() && it->second->event().type() == v1::AGGREGATION_EVENT;
    if (direction_ == TraceDirection::kBack) return packed ? "packed in it: " : "made from ";
    return packed ? "packed into " : "used to make ";
  }

  // Header line with `first` before it, detail lines with `rest` before them.
  void Lot(const std::string& lot_id, const std::string& first, const std::string& rest,
           const std::string& label, size_t depth) {
    text_ << first << label << lot_id;
    auto node = nodes_.find(lot_id);
    if (!printed_.insert(lot_id).second) {
      text_ << "  (shown above)\n";
      return;
    }
    if (node != nodes_.end()) text_ << Summary(*node->second);
    text_ << "\n";
    const std::vector<const v1::TraceEdge*>& kids = children_[lot_id];
    std::string bar = rest + (kids.empty() ? "    " : "│   ");
    if (node != nodes_.end()) Details(*node->second, bar);
    if (depth >= kMaxTreeDepth && !kids.empty()) {
      text_ << rest << "└── (" << kids.size() << " more lots deeper in the chain not shown)\n";
      return;
    }
    for (size_t i = 0; i < kids.size(); ++i) {
      bool last = i + 1 == kids.size();
      const v1::TraceEdge& edge = *kids[i];
      const std::string& next =
          direction_ == TraceDirection::kBack ? edge.from_lot() : edge.to_lot();
      Lot(next, rest + (last ? "└── " : "├── "), rest + (last ? "    " : "│   "), Label(edge),
          depth + 1);
    }
  }

  static std::string Summary(const v1::TraceNode& node) {
    std::string s = "  ";
    if (!node.product().empty()) s += node.product() + ", ";
    s += FormatQuantity(node.remaining_micros()) + (node.uom().empty() ? "" : " " + node.uom()) + " left";
    if (!node.disposition().empty()) s += "  [" + node.disposition() + "]";
    return s;
  }

  void Details(const v1::TraceNode& node, const std::string& bar) {
    text_ << bar << "owner " << node.owner() << ", held by " << node.custodian() << "\n";
    auto creator = creators_.find(node.lot_id());
    if (creator != creators_.end()) {
      const v1::CommittedEvent& c = *creator->second;
      text_ << bar << "made " << LocalEventTime(c.event()) << " by " << c.signer_organization()
            << " (" << EventStep(c.event()) << ")";
      std::string place = EventPlace(c.event());
      if (!place.empty()) text_ << " at " << place;
      text_ << "\n";
    }
    if (node.certificates_size() > 0) {
      text_ << bar << "certificates: ";
      for (int i = 0; i < node.certificates_size(); ++i) {
        text_ << (i ? ", " : "") << node.certificates(i);
      }
      text_ << "\n";
    }
  }

  const v1::TraceGraph& graph_;
  TraceDirection direction_;
  std::map<std::string, const v1::CommittedEvent*> creators_;
  std::map<std::string, const v1::TraceNode*> nodes_;
  std::map<std::string, const v1::CommittedEvent*> events_;
  std::map<std::string, std::vector<const v1::TraceEdge*>> children_;
  std::set<std::string> printed_;
  std::ostringstream text_;
};

}  // namespace

std::string FormatQuantity(int64_t micros) { return epcis::FormatMicros(micros); }

std::string EventStep(const v1::Event& e) {
  if (e.has_error_declaration()) return "error declaration";
  if (e.type() == v1::TRANSFORMATION_EVENT) return "transformation";
  if (e.type() == v1::AGGREGATION_EVENT) {
    if (e.action() == v1::ADD) return "packing";
    if (e.action() == v1::DELETE) return "unpacking";
  }
  if (!e.certification_info().empty() ||
      ledger::FindJejakMember(e, e.extensions(), "certificate")) {
    return "certification";
  }
  std::string step = ledger::CbvShortName(e.biz_step());
  if (ledger::CbvShortName(e.disposition()) == "recalled") return "recall";
  if (!step.empty()) return step;
  if (e.type() == v1::OBJECT_EVENT && e.action() == v1::ADD) return "commissioning";
  return "observation";
}

std::string LocalEventTime(const v1::Event& e) {
  const std::string& offset = e.event_time_zone_offset();
  int minutes = OffsetMinutes(offset);
  int64_t ms = e.event_time_ms() + static_cast<int64_t>(minutes) * 60000;
  return WallTime(ms) + " " + (minutes == 0 && offset.empty() ? "UTC" : offset);
}

std::string UtcTime(int64_t ms) { return WallTime(ms) + " UTC"; }

std::string WallTime(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string EventPlace(const v1::Event& e) {
  if (e.has_biz_location() && !e.biz_location().id().empty()) return e.biz_location().id();
  if (e.has_read_point()) return e.read_point().id();
  return "";
}

std::string FormatEvent(const v1::CommittedEvent& c) {
  const v1::Event& e = c.event();
  std::ostringstream text;
  text << LocalEventTime(e) << "  " << EventStep(e) << "  by " << c.signer_organization() << ": "
       << LotsOf(e);
  std::string disposition = ledger::CbvShortName(e.disposition());
  if (!disposition.empty()) text << "  [" << disposition << "]";
  std::string place = EventPlace(e);
  if (!place.empty()) text << "  at " << place;
  if (e.has_error_declaration()) {
    text << "  declares " << e.event_id() << " wrong ("
         << ledger::CbvShortName(e.error_declaration().reason()) << ")";
  }
  // When the chain recorded it, beside when it says it happened: the two differ for an event
  // recorded late.
  text << "\n    " << c.event_id() << "  block " << c.height() << ", recorded "
       << UtcTime(c.block_time_ms()) << "\n";
  return text.str();
}

std::string FormatHistory(const std::string& lot_id, const v1::EventList& events) {
  std::ostringstream text;
  text << "History of " << lot_id << " (" << events.events_size()
       << (events.events_size() == 1 ? " event" : " events") << ")\n";
  for (const v1::CommittedEvent& c : events.events()) text << FormatEvent(c);
  return text.str();
}

std::string FormatTrace(const v1::TraceGraph& graph, TraceDirection direction) {
  return TreePrinter(graph, direction).Print();
}

nlohmann::json CommittedEventJson(const v1::CommittedEvent& c) {
  nlohmann::json j = {{"event_id", c.event_id()},
                      {"height", c.height()},
                      {"index", c.index()},
                      {"block_time_ms", c.block_time_ms()},
                      {"signer_organization", c.signer_organization()},
                      {"step", EventStep(c.event())}};
  auto event = epcis::EventToJson(c.event());
  j["event"] = event.ok() ? *event : nlohmann::json(nullptr);
  return j;
}

nlohmann::json EventListJson(const v1::EventList& events) {
  nlohmann::json list = nlohmann::json::array();
  for (const v1::CommittedEvent& c : events.events()) list.push_back(CommittedEventJson(c));
  return list;
}

nlohmann::json TraceJson(const v1::TraceGraph& graph, TraceDirection direction) {
  nlohmann::json nodes = nlohmann::json::array();
  for (const v1::TraceNode& n : graph.nodes()) {
    nodes.push_back({{"lot_id", n.lot_id()},
                     {"owner", n.owner()},
                     {"custodian", n.custodian()},
                     {"quantity", QuantityJson(n.remaining_micros())},
                     {"uom", n.uom()},
                     {"product", n.product()},
                     {"disposition", n.disposition()},
                     {"certificates",
                      std::vector<std::string>(n.certificates().begin(), n.certificates().end())}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const v1::TraceEdge& e : graph.edges()) {
    edges.push_back(
        {{"from_lot", e.from_lot()}, {"to_lot", e.to_lot()}, {"event_id", e.event_id()}});
  }
  nlohmann::json events = nlohmann::json::array();
  for (const v1::CommittedEvent& c : graph.events()) events.push_back(CommittedEventJson(c));
  return {{"root_lot", graph.root_lot()},
          {"direction", direction == TraceDirection::kBack ? "back" : "forward"},
          {"nodes", nodes},
          {"edges", edges},
          {"events", events}};
}

}  // namespace jejak::cli
