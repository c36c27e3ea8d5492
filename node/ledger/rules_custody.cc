// Shipping and receiving. Shipping is signed by the custodian and names the receiving party
// (destinationList, possessing_party); custody moves when that party signs receiving. An
// owning_party destination moves ownership at shipping, if the shipper owns the lot. Lots packed
// inside a shipped lot move with it.
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {
namespace {

struct Destination {
  const Organisation* receiver = nullptr;
  const Organisation* new_owner = nullptr;
};

Result<Destination> ParseDestination(const EventContext& ctx) {
  Destination d;
  for (const v1::SourceDest& dest : ctx.event.destination_list()) {
    std::string type = CbvShortName(dest.type());
    const Organisation** slot = nullptr;
    if (type == "possessing_party") slot = &d.receiver;
    if (type == "owning_party") slot = &d.new_owner;
    if (slot == nullptr) continue;  // locations and other types do not move anything
    if (*slot != nullptr) {
      return Status::Invalid("destinationList names more than one " + type)
          .WithRule(rule::kShipReceiverAmbiguous);
    }
    auto org = ResolveParty(ctx, dest.id(), type == "owning_party" ? "new owner" : "receiving party");
    if (!org.ok()) return org.status();
    *slot = *org;
  }
  if (d.receiver == nullptr) {
    return Status::Invalid("shipping must name the receiving party in destinationList (type "
                           "possessing_party)").WithRule(rule::kShipNoReceiver);
  }
  if (d.receiver == ctx.signer) {
    return Status::Invalid("shipping names the shipper's own organisation " + ctx.signer->id +
                           " as the receiving party").WithRule(rule::kShipToSelf);
  }
  return d;
}

Status CheckWholeLot(const LotRef& ref, const v1::LotRecord& lot) {
  if (!ref.uom.empty() && ref.uom != lot.uom()) {
    return Status::Invalid("lot " + lot.lot_id() + " is counted in " + lot.uom() + ", not in " +
                           ref.uom).WithRule(rule::kUnitMismatch);
  }
  if (ref.quantity && ref.quantity->micros() != lot.remaining_micros()) {
    return Status::Invalid("lot " + lot.lot_id() + " holds " +
                           FormatMicros(lot.remaining_micros(), lot.uom()) +
                           ": shipping moves a whole lot, not " +
                           FormatQuantity(*ref.quantity, lot.uom()) +
                           " (split it with a transformation first)").WithRule(rule::kShipPartial);
  }
  return Status::Ok();
}

Result<std::vector<LotRef>> RequireLots(const EventContext& ctx, const char* what) {
  auto lots = CollectLots(ctx.event.epc_list(), ctx.event.quantity_list(), "epcList/quantityList");
  if (!lots.ok()) return lots.status();
  if (lots->empty()) return Status::Invalid(std::string(what) + " names no lot").WithRule(rule::kLotNoneNamed);
  return lots;
}

}  // namespace

Status Ship(EventContext& ctx) {
  auto lots = RequireLots(ctx, "shipping");
  if (!lots.ok()) return lots.status();
  auto dest = ParseDestination(ctx);
  if (!dest.ok()) return dest.status();
  for (const LotRef& ref : *lots) {
    auto lot = RequireLot(ctx, ref.lot_id);
    if (!lot.ok()) return lot.status();
    JEJAK_RETURN_IF_ERROR(RequireCustodian(ctx, *lot, "ship"));
    JEJAK_RETURN_IF_ERROR(RequireMovable(*lot, "ship"));
    JEJAK_RETURN_IF_ERROR(CheckWholeLot(ref, *lot));
    const Organisation* new_owner = dest->new_owner;
    if (new_owner != nullptr && lot->owner() != ctx.signer->id) {
      return Status::PermissionDenied("lot " + lot->lot_id() + " is owned by " + lot->owner() +
                                      ", not by " + ctx.signer->id +
                                      ": only the owner may hand over ownership").WithRule(rule::kNotOwner);
    }
    lot->mutable_in_transit()->set_to_organization(dest->receiver->id);
    lot->mutable_in_transit()->set_shipping_event_id(ctx.event_id);
    if (new_owner != nullptr) lot->set_owner(new_owner->id);
    SaveLot(ctx, *lot);
    Touch(ctx, ref.lot_id);
    JEJAK_RETURN_IF_ERROR(ForEachPackedDescendant(ctx, ref.lot_id, [&](v1::LotRecord& child) {
      if (new_owner != nullptr) child.set_owner(new_owner->id);
      Touch(ctx, child.lot_id());
      return Status::Ok();
    }));
  }
  return ApplyDisposition(ctx, *lots);
}

Status Receive(EventContext& ctx) {
  auto lots = RequireLots(ctx, "receiving");
  if (!lots.ok()) return lots.status();
  for (const LotRef& ref : *lots) {
    auto lot = RequireLot(ctx, ref.lot_id);
    if (!lot.ok()) return lot.status();
    if (!lot->has_in_transit()) {
      return Status::Invalid("lot " + lot->lot_id() + " is not in transit (held by " +
                             lot->custodian() + "): there is no shipment to receive")
          .WithRule(rule::kReceiveNotInTransit);
    }
    const std::string& to = lot->in_transit().to_organization();
    if (to != ctx.signer->id) {
      return Status::PermissionDenied("lot " + lot->lot_id() + " was shipped to " + to +
                                      ", not to " + ctx.signer->id +
                                      ": only the named receiver may receive it").WithRule(rule::kNotReceiver);
    }
    lot->clear_in_transit();
    lot->set_custodian(ctx.signer->id);
    SaveLot(ctx, *lot);
    Touch(ctx, ref.lot_id);
    JEJAK_RETURN_IF_ERROR(ForEachPackedDescendant(ctx, ref.lot_id, [&](v1::LotRecord& child) {
      child.set_custodian(ctx.signer->id);
      Touch(ctx, child.lot_id());
      return Status::Ok();
    }));
  }
  return ApplyDisposition(ctx, *lots);
}

}  // namespace jejak::ledger::rules
