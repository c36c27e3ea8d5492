#include "node/ledger/event_builders.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"
#include "node/epcis/identifiers.h"
#include "node/epcis/rfc3339.h"
#include "node/epcis/validate.h"
#include "node/ledger/genesis.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger {
namespace {

using Quantities = google::protobuf::RepeatedPtrField<v1::QuantityElement>;
using Strings = google::protobuf::RepeatedPtrField<std::string>;

// An event names at most this many lots, as the ledger allows (ledger::kMaxLotsPerEvent).
constexpr size_t kMaxLots = 1000;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The indexed form of a lot id, or Invalid naming `what` and the id.
Result<std::string> LotId(std::string_view raw, std::string_view what) {
  auto lot = ledger::NormalizeLotId(raw);
  if (!lot.ok()) return lot.status().WithContext(std::string(what));
  auto normal = epcis::NormalizeIdentifier(*lot);
  if (!normal.ok())
    return normal.status().WithContext(std::string(what) + " '" + std::string(raw) + "'");
  return normal;
}

// Lots of a class (a harvest, a batch) are counted in quantities; single objects are listed.
bool IsClassLevel(std::string_view lot) {
  return StartsWith(lot, "urn:epc:class:") || StartsWith(lot, "urn:jejak:lot:");
}

v1::Event Base(v1::EventType type, const EventClock& clock) {
  v1::Event e;
  e.set_type(type);
  e.set_event_time(FormatRfc3339Utc(clock.now_ms));
  e.set_event_time_ms(clock.now_ms);
  e.set_event_time_zone_offset(clock.time_zone_offset);
  return e;
}

void SetLocation(v1::Event& e, const std::string& location) {
  if (location.empty()) return;
  e.mutable_read_point()->set_id(location);
  e.mutable_biz_location()->set_id(location);
}

void BindJejak(v1::Event& e) {
  for (const v1::NamespaceBinding& ns : e.namespaces()) {
    if (ns.prefix() == "jejak") return;
  }
  v1::NamespaceBinding* ns = e.add_namespaces();
  ns->set_prefix("jejak");
  ns->set_uri(std::string(ledger::kJejakNamespace));
}

void AddJejakMember(v1::Event& e, google::protobuf::RepeatedPtrField<v1::JsonMember>* members,
                    const std::string& name, const nlohmann::json& value) {
  BindJejak(e);
  v1::JsonMember* m = members->Add();
  m->set_key("jejak:" + name);
  m->set_json(value.dump());
}

void AddProduct(v1::Event& e, const std::string& product) {
  if (product.empty()) return;
  e.set_has_ilmd(true);
  AddJejakMember(e, e.mutable_ilmd(), "product", product);
}

// Puts each lot where EPCIS wants it: single objects in `epcs`, class-level lots in `quantities`
// (with the amount, if any, in `uom`).
Status PlaceLots(const std::vector<LotAmount>& lots, const std::string& uom, const char* what,
                 Strings* epcs, Quantities* quantities) {
  if (lots.size() > kMaxLots) {
    return Status::ResourceExhausted(std::string(what) + ": " + std::to_string(lots.size()) +
                                     " lots in one event; at most " + std::to_string(kMaxLots));
  }
  for (const LotAmount& amount : lots) {
    auto lot = LotId(amount.lot, what);
    if (!lot.ok()) return lot.status();
    if (!IsClassLevel(*lot)) {
      if (amount.quantity) {
        return Status::Invalid(std::string(what) + " " + *lot +
                               " is a single object, counted "
                               "as 1: give it without a quantity");
      }
      epcs->Add(std::move(*lot));
      continue;
    }
    v1::QuantityElement* q = quantities->Add();
    q->set_epc_class(*lot);
    if (amount.quantity) {
      if (uom.empty()) {
        return Status::Invalid(std::string(what) + " " + *lot +
                               " has a quantity but no unit: "
                               "give --uom (e.g. KGM)");
      }
      q->set_quantity_micros(amount.quantity->micros());
      q->set_uom(uom);
    }
  }
  return Status::Ok();
}

std::vector<LotAmount> WholeLots(const std::vector<std::string>& lots) {
  std::vector<LotAmount> out;
  out.reserve(lots.size());
  for (const std::string& lot : lots) out.push_back({lot, std::nullopt});
  return out;
}

Status RequireSome(size_t count, const char* what) {
  if (count == 0) return Status::Invalid(std::string("name at least one ") + what);
  return Status::Ok();
}

void AddSourceDest(google::protobuf::RepeatedPtrField<v1::SourceDest>* list, const char* type,
                   const std::string& org) {
  v1::SourceDest* sd = list->Add();
  sd->set_type(type);
  sd->set_id(PartyId(org));
}

// The event as the standard wants it, or the field that is wrong.
Result<v1::Event> Checked(v1::Event e) {
  Status valid = epcis::ValidateForCapture(e);
  if (!valid.ok()) return valid.WithContext("the event would not be valid EPCIS 2.0");
  return e;
}

Result<v1::Event> ObserveLots(const std::vector<std::string>& lots, const char* what,
                              const std::string& location, const EventClock& clock) {
  v1::Event e = Base(v1::OBJECT_EVENT, clock);
  e.set_action(v1::OBSERVE);
  JEJAK_RETURN_IF_ERROR(RequireSome(lots.size(), what));
  JEJAK_RETURN_IF_ERROR(
      PlaceLots(WholeLots(lots), "", what, e.mutable_epc_list(), e.mutable_quantity_list()));
  SetLocation(e, location);
  return e;
}

}  // namespace

