// Certification and inspection: signed by a certifier; a certificate (document hash, issuer,
// validity window) attaches to every lot the event names. Every later event touching a lot
// records which of the lot's certificates were valid at the event's time and at its record time
// (its block's time): for an event recorded late, a certificate may have expired in between.
#include "node/ledger/certificate.h"
#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::rules {

Status Certify(EventContext& ctx) {
  auto lots = NamedLots(ctx.event);
  if (!lots.ok()) return lots.status();
  if (lots->empty()) return Status::Invalid(std::string(EventKindName(ctx.kind)) + " names no lot")
      .WithRule(rule::kLotNoneNamed);
  std::optional<v1::CertificateRecord> cert;
  auto member = FindJejakMember(ctx.event, ctx.event.extensions(), "certificate");
  if (member) {
    auto parsed = ParseCertificateMember(*member);
    if (!parsed.ok()) return parsed.status();
    cert = std::move(parsed).value();
    cert->set_certifier_organization(ctx.signer->id);
    cert->set_event_id(ctx.event_id);
    std::string info;
    for (const std::string& i : ctx.event.certification_info()) info += (info.empty() ? "" : " ") + i;
    cert->set_certification_info(info);
  } else if (ctx.kind == EventKind::kCertification) {
    return Status::Invalid("a certification needs a jejak:certificate member with documentHash, "
                           "issuer, validFrom and validUntil").WithRule(rule::kCertificateMissing);
  }
  for (const LotRef& ref : *lots) {
    auto lot = RequireLot(ctx, ref.lot_id);
    if (!lot.ok()) return lot.status();
    if (cert) {
      ctx.writes.Put(Table::kState, keys::CertificateKey(ref.lot_id, cert->document_hash()),
                     cert->SerializeAsString());
    }
    Touch(ctx, ref.lot_id);
  }
  return ApplyDisposition(ctx, *lots);
}

Status CheckCertificates(EventContext& ctx) {
  const int64_t event_time_ms = ctx.event.event_time_ms();
  const int64_t record_time_ms = ctx.position.block_time_ms;
  for (const std::string& lot_id : ctx.record.lot_ids()) {
    std::string prefix = keys::CertificatesPrefix(lot_id);
    Status failure;
    size_t seen = 0;
    JEJAK_RETURN_IF_ERROR(ctx.reader.Scan(Table::kState, prefix,
                                          [&](std::string_view, std::string_view value) {
      v1::CertificateRecord cert;
      if (!cert.ParseFromString(std::string(value))) {
        failure = Status::Corruption("a stored certificate of lot " + lot_id + " cannot be read");
        return false;
      }
      v1::CertificateCheck* check = ctx.record.add_certificate_checks();
      check->set_lot_id(lot_id);
      check->set_document_hash(cert.document_hash());
      check->set_scheme(cert.scheme());
      check->set_valid_at_event_time(CertificateValidAt(cert, event_time_ms));
      check->set_valid_at_record_time(CertificateValidAt(cert, record_time_ms));
      return ++seen < kMaxCertificatesPerLot;
    }));
    JEJAK_RETURN_IF_ERROR(failure);
  }
  return Status::Ok();
}

}  // namespace jejak::ledger::rules
