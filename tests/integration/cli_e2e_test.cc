// The jejak binary against a real jejakd: the coffee chain of the README's demo, and bad input
// refused with a clear one-line reason, a non-zero exit and no change of state.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "node/epcis/document.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

const std::string kCherriesGayo = "urn:jejak:lot:gayo:cherries-1";
const std::string kCherriesKintamani = "urn:jejak:lot:kintamani:cherries-1";
const std::string kGreen = "urn:jejak:lot:hulling:green-1";
const std::string kRoasted = "urn:jejak:lot:roaster:roast-1";
const std::string kPallet = "urn:epc:id:sscc:8990004.0000000017";

class CliTest : public NodeFixture {
 protected:
  nlohmann::json Json(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CommandResult result = Jejak(args);
    EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
    nlohmann::json parsed = nlohmann::json::parse(result.stdout_text, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << result.stdout_text;
    return parsed;
  }
  uint64_t Height() { return Json({"status"}).value("height", uint64_t{0}); }

  void RecordCoffeeChain() {
    As("gayo", {"lot", "commission", kCherriesGayo, "--quantity", "1200", "--uom", "KGM", "--product", "cherries"});
    As("kintamani", {"lot", "commission", kCherriesKintamani, "--quantity", "800", "--uom", "KGM"});
    As("gayo", {"lot", "ship", kCherriesGayo, "--to", "hulling"});
    As("kintamani", {"lot", "ship", kCherriesKintamani, "--to", "hulling"});
    As("hulling", {"lot", "receive", kCherriesGayo, kCherriesKintamani});
    As("hulling", {"lot", "transform", "--input", kCherriesGayo + "=1200", "--input",
                   kCherriesKintamani + "=800", "--output", kGreen + "=400", "--uom", "KGM"});
    As("hulling", {"lot", "ship", kGreen, "--to", "roaster", "--transfer-ownership"});
    As("roaster", {"lot", "receive", kGreen});
    As("roaster", {"lot", "transform", "--input", kGreen + "=400", "--output", kRoasted + "=340", "--uom", "KGM"});
    As("roaster", {"lot", "pack", kPallet, "--child", kRoasted});
    As("roaster", {"lot", "ship", kPallet, "--to", "buyer", "--transfer-ownership"});
    As("buyer", {"lot", "receive", kPallet});
  }
};

TEST_F(CliTest, CoffeeChainIsRecordedAndTracedBackToBothFarms) {
  RecordCoffeeChain();
  CommandResult trace = Jejak({"trace", "back", kRoasted});
  ASSERT_EQ(trace.exit_code, 0) << trace.stderr_text;
  for (const std::string& lot : {kRoasted, kGreen, kCherriesGayo, kCherriesKintamani}) {
    EXPECT_NE(trace.stdout_text.find(lot), std::string::npos) << lot << " missing from:\n" << trace.stdout_text;
  }
  nlohmann::json graph = Json({"trace", "back", kRoasted});
  ASSERT_TRUE(graph.contains("nodes")) << graph.dump();
  EXPECT_EQ(graph["nodes"].size(), 4u);

  // Forward from one farm's cherries reaches the roast (a recall would find it).
  CommandResult forward = Jejak({"trace", "forward", kCherriesGayo});
  ASSERT_EQ(forward.exit_code, 0) << forward.stderr_text;
  EXPECT_NE(forward.stdout_text.find(kRoasted), std::string::npos) << forward.stdout_text;

  // The buyer now holds and owns the roast, which moved with its pallet.
  nlohmann::json roasted = Json({"trace", "back", kRoasted})["nodes"][0];
  EXPECT_EQ(roasted.value("custodian", ""), "buyer") << roasted.dump();
  EXPECT_EQ(roasted.value("owner", ""), "buyer") << roasted.dump();

  CommandResult history = Jejak({"history", kCherriesGayo});
  ASSERT_EQ(history.exit_code, 0) << history.stderr_text;
  nlohmann::json shipped = Json({"events", "--biz-step", "shipping"});
  ASSERT_TRUE(shipped.is_array() || shipped.contains("events")) << shipped.dump();
  size_t shipments = shipped.is_array() ? shipped.size() : shipped["events"].size();
  EXPECT_EQ(shipments, 4u);

  // The export is an EPCIS 2.0 document that reads back with the lot's events.
  CommandResult exported = Jejak({"export", kCherriesGayo});
  ASSERT_EQ(exported.exit_code, 0) << exported.stderr_text;
  Result<std::vector<v1::Event>> events = epcis::ParseDocument(exported.stdout_text);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->size(), 4u);  // commissioned, shipped, received, transformed
}

