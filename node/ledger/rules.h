// Internal to the ledger module: what every rule of rules_*.cc works with.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "jejak/v1/ledger_state.pb.h"
#include "node/epcis/quantity.h"
#include "node/ledger/ledger.h"
#include "node/ledger/membership.h"
#include "node/ledger/overlay.h"

namespace jejak::ledger::rules {

// One event being applied. Reads go through `reader`, which sees the state plus `writes` so far.
struct EventContext {
  EventContext(const Ledger& l, const Membership& m, const StateReader& state, const v1::SignedEvent& s)
      : ledger(l), membership(m), signed_event(s), reader(state, writes) {}

  const Ledger& ledger;
  const Membership& membership;  // in force at the event's block
  const v1::SignedEvent& signed_event;
  WriteSet writes;
  OverlayReader reader;
  v1::Event event;
  std::string event_id;
  const Organisation* signer = nullptr;
  Position position;
  EventKind kind = EventKind::kObservation;
  v1::EventRecord record;
  std::set<std::string> touched;  // lots already in record.lot_ids
};

// A lot named by an event: normalised id and, for quantity elements, the quantity and unit.
struct LotRef {
  std::string lot_id;
  bool instance = false;
  std::optional<epcis::Quantity> quantity;
  std::string uom;
};

// --- rules_common.cc ---
Result<std::vector<LotRef>> CollectLots(
    const google::protobuf::RepeatedPtrField<std::string>& epcs,
    const google::protobuf::RepeatedPtrField<v1::QuantityElement>& quantities, const char* field);
// Lots of the event's epcList and quantityList (plus parentID and children for aggregations).
Result<std::vector<LotRef>> NamedLots(const v1::Event& event);
Result<std::optional<v1::LotRecord>> LoadLot(const EventContext& ctx, const std::string& lot_id);
// NotFound "lot X has not been commissioned" when absent.
Result<v1::LotRecord> RequireLot(const EventContext& ctx, const std::string& lot_id);
void SaveLot(EventContext& ctx, const v1::LotRecord& lot);
// Adds the event to the lot's history (once per lot).
void Touch(EventContext& ctx, const std::string& lot_id);
// PermissionDenied naming the lot, the custodian and the signer when the signer is not custodian.
Status RequireCustodian(const EventContext& ctx, const v1::LotRecord& lot, const char* action);
// Invalid when the lot is consumed, in transit or packed in a parent.
Status RequireMovable(const v1::LotRecord& lot, const char* action);
// [recalled-lot] Invalid when the lot's disposition is recalled: a recalled lot is withdrawn, so
// it may not become part of anything else (`action`: "be transformed", "be packed", ...).
Status RequireNotRecalled(const v1::LotRecord& lot, const char* action);
// The organisation a party id names; NotFound naming the party and `what` if none.
Result<const Organisation*> ResolveParty(const EventContext& ctx, const std::string& party_id,
                                         const char* what);
// Calls visit on every lot packed (recursively) inside `lot_id`, at most kMaxMovedLots.
Status ForEachPackedDescendant(EventContext& ctx, const std::string& lot_id,
                               const std::function<Status(v1::LotRecord&)>& visit);
void AddLink(EventContext& ctx, const std::string& from_lot, const std::string& to_lot,
             const char* kind);
// "12.5 KGM"; a count of micro-units beyond one quantity's range (a sum) prints exactly too.
std::string FormatQuantity(epcis::Quantity quantity, const std::string& uom);
std::string FormatMicros(epcis::WideMicros micros, const std::string& uom);
// The lot's quantities as exact decimals; Corruption when a stored record is out of range.
Result<epcis::Quantity> LotQuantity(const v1::LotRecord& lot);
Result<epcis::Quantity> LotRemaining(const v1::LotRecord& lot);
// Sets the disposition the event gives (if any) on every lot it names. A recalled lot keeps its
// recall unless the event is an observation or recall (custody moves, packing and inspections
// carry their own disposition, e.g. in_transit, without lifting the recall).
Status ApplyDisposition(EventContext& ctx, const std::vector<LotRef>& lots);

// A new lot's record: owner and custodian the signer, product from ILMD jejak:product or the id.
Result<v1::LotRecord> NewLot(const EventContext& ctx, const LotRef& ref);  // rules_commission.cc

// --- one rule per file ---
Status Commission(EventContext& ctx);       // rules_commission.cc
Status Ship(EventContext& ctx);             // rules_custody.cc
Status Receive(EventContext& ctx);          // rules_custody.cc
Status Transform(EventContext& ctx);        // rules_transform.cc
Status Pack(EventContext& ctx);             // rules_aggregate.cc
Status Unpack(EventContext& ctx);           // rules_aggregate.cc
Status Certify(EventContext& ctx);          // rules_certify.cc (certification and inspection)
Status Observe(EventContext& ctx);          // rules_observe.cc (observation and recall)
Status DeclareError(EventContext& ctx);     // rules_declare.cc
// Records, for every lot the event touched, which of its certificates were valid at event time
// and at record time (the block's time).
Status CheckCertificates(EventContext& ctx);  // rules_certify.cc
// Refuses an event dated before the creation of a lot it touched [time-before-lot].
Status CheckLotsExistedAtEventTime(const EventContext& ctx);  // rules_event_time.cc

// --- rules_membership.cc ---
// The signer key and its organisation if the key may sign in `membership`: signer-unknown,
// signer-retired (inactive or rotated out), signer-revoked, signer-suspended otherwise.
Result<MemberKey> CheckSigner(const Membership& membership, std::string_view key_id);

// --- rules_governance.cc ---
inline constexpr const char* kGovernanceKind = "governance";  // EventRecord.kind of governance entries
struct GovernanceEntry {
  const v1::SignedEvent& signed_entry;
  std::string entry_id;  // GovernanceEntryId of its bytes
  Position position;
};
// Verifies an entry's signature with the keys of a membership; empty: already verified.
using SignatureCheck = std::function<Status(const Membership&, const v1::SignedEvent&)>;
// The changes one governance entry makes. Its signer is judged against `in_force` (the membership
// at the start of its block), its change against `pending` (in force plus the changes of earlier
// entries of the block, which take effect from the next block); proposals are read from `state`.
Result<WriteSet> ApplyGovernance(const StateReader& state, const Membership& in_force, const Membership& pending,
                                 const GovernanceEntry& entry, const SignatureCheck& check_signature);
// rules_governance_changes.cc: the membership record after `change`, or why it cannot apply.
Result<v1::MembershipRecord> ApplyChange(const Membership& current, const v1::GovernanceChange& change,
                                         uint64_t height, const std::string& entry_id);

}  // namespace jejak::ledger::rules
