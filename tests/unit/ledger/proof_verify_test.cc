// Proof bundles over a real certified chain (4 validators, 3 sign each block): the untouched
// bundle verifies, and every way of tampering with it fails naming what was changed.
#include <gtest/gtest.h>

#include <random>

#include "node/ledger/proof_builder.h"
#include "node/ledger/proof_verify.h"
#include "proof_chain.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

// Lots of the test chain; the roast "r" is the roaster's (only it creates lots in its namespace).
std::string L(const std::string& s) {
  return std::string("urn:jejak:lot:") + (s == "r" ? kRoaster : kGayo) + ":" + s;
}


// Cherries a and b (Gayo) -> green g, certified organic -> shipped to and received by the
// roaster -> roasted r, packed on pallet p. One unrelated lot x.
class ProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Events& ev = events_;
    Commit({{kGayo, ev.Commission(L("a"), 100)}, {kGayo, ev.Commission(L("b"), 100)},
            {kGayo, ev.Commission(L("x"), 5)}});
    Commit({{kGayo, ev.Transform({{L("a"), 100}, {L("b"), 100}}, {{L("g"), 150}})},
            {kCertifier, ev.Certify(L("g"), std::string(64, 'a'), kT0, kT0 + 30 * kDayMs)}});
    Commit({{kGayo, ev.Ship(L("g"), kRoasterPgln)}});
    Commit({{kRoaster, ev.Receive(L("g"))},
            {kRoaster, ev.Transform({{L("g"), 150}}, {{L("r"), 120}})},
            {kRoaster, ev.Pack(kPallet, {L("r")})}});
    // Moves r along inside the pallet: r's history lists an event that names only the pallet.
    Commit({{kRoaster, ev.Ship(kPallet, OrgPartyId(kTrucks))}});
  }
  static constexpr const char* kPallet = "urn:epc:id:sscc:8990002.0000000001";
  void Commit(const std::vector<std::pair<std::string, v1::Event>>& events) {
    std::vector<v1::SignedEvent> signed_events;
    for (const auto& [org, e] : events) signed_events.push_back(Sign(org, e));
    // Recorded a second after the latest event happened.
    Status s = chain_.Commit(signed_events, events_.now_ms() + 1000);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  ProofBundle Build(const std::string& lot, bool forward = false) {
    ProofOptions options;
    options.forward = forward;
    auto bundle = BuildProofBundle(chain_.genesis(), chain_.state(), chain_, lot, options);
    EXPECT_TRUE(bundle.ok()) << bundle.status().ToString();
    return bundle.ok() ? *bundle : ProofBundle();
  }
  // The first failure, expected to contain `needle`.
  void ExpectFails(const ProofBundle& bundle, const std::string& needle) {
    auto trace = VerifyProofBundle(chain_.genesis(), bundle);
    ASSERT_FALSE(trace.ok()) << "tampered bundle verified; wanted: " << needle;
    EXPECT_NE(trace.status().message().find(needle), std::string::npos)
        << trace.status().ToString() << "\nwanted: " << needle;
  }
  size_t EventIndex(const ProofBundle& b, const std::string& event_id) {
    for (size_t i = 0; i < b.events.size(); ++i) {
      if (b.events[i].event_id == event_id) return i;
    }
    ADD_FAILURE() << "no event " << event_id;
    return 0;
  }

  CertifiedChain chain_{FourValidatorGenesis(), ValidatorKeys(), 3};
  Events events_;
};

