#include "node/ledger/ledger.h"

#include <initializer_list>

#include "node/epcis/event_id.h"
#include "node/epcis/rfc3339.h"
#include "node/epcis/validate.h"
#include "node/ledger/block.h"
#include "node/ledger/event_time.h"
#include "node/ledger/governance.h"
#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger {
namespace {

using rules::EventContext;

Status CheckRole(const Organisation& org, EventKind kind) {
  std::vector<Role> allowed = RolesAllowedFor(kind);
  if (allowed.empty()) return Status::Ok();
  std::string names;
  for (Role r : allowed) {
    if (org.HasRole(r)) return Status::Ok();
    names += std::string(names.empty() ? "" : " or ") + RoleName(r);
  }
  std::string has;
  for (Role r : org.roles) has += std::string(has.empty() ? "" : ", ") + RoleName(r);
  return Status::PermissionDenied("organisation " + org.id + " (roles: " + has +
                                  ") may not record " + EventKindName(kind) + ": that needs the role " +
                                  names).WithRule(rule::kSignerRole);
}

Status Dispatch(EventContext& ctx) {
  switch (ctx.kind) {
    case EventKind::kCommissioning: return rules::Commission(ctx);
    case EventKind::kShipping: return rules::Ship(ctx);
    case EventKind::kReceiving: return rules::Receive(ctx);
    case EventKind::kTransformation: return rules::Transform(ctx);
    case EventKind::kPacking: return rules::Pack(ctx);
    case EventKind::kUnpacking: return rules::Unpack(ctx);
    case EventKind::kCertification:
    case EventKind::kInspection: return rules::Certify(ctx);
    case EventKind::kRecall:
    case EventKind::kObservation: return rules::Observe(ctx);
    case EventKind::kErrorDeclaration: return rules::DeclareError(ctx);
  }
  return Status::Internal("unknown event kind");
}

// The eventID as written is indexed so that a later error declaration can repeat it.
Status IndexWrittenEventId(EventContext& ctx) {
  const std::string& written = ctx.event.event_id();
  if (written.empty() || ctx.kind == EventKind::kErrorDeclaration) return Status::Ok();
  if (written.size() > kMaxLotIdBytes || written.find('\0') != std::string::npos) {
    return Status::Invalid("eventID is longer than " + std::to_string(kMaxLotIdBytes) +
                           " bytes or holds a NUL byte").WithRule(rule::kEventIdMalformed);
  }
  std::string key = keys::WrittenEventIdKey(written);
  auto existing = ctx.reader.Get(Table::kState, key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && **existing != ctx.event_id) {
    return Status::AlreadyExists("eventID " + written + " is already used by event " + **existing)
        .WithRule(rule::kEventIdTaken);
  }
  ctx.writes.Put(Table::kState, key, ctx.event_id);
  return Status::Ok();
}

// Only events that are valid EPCIS 2.0 (schema and standard rules) enter the ledger.
Status CheckEventShape(const v1::Event& e) {
  if (e.type() == v1::EVENT_TYPE_UNSPECIFIED) {
    return Status::Invalid("the event has no type").WithRule(epcis::rule::kEpcisFormat);
  }
  if (e.event_time().empty()) return Status::Invalid("eventTime is missing").WithRule(epcis::rule::kEpcisFormat);
  return epcis::ValidateForCapture(e);
}

}  // namespace

EventKind ClassifyEvent(const v1::Event& e) {
  if (e.has_error_declaration()) return EventKind::kErrorDeclaration;
  if (e.type() == v1::TRANSFORMATION_EVENT) return EventKind::kTransformation;
  if (e.type() == v1::AGGREGATION_EVENT && e.action() == v1::ADD) return EventKind::kPacking;
  if (e.type() == v1::AGGREGATION_EVENT && e.action() == v1::DELETE) return EventKind::kUnpacking;
  if (e.type() == v1::OBJECT_EVENT && e.action() == v1::ADD) return EventKind::kCommissioning;
  std::string step = CbvShortName(e.biz_step());
  bool moves = e.type() == v1::OBJECT_EVENT || e.type() == v1::TRANSACTION_EVENT;
  if (moves && step == "shipping") return EventKind::kShipping;
  if (moves && step == "receiving") return EventKind::kReceiving;
  if (!e.certification_info().empty() || FindJejakMember(e, e.extensions(), "certificate")) {
    return EventKind::kCertification;
  }
  if (step == "inspecting") return EventKind::kInspection;
  if (CbvShortName(e.disposition()) == "recalled") return EventKind::kRecall;
  return EventKind::kObservation;
}

std::vector<Role> RolesAllowedFor(EventKind kind) {
  switch (kind) {
    case EventKind::kCommissioning:
    case EventKind::kTransformation: return {Role::kProducer, Role::kProcessor};
    case EventKind::kShipping:
    case EventKind::kReceiving:
    case EventKind::kPacking:
    case EventKind::kUnpacking: return {Role::kProducer, Role::kProcessor, Role::kLogistics};
    case EventKind::kCertification:
    case EventKind::kInspection: return {Role::kCertifier};
    default: return {};  // any member; the rule checks who may act on the lot
  }
}

