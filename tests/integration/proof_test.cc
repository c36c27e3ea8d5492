// Proof bundles through the real binaries: `jejak prove` asks a running jejakd, `jejak verify`
// checks the file offline against the genesis, and a tampered file fails naming what changed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

const std::string kCherriesGayo = "urn:jejak:lot:gayo:cherries-1";
const std::string kCherriesKintamani = "urn:jejak:lot:kintamani:cherries-1";
const std::string kGreen = "urn:jejak:lot:hulling:green-1";
const std::string kRoasted = "urn:jejak:lot:roaster:roast-1";

class ProofCliTest : public NodeFixture {
 protected:
  void RecordCoffeeChain() {
    std::string document = dir_.path() + "/organic.pdf";
    std::ofstream(document) << "organic certificate of the hulled beans";
    As("gayo", {"lot", "commission", kCherriesGayo, "--quantity", "1200", "--uom", "KGM"});
    As("kintamani", {"lot", "commission", kCherriesKintamani, "--quantity", "800", "--uom", "KGM"});
    As("gayo", {"lot", "ship", kCherriesGayo, "--to", "hulling"});
    As("kintamani", {"lot", "ship", kCherriesKintamani, "--to", "hulling"});
    As("hulling", {"lot", "receive", kCherriesGayo, kCherriesKintamani});
    As("hulling", {"lot", "transform", "--input", kCherriesGayo + "=1200", "--input",
                   kCherriesKintamani + "=800", "--output", kGreen + "=400", "--uom", "KGM"});
    As("sucofindo", {"lot", "certify", kGreen, "--document", document, "--issuer", "Sucofindo",
                     "--scheme", "organic", "--valid-from", "2020-01-01", "--valid-until",
                     "2099-12-31"});
    As("hulling", {"lot", "ship", kGreen, "--to", "roaster", "--transfer-ownership"});
    As("roaster", {"lot", "receive", kGreen});
    As("roaster", {"lot", "transform", "--input", kGreen + "=400", "--output", kRoasted + "=340",
                   "--uom", "KGM"});
  }
  std::string Genesis() const { return home() + "/genesis.json"; }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static void Write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }
  // `jejak verify` with no --home: it must not need a node.
  CommandResult Verify(const std::string& bundle, bool json = false) {
    std::vector<std::string> args = {kJejak, "verify", bundle, "--genesis", Genesis()};
    if (json) args.insert(args.begin() + 1, "--json");
    return RunCommand(args, std::chrono::seconds(60));
  }
};

TEST_F(ProofCliTest, ProveVerifyAndTamper) {
  RecordCoffeeChain();
  std::string bundle = dir_.path() + "/roast.bundle.json";
  CommandResult prove = Jejak({"prove", kRoasted, "--out", bundle});
  ASSERT_EQ(prove.exit_code, 0) << prove.stderr_text;
  EXPECT_NE(prove.stdout_text.find("wrote the proof bundle of lot " + kRoasted), std::string::npos)
      << prove.stdout_text;

  StopNode();  // verification is offline
  CommandResult ok = Verify(bundle);
  ASSERT_EQ(ok.exit_code, 0) << ok.stderr_text;
  EXPECT_NE(ok.stdout_text.find("VERIFIED: lot " + kRoasted), std::string::npos) << ok.stdout_text;
  CommandResult json = Verify(bundle, true);
  ASSERT_EQ(json.exit_code, 0) << json.stderr_text;
  nlohmann::json trace = nlohmann::json::parse(json.stdout_text, nullptr, false);
  ASSERT_FALSE(trace.is_discarded()) << json.stdout_text;
  EXPECT_EQ(trace["origins"], nlohmann::json({kCherriesGayo, kCherriesKintamani}));
  bool organic_checked = false;
  for (const auto& step : trace["steps"]) {
    for (const auto& cert : step["certificates"]) {
      organic_checked |= cert["scheme"] == "organic" && cert["valid_at_event_time"] == true;
    }
  }
  EXPECT_TRUE(organic_checked) << json.stdout_text;

  // One hex digit of block 1's events root changed in the file (each command of this test was
  // a block of one event, so Merkle paths are empty: the root is the leaf's hash).
  std::string text = Read(bundle);
  size_t at = text.find("\"events_root\": \"");
  ASSERT_NE(at, std::string::npos);
  at += 16;
  text[at] = text[at] == '0' ? '1' : '0';
  std::string tampered = dir_.path() + "/tampered.json";
  Write(tampered, text);
  CommandResult bad = Verify(tampered);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("NOT VERIFIED"), std::string::npos) << bad.stderr_text;
  EXPECT_NE(bad.stderr_text.find("block 1: header hash does not match its certificate's block "
                                 "hash"),
            std::string::npos)
      << bad.stderr_text;
  // An event's signed bytes changed (base64 of other bytes).
  text = Read(bundle);
  at = text.find("\"event_bytes\": \"");
  ASSERT_NE(at, std::string::npos);
  at += 16;
  text[at] = text[at] == 'A' ? 'B' : 'A';
  Write(tampered, text);
  bad = Verify(tampered);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.stderr_text.find("event 0 (ni:///"), std::string::npos) << bad.stderr_text;
  EXPECT_NE(bad.stderr_text.find("does not match the event"), std::string::npos)
      << bad.stderr_text;

  // The same bundle against another network's genesis.
  std::string other_genesis = Read(Genesis());
  size_t chain = other_genesis.find(chain_id());
  ASSERT_NE(chain, std::string::npos);
  other_genesis.replace(chain, chain_id().size(), "jejak-it-9");
  Write(dir_.path() + "/other.json", other_genesis);
  CommandResult other = RunCommand({kJejak, "verify", bundle, "--genesis",
                                    dir_.path() + "/other.json"}, std::chrono::seconds(60));
  EXPECT_NE(other.exit_code, 0);
  EXPECT_NE(other.stderr_text.find("the bundle is for chain \"jejak-it-1\""), std::string::npos)
      << other.stderr_text;
}

TEST_F(ProofCliTest, ProveOfAnUnknownLotFails) {
  CommandResult prove = Jejak({"prove", "urn:jejak:lot:gayo:nothing", "--out",
                               dir_.path() + "/none.json"});
  EXPECT_NE(prove.exit_code, 0);
  EXPECT_NE(prove.stderr_text.find("is not on this ledger"), std::string::npos)
      << prove.stderr_text;
}

}  // namespace
}  // namespace jejak::testing