TEST_F(ProofTest, UntouchedBundleVerifiesAndDescribesTheTrace) {
  ProofBundle b = Build(L("r"));
  EXPECT_EQ(b.blocks.size(), 5u);
  EXPECT_EQ(b.traces.size(), 1u);
  auto trace = VerifyProofBundle(chain_.genesis(), b);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_EQ(trace->root_lot, L("r"));
  EXPECT_EQ(trace->origins, (std::vector<std::string>{L("a"), L("b")}));
  EXPECT_EQ(trace->organisations,
            (std::vector<std::string>{kGayo, kRoaster, kCertifier}));
  EXPECT_EQ(trace->lots.size(), 4u);  // r, g, a, b: not x
  EXPECT_EQ(trace->blocks_verified, 5u);
  EXPECT_EQ(trace->signatures_verified, b.events.size() + 5 * 3);
  ASSERT_FALSE(trace->steps.empty());
  EXPECT_EQ(trace->steps.front().kind, "commissioning");
  bool certified_step = false;
  for (const VerifiedStep& s : trace->steps) {
    if (s.kind == "shipping" && s.height == 3) {
      ASSERT_EQ(s.certificates.size(), 1u);
      EXPECT_TRUE(s.certificates[0].valid_at_event_time);
      EXPECT_EQ(s.certificates[0].scheme, "organic");
      certified_step = true;
    }
  }
  EXPECT_TRUE(certified_step);
}

TEST_F(ProofTest, JsonRoundTripAndForwardTraces) {
  ProofBundle b = Build(L("a"), /*forward=*/true);
  ASSERT_EQ(b.traces.size(), 2u);
  std::string json = ProofBundleToJson(b, 1);
  auto parsed = ParseProofBundle(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ProofBundleToJson(*parsed, 1), json);
  auto trace = VerifyProofBundle(chain_.genesis(), std::string_view(json));
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_TRUE(trace->forward);
  EXPECT_EQ(trace->origins, (std::vector<std::string>{L("a")}));
  // Forward: a -> g -> r -> pallet.
  EXPECT_EQ(b.traces[1].lot_ids.size(), 4u);
}

TEST_F(ProofTest, UnknownLotIsNotFound) {
  auto b = BuildProofBundle(chain_.genesis(), chain_.state(), chain_, L("nope"));
  EXPECT_EQ(b.status().code(), StatusCode::kNotFound);
}

TEST_F(ProofTest, AnyChangedEventByteFails) {
  ProofBundle good = Build(L("r"));
  std::mt19937 rng(20261122);
  for (int round = 0; round < 40; ++round) {
    ProofBundle b = good;
    size_t k = rng() % b.events.size();
    std::string& bytes = *b.events[k].signed_event.mutable_event_bytes();
    size_t pos = rng() % bytes.size();
    bytes[pos] = static_cast<char>(bytes[pos] ^ (1 + rng() % 255));
    SCOPED_TRACE("event " + std::to_string(k) + " byte " + std::to_string(pos));
    ExpectFails(b, "event " + std::to_string(k) + " (");
    ExpectFails(b, "does not match the event");
  }
}

TEST_F(ProofTest, ChangedPathHashFails) {
  ProofBundle good = Build(L("r"));
  std::mt19937 rng(7);
  size_t tried = 0;
  for (size_t k = 0; k < good.events.size(); ++k) {
    if (good.events[k].path.empty()) continue;
    ProofBundle b = good;
    std::string& hash = b.events[k].path[rng() % b.events[k].path.size()];
    hash[rng() % 32] ^= 0x20;
    ExpectFails(b, "event " + std::to_string(k) + " (" + good.events[k].event_id +
                       "): Merkle path does not lead to block " +
                       std::to_string(good.events[k].height) + "'s events root");
    ++tried;
  }
  EXPECT_GT(tried, 3u);
  ProofBundle b = good;
  b.events[0].leaf_index += 1;
  ExpectFails(b, "Merkle path");
}