std::string FormatRfc3339Utc(int64_t ms) {
  int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  int millis = static_cast<int>(ms - secs * 1000);
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string PartyId(std::string_view org_or_party) {
  if (org_or_party.find(':') != std::string_view::npos) return std::string(org_or_party);
  return OrgPartyId(org_or_party);
}

std::string DocumentSha256Hex(std::string_view document_bytes) {
  return crypto::ToHex(crypto::Sha256(document_bytes));
}

Result<v1::Event> BuildCommission(const CommissionSpec& spec, const EventClock& clock) {
  v1::Event e = Base(v1::OBJECT_EVENT, clock);
  e.set_action(v1::ADD);
  e.set_biz_step("commissioning");
  e.set_disposition("active");
  auto lot = LotId(spec.lot, "lot");
  if (!lot.ok()) return lot.status();
  if (IsClassLevel(*lot) && (!spec.quantity || spec.quantity->is_zero())) {
    return Status::Invalid("lot " + *lot + " needs --quantity above 0 (and --uom) to be created");
  }
  JEJAK_RETURN_IF_ERROR(PlaceLots({{*lot, spec.quantity}}, spec.uom, "lot", e.mutable_epc_list(),
                                  e.mutable_quantity_list()));
  AddProduct(e, spec.product);
  SetLocation(e, spec.location);
  return Checked(std::move(e));
}

Result<v1::Event> BuildShip(const ShipSpec& spec, const EventClock& clock) {
  if (spec.to.empty()) return Status::Invalid("say who receives the shipment: --to ORG");
  auto e = ObserveLots(spec.lots, "lot to ship", spec.location, clock);
  if (!e.ok()) return e.status();
  e->set_biz_step("shipping");
  e->set_disposition("in_transit");
  if (!spec.from.empty()) {
    AddSourceDest(e->mutable_source_list(), "possessing_party", spec.from);
    if (spec.transfer_ownership) AddSourceDest(e->mutable_source_list(), "owning_party", spec.from);
  }
  AddSourceDest(e->mutable_destination_list(), "possessing_party", spec.to);
  if (spec.transfer_ownership)
    AddSourceDest(e->mutable_destination_list(), "owning_party", spec.to);
  return Checked(std::move(*e));
}

Result<v1::Event> BuildReceive(const ReceiveSpec& spec, const EventClock& clock) {
  auto e = ObserveLots(spec.lots, "lot to receive", spec.location, clock);
  if (!e.ok()) return e.status();
  e->set_biz_step("receiving");
  e->set_disposition("in_progress");
  if (!spec.from.empty()) AddSourceDest(e->mutable_source_list(), "possessing_party", spec.from);
  if (!spec.receiver.empty()) {
    AddSourceDest(e->mutable_destination_list(), "possessing_party", spec.receiver);
  }
  return Checked(std::move(*e));
}

Result<v1::Event> BuildTransform(const TransformSpec& spec, const EventClock& clock) {
  JEJAK_RETURN_IF_ERROR(RequireSome(spec.inputs.size(), "--input lot"));
  JEJAK_RETURN_IF_ERROR(RequireSome(spec.outputs.size(), "--output lot"));
  v1::Event e = Base(v1::TRANSFORMATION_EVENT, clock);
  JEJAK_RETURN_IF_ERROR(PlaceLots(spec.inputs, spec.uom, "input", e.mutable_input_epc_list(),
                                  e.mutable_input_quantity_list()));
  for (const LotAmount& out : spec.outputs) {
    auto lot = LotId(out.lot, "output");
    if (!lot.ok()) return lot.status();
    if (IsClassLevel(*lot) && !out.quantity) {
      return Status::Invalid("output " + *lot + " needs a quantity: --output LOT=QUANTITY");
    }
  }
  JEJAK_RETURN_IF_ERROR(PlaceLots(spec.outputs, spec.uom, "output", e.mutable_output_epc_list(),
                                  e.mutable_output_quantity_list()));
  AddProduct(e, spec.product);
  SetLocation(e, spec.location);
  return Checked(std::move(e));
}

Result<v1::Event> BuildPack(const PackSpec& spec, const EventClock& clock) {
  JEJAK_RETURN_IF_ERROR(RequireSome(spec.children.size(), "--child lot to pack"));
  auto parent = LotId(spec.parent, "parent");
  if (!parent.ok()) return parent.status();
  v1::Event e = Base(v1::AGGREGATION_EVENT, clock);
  e.set_action(v1::ADD);
  e.set_biz_step("packing");
  e.set_parent_id(*parent);
  JEJAK_RETURN_IF_ERROR(PlaceLots(WholeLots(spec.children), "", "child", e.mutable_child_epcs(),
                                  e.mutable_child_quantity_list()));
  SetLocation(e, spec.location);
  return Checked(std::move(e));
}

Result<v1::Event> BuildUnpack(const PackSpec& spec, const EventClock& clock) {
  auto parent = LotId(spec.parent, "parent");
  if (!parent.ok()) return parent.status();
  v1::Event e = Base(v1::AGGREGATION_EVENT, clock);
  e.set_action(v1::DELETE);
  e.set_biz_step("unpacking");
  e.set_parent_id(*parent);
  JEJAK_RETURN_IF_ERROR(PlaceLots(WholeLots(spec.children), "", "child", e.mutable_child_epcs(),
                                  e.mutable_child_quantity_list()));
  SetLocation(e, spec.location);
  return Checked(std::move(e));
}

Result<v1::Event> BuildInspect(const InspectSpec& spec, const EventClock& clock) {
  auto e = ObserveLots({spec.lot}, "lot to inspect", spec.location, clock);
  if (!e.ok()) return e.status();
  e->set_biz_step("inspecting");
  e->set_disposition(spec.disposition);
  return Checked(std::move(*e));
}

Result<v1::Event> BuildCertify(const CertifySpec& spec, const EventClock& clock) {
  if (spec.issuer.empty()) return Status::Invalid("say who issued the certificate: --issuer NAME");
  auto hash = crypto::FromHex(spec.document_sha256_hex);
  if (!hash.ok() || hash->size() != crypto::kSha256Bytes) {
    return Status::Invalid("the certificate's document hash must be a SHA-256: 64 hex digits");
  }
  auto from = epcis::ParseRfc3339Ms(spec.valid_from);
  if (!from.ok()) return from.status().WithContext("--valid-from");
  auto until = epcis::ParseRfc3339Ms(spec.valid_until);
  if (!until.ok()) return until.status().WithContext("--valid-until");
  if (*until < *from) return Status::Invalid("--valid-until is before --valid-from");
  auto e = ObserveLots(spec.lots, "lot to certify", spec.location, clock);
  if (!e.ok()) return e.status();
  e->set_biz_step("inspecting");
  if (!spec.info_uri.empty()) e->add_certification_info(spec.info_uri);
  nlohmann::json cert = {{"documentHash", crypto::ToHex(*hash)}, {"issuer", spec.issuer}};
  if (!spec.scheme.empty()) cert["scheme"] = spec.scheme;
  cert["validFrom"] = spec.valid_from;
  cert["validUntil"] = spec.valid_until;
  AddJejakMember(*e, e->mutable_extensions(), "certificate", cert);
  return Checked(std::move(*e));
}

Result<v1::Event> BuildRecall(const RecallSpec& spec, const EventClock& clock) {
  auto e = ObserveLots({spec.lot}, "lot to recall", spec.location, clock);
  if (!e.ok()) return e.status();
  e->set_biz_step("holding");
  e->set_disposition("recalled");
  if (!spec.reason.empty()) {
    AddJejakMember(*e, e->mutable_extensions(), "recallReason", spec.reason);
  }
  return Checked(std::move(*e));
}

Result<v1::Event> BuildCorrection(const CorrectionSpec& spec, const EventClock& clock) {
  if (spec.original.has_error_declaration()) {
    return Status::Invalid("event " + spec.original_event_id +
                           " is itself an error declaration: correct the original event instead");
  }
  if (spec.reason.empty()) {
    return Status::Invalid("say why the event is wrong: --reason incorrect_data or did_not_occur");
  }
  v1::Event e = spec.original;
  if (e.event_id().empty()) e.set_event_id(spec.original_event_id);
  v1::ErrorDeclaration* decl = e.mutable_error_declaration();
  decl->set_declaration_time(FormatRfc3339Utc(clock.now_ms));
  decl->set_declaration_time_ms(clock.now_ms);
  decl->set_reason(spec.reason);
  for (const std::string& id : spec.corrective_event_ids) decl->add_corrective_event_ids(id);
  return Checked(std::move(e));
}

}  // namespace jejak::ledger
