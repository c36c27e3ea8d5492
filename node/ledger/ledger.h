// The ledger: a deterministic state machine over signed EPCIS events (DESIGN.md section 5).
//
// Offers
//   Ledger(genesis)            the rules of one network
//   Ledger::ApplyEvent         checks one signed event against a state and describes its changes
//   Ledger::ApplyEvents        the one in-order loop (event k sees the events before it that stay),
//                              used by submission, proposal building and block application
//   Ledger::ApplyBlock         ApplyEvents over a block, after its header checks
//   LedgerEventId              the ledger identity of an event (CBV 2.0 Event Hash ID)
// Other headers of the module: genesis.h, membership.h, governance.h, signing.h, block.h, keys.h, memory_store.h, overlay.h,
// lot_id.h, certificate.h, queries.h.
//
// Nothing here does I/O, reads a clock, draws randomness or starts a thread: the same state and
// the same block give the same WriteSet on every node.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/ledger/genesis.h"
#include "node/ledger/membership.h"
#include "node/ledger/signing.h"
#include "node/ledger/state_store.h"

namespace jejak::ledger {

// What an event does, as the rules see it (names are stored in EventRecord.kind).
enum class EventKind : uint8_t {
  kCommissioning,     // ObjectEvent ADD: creates lots
  kShipping,          // bizStep shipping: custodian hands lots to the receiving party
  kReceiving,         // bizStep receiving: the named receiver takes custody
  kTransformation,    // TransformationEvent: consumes inputs, creates outputs
  kPacking,           // AggregationEvent ADD: children into a parent
  kUnpacking,         // AggregationEvent DELETE
  kCertification,     // certificationInfo or a jejak:certificate member: attaches a certificate
  kInspection,        // bizStep inspecting without a certificate
  kRecall,            // disposition recalled
  kObservation,       // anything else about existing lots
  kErrorDeclaration,  // errorDeclaration: declares an earlier event erroneous
};
const char* EventKindName(EventKind kind);
// The kind the rules give an event; the offline verifier judges committed events the same way.
EventKind ClassifyEvent(const v1::Event& event);
// Roles of which the signer's organisation needs one for `kind`; empty: any member (the rule
// itself checks who may act on the lot).
std::vector<Role> RolesAllowedFor(EventKind kind);

struct Position {
  uint64_t height = 0;
  uint32_t index = 0;
  int64_t block_time_ms = 0;
};

// How ApplyEvents treats an event the rules refuse.
enum class OnRefusal : uint8_t {
  kFailAll,   // the whole call fails with the first refusal (a block, a client's batch)
  kLeaveOut,  // the event is left out, and so is one already in the state (building a proposal)
};

// What ApplyEvents made of each event, in the order given.
struct EventVerdict {
  Status refusal;        // why the rules refuse it (an input fault); Ok otherwise
  bool changed = false;  // it changes the state (false: already there, or refused)
};

struct AppliedEvents {
  WriteSet writes;  // the changes of the events that stay, together
  std::vector<EventVerdict> verdicts;
};

struct LedgerOptions {
  // Off only where the caller has verified every signature itself (jejakd verifies them in
  // parallel on admission and for proposals; the benchmark measures the rules alone). The signer
  // key must still be a known, active agent key. An unchecked signature would let anyone write in
  // anyone's name, so whoever turns this off owns that check.
  bool verify_signatures = true;
};

// Lots one event may name, and lots a move may carry along (packed children, recursively).
inline constexpr size_t kMaxLotsPerEvent = 1000;
inline constexpr size_t kMaxMovedLots = 10000;

// The CBV 2.0 Event Hash ID of `event`; an error declaration, whose hash equals that of the event
// it repeats (the hash ignores errorDeclaration), gets "#errorDeclaration" appended.
Result<std::string> LedgerEventId(const v1::Event& event);

class Ledger {
 public:
  explicit Ledger(Genesis genesis, LedgerOptions options = {});

  const Genesis& genesis() const { return genesis_; }
  const std::shared_ptr<const Membership>& genesis_membership() const { return genesis_membership_; }
  // The membership in force after the last block applied to `state` (membership.h).
  Result<std::shared_ptr<const Membership>> MembershipIn(const StateReader& state) const;

  // The changes `signed_event` makes at `position`, or why it is rejected (PermissionDenied,
  // AlreadyExists, Invalid, NotFound: the input's fault; others: ours). An event already in the
  // state (same ledger event id) gives an empty WriteSet. The event's time is judged against
  // position.block_time_ms (event_time.h): the block's time, or a node's clock for a preliminary
  // check before there is a block.
  // `known_event_id`: LedgerEventId of these same event bytes when the caller computed it already
  // (the JSON canonicalisation behind it costs a fraction of a signature check); empty: computed.
  // Trusted as given: the id depends on the bytes only (not on event_time_ms, which this method
  // derives from eventTime before checking the rules), so a caller computes it from the event
  // as parsed.
  // A governance entry (governance.h) is applied by the same call: its id is GovernanceEntryId.
  Result<WriteSet> ApplyEvent(const StateReader& state, const v1::SignedEvent& signed_event,
                              Position position, std::string_view known_event_id = {}) const;

  // The rules over `events` in order, each judged against `state` plus the changes of the events
  // before it that stay (signers against the membership in force in `state`: membership changes
  // take effect from the next block): the one loop behind ApplyBlock, a node's check of a client's batch and
  // the building of a proposal. Events are placed at first.height and first.block_time_ms, with
  // index first.index + the number of events before them that stay (every event stays with
  // kFailAll). kFailAll: the first refusal fails the call, with "event k" as context. kLeaveOut:
  // refused events and events already in the state are left out, each with its verdict. Our own
  // failures (storage) fail the call either way. `known_event_ids`: empty, or one LedgerEventId
  // per event, as for ApplyEvent. (Pointers, so a block's repeated field and a vector both fit.)
  Result<AppliedEvents> ApplyEvents(const StateReader& state, std::span<const v1::SignedEvent* const> events,
                                    std::span<const std::string> known_event_ids, Position first,
                                    OnRefusal on_refusal) const;

  // Checks the header against the state (chain id, height = last + 1, previous hash, event count,
  // events root), then applies every event in order. Fails with the index and reason of the first
  // invalid event, changing nothing. The WriteSet also records the block's height and hash.
  // `known_event_ids`: empty, or one LedgerEventId per event of the block, as for ApplyEvent.
  Result<WriteSet> ApplyBlock(const StateReader& state, const v1::Block& block,
                              std::span<const std::string> known_event_ids = {}) const;

 private:
  // One entry, its signer judged against `in_force` and a governance change against `pending`.
  Result<WriteSet> ApplyEntry(const StateReader& state, const Membership& in_force, const Membership& pending,
                              const v1::SignedEvent& signed_event, Position position,
                              std::string_view known_event_id) const;
  Result<WriteSet> ApplyEventEntry(const StateReader& state, const Membership& in_force,
                                   const v1::SignedEvent& signed_event, Position position,
                                   std::string_view known_event_id) const;

  Genesis genesis_;
  LedgerOptions options_;
  std::shared_ptr<const Membership> genesis_membership_;
};

// Height and hash of the last block applied to `state` (0 and "" before the first block).
struct ChainTip {
  uint64_t height = 0;
  std::string hash;
};
Result<ChainTip> ReadChainTip(const StateReader& state);

}  // namespace jejak::ledger
