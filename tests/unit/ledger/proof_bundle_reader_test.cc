// Issue 12: unknown members of a proof bundle were ignored, and a 200 MB junk member cost 5 GB of
// memory. The reader refuses members format v1 does not define, by name, before reading them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "node/ledger/proof_bundle.h"

namespace jejak::ledger {
namespace {

// A bundle the reader accepts (it checks shapes, not signatures): one block, one event.
nlohmann::ordered_json SmallBundle() {
  ProofBundle b;
  b.chain_id = "jejak-test-1";
  b.genesis_hash = std::string(32, '\x01');
  b.lot_id = "urn:jejak:lot:gayo:h-1";
  ProofBlock block;
  block.header.set_chain_id("jejak-test-1");
  block.header.set_height(1);
  block.header.set_events_root(std::string(32, '\x02'));
  block.header.set_validator_set_hash(std::string(32, '\x03'));
  block.certificate.set_height(1);
  block.certificate.set_block_hash(std::string(32, '\x04'));
  v1::CommitSignature* signature = block.certificate.add_signatures();
  signature->set_validator_id("v1");
  signature->set_signature(std::string(64, '\x05'));
  b.blocks.push_back(block);
  ProofEvent event;
  event.event_id = "ni:///sha-256;00?ver=CBV2.0";
  event.height = 1;
  event.signed_event.set_event_bytes("abc");
  event.signed_event.set_signer_key_id("k");
  b.events.push_back(event);
  return nlohmann::ordered_json::parse(ProofBundleToJson(b));
}

Status Parse(const nlohmann::ordered_json& json) { return ParseProofBundle(json.dump()).status(); }

TEST(ProofBundleReaderTest, TheSmallBundleIsRead) { EXPECT_TRUE(Parse(SmallBundle()).ok()); }

TEST(ProofBundleReaderTest, UnknownMembersAreRefusedNamingThemAndTheirPlace) {
  struct Case {
    std::string where;  // JSON pointer
    std::string message;
  };
  const std::string v1 = ": not part of proof bundle format jejak-proof-bundle version 2";
  for (const Case& c : {Case{"/junk", "member 'junk'" + v1},
                        Case{"/events/0/junk", "member 'junk' of events[0]" + v1},
                        Case{"/blocks/0/header/junk", "member 'junk' of blocks[0].header" + v1},
                        Case{"/blocks/0/certificate/signatures/0/junk",
                             "member 'junk' of blocks[0].certificate.signatures[0]" + v1}}) {
    nlohmann::ordered_json json = SmallBundle();
    json[nlohmann::ordered_json::json_pointer(c.where)] = "x";
    Status s = Parse(json);
    EXPECT_EQ(s.code(), StatusCode::kInvalid) << c.where;
    EXPECT_EQ(s.message(), "proof bundle: " + c.message) << c.where;
  }
}

// A junk member is refused when its name is read: none of its value is parsed. (Before, the
// 200 MB junk value of the issue was parsed into some 5 GB of JSON nodes, then ignored.)
TEST(ProofBundleReaderTest, AJunkMemberIsRefusedBeforeItsValueIsRead) {
  std::string text = SmallBundle().dump();
  text.pop_back();  // the closing brace
  text += ", \"junk\": [";
  text.append(4 << 20, '[');  // nested past every depth limit: reading any of it would fail otherwise
  Status s = ParseProofBundle(text).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalid) << s.ToString();
  EXPECT_NE(s.message().find("member 'junk'"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace jejak::ledger
