// Error declarations (EPCIS 2.0 section 7.4.1.4): an event carrying errorDeclaration repeats the
// eventID of a committed event (or names its ledger event id there). The original is marked as
// declared erroneous and linked to its corrective events; nothing is edited or deleted, and the
// original's effects stay: corrective events put things right.
#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {
namespace {

Result<std::optional<v1::EventRecord>> LoadEvent(const EventContext& ctx, const std::string& id) {
  auto raw = ctx.reader.Get(Table::kEvents, keys::EventKey(id));
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<v1::EventRecord>();
  v1::EventRecord record;
  if (!record.ParseFromString(**raw)) {
    return Status::Corruption("the stored record of event " + id + " cannot be read");
  }
  return std::optional<v1::EventRecord>(std::move(record));
}

Result<v1::EventRecord> FindOriginal(const EventContext& ctx) {
  const std::string& written = ctx.event.event_id();
  if (written.empty()) {
    return Status::Invalid("an error declaration must repeat the eventID of the event it "
                           "declares erroneous").WithRule(rule::kDeclarationEventId);
  }
  auto direct = LoadEvent(ctx, written);
  if (!direct.ok()) return direct.status();
  if (direct->has_value()) return std::move(**direct);
  auto mapped = ctx.reader.Get(Table::kState, keys::WrittenEventIdKey(written));
  if (!mapped.ok()) return mapped.status();
  if (mapped->has_value()) {
    auto original = LoadEvent(ctx, **mapped);
    if (!original.ok()) return original.status();
    if (original->has_value()) return std::move(**original);
  }
  return Status::NotFound("the error declaration names event " + written +
                          ", which is not on this ledger").WithRule(rule::kDeclaredEventUnknown);
}

}  // namespace

Status DeclareError(EventContext& ctx) {
  auto original = FindOriginal(ctx);
  if (!original.ok()) return original.status();
  const std::string& id = original->event_id();
  if (!original->declares_event_id().empty()) {
    return Status::Invalid("event " + id + " is itself an error declaration")
        .WithRule(rule::kDeclaredDeclaration);
  }
  if (original->signer_organization() != ctx.signer->id && !ctx.signer->HasRole(Role::kAuditor)) {
    return Status::PermissionDenied("event " + id + " was recorded by " +
                                    original->signer_organization() + ": only " +
                                    original->signer_organization() +
                                    " or an auditor may declare it erroneous, not " +
                                    ctx.signer->id).WithRule(rule::kNotRecorder);
  }
  if (original->declared_erroneous()) {
    return Status::AlreadyExists("event " + id + " was already declared erroneous by event " +
                                 original->declared_by_event_id()).WithRule(rule::kDeclaredTwice);
  }
  const v1::ErrorDeclaration& decl = ctx.event.error_declaration();
  original->set_declared_erroneous(true);
  original->set_declared_by_event_id(ctx.event_id);
  original->set_declaration_reason(CbvShortName(decl.reason()));
  for (const std::string& corrective : decl.corrective_event_ids()) {
    original->add_corrective_event_ids(corrective);
  }
  ctx.writes.Put(Table::kEvents, keys::EventKey(id), original->SerializeAsString());
  ctx.record.set_declares_event_id(id);
  for (const std::string& lot_id : original->lot_ids()) Touch(ctx, lot_id);
  return Status::Ok();
}

}  // namespace jejak::ledger::rules
