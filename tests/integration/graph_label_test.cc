// `jejak graph` and `jejak label` against a real jejakd: the coffee chain drawn as DOT, SVG and a
// text tree; QR labels for a jejak lot and an SSCC pallet, refused for unknown lots, existing
// files and unwritable paths; a label's URI accepted by `jejak trace back`.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "node/epcis/gs1_keys.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

const std::string kCherriesGayo = "urn:jejak:lot:gayo:cherries-7";
const std::string kCherriesKintamani = "urn:jejak:lot:kintamani:cherries-7";
const std::string kGreen = "urn:jejak:lot:hulling:green-7";
const std::string kPallet = "urn:epc:id:sscc:8990004.0000000024";
const std::string kGreenUri = "https://id.jejak.example/lot/urn%3Ajejak%3Alot%3Ahulling%3Agreen-7";

class GraphLabelTest : public NodeFixture {
 protected:
  // Two farms' cherries hulled into certified green beans, packed onto a pallet.
  void RecordChain() {
    std::string document = dir_.path() + "/organic.pdf";
    std::ofstream(document) << "organic certificate of the hulled beans";
    As("gayo", {"lot", "commission", kCherriesGayo, "--quantity", "1200", "--uom", "KGM",
                "--product", "cherries"});
    As("kintamani", {"lot", "commission", kCherriesKintamani, "--quantity", "800", "--uom", "KGM"});
    As("gayo", {"lot", "ship", kCherriesGayo, "--to", "hulling"});
    As("kintamani", {"lot", "ship", kCherriesKintamani, "--to", "hulling"});
    As("hulling", {"lot", "receive", kCherriesGayo, kCherriesKintamani});
    As("hulling", {"lot", "transform", "--input", kCherriesGayo + "=1200", "--input",
                   kCherriesKintamani + "=800", "--output", kGreen + "=400", "--uom", "KGM",
                   "--product", "green-beans"});
    As("sucofindo", {"lot", "certify", kGreen, "--document", document, "--issuer", "Sucofindo",
                     "--scheme", "organic", "--valid-from", "2020-01-01", "--valid-until",
                     "2099-12-31"});
    As("hulling", {"lot", "pack", kPallet, "--child", kGreen});
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static bool HasDot() { return std::system("command -v dot > /dev/null 2>&1") == 0; }
  // Width in pixels from a PNG's IHDR chunk; 0 if the bytes are not a PNG.
  static uint32_t PngWidth(const std::string& png) {
    if (png.size() < 24 || png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) != 0 ||
        png.compare(12, 4, "IHDR") != 0) {
      return 0;
    }
    uint32_t width = 0;
    for (int i = 16; i < 20; ++i) width = (width << 8) | static_cast<unsigned char>(png[i]);
    return width;
  }
};

