// The Tendermint core (Algorithm 1 of "The latest gossip on BFT consensus", Buchman, Kwon,
// Milosevic 2018) as a pure state machine in the shape of etcd raft's RawNode:
//
//   Core core(config, validators, app, signer, verifier, next_height, persisted_record);
//   loop:
//     core.Step(message) for each message received;  core.Tick() on each clock tick;
//     if (core.HasReady()) {
//       Ready rd = core.TakeReady();
//       apply+store rd.committed; persist rd.safety_record (synced); then send rd.messages;
//       core.Advance(rd);
//     }
//
// Single-threaded, no I/O, no clock, no randomness. The rules of Algorithm 1 are named by their
// line numbers (L22, L28, ...) in start_round.cc, on_proposal.cc, on_prevote.cc, on_precommit.cc
// and on_timeout.cc.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "interfaces.h"
#include "types.h"

namespace jejak::consensus {

class Core {
 public:
  // `next_height` is the first height not yet committed in the node's store (>= 1). `record` is
  // the last safety record the node persisted, if any: the core resumes its round and locks from
  // it and never signs anything that conflicts with it.
  Core(Config config, ValidatorSet validators, Application& app, Signer& signer,
       Verifier& verifier, uint64_t next_height, std::optional<SafetyRecord> record);

  // A message from the network. Checked (height, validator, signature, duplicate, conflict)
  // before it touches any state; a non-ok status says why it was rejected or ignored.
  Status Step(const Message& message);
  // One unit of abstract time.
  void Tick();
  // A decided value with its certificate fetched by block sync. Only for the current height.
  Status Catchup(const Commit& commit);

  bool HasReady() const;
  Ready TakeReady();
  // The node has persisted, sent and applied everything in `ready`. Starting the next height
  // waits for this, so the Application sees the value of height h applied before it is asked to
  // propose or validate at h+1.
  void Advance(const Ready& ready);

  uint64_t height() const { return height_; }
  int32_t round() const { return round_; }
  RoundStep step() const { return step_; }
  int32_t locked_round() const { return locked_round_; }
  const Value& locked_value() const { return locked_value_; }
  int32_t valid_round() const { return valid_round_; }
  const SafetyRecord& safety_record() const { return record_; }
  uint64_t now_ticks() const { return now_ticks_; }
  const ValidatorSet& validators() const { return validators_; }

 private:
  struct RoundState {
    std::vector<Proposal> proposals;                  // distinct, from the round's proposer
    // By validator: its first vote, then (bounded) conflicting ones. An equivocator's vote counts
    // for each value it voted for, as Algorithm 1 counts messages; quorums still intersect in an
    // honest validator, and a proof of lock forwarded by a peer is not lost to an equivocation.
    std::vector<std::vector<Vote>> prevotes;
    std::vector<std::vector<Vote>> precommits;
    std::map<std::string, size_t> prevote_tally;      // value id ("" = nil) -> validators
    std::map<std::string, size_t> precommit_tally;
    size_t prevote_total = 0;                         // validators with at least one prevote
    size_t precommit_total = 0;
    std::vector<bool> sent_anything;                  // for the f+1 round-skip rule (L55)
    size_t sender_count = 0;
    std::vector<bool> evidence_reported;              // per validator, once per round
  };

  // core.cc: checks and bookkeeping.
  Status CheckAndRecord(const Message& message, bool* recorded);
  Status CheckProposal(const Proposal& p);
  Status CheckVote(const Vote& v);
  Status Buffer(ValidatorIndex from, const Message& message);
  void MaybeAnswerLaggingPeer(ValidatorIndex peer, uint64_t height);
  void MaybeHelpPeerInOlderRound(ValidatorIndex peer, int32_t round);
  void SendRound(std::optional<ValidatorIndex> to, int32_t round);
  RoundState& Round(int32_t round);
  void MarkSender(RoundState& rs, ValidatorIndex v);
  bool AddVote(const Vote& vote);  // false if it conflicts with a vote already held
  bool IsProposed(const std::string& value_id) const;
  static const Vote* FindVote(const std::vector<Vote>& votes, const std::string& value_id);
  void ReportEvidence(RoundState& rs, ValidatorIndex v, Message first, Message second);
  bool Valid(const Value& value);
  bool MaySign(RoundStep step, int32_t round, const std::string& value_id) const;
  void RecordSigned(RoundStep step, const std::string& value_id, const std::string& signature);
  void SaveLocks();
  void SignAndBroadcastVote(VoteType type, const std::string& value_id);
  void Send(std::optional<ValidatorIndex> to, Message message);
  void ReplayBuffered();

  // start_round.cc
  void StartRound(int32_t round);
  // retry: a later attempt in the same round; the round's propose timeout is already armed.
  void Propose(bool retry = false);
  bool HasOwnProposal() const;  // in the current round
  void Resume(const SafetyRecord& record);
  void RestoreRoundChangePrecommits(const SafetyRecord& record);
  // on_proposal.cc
  bool UponProposalInPropose();
  // on_prevote.cc
  bool UponPrevoteQuorumAny();
  bool UponPolkaForValue();
  bool UponPolkaForNil();
  // on_precommit.cc
  bool UponPrecommitQuorumAny();
  bool UponDecision();
  bool UponRoundSkip();
  void Decide(const Value& value, Certificate certificate);
  // on_timeout.cc
  void ScheduleTimeout(TimeoutKind kind);
  void OnTimeout(const TimerRequest& timer);
  void KeepRoundChangePrecommits();
  void Rebroadcast();
  // Runs the upon-rules until none fires (bounded).
  void CheckRules();
  const Proposal* FindProposal(const RoundState& rs, const std::string& value_id) const;

  Config config_;
  ValidatorSet validators_;
  Application& app_;
  Signer& signer_;
  Verifier& verifier_;

  // Algorithm 1 lines 2-9.
  uint64_t height_;
  int32_t round_ = 0;
  RoundStep step_ = RoundStep::kPropose;
  Value locked_value_;
  int32_t locked_round_ = -1;
  Value valid_value_;
  int32_t valid_round_ = -1;

  std::map<int32_t, RoundState> rounds_;         // this height only
  std::map<std::string, bool> validity_cache_;   // this height only
  // "for the first time" flags of the current round.
  bool prevote_timeout_armed_ = false;    // L34
  bool polka_value_done_ = false;         // L36
  bool precommit_timeout_armed_ = false;  // L47
  bool awaiting_advance_ = false;         // decided; next height starts at Advance()

  // Recent decisions, bounded, to answer peers still voting at those heights.
  std::deque<Commit> recent_commits_;
  struct Answer {
    bool sent = false;
    uint64_t height = 0;
    uint64_t tick = 0;
  };
  std::vector<Answer> last_answer_;
  std::vector<Answer> last_round_answer_;
  // The 2f+1 prevotes behind a re-proposed valid value (proof of lock), sent with the proposal.
  std::vector<Vote> own_polka_;

  // Messages for the next height, per sender, bounded.
  std::map<uint64_t, std::vector<std::vector<Message>>> future_;

  std::vector<TimerRequest> timers_;
  uint64_t now_ticks_ = 0;
  uint64_t last_rebroadcast_tick_ = 0;
  uint64_t last_progress_tick_ = 0;  // last StartRound or decision

  SafetyRecord record_;
  bool record_dirty_ = false;
  Ready ready_;
};

}  // namespace jejak::consensus
