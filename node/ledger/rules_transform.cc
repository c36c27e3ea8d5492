// Transformation: signed by the custodian of every input; consumes input quantities (never more
// than remains, in the lot's unit) and creates the outputs as new lots linked to the inputs.
//
// Mass balance over measured quantities (quantity lists), all in one unit, in exact integer
// micro-units (no floating point: every validator gets the same answer on any CPU):
//   sum over outputs of ceil(quantity / max_yield(product of the output)) <= sum of consumed inputs.
// For outputs of one product this is exactly outputs <= inputs x max_yield (ceil(a/y) <= n iff
// a/y <= n for a whole number n of micro-units). With several products each output's need is
// rounded up to the micro-unit, so the rule is at most a few millionths stricter, never looser.
// Instance EPCs (epc lists) are counted items: an input instance is consumed whole, an output
// instance is a new lot of 1 EA; they take no part in the mass balance.
#include <string>

#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {
namespace {

// Sums and products of quantities: at most 1000 lots of < 10^15 micro-units, times a yield of
// at most 10^9 micro-units, stays far inside 128 bits.
using Micros = epcis::WideMicros;
constexpr Micros kMicrosPerUnit = epcis::Quantity::kMicrosPerUnit;

struct Measured {
  Micros total = 0;
  std::string uom;
  std::string first_lot;  // the lot that fixed the unit, for messages
};

Status AddMeasured(Measured& m, const std::string& lot_id, Micros quantity, const std::string& uom,
                   const char* side) {
  if (m.first_lot.empty()) {
    m.uom = uom;
    m.first_lot = lot_id;
  } else if (uom != m.uom) {
    return Status::Invalid("mass balance needs one unit: lot " + m.first_lot + " is in " +
                           m.uom + ", " + side + " lot " + lot_id + " in " + uom).WithRule(rule::kUnitMismatch);
  }
  m.total += quantity;
  return Status::Ok();
}

Status ConsumeInput(EventContext& ctx, const LotRef& ref, Measured& inputs) {
  auto lot = RequireLot(ctx, ref.lot_id);
  if (!lot.ok()) return lot.status();
  JEJAK_RETURN_IF_ERROR(RequireCustodian(ctx, *lot, "transform"));
  JEJAK_RETURN_IF_ERROR(RequireMovable(*lot, "transform"));
  JEJAK_RETURN_IF_ERROR(RequireNotRecalled(*lot, "be transformed"));
  auto remaining = LotRemaining(*lot);
  if (!remaining.ok()) return remaining.status();
  epcis::Quantity take = *remaining;
  if (!ref.instance) {
    if (!ref.uom.empty() && ref.uom != lot->uom()) {
      return Status::Invalid("input lot " + lot->lot_id() + " is measured in " + lot->uom() +
                             ", not in " + ref.uom).WithRule(rule::kUnitMismatch);
    }
    if (ref.quantity) take = *ref.quantity;
    if (take.is_zero()) {
      return Status::Invalid("the transformation consumes nothing of input lot " + lot->lot_id())
          .WithRule(rule::kInputUnconsumed);
    }
    if (take > *remaining) {
      return Status::Invalid("input lot " + lot->lot_id() + " has only " +
                             FormatQuantity(*remaining, lot->uom()) +
                             " left; the transformation would consume " +
                             FormatQuantity(take, lot->uom())).WithRule(rule::kOverConsumption);
    }
    JEJAK_RETURN_IF_ERROR(AddMeasured(inputs, lot->lot_id(), take.micros(), lot->uom(), "input"));
  }
  const int64_t left = ref.instance ? 0 : remaining->micros() - take.micros();
  lot->set_remaining_micros(left);
  lot->set_consumed(left == 0);
  SaveLot(ctx, *lot);
  Touch(ctx, ref.lot_id);
  return Status::Ok();
}

Micros CeilDiv(Micros a, Micros b) { return (a + b - 1) / b; }

Status CheckMassBalance(const EventContext& ctx, const Measured& inputs,
                        const std::vector<v1::LotRecord>& outputs) {
  Measured out;
  Micros needed = 0;  // input the outputs need at their products' maximum yields
  std::set<std::string> products;
  for (const v1::LotRecord& lot : outputs) {
    if (lot.instance()) continue;
    JEJAK_RETURN_IF_ERROR(AddMeasured(out, lot.lot_id(), lot.quantity_micros(), lot.uom(), "output"));
    const Micros yield = ctx.membership.MaxYield(lot.product()).micros();
    if (yield <= 0) return Status::Internal("maximum yield of " + lot.product() + " is not above 0");
    needed += CeilDiv(Micros{lot.quantity_micros()} * kMicrosPerUnit, yield);
    products.insert(lot.product());
  }
  if (out.first_lot.empty()) return Status::Ok();
  if (inputs.first_lot.empty()) {
    return Status::Invalid("output lot " + out.first_lot + " is measured in " + out.uom +
                           " but no input is: mass balance needs measured inputs")
        .WithRule(rule::kOutputUnmeasured);
  }
  if (out.uom != inputs.uom) {
    return Status::Invalid("mass balance needs one unit: input lot " + inputs.first_lot +
                           " is in " + inputs.uom + ", output lot " + out.first_lot + " in " +
                           out.uom).WithRule(rule::kUnitMismatch);
  }
  if (needed <= inputs.total) return Status::Ok();
  std::string msg = "the transformation creates " +
                    FormatMicros(out.total, out.uom) + " from " +
                    FormatMicros(inputs.total, inputs.uom) + " of inputs";
  if (products.size() == 1) {
    const std::string& product = *products.begin();
    const epcis::Quantity yield = ctx.membership.MaxYield(product);
    msg += ", at most " + FormatMicros(inputs.total * yield.micros() / kMicrosPerUnit, out.uom) +
           " is possible (maximum yield " + yield.ToString() +
           (product.empty() ? std::string(" by default") : " for product " + product) + ")";
  } else {
    msg += ", but at their products' maximum yields the outputs need " +
           FormatMicros(needed, out.uom) + " of input";
  }
  return Status::Invalid(msg).WithRule(rule::kMassBalance);
}

}  // namespace

Status Transform(EventContext& ctx) {
  const v1::Event& e = ctx.event;
  auto inputs = CollectLots(e.input_epc_list(), e.input_quantity_list(),
                            "inputEPCList/inputQuantityList");
  if (!inputs.ok()) return inputs.status();
  auto outputs = CollectLots(e.output_epc_list(), e.output_quantity_list(),
                             "outputEPCList/outputQuantityList");
  if (!outputs.ok()) return outputs.status();
  if (inputs->empty()) return Status::Invalid("the transformation names no input lot")
      .WithRule(rule::kLotNoneNamed);
  if (outputs->empty()) return Status::Invalid("the transformation names no output lot")
      .WithRule(rule::kLotNoneNamed);
  Measured consumed;
  for (const LotRef& ref : *inputs) JEJAK_RETURN_IF_ERROR(ConsumeInput(ctx, ref, consumed));
  std::vector<v1::LotRecord> created;
  for (const LotRef& ref : *outputs) {
    auto lot = NewLot(ctx, ref);
    if (!lot.ok()) return lot.status();
    SaveLot(ctx, *lot);
    Touch(ctx, ref.lot_id);
    for (const LotRef& in : *inputs) AddLink(ctx, in.lot_id, ref.lot_id, "transformation");
    created.push_back(std::move(lot).value());
  }
  return CheckMassBalance(ctx, consumed, created);
}

}  // namespace jejak::ledger::rules
