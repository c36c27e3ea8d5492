#include <gtest/gtest.h>

#include "node/crypto/merkle.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using testing::Sign;

v1::Event SampleEvent() {
  testing::Events events;
  return events.Commission("urn:jejak:lot:koperasi-gayo:h-001", 1000);
}

TEST(SigningTest, SignedEventVerifies) {
  Genesis g = testing::TestGenesis();
  v1::SignedEvent s = Sign(testing::kGayo, SampleEvent());
  EXPECT_EQ(s.signer_key_id(), crypto::KeyId(testing::KeyFromSeed(1).public_key()));
  EXPECT_EQ(s.signature().size(), 64u);
  EXPECT_TRUE(VerifyEntrySignature(*Membership::FromGenesis(g), g.chain_id, s).ok());
  v1::Event back;
  ASSERT_TRUE(back.ParseFromString(s.event_bytes()));
  EXPECT_EQ(back.quantity_list(0).epc_class(), "urn:jejak:lot:koperasi-gayo:h-001");
}

TEST(SigningTest, DigestSeparatesChainAndBytes) {
  auto a = EventDigest("ab", "c");
  auto b = EventDigest("a", "bc");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(EventDigest("", "x").status().code(), StatusCode::kInvalid);
  EXPECT_EQ(EventDigest(std::string("a\0b", 3), "x").status().code(), StatusCode::kInvalid);
}

TEST(SigningTest, RejectsTamperingWrongChainAndUnknownKeys) {
  Genesis g = testing::TestGenesis();
  const std::shared_ptr<const Membership> membership = Membership::FromGenesis(g);
  const Membership& keys = *membership;
  v1::SignedEvent s = Sign(testing::kGayo, SampleEvent());

  v1::SignedEvent tampered = s;
  tampered.mutable_event_bytes()->back() ^= 1;
  Status t = VerifyEntrySignature(keys, g.chain_id, tampered);
  EXPECT_EQ(t.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(t.message().find("does not match"), std::string::npos) << t.message();

  Status other_chain = VerifyEntrySignature(keys, "jejak-other", s);
  EXPECT_EQ(other_chain.code(), StatusCode::kPermissionDenied);

  Status stranger = VerifyEntrySignature(keys, g.chain_id, Sign("stranger", SampleEvent()));
  EXPECT_EQ(stranger.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(stranger.message().find("not an agent key"), std::string::npos);

  // Whether a known key may still sign is the ledger's rule (MembershipTest), not the signature's.
  EXPECT_TRUE(VerifyEntrySignature(keys, g.chain_id, Sign("retired", SampleEvent())).ok());

  v1::SignedEvent swapped = s;  // a valid signature claimed by another key
  swapped.set_signer_key_id(crypto::KeyId(testing::KeyFromSeed(2).public_key()));
  EXPECT_EQ(VerifyEntrySignature(keys, g.chain_id, swapped).code(),
            StatusCode::kPermissionDenied);
}

TEST(BlockTest, HeaderHashCoversEveryField) {
  v1::Block block = testing::MakeBlock(1, nullptr, {Sign(testing::kGayo, SampleEvent())});
  std::string base = BlockHash(block.header());
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(BlockHash(block.header()), base);  // deterministic
  std::vector<std::function<void(v1::BlockHeader&)>> edits = {
      [](auto& h) { h.set_chain_id("x"); },
      [](auto& h) { h.set_height(2); },
      [](auto& h) { h.set_time_ms(h.time_ms() + 1); },
      [](auto& h) { h.set_previous_block_hash(std::string(32, 'p')); },
      [](auto& h) { h.set_events_root(std::string(32, 'r')); },
      [](auto& h) { h.set_validator_set_hash(std::string(32, 'v')); },
      [](auto& h) { h.set_proposer("v2"); },
      [](auto& h) { h.set_event_count(7); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    v1::BlockHeader h = block.header();
    edits[i](h);
    EXPECT_NE(BlockHash(h), base) << "field edit " << i;
  }
  // Length prefixes keep field boundaries: moving a byte between fields changes the hash.
  v1::BlockHeader a = block.header(), b = block.header();
  a.set_chain_id("ab");
  a.set_proposer("c");
  b.set_chain_id("a");
  b.set_proposer("bc");
  EXPECT_NE(BlockHash(a), BlockHash(b));
}

TEST(BlockTest, EventsRootAndValidatorSetHash) {
  v1::SignedEvent e1 = Sign(testing::kGayo, SampleEvent());
  v1::SignedEvent e2 = Sign(testing::kRoaster, SampleEvent());
  v1::Block block = testing::MakeBlock(1, nullptr, {e1, e2});
  EXPECT_EQ(EventsRoot(block), crypto::MerkleRoot({e1.SerializeAsString(), e2.SerializeAsString()}));
  v1::Block swapped = testing::MakeBlock(1, nullptr, {e2, e1});
  EXPECT_NE(EventsRoot(block), EventsRoot(swapped));
  std::vector<Validator> vs = testing::TestGenesis().validators;
  std::vector<Validator> reversed(vs.rbegin(), vs.rend());
  EXPECT_EQ(ValidatorSetHash(vs), ValidatorSetHash(reversed));  // order of listing is irrelevant
  vs[0].address = "127.0.0.1:9999";
  EXPECT_NE(ValidatorSetHash(vs), ValidatorSetHash(reversed));
}

TEST(BlockTest, CheckBlockHeader) {
  v1::Block b1 = testing::MakeBlock(1, nullptr, {Sign(testing::kGayo, SampleEvent())});
  EXPECT_TRUE(CheckBlockHeader(b1, "jejak-test-1", {0, ""}).ok());
  v1::Block b2 = testing::MakeBlock(2, &b1, {});
  EXPECT_TRUE(CheckBlockHeader(b2, "jejak-test-1", {1, BlockHash(b1.header())}).ok());

  auto expect = [](const Status& s, const std::string& fragment) {
    EXPECT_EQ(s.code(), StatusCode::kInvalid);
    EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
  };
  expect(CheckBlockHeader(b1, "jejak-other", {0, ""}), "chain id");
  expect(CheckBlockHeader(b2, "jejak-test-1", {2, BlockHash(b1.header())}), "height must be 3");
  expect(CheckBlockHeader(b2, "jejak-test-1", {1, std::string(32, 'x')}), "previous block hash");
  v1::Block miscounted = b1;
  miscounted.mutable_header()->set_event_count(2);
  expect(CheckBlockHeader(miscounted, "jejak-test-1", {0, ""}), "header says 2 events");
  v1::Block reordered = b1;
  reordered.add_events()->CopyFrom(Sign(testing::kRoaster, SampleEvent()));
  reordered.mutable_header()->set_event_count(2);
  expect(CheckBlockHeader(reordered, "jejak-test-1", {0, ""}), "events root");
}

}  // namespace
}  // namespace jejak::ledger
