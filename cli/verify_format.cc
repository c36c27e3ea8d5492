#include "cli/verify_format.h"

#include <sstream>

#include "cli/trace_format.h"
#include "node/crypto/hex.h"

namespace jejak::cli {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// ", 2190 days after it happened": only for a gap of a day or more, where it matters.
std::string RecordingDelay(const ledger::VerifiedStep& s) {
  const int64_t late_ms = s.block_time_ms - s.event_time_ms;
  if (late_ms < kDayMs) return "";
  const int64_t days = late_ms / kDayMs;
  return ", " + std::to_string(days) + (days == 1 ? " day" : " days") + " after it happened";
}

std::string FormatStep(const ledger::VerifiedStep& s) {
  std::ostringstream out;
  out << "    " << s.event_time << "  " << s.kind << " by " << s.organisation << " ("
      << s.signer_key_name << ")\n"
      << "      happened " << UtcTime(s.event_time_ms) << ", recorded "
      << UtcTime(s.block_time_ms) << " in block " << s.height << RecordingDelay(s) << "\n"
      << "      " << s.event_id << "\n";
  if (s.signer_key_compromised) {
    out << "      WARNING: signed by a key reported COMPROMISED by then: " << s.signer_key_revoked << "\n";
  } else if (!s.signer_key_revoked.empty()) {
    out << "      its signer's " << s.signer_key_revoked << " (after this event)\n";
  }
  for (const ledger::VerifiedCertificateCheck& c : s.certificates) {
    out << "      certificate " << (c.scheme.empty() ? "" : c.scheme + " ")
        << c.document_hash.substr(0, 16) << " of " << c.lot_id << ": "
        << DescribeCertificateCheck(c) << "\n";
  }
  return out.str();
}

nlohmann::json StepJson(const ledger::VerifiedStep& s) {
  nlohmann::json certificates = nlohmann::json::array();
  for (const ledger::VerifiedCertificateCheck& c : s.certificates) {
    certificates.push_back({{"lot_id", c.lot_id},
                            {"document_hash", c.document_hash},
                            {"scheme", c.scheme},
                            {"valid_at_event_time", c.valid_at_event_time},
                            {"valid_at_record_time", c.valid_at_record_time}});
  }
  return {{"event_id", s.event_id},         {"kind", s.kind},
          {"organisation", s.organisation}, {"signer_key_name", s.signer_key_name},
          {"biz_step", s.biz_step},         {"event_time", s.event_time},
          {"event_time_ms", s.event_time_ms}, {"height", s.height},
          {"block_time_ms", s.block_time_ms}, {"record_time_ms", s.block_time_ms},
          {"lot_ids", s.lot_ids},           {"certificates", std::move(certificates)},
          {"signer_key_revoked", s.signer_key_revoked}, {"signer_key_compromised", s.signer_key_compromised}};
}

}  // namespace

std::string DescribeCertificateCheck(const ledger::VerifiedCertificateCheck& c) {
  if (c.valid_at_event_time && c.valid_at_record_time) {
    return "valid at the event time and at the record time";
  }
  if (!c.valid_at_event_time && !c.valid_at_record_time) {
    return "NOT valid at the event time, nor at the record time";
  }
  if (c.valid_at_event_time) {
    return "valid at the event time, but NOT at the record time (the event was recorded after "
           "the certificate's validity)";
  }
  return "NOT valid at the event time, only at the record time (the event happened outside the "
         "certificate's validity)";
}

std::string FormatVerifiedTrace(const ledger::VerifiedTrace& t) {
  std::ostringstream out;
  out << "VERIFIED: lot " << t.root_lot << " on chain " << t.chain_id << " (genesis "
      << crypto::ToHex(t.genesis_hash).substr(0, 16) << ")\n"
      << "  " << t.steps.size() << " events in " << t.blocks_verified << " blocks, "
      << t.signatures_verified << " signatures checked: every event is signed by a key the "
      << "genesis, or the " << t.governance_entries << " governance entries replayed from it, "
      << "authorised at its block, and committed by 2f+1 validators\n";
  if (t.compromised_steps > 0) {
    out << "  WARNING: " << t.compromised_steps << " of these events were signed by a key reported compromised "
        << "by then (see below)\n";
  }
  out << "Origins:\n";
  for (const std::string& lot : t.origins) out << "  " << lot << "\n";
  out << "Organisations: ";
  for (size_t i = 0; i < t.organisations.size(); ++i) {
    out << (i ? ", " : "") << t.organisations[i];
  }
  out << "\nLots:\n";
  for (const ledger::VerifiedLot& lot : t.lots) {
    out << "  " << lot.lot_id << (lot.origin ? "  [origin]" : "") << ", created by "
        << lot.creator_organisation << "\n";
    for (const ledger::VerifiedCertificate& c : lot.certificates) {
      out << "    certificate " << c.scheme << " " << c.document_hash.substr(0, 16) << " by "
          << c.issuer << " (" << c.certifier_organisation << "), valid "
          << UtcTime(c.valid_from_ms) << " to " << UtcTime(c.valid_until_ms) << "\n";
    }
    for (size_t s : lot.steps) out << FormatStep(t.steps[s]);
  }
  out << "Links:\n";
  for (const ledger::VerifiedEdge& e : t.edges) {
    out << "  " << e.direction << ": " << e.from_lot << " -> " << e.to_lot << " (" << e.kind
        << ")\n";
  }
  return out.str();
}

nlohmann::json VerifiedTraceJson(const ledger::VerifiedTrace& t) {
  nlohmann::json lots = nlohmann::json::array();
  for (const ledger::VerifiedLot& lot : t.lots) {
    nlohmann::json certificates = nlohmann::json::array();
    for (const ledger::VerifiedCertificate& c : lot.certificates) {
      certificates.push_back({{"document_hash", c.document_hash}, {"issuer", c.issuer},
                              {"scheme", c.scheme}, {"valid_from_ms", c.valid_from_ms},
                              {"valid_until_ms", c.valid_until_ms},
                              {"certifier_organisation", c.certifier_organisation},
                              {"event_id", c.event_id}});
    }
    lots.push_back({{"lot_id", lot.lot_id},
                    {"created_by_event_id", lot.created_by_event_id},
                    {"creator_organisation", lot.creator_organisation},
                    {"origin", lot.origin},
                    {"steps", lot.steps},
                    {"certificates", std::move(certificates)}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const ledger::VerifiedEdge& e : t.edges) {
    edges.push_back({{"direction", e.direction}, {"kind", e.kind}, {"from", e.from_lot},
                     {"to", e.to_lot}, {"event_id", e.event_id}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const ledger::VerifiedStep& s : t.steps) steps.push_back(StepJson(s));
  return {{"verified", true},
          {"chain_id", t.chain_id},
          {"genesis_hash", crypto::ToHex(t.genesis_hash)},
          {"lot_id", t.root_lot},
          {"forward", t.forward},
          {"origins", t.origins},
          {"organisations", t.organisations},
          {"blocks_verified", t.blocks_verified},
          {"signatures_verified", t.signatures_verified},
          {"lots", std::move(lots)},
          {"edges", std::move(edges)},
          {"steps", std::move(steps)}};
}

}  // namespace jejak::cli
