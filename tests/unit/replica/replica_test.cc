// Four replicas driven by hand, as their nodes drive them (node/daemon/node.cc) but with the
// network and the clock in the test: message flow from a submission to the same block everywhere,
// and the outcomes clients are told. Every replica reads its own MemoryChain.
#include "node/replica/replica.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <functional>

#include "node/crypto/ed25519.h"
#include "node/ledger/consensus_keys.h"
#include "node/ledger/block.h"
#include "node/ledger/rule_codes.h"
#include "node/replica/memory_chain.h"
#include "tests/unit/ledger/proof_chain.h"

namespace jejak::replica {
namespace {

using ledger::testing::kGayo;
using ledger::testing::Sign;

struct Member {
  explicit Member(const ledger::Genesis& genesis, int index)
      : id("v" + std::to_string(index + 1)),
        chain(genesis.chain_id),
        checker(genesis),
        keys(ledger::Membership::FromGenesis(genesis)),
        key(ledger::testing::KeyFromSeed(static_cast<uint8_t>(101 + index))),
        signer(key) {}
  std::string id;
  MemoryChain chain;
  SequentialEventChecker checker;
  std::shared_ptr<const ledger::Membership> keys;  // no governance in these tests
  crypto::PrivateKey key;
  ledger::KeySigner signer;
  ledger::Ed25519Verifier verifier;
  std::unique_ptr<Replica> replica;
  std::optional<consensus::SafetyRecord> record;  // as persisted
  std::vector<EventOutcome> outcomes;  // what its clients were told
};

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override { StartReplicas(ReplicaOptions{}); }

  // (Re)creates the replicas over empty chains, with `options` but each its own id.
  void StartReplicas(ReplicaOptions options) {
    options_ = options;
    members_.clear();
    for (int i = 0; i < 4; ++i) {
      members_.push_back(std::make_unique<Member>(genesis_, i));
      members_.back()->record = consensus::SafetyRecord{};
      Restart(i);
    }
  }

  // A new replica over member `index`'s chain and last persisted safety record, as after a crash.
  void Restart(int index) {
    Member& m = *members_[index];
    ReplicaOptions options = options_;
    options.node_id = m.id;
    options.safety_record = m.record;
    m.replica = std::make_unique<Replica>(genesis_, options, m.chain, m.checker, &m.signer, m.verifier,
                                          Now{now_ms_, ledger::testing::kT0});
  }

  // Replicas that stand still 200 ms after the last sign of work, well before every validator
  // had its proposer turn, and steps until all do.
  void StartQuickToQuietReplicas() {
    ReplicaOptions options;
    options.quiet_after_ms = 200;
    StartReplicas(options);
    for (int i = 0; i < 100; ++i) Step();
    for (auto& m : members_) ASSERT_TRUE(m->replica->quiet()) << m->id;
  }

  // One step of every replica: tick, then carry out every Ready as a node does; messages are
  // delivered in the order sent, each to its addressees.
  void Step() {
    now_ms_ += 10;
    for (auto& member : members_) {
      Member& m = *member;
      m.replica->Tick({now_ms_, ledger::testing::kT0});
      while (m.replica->HasReady()) {
        Ready ready = m.replica->TakeReady();
        ASSERT_TRUE(ready.failure.ok()) << ready.failure.ToString();
        for (const BlockToCommit& block : ready.blocks) {
          ASSERT_TRUE(m.chain.Commit(block.block, block.certificate, block.writes).ok());
        }
        for (const EventOutcome& outcome : ready.outcomes) m.outcomes.push_back(outcome);
        if (ready.safety_record) m.record = ready.safety_record;
        for (const Outbound& out : ready.messages) {
          for (auto& other : members_) {
            if (other.get() == &m || (out.to_validator_id && *out.to_validator_id != other->id)) continue;
            Delivery delivery{m.id, other.get(), out.message};
            if (!drop_ || !drop_(delivery)) in_flight_.push_back(std::move(delivery));
          }
        }
        m.replica->Advance(ready);
        if (ready.fetch) Fetch(m, *ready.fetch);
      }
    }
    std::deque<Delivery> deliveries;
    deliveries.swap(in_flight_);
    for (Delivery& d : deliveries) Deliver(d);
  }

