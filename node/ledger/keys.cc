#include "node/ledger/keys.h"

namespace jejak::ledger::keys {
namespace {

constexpr char kSep = '\0';

std::string Join(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) out.push_back(kSep);
    out.append(p);
    first = false;
  }
  return out;
}

void AppendU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string PositionBytes(Position p) {
  std::string out = EncodeU64(p.height);
  AppendU32(out, p.index);
  return out;
}

}  // namespace

std::string EncodeU64(uint64_t v) {
  std::string out;
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  return out;
}

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

std::string EventKey(std::string_view event_id) { return std::string(event_id); }
std::string LotKey(std::string_view lot_id) { return std::string(lot_id); }

std::string LotEventsPrefix(std::string_view lot_id) { return Join({lot_id, ""}); }
std::string LotEventKey(std::string_view lot_id, Position position) {
  return LotEventsPrefix(lot_id) + PositionBytes(position);
}

std::string LotLinksPrefix(std::string_view lot_id, LinkDirection direction) {
  return Join({lot_id, std::string_view(reinterpret_cast<const char*>(&direction), 1), ""});
}
std::string LotLinkKey(std::string_view lot_id, LinkDirection direction, std::string_view other) {
  return LotLinksPrefix(lot_id, direction) + std::string(other);
}
std::string_view LotLinkOther(std::string_view key, std::string_view lot_id) {
  size_t prefix = lot_id.size() + 3;
  return key.size() >= prefix ? key.substr(prefix) : std::string_view();
}

std::string OrgEventsPrefix(std::string_view org_id) { return Join({org_id, ""}); }
std::string OrgEventKey(std::string_view org_id, Position position) {
  return OrgEventsPrefix(org_id) + PositionBytes(position);
}

std::string CertificatesPrefix(std::string_view lot_id) { return Join({"cert", lot_id, ""}); }
std::string CertificateKey(std::string_view lot_id, std::string_view document_hash) {
  return CertificatesPrefix(lot_id) + std::string(document_hash);
}

std::string PackedChildrenPrefix(std::string_view parent_lot) {
  return Join({"pack", parent_lot, ""});
}
std::string PackedChildKey(std::string_view parent_lot, std::string_view child_lot) {
  return PackedChildrenPrefix(parent_lot) + std::string(child_lot);
}
std::string_view PackedChildOf(std::string_view key, std::string_view parent_lot) {
  size_t prefix = parent_lot.size() + 6;
  return key.size() >= prefix ? key.substr(prefix) : std::string_view();
}

std::string WrittenEventIdKey(std::string_view written_event_id) {
  return Join({"eid", written_event_id});
}
std::string MembershipKey() { return Join({"gov", "membership"}); }
std::string ProposalsPrefix() { return Join({"gov", "proposal", ""}); }
std::string ProposalKey(std::string_view proposal_id) { return ProposalsPrefix() + std::string(proposal_id); }
std::string GovernanceLogPrefix() { return Join({"gov", "log", ""}); }
std::string GovernanceLogKey(Position position) { return GovernanceLogPrefix() + PositionBytes(position); }
std::string LastHeightKey() { return Join({"meta", "height"}); }
std::string LastHashKey() { return Join({"meta", "hash"}); }

}  // namespace jejak::ledger::keys
