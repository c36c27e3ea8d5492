// Every builder makes the kind of event the rules say it makes: ClassifyEvent is its inverse.
// (The shapes in detail, and each built event applied by the rules: tests/unit/cli/event_builder_test.cc.)
#include "node/ledger/event_builders.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "node/ledger/ledger.h"

namespace jejak::ledger {
namespace {

constexpr const char* kLot = "urn:jejak:lot:koperasi-gayo:h-1";
constexpr const char* kOther = "urn:jejak:lot:koperasi-gayo:h-2";

epcis::Quantity Kilos(const char* amount) { return epcis::Quantity::Parse(amount).value(); }

struct BuilderCase {
  const char* name;
  std::function<Result<v1::Event>(const EventClock&)> build;
  EventKind kind;
};

std::vector<BuilderCase> Cases() {
  Result<v1::Event> original = BuildCommission({kLot, Kilos("500"), "KGM", "", ""}, {1772352000000, "+07:00"});
  return {
      {"commission", [](const EventClock& c) { return BuildCommission({kLot, Kilos("500"), "KGM", "coffee", ""}, c); },
       EventKind::kCommissioning},
      {"ship", [](const EventClock& c) { return BuildShip({{kLot}, "roaster-bandung", "", false, ""}, c); },
       EventKind::kShipping},
      {"receive", [](const EventClock& c) { return BuildReceive({{kLot}, "koperasi-gayo", "", ""}, c); },
       EventKind::kReceiving},
      {"transform",
       [](const EventClock& c) {
         return BuildTransform({{{kLot, Kilos("100")}}, {{kOther, Kilos("80")}}, "KGM", "", ""}, c);
       },
       EventKind::kTransformation},
      {"pack",
       [](const EventClock& c) { return BuildPack({"urn:epc:id:sscc:8990001.0000000001", {kLot}, ""}, c); },
       EventKind::kPacking},
      {"unpack",
       [](const EventClock& c) { return BuildUnpack({"urn:epc:id:sscc:8990001.0000000001", {kLot}, ""}, c); },
       EventKind::kUnpacking},
      {"inspect", [](const EventClock& c) { return BuildInspect({kLot, "conformant", ""}, c); },
       EventKind::kInspection},
      {"certify",
       [](const EventClock& c) {
         return BuildCertify({{kLot}, DocumentSha256Hex("certificate"), "sucofindo", "organic",
                              "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", "", ""},
                             c);
       },
       EventKind::kCertification},
      {"recall", [](const EventClock& c) { return BuildRecall({kLot, "aflatoxin", ""}, c); }, EventKind::kRecall},
      {"correct",
       [original](const EventClock& c) {
         return BuildCorrection({*original, LedgerEventId(*original).value(), "incorrect_data", {}}, c);
       },
       EventKind::kErrorDeclaration},
  };
}

TEST(EventBuilders, EachBuilderMakesTheKindTheRulesGiveIt) {
  const EventClock clock{1772352060000, "+07:00"};
  std::vector<EventKind> kinds;
  for (const BuilderCase& c : Cases()) {
    Result<v1::Event> event = c.build(clock);
    ASSERT_TRUE(event.ok()) << c.name << ": " << event.status().ToString();
    EXPECT_EQ(EventKindName(ClassifyEvent(*event)), std::string(EventKindName(c.kind))) << c.name;
    kinds.push_back(c.kind);
  }
  EXPECT_EQ(kinds.size(), 10u);  // every action the CLI records
}

}  // namespace
}  // namespace jejak::ledger