const char* EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kCommissioning: return "commissioning";
    case EventKind::kShipping: return "shipping";
    case EventKind::kReceiving: return "receiving";
    case EventKind::kTransformation: return "transformation";
    case EventKind::kPacking: return "packing";
    case EventKind::kUnpacking: return "unpacking";
    case EventKind::kCertification: return "certification";
    case EventKind::kInspection: return "inspection";
    case EventKind::kRecall: return "recall";
    case EventKind::kObservation: return "observation";
    case EventKind::kErrorDeclaration: return "error declaration";
  }
  return "unknown";
}

Result<std::string> LedgerEventId(const v1::Event& event) {
  auto id = epcis::EventId(event);
  if (!id.ok()) return id.status();
  if (event.has_error_declaration()) return *id + "#errorDeclaration";
  return id;
}

Ledger::Ledger(Genesis genesis, LedgerOptions options)
    : genesis_(std::move(genesis)), options_(options), genesis_membership_(Membership::FromGenesis(genesis_)) {}

Result<std::shared_ptr<const Membership>> Ledger::MembershipIn(const StateReader& state) const {
  return LoadMembership(state, genesis_membership_);
}

Result<WriteSet> Ledger::ApplyEvent(const StateReader& state, const v1::SignedEvent& signed_event,
                                    Position position, std::string_view known_event_id) const {
  auto membership = MembershipIn(state);
  if (!membership.ok()) return membership.status();
  return ApplyEntry(state, **membership, **membership, signed_event, position, known_event_id);
}

Result<WriteSet> Ledger::ApplyEntry(const StateReader& state, const Membership& in_force, const Membership& pending,
                                    const v1::SignedEvent& signed_event, Position position,
                                    std::string_view known_event_id) const {
  if (!IsGovernanceEntry(signed_event)) {
    return ApplyEventEntry(state, in_force, signed_event, position, known_event_id);
  }
  rules::SignatureCheck check;
  if (options_.verify_signatures) {
    check = [this](const Membership& keys, const v1::SignedEvent& entry) {
      return VerifyEntrySignature(keys, genesis_.chain_id, entry);
    };
  }
  std::string id = known_event_id.empty() ? GovernanceEntryId(signed_event.governance_bytes())
                                          : std::string(known_event_id);
  return rules::ApplyGovernance(state, in_force, pending, {signed_event, std::move(id), position}, check);
}

Result<WriteSet> Ledger::ApplyEventEntry(const StateReader& state, const Membership& in_force,
                                         const v1::SignedEvent& signed_event, Position position,
                                         std::string_view known_event_id) const {
  if (options_.verify_signatures) {
    JEJAK_RETURN_IF_ERROR(VerifyEntrySignature(in_force, genesis_.chain_id, signed_event));
  }
  EventContext ctx(*this, in_force, state, signed_event);
  ctx.position = position;
  if (signed_event.event_bytes().size() > kMaxEventBytes ||
      !ctx.event.ParseFromString(signed_event.event_bytes())) {
    return Status::Invalid("the signed bytes are not a valid event of at most " +
                           std::to_string(kMaxEventBytes) + " bytes").WithRule(rule::kEventEncoding);
  }
  JEJAK_RETURN_IF_ERROR(CheckEventShape(ctx.event));
  // Times the rules compare are derived from eventTime here, not taken from the carried field.
  auto event_time_ms = epcis::ParseRfc3339Ms(ctx.event.event_time());
  if (!event_time_ms.ok()) {
    return event_time_ms.status().WithRule(epcis::rule::kEpcisFormat).WithContext("eventTime");
  }
  ctx.event.set_event_time_ms(*event_time_ms);
  if (known_event_id.empty()) {
    auto id = LedgerEventId(ctx.event);
    if (!id.ok()) return id.status().WithRule(epcis::rule::kEpcisFormat);
    ctx.event_id = *id;
  } else {
    ctx.event_id = known_event_id;
  }
  auto existing = ctx.reader.Get(Table::kEvents, keys::EventKey(ctx.event_id));
  if (!existing.ok()) return existing.status();
  // The same event again changes nothing, even once its key is retired: it was valid when committed.
  if (existing->has_value()) return WriteSet();
  Result<MemberKey> signer = rules::CheckSigner(in_force, signed_event.signer_key_id());
  if (!signer.ok()) return signer.status();
  ctx.signer = signer->rules_view;
  // Against the block's time, agreed in consensus: the same verdict on every node.
  JEJAK_RETURN_IF_ERROR(
      CheckEventTimeBounds(genesis_.event_time, *event_time_ms, position.block_time_ms));
  ctx.kind = ClassifyEvent(ctx.event);
  JEJAK_RETURN_IF_ERROR(CheckRole(*ctx.signer, ctx.kind));
  JEJAK_RETURN_IF_ERROR(Dispatch(ctx));
  JEJAK_RETURN_IF_ERROR(rules::CheckLotsExistedAtEventTime(ctx));
  JEJAK_RETURN_IF_ERROR(IndexWrittenEventId(ctx));
  JEJAK_RETURN_IF_ERROR(rules::CheckCertificates(ctx));

  v1::EventRecord& record = ctx.record;
  record.set_event_id(ctx.event_id);
  *record.mutable_signed_event() = signed_event;
  record.mutable_position()->set_height(position.height);
  record.mutable_position()->set_index(position.index);
  record.mutable_position()->set_block_time_ms(position.block_time_ms);
  record.set_signer_organization(ctx.signer->id);
  record.set_kind(EventKindName(ctx.kind));
  ctx.writes.Put(Table::kEvents, keys::EventKey(ctx.event_id), record.SerializeAsString());
  ctx.writes.Put(Table::kOrgEvents,
                 keys::OrgEventKey(ctx.signer->id, {position.height, position.index}),
                 ctx.event_id);
  return std::move(ctx.writes);
}

