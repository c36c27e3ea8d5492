// Observations and recalls of existing lots. Only the lot's custodian or owner, or a certifier or
// auditor, may record them. A disposition (e.g. recalled) is set on every lot named; a recall is
// found later by tracing forward from the recalled lot.
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"

namespace jejak::ledger::rules {

Status Observe(EventContext& ctx) {
  auto lots = NamedLots(ctx.event);
  if (!lots.ok()) return lots.status();
  const char* what = EventKindName(ctx.kind);
  if (lots->empty()) return Status::Invalid(std::string("the ") + what + " names no lot")
      .WithRule(rule::kLotNoneNamed);
  bool overseer = ctx.signer->HasRole(Role::kCertifier) || ctx.signer->HasRole(Role::kAuditor);
  for (const LotRef& ref : *lots) {
    auto lot = RequireLot(ctx, ref.lot_id);
    if (!lot.ok()) return lot.status();
    if (!overseer && lot->custodian() != ctx.signer->id && lot->owner() != ctx.signer->id) {
      return Status::PermissionDenied("lot " + ref.lot_id + " is held by " + lot->custodian() +
                                      " and owned by " + lot->owner() + ", not by " +
                                      ctx.signer->id + ": only they, a certifier or an auditor " +
                                      "may record a " + what + " of it").WithRule(rule::kNotParty);
    }
    Touch(ctx, ref.lot_id);
  }
  return ApplyDisposition(ctx, *lots);
}

}  // namespace jejak::ledger::rules
