// Aggregation: ADD packs children into a parent (e.g. sacks onto an SSCC pallet); they move with the
// parent until DELETE unpacks them. A parent that does not exist yet is created (1 EA, held by the
// signer). Packing leaves a permanent "aggregation" edge child -> parent in the provenance graph.
#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {
namespace {

Result<std::string> ParentId(const EventContext& ctx, const char* what) {
  if (ctx.event.parent_id().empty()) {
    return Status::Invalid(std::string(what) + " needs a parentID (e.g. the SSCC of the pallet)")
        .WithRule(rule::kPackParentMissing);
  }
  auto parent = NormalizeLotId(ctx.event.parent_id());
  if (!parent.ok()) return parent.status().WithContext("parentID");
  return parent;
}

// The parent and every lot it is packed in, up the chain.
Result<std::set<std::string>> SelfAndAncestors(const EventContext& ctx, const std::string& lot_id) {
  std::set<std::string> chain{lot_id};
  auto lot = LoadLot(ctx, lot_id);
  if (!lot.ok()) return lot.status();
  std::string up = lot->has_value() ? (*lot)->packed_in() : std::string();
  while (!up.empty() && chain.insert(up).second) {
    if (chain.size() > kMaxMovedLots) {
      return Status::ResourceExhausted("lot " + lot_id + " is packed more than " +
                                       std::to_string(kMaxMovedLots) + " levels deep")
          .WithRule(rule::kPackTooLarge);
    }
    auto next = RequireLot(ctx, up);
    if (!next.ok()) return next.status();
    up = next->packed_in();
  }
  return chain;
}

Status PrepareParent(EventContext& ctx, const std::string& parent_id) {
  auto parent = LoadLot(ctx, parent_id);
  if (!parent.ok()) return parent.status();
  if (!parent->has_value()) {
    auto created = NewLot(ctx, {parent_id, true, std::nullopt, ""});
    if (!created.ok()) return created.status();
    SaveLot(ctx, *created);
  } else {
    const v1::LotRecord& p = **parent;
    JEJAK_RETURN_IF_ERROR(RequireCustodian(ctx, p, "pack lots into"));
    JEJAK_RETURN_IF_ERROR(RequireNotRecalled(p, "take more lots"));
    if (p.consumed() || p.has_in_transit()) {
      v1::LotRecord unpacked = p;
      unpacked.clear_packed_in();  // a packed parent is fine: nesting is allowed
      JEJAK_RETURN_IF_ERROR(RequireMovable(unpacked, "take more lots"));
    }
  }
  Touch(ctx, parent_id);
  return Status::Ok();
}

}  // namespace

Status Pack(EventContext& ctx) {
  auto parent_id = ParentId(ctx, "packing");
  if (!parent_id.ok()) return parent_id.status();
  auto children = CollectLots(ctx.event.child_epcs(), ctx.event.child_quantity_list(),
                              "childEPCs/childQuantityList");
  if (!children.ok()) return children.status();
  if (children->empty()) return Status::Invalid("packing into " + *parent_id + " names no child")
      .WithRule(rule::kLotNoneNamed);
  auto enclosing = SelfAndAncestors(ctx, *parent_id);
  if (!enclosing.ok()) return enclosing.status();
  JEJAK_RETURN_IF_ERROR(PrepareParent(ctx, *parent_id));
  for (const LotRef& ref : *children) {
    if (enclosing->count(ref.lot_id) > 0) {
      return Status::Invalid("lot " + ref.lot_id + " cannot be packed into " + *parent_id +
                             ": " + *parent_id + " is " +
                             (ref.lot_id == *parent_id ? "the lot itself" : "packed inside it"))
          .WithRule(rule::kPackCycle);
    }
    auto child = RequireLot(ctx, ref.lot_id);
    if (!child.ok()) return child.status();
    JEJAK_RETURN_IF_ERROR(RequireCustodian(ctx, *child, "pack"));
    JEJAK_RETURN_IF_ERROR(RequireMovable(*child, "pack"));
    JEJAK_RETURN_IF_ERROR(RequireNotRecalled(*child, "be packed"));
    child->set_packed_in(*parent_id);
    SaveLot(ctx, *child);
    ctx.writes.Put(Table::kState, keys::PackedChildKey(*parent_id, ref.lot_id), "");
    AddLink(ctx, ref.lot_id, *parent_id, "aggregation");
    Touch(ctx, ref.lot_id);
  }
  children->push_back({*parent_id, true, std::nullopt, ""});
  return ApplyDisposition(ctx, *children);
}

Status Unpack(EventContext& ctx) {
  auto parent_id = ParentId(ctx, "unpacking");
  if (!parent_id.ok()) return parent_id.status();
  auto parent = RequireLot(ctx, *parent_id);
  if (!parent.ok()) return parent.status();
  JEJAK_RETURN_IF_ERROR(RequireCustodian(ctx, *parent, "unpack"));
  if (parent->has_in_transit()) {
    return Status::Invalid("lot " + *parent_id + " is in transit to " +
                           parent->in_transit().to_organization() +
                           ": it cannot be unpacked until it is received").WithRule(rule::kLotInTransit);
  }
  auto children = CollectLots(ctx.event.child_epcs(), ctx.event.child_quantity_list(),
                              "childEPCs/childQuantityList");
  if (!children.ok()) return children.status();
  if (children->empty()) {  // EPCIS: a DELETE without children unpacks everything
    std::string prefix = keys::PackedChildrenPrefix(*parent_id);
    JEJAK_RETURN_IF_ERROR(ctx.reader.Scan(Table::kState, prefix,
                                          [&](std::string_view key, std::string_view) {
      children->push_back({std::string(key.substr(prefix.size())), true, std::nullopt, ""});
      return children->size() <= kMaxLotsPerEvent;
    }));
  }
  Touch(ctx, *parent_id);
  for (const LotRef& ref : *children) {
    auto child = RequireLot(ctx, ref.lot_id);
    if (!child.ok()) return child.status();
    if (child->packed_in() != *parent_id) {
      return Status::Invalid("lot " + ref.lot_id + " is not packed in " + *parent_id +
                             (child->packed_in().empty() ? std::string()
                                                         : " (it is in " + child->packed_in() + ")"))
          .WithRule(rule::kPackNotInside);
    }
    child->clear_packed_in();
    SaveLot(ctx, *child);
    ctx.writes.Delete(Table::kState, keys::PackedChildKey(*parent_id, ref.lot_id));
    Touch(ctx, ref.lot_id);
  }
  children->push_back({*parent_id, true, std::nullopt, ""});
  return ApplyDisposition(ctx, *children);
}

}  // namespace jejak::ledger::rules