Result<AppliedEvents> Ledger::ApplyEvents(const StateReader& state,
                                          std::span<const v1::SignedEvent* const> events,
                                          std::span<const std::string> known_event_ids,
                                          Position first, OnRefusal on_refusal) const {
  if (!known_event_ids.empty() && known_event_ids.size() != events.size()) {
    return Status::Internal("ApplyEvents: " + std::to_string(known_event_ids.size()) +
                            " known event ids for " + std::to_string(events.size()) + " events");
  }
  AppliedEvents applied;
  applied.verdicts.resize(events.size());
  OverlayReader view(state, applied.writes);
  auto in_force = MembershipIn(state);
  if (!in_force.ok()) return in_force.status();
  std::shared_ptr<const Membership> pending = *in_force;
  uint32_t staying = 0;
  for (size_t k = 0; k < events.size(); ++k) {
    const Position position{first.height, first.index + staying, first.block_time_ms};
    Result<WriteSet> writes = ApplyEntry(view, **in_force, *pending, *events[k], position,
                                         known_event_ids.empty() ? std::string_view() : known_event_ids[k]);
    if (!writes.ok() && (on_refusal == OnRefusal::kFailAll || !writes.status().IsInputFault())) {
      return writes.status().ForEvent(static_cast<uint32_t>(k));
    }
    if (!writes.ok()) {
      applied.verdicts[k].refusal = writes.status();
      continue;
    }
    applied.verdicts[k].changed = !writes->empty();
    if (on_refusal == OnRefusal::kLeaveOut && writes->empty()) continue;
    const bool membership_changed = writes->writes().contains({Table::kState, keys::MembershipKey()});
    applied.writes.Merge(*writes);
    ++staying;
    if (membership_changed) {
      auto next = MembershipIn(view);
      if (!next.ok()) return next.status();
      pending = *next;
    }
  }
  return applied;
}

Result<WriteSet> Ledger::ApplyBlock(const StateReader& state, const v1::Block& block,
                                    std::span<const std::string> known_event_ids) const {
  const v1::BlockHeader& header = block.header();
  auto tip = ReadChainTip(state);
  if (!tip.ok()) return tip.status();
  JEJAK_RETURN_IF_ERROR(
      CheckBlockHeader(block, genesis_.chain_id, PreviousBlock{tip->height, tip->hash}));
  const std::vector<const v1::SignedEvent*> events(block.events().pointer_begin(),
                                                   block.events().pointer_end());
  Result<AppliedEvents> applied = ApplyEvents(state, events, known_event_ids,
                                              {header.height(), 0, header.time_ms()}, OnRefusal::kFailAll);
  if (!applied.ok()) return applied.status().WithContext("block " + std::to_string(header.height()));
  WriteSet& block_writes = applied->writes;
  block_writes.Put(Table::kState, keys::LastHeightKey(), keys::EncodeU64(header.height()));
  block_writes.Put(Table::kState, keys::LastHashKey(), BlockHash(header));
  return std::move(block_writes);
}

Result<ChainTip> ReadChainTip(const StateReader& state) {
  ChainTip tip;
  auto height = state.Get(Table::kState, keys::LastHeightKey());
  if (!height.ok()) return height.status();
  if (!height->has_value()) return tip;
  auto decoded = keys::DecodeU64(**height);
  if (!decoded) return Status::Corruption("the stored chain height cannot be read");
  tip.height = *decoded;
  auto hash = state.Get(Table::kState, keys::LastHashKey());
  if (!hash.ok()) return hash.status();
  if (!hash->has_value()) return Status::Corruption("the stored chain tip has no block hash");
  tip.hash = **hash;
  return tip;
}

}  // namespace jejak::ledger