  struct Delivery {
    std::string from;
    Member* to;
    v1::PeerMessage message;
  };
  void Deliver(const Delivery& d) {
    if (d.message.has_consensus()) {
      d.to->replica->ReceiveConsensus(d.from, d.message.consensus());
      return;
    }
    std::vector<v1::SignedEvent> events(d.message.events().events().begin(), d.message.events().events().end());
    std::vector<const v1::SignedEvent*> pointers;
    for (const v1::SignedEvent& e : events) pointers.push_back(&e);
    std::vector<std::string> ids;
    std::vector<Status> checks = d.to->checker.Check(pointers, *d.to->keys, &ids);
    d.to->replica->ReceiveGossip(d.from, events, ids, checks);
  }

  // Block sync from the member with the highest head.
  void Fetch(Member& m, const FetchRequest& request) {
    const MemoryChain* best = nullptr;
    for (auto& other : members_) {
      if (other.get() != &m && (!best || other->chain.head_height() > best->head_height())) best = &other->chain;
    }
    std::vector<v1::CommittedBlock> blocks;
    for (uint64_t h = request.from_height; h <= best->head_height() && blocks.size() < request.max_blocks; ++h) {
      v1::CommittedBlock block;
      *block.mutable_block() = *best->GetBlock(h);
      *block.mutable_certificate() = *best->GetCertificate(h);
      blocks.push_back(std::move(block));
    }
    m.replica->ReceiveFetched(best->head_height(), std::move(blocks));
  }

  // Submits to member `index` as a node's ledger service does.
  Result<std::vector<SubmitOutcome>> Submit(int index, const std::vector<v1::SignedEvent>& events) {
    Member& m = *members_[index];
    std::vector<const v1::SignedEvent*> pointers;
    for (const v1::SignedEvent& e : events) pointers.push_back(&e);
    std::vector<std::string> ids;
    std::vector<Status> checks = m.checker.Check(pointers, *m.keys, &ids);
    for (size_t i = 0; i < checks.size(); ++i) {
      if (!checks[i].ok()) return checks[i].ForEvent(static_cast<uint32_t>(i));
    }
    Result<std::vector<SubmitOutcome>> outcomes = m.replica->CheckSubmission(events, ids, {now_ms_, ledger::testing::kT0});
    if (!outcomes.ok()) return outcomes;
    Result<std::vector<size_t>> queued = m.replica->Queue(events, ids, &*outcomes);
    if (!queued.ok()) return queued.status();
    return outcomes;
  }

  bool RunUntilAllAtHeight(uint64_t height, int max_steps = 2000) {
    for (int i = 0; i < max_steps; ++i) {
      bool all = true;
      for (auto& m : members_) all = all && m->chain.head_height() >= height;
      if (all) return true;
      Step();
      if (::testing::Test::HasFatalFailure()) return false;
    }
    return false;
  }