TEST_F(CliTest, BadInputFailsWithAReasonAndChangesNothing) {
  As("gayo", {"lot", "commission", kCherriesGayo, "--quantity", "1200", "--uom", "KGM"});
  const uint64_t height = Height();
  struct Case {
    std::vector<std::string> args;
    std::string words;  // in the one-line reason
  };
  std::string malformed = dir_.path() + "/malformed.jsonld";
  std::ofstream(malformed) << "{\"type\": \"EPCISDocument\", ";
  std::string schema_breaking =
      std::string(JEJAK_CONFORMANCE_DIR) + "/epcis-examples/object_event_all_possible_fields.jsonld";
  std::vector<Case> cases = {
      {{"--as", "gayo", "capture", malformed}, "JSON"},
      {{"--as", "gayo", "capture", schema_breaking}, "ilmd"},
      {{"--as", "gayo", "lot", "commission", kCherriesGayo, "--quantity", "5", "--uom", "KGM"}, kCherriesGayo},
      {{"--as", "kintamani", "lot", "ship", kCherriesGayo, "--to", "hulling"}, kCherriesGayo},
      {{"--as", "gayo", "lot", "transform", "--input", kCherriesGayo + "=5000", "--output",
        kGreen + "=1", "--uom", "KGM"}, kCherriesGayo},
      {{"--as", "nobody", "lot", "commission", "urn:jejak:lot:gayo:x-1", "--quantity", "5", "--uom", "KGM"}, "nobody"},
      {{"--as", "gayo", "lot", "commission", "not-a-lot", "--quantity", "5", "--uom", "KGM"}, "not-a-lot"},
  };
  for (const Case& c : cases) {
    CommandResult result = Jejak(c.args);
    EXPECT_NE(result.exit_code, 0) << c.args[2] << " " << c.args[3] << " succeeded";
    EXPECT_NE(result.stderr_text.find(c.words), std::string::npos)
        << "reason should name '" << c.words << "': " << result.stderr_text;
    EXPECT_EQ(std::count(result.stderr_text.begin(), result.stderr_text.end(), '\n'), 1)
        << "one line expected: " << result.stderr_text;
  }
  EXPECT_EQ(Height(), height);
  // Scripts read the rule and the event from --json, not from the words.
  CommandResult refused = Jejak({"--json", "--as", "kintamani", "lot", "ship", kCherriesGayo, "--to", "hulling"});
  EXPECT_EQ(refused.exit_code, 1) << refused.stderr_text;
  nlohmann::json error = nlohmann::json::parse(refused.stdout_text, nullptr, false);
  ASSERT_FALSE(error.is_discarded()) << refused.stdout_text;
  EXPECT_EQ(error.value("rule", ""), "not-custodian") << error.dump();
  EXPECT_EQ(error.value("event_number", 0), 1) << error.dump();
  EXPECT_EQ(error.value("code", ""), "PERMISSION_DENIED") << error.dump();
  EXPECT_EQ(error.value("error", "").rfind("[not-custodian] ", 0), 0u) << error.dump();
  EXPECT_EQ(Height(), height);
  // Anything queued by mistake would commit with the next block: make one and look.
  As("gayo", {"lot", "commission", "urn:jejak:lot:gayo:after-1", "--quantity", "5", "--uom", "KGM"});
  EXPECT_EQ(Height(), height + 1);
  nlohmann::json history = Json({"history", kCherriesGayo});
  EXPECT_EQ(history["events"].size(), 1u) << history.dump();
}

// Issue 12: quantities are exact decimals end to end. What the ledger cannot hold exactly is
// refused by name; `history` prints the decimal the clerk wrote (it printed three decimals).
TEST_F(CliTest, QuantitiesAreExactDecimalsEndToEnd) {
  const std::string lot = "urn:jejak:lot:gayo:exact-1";
  const uint64_t height = Height();
  struct Case {
    std::string quantity, uom, words;
  };
  for (const Case& c : {Case{"1.7e308", "KGM", "[quantity-out-of-range]"},
                        Case{"nan", "KGM", "is not a number (NaN)"},
                        Case{"0.0000001", "KGM", "[quantity-too-precise]"},
                        Case{"5", "KGX", "[uom-unknown]"}}) {
    CommandResult result =
        Jejak({"--as", "gayo", "lot", "commission", lot, "--quantity", c.quantity, "--uom", c.uom});
    EXPECT_NE(result.exit_code, 0) << c.quantity << " " << c.uom << " succeeded";
    EXPECT_NE(result.stderr_text.find(c.words), std::string::npos)
        << "reason should name '" << c.words << "': " << result.stderr_text;
  }
  EXPECT_EQ(Height(), height);
  As("gayo", {"lot", "commission", lot, "--quantity", "123456789.123456", "--uom", "KGM"});
  CommandResult history = Jejak({"history", lot});
  ASSERT_EQ(history.exit_code, 0) << history.stderr_text;
  EXPECT_NE(history.stdout_text.find(lot + " (123456789.123456 KGM)"), std::string::npos)
      << history.stdout_text;
  nlohmann::json trace = Json({"trace", "back", lot});
  EXPECT_EQ(trace["nodes"][0]["quantity"].dump(), "123456789.123456") << trace.dump();
}

TEST_F(CliTest, NodeThatIsNotRunningIsReportedAsSuch) {
  ASSERT_NO_FATAL_FAILURE(StopNode());
  CommandResult result = Jejak({"status"});
  EXPECT_EQ(result.exit_code, 3) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("no node answers"), std::string::npos) << result.stderr_text;
}

}  // namespace
}  // namespace jejak::testing
