// The DOT text of `jejak graph`: escaping of hostile strings, clusters by owner, certified and
// recalled lots marked, edges labelled with their event, and the same text whatever order the
// node answered in. Rendering through Graphviz's `dot` is checked when the program is installed.
#include "cli/graph_render.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace jejak::cli {
namespace {

const std::string kH = "urn:jejak:lot:koperasi-gayo:h-1";
const std::string kA = "urn:jejak:lot:koperasi-gayo:a-1";
const std::string kR = "urn:jejak:lot:roaster-bandung:r-1";
const std::string kPallet = "urn:epc:id:sscc:8990001.0000000001";
constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void AddEvent(v1::TraceGraph& g, const std::string& id, const std::string& org, v1::EventType type,
              int64_t time_ms) {
  v1::CommittedEvent* c = g.add_events();
  c->set_event_id(id);
  c->set_signer_organization(org);
  c->mutable_event()->set_type(type);
  c->mutable_event()->set_action(v1::ADD);
  c->mutable_event()->set_event_time_ms(time_ms);
  c->mutable_event()->set_event_time_zone_offset("+07:00");
}

v1::TraceNode* AddNode(v1::TraceGraph& g, const std::string& lot, const std::string& owner,
                       double quantity, const std::string& product) {
  v1::TraceNode* n = g.add_nodes();
  n->set_lot_id(lot);
  n->set_owner(owner);
  n->set_custodian(owner);
  n->set_remaining_micros(std::llround(quantity * 1e6));
  n->set_uom("KGM");
  n->set_product(product);
  return n;
}

void AddEdge(v1::TraceGraph& g, const std::string& from, const std::string& to,
             const std::string& event_id) {
  v1::TraceEdge* e = g.add_edges();
  e->set_from_lot(from);
  e->set_to_lot(to);
  e->set_event_id(event_id);
}

// Harvest H hulled into A, A roasted into R, R packed onto a pallet (trace back from the pallet).
v1::TraceGraph Chain() {
  v1::TraceGraph g;
  g.set_root_lot(kPallet);
  AddNode(g, kPallet, "roaster-bandung", 1, "")->set_custodian("logistik-jaya");
  AddNode(g, kR, "roaster-bandung", 340, "roasted")->set_disposition("recalled");
  AddNode(g, kA, "koperasi-gayo", 0, "green-beans");
  AddNode(g, kH, "koperasi-gayo", 0, "cherries")->add_certificates("organic (Sucofindo)");
  AddEdge(g, kR, kPallet, "ev-pack");
  AddEdge(g, kA, kR, "ev-roast");
  AddEdge(g, kH, kA, "ev-hull");
  AddEvent(g, "ev-hull", "koperasi-gayo", v1::TRANSFORMATION_EVENT, kT0);
  AddEvent(g, "ev-roast", "roaster-bandung", v1::TRANSFORMATION_EVENT, kT0 + 86400000);
  AddEvent(g, "ev-pack", "roaster-bandung", v1::AGGREGATION_EVENT, kT0 + 2 * 86400000);
  return g;
}

// The DOT line that declares `lot`'s node (the line holding its label).
std::string NodeLine(const std::string& dot, const std::string& lot) {
  size_t at = dot.find("label=\"" + lot);
  if (at == std::string::npos) return "";
  size_t start = dot.rfind('\n', at) + 1;
  return dot.substr(start, dot.find('\n', at) - start);
}

// The DOT node name ("lot3") of `lot`.
std::string NodeName(const std::string& dot, const std::string& lot) {
  std::string line = NodeLine(dot, lot);
  size_t start = line.find_first_not_of(' ');
  return line.substr(start, line.find(' ', start) - start);
}

TEST(DotQuoteTest, EscapesQuotesBackslashesAndLineBreaks) {
  EXPECT_EQ(DotQuote("plain"), "\"plain\"");
  EXPECT_EQ(DotQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  // A backslash in data must not become a Graphviz label escape such as \N (the node name).
  EXPECT_EQ(DotQuote("a\\N"), "\"a\\\\N\"");
  EXPECT_EQ(DotQuote("two\nlines"), "\"two\\nlines\"");
  EXPECT_EQ(DotQuote("tab\there\r"), "\"tab here \"");
  EXPECT_EQ(DotQuote(""), "\"\"");
  EXPECT_EQ(DotQuote("urn:jejak:lot:a:b;{x}|<y>"), "\"urn:jejak:lot:a:b;{x}|<y>\"");
}

TEST(DotQuoteTest, KeepsUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(DotQuote("Kopi Gayo \xE2\x98\x95 Kintamani \xC3\xA9"),
            "\"Kopi Gayo \xE2\x98\x95 Kintamani \xC3\xA9\"");
  EXPECT_EQ(DotQuote("bad \xFF byte"), "\"bad \xEF\xBF\xBD byte\"");
  EXPECT_EQ(DotQuote("cut \xE2\x98"), "\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(DotQuote("overlong \xC0\xAF"), "\"overlong \xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(TraceToDotTest, LotsAreClusteredByOwnerAndEdgesNameTheirEvent) {
  std::string dot = TraceToDot(Chain(), TraceDirection::kBack);
  EXPECT_EQ(dot.rfind("digraph provenance {\n", 0), 0u) << dot;
  EXPECT_NE(dot.find("label=\"Where " + kPallet + " came from\""), std::string::npos) << dot;
  // Two owners, two clusters, in owner order; each lot inside its owner's cluster.
  EXPECT_EQ(Count(dot, "subgraph cluster_"), 2u) << dot;
  size_t gayo = dot.find("label=\"koperasi-gayo\";");
  size_t roaster = dot.find("label=\"roaster-bandung\";");
  ASSERT_NE(gayo, std::string::npos) << dot;
  ASSERT_NE(roaster, std::string::npos) << dot;
  EXPECT_LT(gayo, dot.find("label=\"" + kH));
  EXPECT_LT(dot.find("label=\"" + kH), roaster);
  EXPECT_LT(roaster, dot.find("label=\"" + kPallet));
  // Node labels: lot, product, quantity left, owner and holder.
  EXPECT_NE(dot.find("label=\"" + kR + "\\nroasted\\n340 KGM left\\nowned and held by roaster-bandung"),
            std::string::npos)
      << dot;
  EXPECT_NE(NodeLine(dot, kPallet).find("owner roaster-bandung, held by logistik-jaya"),
            std::string::npos);
  // Edges run upstream -> downstream with kind, local time and signer.
  std::string hull = NodeName(dot, kH) + " -> " + NodeName(dot, kA) +
                     " [label=\"transformation\\n2026-03-01 15:00:00 +07:00\\nby koperasi-gayo\"";
  EXPECT_NE(dot.find(hull), std::string::npos) << hull << "\n" << dot;
  std::string pack = NodeName(dot, kR) + " -> " + NodeName(dot, kPallet) +
                     " [label=\"aggregation\\n2026-03-03 15:00:00 +07:00\\nby roaster-bandung\"";
  EXPECT_NE(dot.find(pack), std::string::npos) << pack << "\n" << dot;
  EXPECT_EQ(Count(dot, " -> "), 3u) << dot;
  EXPECT_EQ(Count(dot, "style=dashed"), 1u) << dot;  // only the packing edge
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
}

TEST(TraceToDotTest, CertifiedRecalledAndRootLotsAreMarked) {
  std::string dot = TraceToDot(Chain(), TraceDirection::kBack);
  std::string harvest = NodeLine(dot, kH);
  EXPECT_NE(harvest.find("peripheries=2"), std::string::npos) << harvest;
  EXPECT_NE(harvest.find("\\ncertified: organic (Sucofindo)"), std::string::npos) << harvest;
  EXPECT_EQ(Count(dot, "peripheries=2"), 1u) << dot;
  std::string roast = NodeLine(dot, kR);
  EXPECT_NE(roast.find("\\n[recalled]"), std::string::npos) << roast;
  EXPECT_NE(roast.find("color=red"), std::string::npos) << roast;
  EXPECT_NE(NodeLine(dot, kPallet).find("bold"), std::string::npos) << dot;
  EXPECT_EQ(Count(dot, "bold"), 1u) << dot;
}

TEST(TraceToDotTest, OutputDoesNotDependOnAnswerOrderAndRepeatsAreDrawnOnce) {
  v1::TraceGraph g = Chain();
  const std::string expected = TraceToDot(g, TraceDirection::kBack);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    v1::TraceGraph shuffled = g;
    std::shuffle(shuffled.mutable_nodes()->begin(), shuffled.mutable_nodes()->end(), rng);
    std::shuffle(shuffled.mutable_edges()->begin(), shuffled.mutable_edges()->end(), rng);
    std::shuffle(shuffled.mutable_events()->begin(), shuffled.mutable_events()->end(), rng);
    *shuffled.add_edges() = g.edges(0);  // the same edge twice
    EXPECT_EQ(TraceToDot(shuffled, TraceDirection::kBack), expected) << "round " << round;
  }
}

TEST(TraceToDotTest, ForwardTitleAndLotsTheNodeDidNotDescribe) {
  v1::TraceGraph g;
  g.set_root_lot(kH);
  AddNode(g, kH, "koperasi-gayo", 10, "cherries");
  AddEdge(g, kH, kA, "ev-missing");  // no node and no event for it: still drawn, plainly
  std::string dot = TraceToDot(g, TraceDirection::kForward);
  EXPECT_NE(dot.find("label=\"What became of " + kH + "\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"" + kA + "\", style=\"rounded\"]"), std::string::npos) << dot;
  EXPECT_NE(dot.find("[label=\"event\", tooltip=\"ev-missing\"]"), std::string::npos) << dot;
}

TEST(TraceToDotTest, HostileStringsStayInsideTheirQuotes) {
  v1::TraceGraph g = Chain();
  g.mutable_nodes(1)->set_product("Kopi \"Gayo\" \xE2\x98\x95 \\N\n} digraph x {");
  g.mutable_nodes(2)->set_owner("gayo\"; evil=\"1");
  std::string dot = TraceToDot(g, TraceDirection::kBack);
  EXPECT_NE(dot.find("Kopi \\\"Gayo\\\" \xE2\x98\x95 \\\\N\\n} digraph x {"), std::string::npos)
      << dot;
  EXPECT_NE(dot.find("label=\"gayo\\\"; evil=\\\"1\";"), std::string::npos) << dot;
  // Every line of the DOT has balanced unescaped quotes.
  std::istringstream lines(dot);
  for (std::string line; std::getline(lines, line);) {
    size_t quotes = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == '"') {
        ++quotes;
      }
    }
    EXPECT_EQ(quotes % 2, 0u) << line;
  }
}