  ledger::Genesis genesis_ = ledger::testing::FourValidatorGenesis();
  ledger::testing::Events events_;
  ReplicaOptions options_;
  std::vector<std::unique_ptr<Member>> members_;
  std::deque<Delivery> in_flight_;
  std::function<bool(const Delivery&)> drop_;  // the network loses what it says
  int64_t now_ms_ = 1'000'000;
};

TEST_F(ReplicaTest, AnEventSubmittedToOneReplicaIsCommittedInTheSameBlockByAll) {
  v1::SignedEvent commission = Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:r-1", 10));
  Result<std::vector<SubmitOutcome>> submitted = Submit(2, {commission});
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  const std::string id = (*submitted)[0].event_id;
  ASSERT_TRUE(RunUntilAllAtHeight(1));
  const std::string hash = ledger::BlockHash(members_[0]->chain.GetBlock(1)->header());
  for (auto& m : members_) {
    EXPECT_EQ(ledger::BlockHash(m->chain.GetBlock(1)->header()), hash) << m->id;
    EXPECT_TRUE(m->chain.state() == members_[0]->chain.state()) << m->id;
    EXPECT_EQ(m->replica->mempool_size(), 0u) << m->id;
  }
  // The replica the client used tells it the height; submitting again says it is committed.
  bool told = false;
  for (const EventOutcome& o : members_[2]->outcomes) told = told || (o.event_id == id && o.status.ok() && o.height == 1);
  EXPECT_TRUE(told);
  Result<std::vector<SubmitOutcome>> again = Submit(0, {commission});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE((*again)[0].already_committed);
  EXPECT_EQ((*again)[0].height, 1u);
}

TEST_F(ReplicaTest, ARefusedSubmissionNamesItsEventAndRuleAndQueuesNothing) {
  const std::string lot = "urn:jejak:lot:koperasi-gayo:r-2";
  v1::SignedEvent first = Sign(kGayo, events_.Commission(lot, 10));
  v1::SignedEvent second = Sign(kGayo, events_.Commission(lot, 5));  // the same lot again
  Result<std::vector<SubmitOutcome>> submitted = Submit(0, {first, second});
  ASSERT_FALSE(submitted.ok());
  EXPECT_EQ(submitted.status().event_index(), std::optional<uint32_t>(1));
  EXPECT_FALSE(submitted.status().rule_code().empty()) << submitted.status().ToString();
  EXPECT_EQ(members_[0]->replica->mempool_size(), 0u);
  for (int i = 0; i < 50; ++i) Step();
  for (auto& m : members_) EXPECT_EQ(m->chain.head_height(), 0u) << m->id;
}

// Two replicas take conflicting events (each valid alone): one block takes the first proposed,
// and the other is dropped by its proposer with the rule that refuses it, never committed.
TEST_F(ReplicaTest, ConflictingEventsAtTwoReplicasCommitOnceAndTheOtherIsRefusedWithItsRule) {
  const std::string lot = "urn:jejak:lot:koperasi-gayo:r-3";
  v1::SignedEvent a = Sign(kGayo, events_.Commission(lot, 10));
  v1::SignedEvent b = Sign(kGayo, events_.Commission(lot, 7));
  ASSERT_TRUE(Submit(0, {a}).ok());
  ASSERT_TRUE(Submit(1, {b}).ok());
  ASSERT_TRUE(RunUntilAllAtHeight(1));
  for (int i = 0; i < 300; ++i) Step();  // every proposer gets its turn
  const uint64_t head = members_[0]->chain.head_height();
  uint64_t events = 0;
  for (uint64_t h = 1; h <= head; ++h) events += members_[0]->chain.GetBlock(h)->events_size();
  EXPECT_EQ(events, 1u);
  size_t refused = 0;
  for (auto& m : members_) {
    EXPECT_EQ(m->chain.head_height(), head) << m->id;
    EXPECT_EQ(m->replica->mempool_size(), 0u) << m->id;
    for (const EventOutcome& o : m->outcomes) {
      if (o.status.ok()) continue;
      ++refused;
      EXPECT_TRUE(ledger::testing::IsPublishedRule(o.status.rule_code())) << o.status.ToString();
    }
  }
  EXPECT_GE(refused, 1u);
}

// A client checks an event against a snapshot, the event commits meanwhile (sent by another
// client to another replica), then the client's queue step runs: it is answered with the height,
// not queued again (where nothing would propose it on a quiet network and the client would wait).
TEST_F(ReplicaTest, AnEventCommittedBetweenCheckAndQueueIsAnsweredWithItsHeight) {
  v1::SignedEvent commission = Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:r-4", 3));
  std::vector<const v1::SignedEvent*> pointers = {&commission};
  std::vector<std::string> ids;
  ASSERT_TRUE(members_[0]->checker.Check(pointers, *members_[0]->keys, &ids)[0].ok());
  Result<std::vector<SubmitOutcome>> checked =
      members_[0]->replica->CheckSubmission({&commission, 1}, ids, {now_ms_, ledger::testing::kT0});
  ASSERT_TRUE(checked.ok()) << checked.status().ToString();
  EXPECT_FALSE((*checked)[0].already_committed);
  ASSERT_TRUE(Submit(1, {commission}).ok());
  ASSERT_TRUE(RunUntilAllAtHeight(1));
  Result<std::vector<size_t>> queued = members_[0]->replica->Queue({&commission, 1}, ids, &*checked);
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_TRUE(queued->empty());
  EXPECT_TRUE((*checked)[0].already_committed);
  EXPECT_EQ((*checked)[0].height, 1u);
  EXPECT_EQ(members_[0]->replica->mempool_size(), 0u);
}

// Gossip is fire-and-forget: here the network loses the one message that carries a client's event
// to the other validators, and the network is otherwise quiet, so the validator holding it gets
// no proposer turn while the others stand still. Once the quiet lasts, it sends the event again.
TEST_F(ReplicaTest, AnEventWhoseGossipWasLostIsCommittedOnceTheNetworkIsQuiet) {
  StartQuickToQuietReplicas();
  drop_ = [](const Delivery& d) { return d.message.has_events(); };
  v1::SignedEvent commission = Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:r-5", 3));
  // v3: not the proposer of height 1, round 0 (v2), so it needs the others to move rounds.
  Result<std::vector<SubmitOutcome>> submitted = Submit(2, {commission});
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  for (int i = 0; i < 10; ++i) Step();
  drop_ = nullptr;
  ASSERT_TRUE(RunUntilAllAtHeight(1, 3000)) << "still waiting in the mempool of v3: "
                                            << members_[2]->replica->mempool_size();
  EXPECT_EQ(members_[0]->chain.GetBlock(1)->events_size(), 1);
}

// The loser of a conflict waits in the mempools of the validators that hold it; once the network
// is quiet, each finds it no longer applies and its client is told why, with the rule.
TEST_F(ReplicaTest, TheLoserOfAConflictIsRefusedEverywhereOnceTheNetworkIsQuiet) {
  StartQuickToQuietReplicas();
  const std::string lot = "urn:jejak:lot:koperasi-gayo:r-6";
  v1::SignedEvent a = Sign(kGayo, events_.Commission(lot, 10));
  v1::SignedEvent b = Sign(kGayo, events_.Commission(lot, 7));
  ASSERT_TRUE(Submit(0, {a}).ok());
  ASSERT_TRUE(Submit(3, {b}).ok());
  ASSERT_TRUE(RunUntilAllAtHeight(1));
  for (int i = 0; i < 1500 && (members_[0]->replica->mempool_size() + members_[3]->replica->mempool_size()) > 0; ++i) {
    Step();
  }
  for (auto& m : members_) EXPECT_EQ(m->replica->mempool_size(), 0u) << m->id;
  std::map<std::string, std::string> told;  // event id -> rule, at the replica each was sent to
  for (int k : {0, 3}) {
    for (const EventOutcome& o : members_[k]->outcomes) told[o.event_id] = std::string(o.status.rule_code());
  }
  size_t refused = 0;
  for (const auto& [id, rule] : told) refused += rule == ledger::rule::kLotExists ? 1 : 0;
  EXPECT_EQ(refused, 1u);
}

// v3 and v4 decide height 1, v1 and v2 miss every precommit of it; then v3 and v4 restart, so
// no core holds the decision to send. v1 and v2 see v3 and v4 at height 2 and, once that lasts,
// fetch block 1 from them, and all four go on.
TEST_F(ReplicaTest, ValidatorsLeftAtADecidedHeightCatchUpByBlockSync) {
  ReplicaOptions options;
  options.has_block_source = true;
  StartReplicas(options);
  drop_ = [this](const Delivery& d) {
    const bool to_first_two = d.to == members_[0].get() || d.to == members_[1].get();
    const bool precommit = d.message.consensus().has_vote() &&
                           d.message.consensus().vote().type() == static_cast<uint32_t>(consensus::VoteType::kPrecommit);
    return to_first_two && (precommit || d.message.consensus().has_commit());
  };
  ASSERT_TRUE(Submit(1, {Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:r-7", 2))}).ok());
  for (int i = 0; i < 500 && members_[3]->chain.head_height() < 1; ++i) Step();
  ASSERT_EQ(members_[2]->chain.head_height(), 1u);
  ASSERT_EQ(members_[3]->chain.head_height(), 1u);
  ASSERT_EQ(members_[0]->chain.head_height(), 0u);
  Restart(2);
  Restart(3);
  drop_ = nullptr;
  ASSERT_TRUE(Submit(2, {Sign(kGayo, events_.Commission("urn:jejak:lot:koperasi-gayo:r-8", 2))}).ok());
  ASSERT_TRUE(RunUntilAllAtHeight(2, 3000)) << members_[0]->replica->Describe() << "\n"
                                            << members_[2]->replica->Describe();
}

}  // namespace
}  // namespace jejak::replica