TEST_F(GraphLabelTest, GraphDrawsTheChainAsDotSvgAndText) {
  RecordChain();
  CommandResult dot = Jejak({"graph", kPallet, "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.stderr_text;
  const std::string& text = dot.stdout_text;
  EXPECT_EQ(text.rfind("digraph provenance {", 0), 0u) << text;
  for (const std::string& lot : {kPallet, kGreen, kCherriesGayo, kCherriesKintamani}) {
    EXPECT_NE(text.find("label=\"" + lot), std::string::npos) << lot << " missing:\n" << text;
  }
  for (const char* owner : {"gayo", "kintamani", "hulling"}) {
    EXPECT_NE(text.find(std::string("label=\"") + owner + "\";"), std::string::npos) << owner;
  }
  EXPECT_NE(text.find("certified: organic (Sucofindo)"), std::string::npos) << text;
  EXPECT_NE(text.find("peripheries=2"), std::string::npos) << text;
  EXPECT_NE(text.find("transformation\\n"), std::string::npos) << text;
  EXPECT_NE(text.find("aggregation\\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\\nby hulling\""), std::string::npos) << text;
  EXPECT_NE(text.find("400 KGM left"), std::string::npos) << text;
  // Deterministic: the same answer gives the same bytes.
  EXPECT_EQ(Jejak({"graph", kPallet}).stdout_text, text);

  CommandResult tree = Jejak({"graph", kPallet, "--format", "text"});
  ASSERT_EQ(tree.exit_code, 0) << tree.stderr_text;
  EXPECT_EQ(tree.stdout_text.rfind("Where " + kPallet + " came from (4 lots)", 0), 0u)
      << tree.stdout_text;

  CommandResult forward = Jejak({"graph", kCherriesGayo, "--forward"});
  ASSERT_EQ(forward.exit_code, 0) << forward.stderr_text;
  EXPECT_NE(forward.stdout_text.find("What became of " + kCherriesGayo), std::string::npos);
  EXPECT_NE(forward.stdout_text.find("label=\"" + kPallet), std::string::npos);

  const std::string dot_file = dir_.path() + "/chain.dot";
  CommandResult written = Jejak({"graph", kPallet, "--out", dot_file});
  ASSERT_EQ(written.exit_code, 0) << written.stderr_text;
  EXPECT_EQ(Read(dot_file), text);

  CommandResult unknown = Jejak({"graph", "urn:jejak:lot:gayo:never-made"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.stderr_text.find("not on this ledger"), std::string::npos) << unknown.stderr_text;
  CommandResult png_to_terminal = Jejak({"graph", kPallet, "--format", "png"});
  EXPECT_EQ(png_to_terminal.exit_code, 1);
  EXPECT_NE(png_to_terminal.stderr_text.find("--out"), std::string::npos);

  ASSERT_TRUE(HasDot()) << "Graphviz's dot program is missing (scripts/install-deps installs graphviz)";
  const std::string svg_file = dir_.path() + "/chain.svg";
  CommandResult svg = Jejak({"graph", kPallet, "--format", "svg", "--out", svg_file});
  ASSERT_EQ(svg.exit_code, 0) << svg.stderr_text;
  std::string svg_text = Read(svg_file);
  EXPECT_NE(svg_text.find("<svg"), std::string::npos);
  EXPECT_NE(svg_text.find("urn:jejak:lot:kintamani:cherries&#45;7"), std::string::npos);  // - as &#45;
  EXPECT_NE(svg_text.find("certified: organic (Sucofindo)"), std::string::npos);
  CommandResult again = Jejak({"graph", kPallet, "--format", "svg", "--out", svg_file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.stderr_text.find("already exists"), std::string::npos) << again.stderr_text;
  const std::string png_file = dir_.path() + "/chain.png";
  CommandResult png = Jejak({"graph", kPallet, "--format", "png", "--out", png_file});
  ASSERT_EQ(png.exit_code, 0) << png.stderr_text;
  EXPECT_GT(PngWidth(Read(png_file)), 0u);
}

TEST_F(GraphLabelTest, LabelHoldsTheDigitalLinkOfKnownLotsOnly) {
  RecordChain();
  const std::string label = dir_.path() + "/green.png";
  CommandResult made = Jejak({"label", kGreen, "--out", label});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  EXPECT_EQ(made.stdout_text.rfind(kGreenUri + "\n", 0), 0u) << made.stdout_text;
  // 8 pixels a module, a 4-module quiet zone each side, 17 + 4 x version modules.
  uint32_t width = PngWidth(Read(label));
  ASSERT_GT(width, 0u);
  EXPECT_EQ(width % 8, 0u);
  EXPECT_EQ((width / 8 - 8 - 17) % 4, 0u) << width;

  // The URI printed on the label is a lot id `jejak trace back`, `history` and `prove` accept.
  CommandResult traced = Jejak({"trace", "back", kGreenUri});
  ASSERT_EQ(traced.exit_code, 0) << traced.stderr_text;
  EXPECT_NE(traced.stdout_text.find("Where " + kGreen + " came from"), std::string::npos)
      << traced.stdout_text;
  CommandResult history = Jejak({"--json", "history", kGreenUri});
  ASSERT_EQ(history.exit_code, 0) << history.stderr_text;
  EXPECT_NE(history.stdout_text.find("\"lot_id\": \"" + kGreen + "\""), std::string::npos)
      << history.stdout_text;
  CommandResult proved = Jejak({"prove", kGreenUri, "--out", dir_.path() + "/green.proof.json"});
  ASSERT_EQ(proved.exit_code, 0) << proved.stderr_text;
  EXPECT_NE(proved.stdout_text.find("lot " + kGreen), std::string::npos) << proved.stdout_text;

  // The pallet is an SSCC: a standard GS1 Digital Link, here on a custom resolver.
  Result<std::string> link = epcis::EpcUrnToDigitalLink(kPallet);
  ASSERT_TRUE(link.ok());
  std::string expected = "https://resolver.koperasi.example" + link->substr(link->find("/00/"));
  CommandResult pallet = Jejak({"--json", "label", kPallet, "--out", dir_.path() + "/pallet.png",
                                "--base-uri", "https://resolver.koperasi.example/"});
  ASSERT_EQ(pallet.exit_code, 0) << pallet.stderr_text;
  nlohmann::json answer = nlohmann::json::parse(pallet.stdout_text, nullptr, false);
  EXPECT_EQ(answer.value("uri", ""), expected) << pallet.stdout_text;
  EXPECT_EQ(answer.value("lot_id", ""), kPallet);

  // Refusals: each exits 1 with the reason and writes nothing.
  const std::string unknown_file = dir_.path() + "/unknown.png";
  CommandResult unknown = Jejak({"label", "urn:jejak:lot:gayo:never-made", "--out", unknown_file});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.stderr_text.find("not on this ledger"), std::string::npos) << unknown.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(unknown_file));
  EXPECT_EQ(unknown.stdout_text, "");

  std::string before = Read(label);
  CommandResult exists = Jejak({"label", kCherriesGayo, "--out", label});
  EXPECT_EQ(exists.exit_code, 1);
  EXPECT_NE(exists.stderr_text.find("already exists"), std::string::npos) << exists.stderr_text;
  EXPECT_EQ(Read(label), before);
  CommandResult forced = Jejak({"label", kCherriesGayo, "--out", label, "--force"});
  EXPECT_EQ(forced.exit_code, 0) << forced.stderr_text;
  EXPECT_NE(Read(label), before);

  CommandResult nowhere = Jejak({"label", kGreen, "--out", dir_.path() + "/no/such/dir/x.png"});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.stderr_text.find("cannot write"), std::string::npos) << nowhere.stderr_text;
  CommandResult bad_base = Jejak({"label", kGreen, "--out", dir_.path() + "/b.png", "--base-uri",
                                  "ftp://x.example"});
  EXPECT_EQ(bad_base.exit_code, 1);
  EXPECT_NE(bad_base.stderr_text.find("--base-uri"), std::string::npos) << bad_base.stderr_text;
}

}  // namespace
}  // namespace jejak::testing