TEST_F(ProofTest, ChangedHeaderFieldFails) {
  ProofBundle good = Build(L("r"));
  std::vector<std::function<void(v1::BlockHeader&)>> changes = {
      [](v1::BlockHeader& h) { h.set_time_ms(h.time_ms() + 1); },
      [](v1::BlockHeader& h) { (*h.mutable_events_root())[5] ^= 1; },
      [](v1::BlockHeader& h) { h.set_proposer("v2"); },
      [](v1::BlockHeader& h) { h.set_event_count(h.event_count() + 1); },
      [](v1::BlockHeader& h) { (*h.mutable_previous_block_hash())[0] ^= 1; },
      [](v1::BlockHeader& h) { (*h.mutable_validator_set_hash())[31] ^= 1; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    ProofBundle b = good;
    changes[i](b.blocks[2].header);
    SCOPED_TRACE(i);
    ExpectFails(b, "block 3: header hash does not match its certificate's block hash");
  }
}

TEST_F(ProofTest, ChangedSignaturesFail) {
  ProofBundle good = Build(L("r"));
  ProofBundle b = good;
  (*b.events[2].signed_event.mutable_signature())[10] ^= 1;
  ExpectFails(b, "event 2 (" + good.events[2].event_id + "): [signature-invalid] the signature of key");
  b = good;
  (*b.blocks[1].certificate.mutable_signatures(1)->mutable_signature())[3] ^= 1;
  ExpectFails(b, "block 2: certificate signature of validator v2 is not valid");
  b = good;
  b.blocks[1].certificate.mutable_signatures()->RemoveLast();
  ExpectFails(b, "block 2: certificate has 2 validator signatures, below the quorum of 3 of 4");
  b = good;
  *b.blocks[1].certificate.add_signatures() = b.blocks[1].certificate.signatures(0);
  ExpectFails(b, "block 2: certificate signs twice for validator v1");
  b = good;
  b.blocks[1].certificate.mutable_signatures(0)->set_validator_id("v9");
  ExpectFails(b, "names \"v9\", not a validator");
  b = good;
  b.blocks[1].certificate.set_round(1);  // signatures were over round 0
  ExpectFails(b, "block 2: certificate signature of validator v1 is not valid");
}

TEST_F(ProofTest, DroppedEventOrBlockFails) {
  ProofBundle good = Build(L("r"));
  ProofBundle b = good;
  std::string dropped = b.events[1].event_id;
  b.events.erase(b.events.begin() + 1);
  ExpectFails(b, dropped + ") is not in the bundle");
  b = good;
  b.blocks.erase(b.blocks.begin());
  ExpectFails(b, "event 0 (" + good.events[0].event_id + "): its block 1 is not in the bundle");
  b = good;
  std::swap(b.blocks[0], b.blocks[1]);
  ExpectFails(b, "in height order");
}

TEST_F(ProofTest, BlockOfAnotherChainFails) {
  CertifiedChain other(FourValidatorGenesis("jejak-other-1"), ValidatorKeys(), 3);
  auto signed_event = SignEvent(KeyFromSeed(1), "jejak-other-1", events_.Commission(L("z"), 1));
  ASSERT_TRUE(signed_event.ok());
  ASSERT_TRUE(other.Commit({*signed_event}, events_.now_ms()).ok());
  ProofBundle b = Build(L("r"));
  b.blocks[0].header = other.GetBlock(1)->header();
  b.blocks[0].certificate = *other.GetCertificate(1);
  ExpectFails(b, "block 1: header is of chain \"jejak-other-1\", not \"jejak-test-1\"");
  // The whole bundle for another genesis.
  ProofBundle whole = Build(L("r"));
  Genesis renamed = chain_.genesis();
  renamed.organisations[0].name = "Someone else";
  auto trace = VerifyProofBundle(renamed, whole);
  ASSERT_FALSE(trace.ok());
  EXPECT_NE(trace.status().message().find("not this genesis"), std::string::npos);
  whole.chain_id = "jejak-other-1";
  ExpectFails(whole, "the bundle is for chain \"jejak-other-1\"");
}

TEST_F(ProofTest, EventSignedByAKeyTheGenesisDoesNotAuthoriseFails) {
  ProofBundle good = Build(L("r"));
  size_t k = EventIndex(good, good.lots[0].created_by_event_id);  // the roasting
  v1::Event roasting;
  ASSERT_TRUE(roasting.ParseFromString(good.events[k].signed_event.event_bytes()));
  ProofBundle b = good;
  b.events[k].signed_event = Sign("stranger", roasting);
  ExpectFails(b, "is not an agent key of any member organisation");
  b.events[k].signed_event = Sign("retired", roasting);
  ExpectFails(b, "is no longer active");
  // A real signature by a member whose role may not transform.
  b.events[k].signed_event = Sign(kCertifier, roasting);
  ExpectFails(b, "organisation sucofindo may not record transformation");
}

TEST_F(ProofTest, WrongFormatOrVersionFails) {
  std::string json = ProofBundleToJson(Build(L("r")));
  // Version 1 (before governance entries) and a version to come are refused by name.
  for (const char* version : {"1", "3"}) {
    std::string other_version = json;
    other_version.replace(other_version.find("\"version\":2"), 11, std::string("\"version\":") + version);
    auto trace = VerifyProofBundle(chain_.genesis(), std::string_view(other_version));
    ASSERT_FALSE(trace.ok());
    EXPECT_NE(trace.status().message().find(std::string("version ") + version +
                                            " is not supported (this verifier reads version 2)"),
              std::string::npos)
        << trace.status().ToString();
  }
  Result<VerifiedTrace> trace = Status::Internal("unset");
  std::string other = json;
  other.replace(other.find("jejak-proof-bundle"), 18, "jejak-proof-bundlx");
  trace = VerifyProofBundle(chain_.genesis(), std::string_view(other));
  ASSERT_FALSE(trace.ok());
  EXPECT_NE(trace.status().message().find("not a proof bundle"), std::string::npos);
  trace = VerifyProofBundle(chain_.genesis(), std::string_view("{\"format\":"));
  EXPECT_FALSE(trace.ok());
  std::string bad_path = json;
  size_t at = bad_path.find("\"path\":[\"");
  ASSERT_NE(at, std::string::npos);
  bad_path.insert(at + 9, "zz");
  trace = VerifyProofBundle(chain_.genesis(), std::string_view(bad_path));
  ASSERT_FALSE(trace.ok());
  EXPECT_NE(trace.status().message().find(".path[0]: not 32 bytes of hex"), std::string::npos)
      << trace.status().ToString();
}

TEST_F(ProofTest, ClaimedGraphMustBeWhatTheEventsSay) {
  ProofBundle good = Build(L("r"));
  ProofBundle b = good;
  ASSERT_GE(b.traces[0].edges.size(), 3u);
  ProofEdge removed = b.traces[0].edges.back();
  b.traces[0].edges.pop_back();
  ExpectFails(b, "the claimed graph leaves that edge out");
  b = good;
  b.traces[0].edges[0].from_lot = L("x");
  ExpectFails(b, "does not make that transformation link");
  b = good;
  b.traces[0].edges[0].kind = "aggregation";
  ExpectFails(b, "does not make that aggregation link");
  b = good;
  b.traces[0].lot_ids.pop_back();  // a lot of the graph left out of the trace
  ExpectFails(b, "is not in the trace's lots");
  b = good;
  b.lots[1].created_by_event_id = b.lots[0].created_by_event_id;
  ExpectFails(b, "does not create it");
  b = good;
  // a's commissioning, earlier in the chain, listed in r's history.
  b.lots[0].event_ids.insert(b.lots[0].event_ids.begin(), b.lots[2].event_ids[0]);
  ExpectFails(b, "which is not about this lot");
  b = good;
  std::swap(b.lots[0].event_ids[0], b.lots[0].event_ids[1]);
  ExpectFails(b, "lot " + L("r") + ": its history is not in chain order");
  b = good;
  b.lot_id = L("g");
  ExpectFails(b, "trace back: does not start at lot " + L("g"));
  b = good;
  b.governance.push_back(b.events[0]);  // an event where a governance entry belongs
  ExpectFails(b, "governance[0]");
}

TEST_F(ProofTest, DuplicatedEventFails) {
  ProofBundle b = Build(L("r"));
  b.events.push_back(b.events[0]);
  ExpectFails(b, "another event of the bundle claims the same place");
}

// An event dated 2020 and recorded in 2026: the certificate valid in 2020 had expired by then.
TEST(ProofTimeTest, ACertificateThatExpiredBeforeTheRecordingIsJudgedAtBothTimes) {
  CertifiedChain chain{FourValidatorGenesis(), ValidatorKeys(), 3};
  Events ev;
  const int64_t year_2020 = 1577836800000;  // 2020-01-01T00:00:00Z
  const int64_t shipped_ms = year_2020 + 2 * kDayMs;
  auto commit = [&](const std::vector<std::pair<std::string, v1::Event>>& events, int64_t at_ms) {
    std::vector<v1::SignedEvent> signed_events;
    for (const auto& [org, e] : events) signed_events.push_back(Sign(org, e));
    Status s = chain.Commit(signed_events, at_ms);
    ASSERT_TRUE(s.ok()) << s.ToString();
  };
  commit({{kGayo, Dated(ev.Commission(L("a"), 100), year_2020)},
          {kCertifier, Dated(ev.Certify(L("a"), std::string(64, 'c'), year_2020,
                                        year_2020 + 180 * kDayMs),
                             year_2020 + kDayMs)}},
         year_2020 + kDayMs);
  commit({{kGayo, Dated(ev.Ship(L("a"), kRoasterPgln), shipped_ms)}}, kT0);  // 2026
  auto bundle = BuildProofBundle(chain.genesis(), chain.state(), chain, L("a"), {});
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  auto trace = VerifyProofBundle(chain.genesis(), *bundle);
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  ASSERT_EQ(trace->steps.size(), 3u);
  const VerifiedStep& shipping = trace->steps.back();
  EXPECT_EQ(shipping.kind, "shipping");
  EXPECT_EQ(shipping.event_time_ms, shipped_ms);
  EXPECT_EQ(shipping.block_time_ms, kT0);
  ASSERT_EQ(shipping.certificates.size(), 1u);
  EXPECT_TRUE(shipping.certificates[0].valid_at_event_time);
  EXPECT_FALSE(shipping.certificates[0].valid_at_record_time);
  const VerifiedStep& certification = trace->steps[1];
  ASSERT_EQ(certification.certificates.size(), 1u);  // recorded the day it happened: both valid
  EXPECT_TRUE(certification.certificates[0].valid_at_event_time);
  EXPECT_TRUE(certification.certificates[0].valid_at_record_time);
}

// Validators that let an event dated an hour after its block through (their genesis allowed a
// day of skew) cannot pass it off under a genesis that allows five minutes.
TEST(ProofTimeTest, AnEventDatedAfterItsBlockBeyondTheGenesisSkewIsRefused) {
  Genesis lax = FourValidatorGenesis();
  lax.event_time.max_future_skew_ms = kDayMs;
  CertifiedChain chain{lax, ValidatorKeys(), 3};
  Events ev;
  Status s = chain.Commit({Sign(kGayo, Dated(ev.Commission(L("a"), 100), kT0 + 3600000))}, kT0);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto bundle = BuildProofBundle(chain.genesis(), chain.state(), chain, L("a"), {});
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  EXPECT_TRUE(VerifyProofBundle(lax, *bundle).ok());
  const Genesis strict = FourValidatorGenesis();
  bundle->genesis_hash = GenesisHash(strict);
  auto trace = VerifyProofBundle(strict, *bundle);
  ASSERT_FALSE(trace.ok());
  EXPECT_NE(trace.status().message().find("[time-future]"), std::string::npos)
      << trace.status().ToString();
}

}  // namespace
}  // namespace jejak::ledger
