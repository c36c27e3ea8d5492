// Plain data of the consensus core: values, signed messages, certificates, the safety record and
// the Ready a node drains. Standard library only (this module links nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace jejak::consensus {

// Index of a validator in the ValidatorSet. Messages name their author by index.
using ValidatorIndex = uint32_t;

// Steps in the order a round walks through them; the order matters for the safety record.
enum class RoundStep : uint8_t { kPropose = 0, kPrevote = 1, kPrecommit = 2 };
const char* StepName(RoundStep step);

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalid,    // the peer's fault: bad signature, unknown validator, conflicting vote, ...
  kIgnored,    // harmless and dropped: duplicate, stale height, too far in the future
  kExhausted,  // a bound was hit (future-message buffer full)
  kInternal,   // our own fault: an invariant does not hold
};

// Small Status of our own: the core links nothing, not even jejak_base.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {StatusCode::kInvalid, std::move(m)}; }
  static Status Ignored(std::string m) { return {StatusCode::kIgnored, std::move(m)}; }
  static Status Exhausted(std::string m) { return {StatusCode::kExhausted, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

struct Validator {
  std::string id;          // e.g. the organisation's node name; informational for the core
  std::string public_key;  // opaque to the core; handed to the Verifier
};

// Equal voting power. n >= 3f+1; quorum = floor(2n/3)+1 (2f+1 when n = 3f+1).
class ValidatorSet {
 public:
  explicit ValidatorSet(std::vector<Validator> validators) : validators_(std::move(validators)) {}
  size_t size() const { return validators_.size(); }
  const Validator& at(ValidatorIndex i) const { return validators_[i]; }
  bool Contains(ValidatorIndex i) const { return i < validators_.size(); }
  // Votes needed for a decision: more than two thirds.
  size_t Quorum() const;
  // Messages from more than one third: at least one honest validator among them (f+1).
  size_t WeakQuorum() const;
  // Round robin on (height, round).
  ValidatorIndex Proposer(uint64_t height, int32_t round) const;
  const std::vector<Validator>& validators() const { return validators_; }

 private:
  std::vector<Validator> validators_;
};

// The thing decided. The id is the value's hash, computed and checked by the Application.
struct Value {
  std::string id;
  std::string bytes;
  bool operator==(const Value&) const = default;
};

struct Proposal {
  uint64_t height = 0;
  int32_t round = 0;
  Value value;
  int32_t valid_round = -1;  // -1, or the round of a polka for this value (Algorithm 1 line 19)
  ValidatorIndex proposer = 0;
  std::string signature;
  bool operator==(const Proposal&) const = default;
};

enum class VoteType : uint8_t { kPrevote = 1, kPrecommit = 2 };

struct Vote {
  VoteType type = VoteType::kPrevote;
  uint64_t height = 0;
  int32_t round = 0;
  std::string value_id;  // empty means nil
  ValidatorIndex validator = 0;
  std::string signature;
  bool operator==(const Vote&) const = default;
};

// 2f+1 precommits for one value at one (height, round): the block is final.
struct Certificate {
  uint64_t height = 0;
  int32_t round = 0;
  std::string value_id;
  std::vector<Vote> precommits;  // sorted by validator index, one per validator
  bool operator==(const Certificate&) const = default;
};

// A decided value with its proof, handed to lagging peers (one peer, see Ready) and to the node.
struct Commit {
  Value value;
  Certificate certificate;
  bool operator==(const Commit&) const = default;
};

using Message = std::variant<Proposal, Vote, Commit>;
uint64_t MessageHeight(const Message& m);

struct OutboundMessage {
  std::optional<ValidatorIndex> to;  // nullopt: broadcast to every other validator
  Message message;
};

// The last thing this validator signed plus its locks. Persisted (synced) before any message of
// the same Ready leaves the node; a core restarted from it never signs a conflicting vote.
struct SafetyRecord {
  uint64_t height = 0;          // 0: nothing signed yet
  int32_t round = -1;
  RoundStep step = RoundStep::kPropose;   // kPropose: the last thing signed was a proposal
  std::string value_id;         // of the last signed vote/proposal; empty = nil
  std::string signature;        // of the last signed vote, so it can be re-sent after a restart
  // Our prevote in `round`, kept once we precommit: peers that lost it need it to move on.
  std::optional<Vote> round_prevote;
  int32_t locked_round = -1;
  Value locked_value;
  int32_t valid_round = -1;
  Value valid_value;
  // The 2f+1 prevotes that made valid_value valid: without them no peer (nor we, after a restart)
  // could apply L28 to the value again, and validators locked on it would stall forever.
  std::vector<Vote> valid_polka;
  // The 2f+1 (or more) precommits of the round we last left on OnTimeoutPrecommit (L65), one per
  // validator. Peers still in that round may have lost some of them (ours among them) and can
  // leave it only with them; a restart must not lose them, as nobody else may send them again.
  std::vector<Vote> round_change_precommits;
  bool operator==(const SafetyRecord&) const = default;
};

enum class TimeoutKind : uint8_t { kPropose, kPrevote, kPrecommit };

struct TimerRequest {
  TimeoutKind kind = TimeoutKind::kPropose;
  uint64_t height = 0;
  int32_t round = 0;
  uint64_t deadline_tick = 0;  // on the core's own tick counter; the core fires it itself
};

// Two signed, conflicting messages from one validator for one (height, round, step).
struct Evidence {
  ValidatorIndex validator = 0;
  Message first;
  Message second;
};

struct Ready {
  std::optional<SafetyRecord> safety_record;  // persist (synced) BEFORE sending `messages`
  std::vector<OutboundMessage> messages;
  std::vector<TimerRequest> timers;           // informational: timers armed since the last Ready
  std::vector<Commit> committed;              // apply in order, then call Advance()
  std::vector<Evidence> evidence;
  bool empty() const {
    return !safety_record && messages.empty() && timers.empty() && committed.empty() &&
           evidence.empty();
  }
};

struct Config {
  std::string chain_id;
  ValidatorIndex self = 0;
  // Timeouts in ticks; propose and prevote grow by timeout_delta_ticks per round (Algorithm 1:
  // timeoutX(round)); precommit does not (on_timeout.cc, design.md section 3).
  uint64_t timeout_propose_ticks = 30;
  uint64_t timeout_prevote_ticks = 10;
  uint64_t timeout_precommit_ticks = 10;
  uint64_t timeout_delta_ticks = 5;
  // Re-send our own messages of the current round this often: links may lose messages and the
  // algorithm assumes they are eventually delivered.
  uint64_t rebroadcast_interval_ticks = 40;
  size_t max_value_bytes = 4 << 20;
  int32_t max_round_lead = 100;              // rounds beyond ours that we still record
  size_t max_future_messages_per_peer = 16;  // buffered messages for the next height
  size_t max_proposals_per_round = 4;        // distinct proposals kept (equivocation)
  size_t max_votes_per_validator = 3;        // per round and type, counting conflicting ones
  size_t max_recent_commits = 8;             // decisions kept to answer lagging peers
};

}  // namespace jejak::consensus
