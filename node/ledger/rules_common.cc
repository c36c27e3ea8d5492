#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>

#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {

Result<std::vector<LotRef>> CollectLots(
    const google::protobuf::RepeatedPtrField<std::string>& epcs,
    const google::protobuf::RepeatedPtrField<v1::QuantityElement>& quantities, const char* field) {
  if (static_cast<size_t>(epcs.size()) + quantities.size() > kMaxLotsPerEvent) {
    return Status::ResourceExhausted(std::string(field) + " names more than " +
                                     std::to_string(kMaxLotsPerEvent) + " lots")
        .WithRule(rule::kLotListTooLong);
  }
  std::vector<LotRef> out;
  std::set<std::string> seen;
  for (const std::string& epc : epcs) {
    auto id = NormalizeLotId(epc);
    if (!id.ok()) return id.status().WithContext(field);
    if (!seen.insert(*id).second) {
      return Status::Invalid(std::string(field) + " names lot " + *id + " twice").WithRule(rule::kLotRepeated);
    }
    out.push_back({*id, true, std::nullopt, ""});
  }
  for (const v1::QuantityElement& q : quantities) {
    auto id = NormalizeLotId(q.epc_class());
    if (!id.ok()) return id.status().WithContext(field);
    if (!seen.insert(*id).second) {
      return Status::Invalid(std::string(field) + " names lot " + *id + " twice").WithRule(rule::kLotRepeated);
    }
    LotRef ref{*id, false, std::nullopt, q.uom()};
    if (q.has_quantity_micros()) {
      auto quantity = epcis::Quantity::FromMicros(q.quantity_micros());
      if (!quantity.ok()) return quantity.status().WithContext(std::string(field) + ": lot " + *id);
      ref.quantity = *quantity;
    }
    out.push_back(std::move(ref));
  }
  return out;
}

Result<std::vector<LotRef>> NamedLots(const v1::Event& event) {
  auto lots = CollectLots(event.epc_list(), event.quantity_list(), "epcList/quantityList");
  if (!lots.ok()) return lots.status();
  if (event.type() == v1::AGGREGATION_EVENT || event.type() == v1::ASSOCIATION_EVENT) {
    auto children = CollectLots(event.child_epcs(), event.child_quantity_list(),
                                "childEPCs/childQuantityList");
    if (!children.ok()) return children.status();
    lots->insert(lots->end(), children->begin(), children->end());
    if (!event.parent_id().empty()) {
      auto parent = NormalizeLotId(event.parent_id());
      if (!parent.ok()) return parent.status().WithContext("parentID");
      lots->push_back({*parent, true, std::nullopt, ""});
    }
  }
  return lots;
}

