// Proof bundles through the real binaries: `jejak prove` asks a running jejakd, `jejak verify`
// checks the file offline against the genesis, and a tampered file fails naming what changed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

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

// Issue 12 end to end: cherries certified organic for the first half of 2020 and shipped in March
// 2020, all recorded now. `verify` must not call the certificate valid without saying that it had
// expired by the time the chain recorded the shipping. And an event dated 9999 is refused by rule.
TEST_F(ProofCliTest, VerifySaysWhenACertificateExpiredBeforeTheEventWasRecorded) {
  const std::string lot = "urn:jejak:lot:gayo:cherries-2020";
  auto capture = [&](const std::string& org, const std::string& name, const nlohmann::json& event) {
    nlohmann::json document = {
        {"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                      {{"jejak", "https://jejak.id/ns/epcis/v1/"}}}},
        {"type", "EPCISDocument"},
        {"schemaVersion", "2.0"},
        {"creationDate", "2020-03-01T08:00:00+07:00"},
        {"epcisBody", {{"eventList", {event}}}}};
    const std::string file = dir_.path() + "/" + name + ".jsonld";
    Write(file, document.dump());
    return Jejak({"--as", org, "capture", file});
  };
  nlohmann::json commission = {
      {"type", "ObjectEvent"}, {"action", "ADD"}, {"bizStep", "commissioning"},
      {"eventTime", "2020-01-01T08:00:00+07:00"}, {"eventTimeZoneOffset", "+07:00"},
      {"epcList", nlohmann::json::array()},
      {"quantityList", {{{"epcClass", lot}, {"quantity", 500}, {"uom", "KGM"}}}}};
  nlohmann::json certify = {
      {"type", "ObjectEvent"}, {"action", "OBSERVE"}, {"bizStep", "inspecting"},
      {"eventTime", "2020-01-02T08:00:00+07:00"}, {"eventTimeZoneOffset", "+07:00"},
      {"epcList", {lot}},
      {"certificationInfo", "https://certs.example/organic/2020"},
      {"jejak:certificate", {{"documentHash", std::string(64, 'b')}, {"issuer", "Sucofindo"},
                             {"scheme", "organic"}, {"validFrom", "2020-01-01T00:00:00Z"},
                             {"validUntil", "2020-06-30T23:59:59Z"}}}};
  nlohmann::json ship = {
      {"type", "ObjectEvent"}, {"action", "OBSERVE"}, {"bizStep", "shipping"},
      {"eventTime", "2020-03-01T08:00:00+07:00"}, {"eventTimeZoneOffset", "+07:00"},
      {"epcList", {lot}},
      {"destinationList",
       {{{"type", "possessing_party"}, {"destination", "urn:jejak:org:hulling"}}}}};
  for (const auto& [org, name, event] :
       {std::tuple{"gayo", "commission", commission}, std::tuple{"sucofindo", "certify", certify},
        std::tuple{"gayo", "ship", ship}}) {
    CommandResult captured = capture(org, name, event);
    ASSERT_EQ(captured.exit_code, 0) << name << ": " << captured.stderr_text;
  }
  nlohmann::json future = commission;
  future["eventTime"] = "9999-12-31T00:00:00Z";
  future["quantityList"][0]["epcClass"] = "urn:jejak:lot:gayo:cherries-9999";
  CommandResult refused = capture("gayo", "future", future);
  EXPECT_NE(refused.exit_code, 0);
  // Numbered by its place in the document from the refusal's details, with what was committed.
  EXPECT_NE(refused.stderr_text.find("event 1: [time-future] "), std::string::npos) << refused.stderr_text;
  EXPECT_NE(refused.stderr_text.find("(no event of this run was committed)"), std::string::npos)
      << refused.stderr_text;
  EXPECT_EQ(std::count(refused.stderr_text.begin(), refused.stderr_text.end(), '\n'), 1) << refused.stderr_text;

  std::string bundle = dir_.path() + "/cherries-2020.bundle.json";
  CommandResult prove = Jejak({"prove", lot, "--out", bundle});
  ASSERT_EQ(prove.exit_code, 0) << prove.stderr_text;
  CommandResult verified = Verify(bundle);
  ASSERT_EQ(verified.exit_code, 0) << verified.stderr_text;
  const std::string& text = verified.stdout_text;
  EXPECT_NE(text.find("happened 2020-03-01 01:00:00 UTC, recorded "), std::string::npos) << text;
  EXPECT_NE(text.find("days after it happened"), std::string::npos) << text;
  EXPECT_NE(text.find("of " + lot + ": valid at the event time, but NOT at the record time"),
            std::string::npos)
      << text;
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
