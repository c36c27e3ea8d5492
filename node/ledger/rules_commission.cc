// Commissioning: a lot is created once, with quantity and unit; the signer's organisation owns
// and holds it.
#include <nlohmann/json.hpp>

#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {
namespace {

constexpr std::string_view kJejakLotPrefix = "urn:jejak:lot:";

// urn:jejak:lot:<org>:<local-id> names its creator: only organisation <org> creates such lots, so
// nobody can take (or squat) another member's lot names. Other identifiers (GS1 keys) are
// allocated by their GS1 company prefix owner, which the ledger cannot know.
Status CheckLotNamespace(const EventContext& ctx, const std::string& lot_id) {
  if (lot_id.rfind(kJejakLotPrefix, 0) != 0) return Status::Ok();  // normalised: prefix lower case
  std::string_view rest = std::string_view(lot_id).substr(kJejakLotPrefix.size());
  std::string owner(rest.substr(0, rest.find(':')));
  if (owner == ctx.signer->id) return Status::Ok();
  std::string whose = ctx.membership.FindOrganisation(owner) != nullptr
                          ? "belongs to organisation " + owner
                          : "belongs to no member organisation";
  return Status::PermissionDenied("lot " + lot_id + " cannot be created by " + ctx.signer->id +
                                  ": the namespace urn:jejak:lot:" + owner + ": " + whose + "; " +
                                  ctx.signer->id + " names its lots urn:jejak:lot:" +
                                  ctx.signer->id + ":<local-id>")
      .WithRule(rule::kLotNamespace);
}

Result<std::string> ProductFromIlmd(const EventContext& ctx) {
  auto member = FindJejakMember(ctx.event, ctx.event.ilmd(), "product");
  if (!member) return std::string();
  auto value = nlohmann::json::parse(*member, nullptr, /*allow_exceptions=*/false);
  if (!value.is_string() || value.get<std::string>().empty()) {
    return Status::Invalid("ilmd jejak:product must be a non-empty string").WithRule(rule::kProductFormat);
  }
  return value.get<std::string>();
}

}  // namespace

Result<v1::LotRecord> NewLot(const EventContext& ctx, const LotRef& ref) {
  JEJAK_RETURN_IF_ERROR(CheckLotNamespace(ctx, ref.lot_id));
  auto existing = LoadLot(ctx, ref.lot_id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::AlreadyExists("lot " + ref.lot_id + " already exists: it was created by event " +
                                 (*existing)->created_by_event_id() +
                                 "; a lot is created only once").WithRule(rule::kLotExists);
  }
  v1::LotRecord lot;
  lot.set_lot_id(ref.lot_id);
  lot.set_owner(ctx.signer->id);
  lot.set_custodian(ctx.signer->id);
  lot.set_instance(ref.instance);
  if (ref.instance) {
    lot.set_quantity_micros(epcis::Quantity::Units(1).micros());
    lot.set_uom("EA");
  } else {
    if (!ref.quantity || ref.quantity->is_zero()) {
      return Status::Invalid("lot " + ref.lot_id + " needs a quantity above 0 to be created")
          .WithRule(rule::kLotQuantityZero);
    }
    lot.set_quantity_micros(ref.quantity->micros());
    lot.set_uom(ref.uom);
  }
  lot.set_remaining_micros(lot.quantity_micros());
  auto product = ProductFromIlmd(ctx);
  if (!product.ok()) return product.status();
  lot.set_product(product->empty() ? ProductOfLotId(ref.lot_id) : *product);
  lot.set_created_by_event_id(ctx.event_id);
  lot.mutable_created_at()->set_height(ctx.position.height);
  lot.mutable_created_at()->set_index(ctx.position.index);
  lot.mutable_created_at()->set_block_time_ms(ctx.position.block_time_ms);
  lot.set_created_event_time_ms(ctx.event.event_time_ms());
  if (!ctx.event.disposition().empty()) lot.set_disposition(CbvShortName(ctx.event.disposition()));
  return lot;
}

Status Commission(EventContext& ctx) {
  auto lots = CollectLots(ctx.event.epc_list(), ctx.event.quantity_list(), "epcList/quantityList");
  if (!lots.ok()) return lots.status();
  if (lots->empty()) {
    return Status::Invalid("commissioning names no lot: put the new lot in epcList or quantityList")
        .WithRule(rule::kLotNoneNamed);
  }
  for (const LotRef& ref : *lots) {
    auto lot = NewLot(ctx, ref);
    if (!lot.ok()) return lot.status();
    SaveLot(ctx, *lot);
    Touch(ctx, ref.lot_id);
  }
  return Status::Ok();
}

}  // namespace jejak::ledger::rules
