// The text of `jejak history` and `jejak trace` on a hand-made graph with a diamond:
// harvest H is hulled into green lots A and B, which are both roasted into R.
#include "cli/trace_format.h"

#include <cmath>

#include <gtest/gtest.h>

#include "cli_test_support.h"

namespace jejak::cli {
namespace {

const std::string kH = "urn:jejak:lot:koperasi-gayo:h-1";
const std::string kA = "urn:jejak:lot:koperasi-gayo:a-1";
const std::string kB = "urn:jejak:lot:koperasi-gayo:b-1";
const std::string kR = "urn:jejak:lot:roaster-bandung:r-1";
const std::string kFarm = "urn:epc:id:sgln:8990001.00001.0";
constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void AddQ(google::protobuf::RepeatedPtrField<v1::QuantityElement>* list, const std::string& lot,
          double q) {
  v1::QuantityElement* e = list->Add();
  e->set_epc_class(lot);
  e->set_quantity_micros(std::llround(q * 1e6));
  e->set_uom("KGM");
}

v1::CommittedEvent* AddEvent(v1::TraceGraph& g, const std::string& id, const std::string& org,
                             uint64_t height, int64_t time_ms) {
  v1::CommittedEvent* c = g.add_events();
  c->set_event_id(id);
  c->set_signer_organization(org);
  c->set_height(height);
  c->mutable_event()->set_event_time_ms(time_ms);
  c->set_block_time_ms(time_ms + 60000);  // recorded a minute after it happened
  c->mutable_event()->set_event_time_zone_offset("+07:00");
  return c;
}

void AddNode(v1::TraceGraph& g, const std::string& lot, const std::string& org, double q,
             const std::string& product) {
  v1::TraceNode* n = g.add_nodes();
  n->set_lot_id(lot);
  n->set_owner(org);
  n->set_custodian(org);
  n->set_remaining_micros(std::llround(q * 1e6));
  n->set_uom("KGM");
  n->set_product(product);
}

void AddEdge(v1::TraceGraph& g, const std::string& from, const std::string& to,
             const std::string& event_id) {
  v1::TraceEdge* e = g.add_edges();
  e->set_from_lot(from);
  e->set_to_lot(to);
  e->set_event_id(event_id);
}

// The graph as a node answers it: nodes breadth-first from the root, edges, events.
v1::TraceGraph Diamond(const std::string& root) {
  v1::TraceGraph g;
  g.set_root_lot(root);
  v1::CommittedEvent* harvest = AddEvent(g, "ev-harvest", "koperasi-gayo", 1, kT0);
  harvest->mutable_event()->set_type(v1::OBJECT_EVENT);
  harvest->mutable_event()->set_action(v1::ADD);
  harvest->mutable_event()->set_biz_step("commissioning");
  harvest->mutable_event()->mutable_biz_location()->set_id(kFarm);
  AddQ(harvest->mutable_event()->mutable_quantity_list(), kH, 1000);
  v1::CommittedEvent* hull = AddEvent(g, "ev-hull", "koperasi-gayo", 2, kT0 + 3600000);
  hull->mutable_event()->set_type(v1::TRANSFORMATION_EVENT);
  AddQ(hull->mutable_event()->mutable_input_quantity_list(), kH, 1000);
  AddQ(hull->mutable_event()->mutable_output_quantity_list(), kA, 400);
  AddQ(hull->mutable_event()->mutable_output_quantity_list(), kB, 400);
  v1::CommittedEvent* roast = AddEvent(g, "ev-roast", "roaster-bandung", 5, kT0 + 86400000);
  roast->mutable_event()->set_type(v1::TRANSFORMATION_EVENT);
  AddQ(roast->mutable_event()->mutable_input_quantity_list(), kA, 400);
  AddQ(roast->mutable_event()->mutable_input_quantity_list(), kB, 400);
  AddQ(roast->mutable_event()->mutable_output_quantity_list(), kR, 650);

  AddNode(g, kH, "koperasi-gayo", 0, "cherries");
  g.mutable_nodes(0)->add_certificates("organic (Sucofindo)");
  AddNode(g, kA, "koperasi-gayo", 0, "green-beans");
  AddNode(g, kB, "koperasi-gayo", 0, "green-beans");
  AddNode(g, kR, "roaster-bandung", 650, "roasted");
  g.mutable_nodes(3)->set_disposition("recalled");
  AddEdge(g, kH, kA, "ev-hull");
  AddEdge(g, kH, kB, "ev-hull");
  AddEdge(g, kA, kR, "ev-roast");
  AddEdge(g, kB, kR, "ev-roast");
  return g;
}

TEST(TraceFormatTest, TraceBackPrintsTheDiamondOnceAndMarksTheRepeat) {
  std::string text = FormatTrace(Diamond(kR), TraceDirection::kBack);
  EXPECT_EQ(text.rfind("Where " + kR + " came from (4 lots)\n", 0), 0u) << text;
  EXPECT_NE(text.find(kR + "  roasted, 650 KGM left  [recalled]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("├── made from " + kA), std::string::npos) << text;
  EXPECT_NE(text.find("└── made from " + kB), std::string::npos) << text;
  // H is reached through A and through B: printed in full once, then referred to.
  EXPECT_EQ(Count(text, kH + "  cherries, 0 KGM left"), 1u) << text;
  EXPECT_EQ(Count(text, kH + "  (shown above)"), 1u) << text;
  EXPECT_EQ(Count(text, "certificates: organic (Sucofindo)"), 1u) << text;
  EXPECT_NE(
      text.find("made 2026-03-01 15:00:00 +07:00 by koperasi-gayo (commissioning) at " + kFarm),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("made 2026-03-02 15:00:00 +07:00 by roaster-bandung (transformation)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("owner roaster-bandung, held by roaster-bandung"), std::string::npos);
}

TEST(TraceFormatTest, TraceForwardFollowsEdgesDownstream) {
  v1::TraceGraph g = Diamond(kH);
  std::string text = FormatTrace(g, TraceDirection::kForward);
  EXPECT_EQ(text.rfind("What became of " + kH + " (4 lots)\n", 0), 0u) << text;
  EXPECT_NE(text.find("├── used to make " + kA), std::string::npos) << text;
  EXPECT_NE(text.find("└── used to make " + kB), std::string::npos) << text;
  EXPECT_EQ(Count(text, kR + "  roasted, 650 KGM left  [recalled]"), 1u) << text;
  EXPECT_EQ(Count(text, kR + "  (shown above)"), 1u) << text;
  // The tree is drawn with continuation bars under A (which has a sibling below it).
  EXPECT_NE(text.find("│   └── used to make " + kR), std::string::npos) << text;
}

TEST(TraceFormatTest, PackingEdgesAreNamedAsPacking) {
  v1::TraceGraph g;
  g.set_root_lot("urn:epc:id:sscc:8990001.0000000001");
  AddNode(g, "urn:epc:id:sscc:8990001.0000000001", "koperasi-gayo", 1, "");
  AddNode(g, kA, "koperasi-gayo", 400, "green-beans");
  AddEdge(g, kA, "urn:epc:id:sscc:8990001.0000000001", "ev-pack");
  v1::CommittedEvent* pack = AddEvent(g, "ev-pack", "koperasi-gayo", 3, kT0);
  pack->mutable_event()->set_type(v1::AGGREGATION_EVENT);
  pack->mutable_event()->set_action(v1::ADD);
  pack->mutable_event()->set_parent_id("urn:epc:id:sscc:8990001.0000000001");
  std::string back = FormatTrace(g, TraceDirection::kBack);
  EXPECT_NE(back.find("└── packed in it: " + kA), std::string::npos) << back;
  EXPECT_NE(back.find("by koperasi-gayo (packing)"), std::string::npos) << back;
  g.set_root_lot(kA);
  std::string forward = FormatTrace(g, TraceDirection::kForward);
  EXPECT_NE(forward.find("└── packed into urn:epc:id:sscc:"), std::string::npos) << forward;
}

TEST(TraceFormatTest, ALoneLotHasNoBranches) {
  v1::TraceGraph g;
  g.set_root_lot(kH);
  AddNode(g, kH, "koperasi-gayo", 1000, "");
  std::string text = FormatTrace(g, TraceDirection::kBack);
  EXPECT_EQ(text, "Where " + kH + " came from (1 lot)\n" + kH + "  1000 KGM left\n" +
                      "    owner koperasi-gayo, held by koperasi-gayo\n");
}

TEST(TraceFormatTest, HistoryListsEventsInOrderWithTheirIds) {
  v1::TraceGraph g = Diamond(kR);
  v1::EventList list;
  for (const v1::CommittedEvent& c : g.events()) *list.add_events() = c;
  std::string text = FormatHistory(kH, list);
  EXPECT_EQ(text.rfind("History of " + kH + " (3 events)\n", 0), 0u) << text;
  size_t harvest = text.find("2026-03-01 15:00:00 +07:00  commissioning  by koperasi-gayo: " + kH +
                             " (1000 KGM)  at " + kFarm);
  size_t hull = text.find("transformation  by koperasi-gayo: " + kH + " (1000 KGM) -> " + kA +
                          " (400 KGM), " + kB + " (400 KGM)");
  ASSERT_NE(harvest, std::string::npos) << text;
  ASSERT_NE(hull, std::string::npos) << text;
  EXPECT_LT(harvest, hull);
  EXPECT_NE(text.find("    ev-roast  block 5, recorded 2026-03-02 08:01:00 UTC\n"), std::string::npos)
      << text;
}

TEST(TraceFormatTest, EventStepNamesWhatHappened) {
  v1::Event e;
  e.set_type(v1::OBJECT_EVENT);
  e.set_action(v1::ADD);
  EXPECT_EQ(EventStep(e), "commissioning");
  e.set_action(v1::OBSERVE);
  EXPECT_EQ(EventStep(e), "observation");
  e.set_biz_step("https://ref.gs1.org/cbv/BizStep-shipping");
  EXPECT_EQ(EventStep(e), "shipping");
  e.set_disposition("recalled");
  EXPECT_EQ(EventStep(e), "recall");
  v1::Event certify = e;
  certify.set_biz_step("inspecting");
  certify.clear_disposition();
  EXPECT_EQ(EventStep(certify), "inspecting");
  certify.add_certification_info("https://certs.example/17");
  EXPECT_EQ(EventStep(certify), "certification");
  e.mutable_error_declaration()->set_reason("incorrect_data");
  EXPECT_EQ(EventStep(e), "error declaration");
  v1::Event agg;
  agg.set_type(v1::AGGREGATION_EVENT);
  agg.set_action(v1::DELETE);
  EXPECT_EQ(EventStep(agg), "unpacking");
}

TEST(TraceFormatTest, LocalTimeUsesTheEventsOffset) {
  v1::Event e;
  e.set_event_time_ms(kT0);
  e.set_event_time_zone_offset("-03:30");
  EXPECT_EQ(LocalEventTime(e), "2026-03-01 04:30:00 -03:30");
  e.clear_event_time_zone_offset();
  EXPECT_EQ(LocalEventTime(e), "2026-03-01 08:00:00 UTC");
}

TEST(TraceFormatTest, JsonCarriesNodesEdgesAndEvents) {
  nlohmann::json j = TraceJson(Diamond(kR), TraceDirection::kBack);
  EXPECT_EQ(j["root_lot"], kR);
  EXPECT_EQ(j["direction"], "back");
  ASSERT_EQ(j["nodes"].size(), 4u);
  EXPECT_EQ(j["nodes"][0]["certificates"][0], "organic (Sucofindo)");
  ASSERT_EQ(j["edges"].size(), 4u);
  EXPECT_EQ(j["edges"][3]["event_id"], "ev-roast");
  ASSERT_EQ(j["events"].size(), 3u);
  EXPECT_EQ(j["events"][0]["step"], "commissioning");
  EXPECT_EQ(j["events"][0]["event"]["type"], "ObjectEvent");
}

}  // namespace
}  // namespace jejak::cli