TEST(RenderDotTest, RendersSvgAndPngWithGraphviz) {
  ASSERT_EQ(std::system("command -v dot > /dev/null 2>&1"), 0)
      << "Graphviz's dot program is missing (scripts/install-deps installs graphviz)";
  v1::TraceGraph g = Chain();
  g.mutable_nodes(1)->set_product("Kopi \"Gayo\" \xE2\x98\x95");
  std::string dot = TraceToDot(g, TraceDirection::kBack);
  auto svg = RenderDot(dot, "svg");
  ASSERT_TRUE(svg.ok()) << svg.status().ToString();
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  EXPECT_NE(svg->find("Kopi &quot;Gayo&quot; \xE2\x98\x95"), std::string::npos) << *svg;
  EXPECT_NE(svg->find("urn:jejak:lot:koperasi&#45;gayo:h&#45;1"), std::string::npos);  // - as &#45;
  auto png = RenderDot(dot, "png");
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

TEST(RenderDotTest, RefusesOtherFormatsAndReportsGraphvizErrors) {
  auto gif = RenderDot("digraph g {}", "gif");
  EXPECT_EQ(gif.status().code(), StatusCode::kInvalid);
  auto broken = RenderDot("digraph g { a -> ", "svg");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("Graphviz's dot failed"), std::string::npos)
      << broken.status().ToString();
}

TEST(RenderDotTest, AProgramThatDoesNotFinishIsStoppedAndNamed) {
  jejak::testing::TempDir dir;
  const std::string program = dir.path() + "/dot";
  {
    std::ofstream script(program);
    script << "#!/bin/sh\nexec sleep 30\n";
  }
  ASSERT_EQ(::chmod(program.c_str(), 0700), 0);
  RenderOptions options{program, std::chrono::milliseconds(100)};
  auto hung = RenderDot("digraph g {}", "svg", options);
  ASSERT_FALSE(hung.ok());
  EXPECT_NE(hung.status().message().find("did not finish within 100 ms"), std::string::npos)
      << hung.status().ToString();
  options.program = dir.path() + "/missing";
  EXPECT_NE(RenderDot("digraph g {}", "svg", options).status().message().find("not installed"),
            std::string::npos);
}

}  // namespace
}  // namespace jejak::cli