Result<std::optional<v1::LotRecord>> LoadLot(const EventContext& ctx, const std::string& lot_id) {
  auto raw = ctx.reader.Get(Table::kLots, keys::LotKey(lot_id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<v1::LotRecord>();
  v1::LotRecord lot;
  if (!lot.ParseFromString(**raw)) {
    return Status::Corruption("the stored record of lot " + lot_id + " cannot be read");
  }
  return std::optional<v1::LotRecord>(std::move(lot));
}

Result<v1::LotRecord> RequireLot(const EventContext& ctx, const std::string& lot_id) {
  auto lot = LoadLot(ctx, lot_id);
  if (!lot.ok()) return lot.status();
  if (!lot->has_value()) {
    return Status::NotFound("lot " + lot_id + " has not been commissioned on this ledger")
        .WithRule(rule::kLotUnknown);
  }
  return std::move(**lot);
}

void SaveLot(EventContext& ctx, const v1::LotRecord& lot) {
  ctx.writes.Put(Table::kLots, keys::LotKey(lot.lot_id()), lot.SerializeAsString());
}

void Touch(EventContext& ctx, const std::string& lot_id) {
  if (!ctx.touched.insert(lot_id).second) return;
  ctx.record.add_lot_ids(lot_id);
  ctx.writes.Put(Table::kLotEvents,
                 keys::LotEventKey(lot_id, {ctx.position.height, ctx.position.index}),
                 ctx.event_id);
}

Status RequireCustodian(const EventContext& ctx, const v1::LotRecord& lot, const char* action) {
  if (lot.custodian() == ctx.signer->id) return Status::Ok();
  return Status::PermissionDenied("lot " + lot.lot_id() + " is held by " + lot.custodian() +
                                  ", not by " + ctx.signer->id + ": only the custodian may " +
                                  action + " it").WithRule(rule::kNotCustodian);
}

Status RequireMovable(const v1::LotRecord& lot, const char* action) {
  if (lot.consumed()) {
    return Status::Invalid("lot " + lot.lot_id() + " has been used up by a transformation: " +
                           "nothing is left to " + action).WithRule(rule::kLotUsedUp);
  }
  if (lot.has_in_transit()) {
    return Status::Invalid("lot " + lot.lot_id() + " is in transit to " +
                           lot.in_transit().to_organization() + ": it cannot " + action +
                           " until " + lot.in_transit().to_organization() + " receives it")
        .WithRule(rule::kLotInTransit);
  }
  if (!lot.packed_in().empty()) {
    return Status::Invalid("lot " + lot.lot_id() + " is packed in " + lot.packed_in() +
                           ": " + action + " " + lot.packed_in() + " instead, or unpack it first")
        .WithRule(rule::kLotPacked);
  }
  return Status::Ok();
}

namespace {
constexpr const char* kRecalled = "recalled";
}  // namespace

Status RequireNotRecalled(const v1::LotRecord& lot, const char* action) {
  if (lot.disposition() != kRecalled) return Status::Ok();
  return Status::Invalid("lot " + lot.lot_id() + " is recalled: it may not " + action +
                         " (it may still be shipped, received and unpacked, and stays "
                         "recalled until an observation by its owner, custodian, a "
                         "certifier or an auditor gives it another disposition)")
      .WithRule(rule::kRecalledLot);
}

Result<const Organisation*> ResolveParty(const EventContext& ctx, const std::string& party_id,
                                         const char* what) {
  const Organisation* org = ctx.membership.OrganisationOfParty(party_id);
  if (org == nullptr) {
    return Status::NotFound(std::string(what) + " " + party_id +
                            " is not a party of any member organisation").WithRule(rule::kPartyUnknown);
  }
  return org;
}

Status ForEachPackedDescendant(EventContext& ctx, const std::string& lot_id,
                               const std::function<Status(v1::LotRecord&)>& visit) {
  std::deque<std::string> queue{lot_id};
  std::set<std::string> seen{lot_id};
  while (!queue.empty()) {
    std::string parent = std::move(queue.front());
    queue.pop_front();
    std::vector<std::string> children;
    std::string prefix = keys::PackedChildrenPrefix(parent);
    JEJAK_RETURN_IF_ERROR(ctx.reader.Scan(Table::kState, prefix,
                                          [&](std::string_view key, std::string_view) {
      children.emplace_back(key.substr(prefix.size()));
      return true;
    }));
    for (std::string& child : children) {
      if (!seen.insert(child).second) continue;  // a packing cycle cannot loop us
      if (seen.size() > kMaxMovedLots) {
        return Status::ResourceExhausted("lot " + lot_id + " holds more than " +
                                         std::to_string(kMaxMovedLots) + " packed lots")
            .WithRule(rule::kPackTooLarge);
      }
      auto lot = RequireLot(ctx, child);
      if (!lot.ok()) return Status::Corruption(lot.status().message());
      JEJAK_RETURN_IF_ERROR(visit(*lot));
      SaveLot(ctx, *lot);
      queue.push_back(std::move(child));
    }
  }
  return Status::Ok();
}

void AddLink(EventContext& ctx, const std::string& from_lot, const std::string& to_lot,
             const char* kind) {
  v1::LotLink link;
  link.set_event_id(ctx.event_id);
  link.set_kind(kind);
  std::string value = link.SerializeAsString();
  ctx.writes.Put(Table::kLotLinks, keys::LotLinkKey(to_lot, keys::LinkDirection::kParent, from_lot),
                 value);
  ctx.writes.Put(Table::kLotLinks, keys::LotLinkKey(from_lot, keys::LinkDirection::kChild, to_lot),
                 value);
}

std::string FormatQuantity(epcis::Quantity quantity, const std::string& uom) {
  return uom.empty() ? quantity.ToString() : quantity.ToString() + " " + uom;
}

std::string FormatMicros(epcis::WideMicros micros, const std::string& uom) {
  const std::string text = epcis::FormatMicros(micros);
  return uom.empty() ? text : text + " " + uom;
}

Result<epcis::Quantity> LotQuantity(const v1::LotRecord& lot) {
  auto q = epcis::Quantity::FromMicros(lot.quantity_micros());
  if (!q.ok()) return Status::Corruption("lot " + lot.lot_id() + ": stored " + q.status().message());
  return q;
}

Result<epcis::Quantity> LotRemaining(const v1::LotRecord& lot) {
  auto q = epcis::Quantity::FromMicros(lot.remaining_micros());
  if (!q.ok()) return Status::Corruption("lot " + lot.lot_id() + ": stored " + q.status().message());
  return q;
}

Status ApplyDisposition(EventContext& ctx, const std::vector<LotRef>& lots) {
  if (ctx.event.disposition().empty()) return Status::Ok();
  std::string disposition = CbvShortName(ctx.event.disposition());
  const bool may_lift_recall = ctx.kind == EventKind::kObservation || ctx.kind == EventKind::kRecall;
  for (const LotRef& ref : lots) {
    auto lot = RequireLot(ctx, ref.lot_id);
    if (!lot.ok()) return lot.status();
    if (lot->disposition() == kRecalled && !may_lift_recall) continue;
    lot->set_disposition(disposition);
    SaveLot(ctx, *lot);
  }
  return Status::Ok();
}

}  // namespace jejak::ledger::rules
