// Key layouts of the state tables (state_store.h). Every key is built here, nowhere else.
//
//   events     <event id>                                  -> EventRecord
//   lots       <lot id>                                    -> LotRecord
//   lot_events <lot id> 0x00 <height u64 BE> <index u32 BE> -> event id
//   lot_links  <lot id> 0x00 <'p'|'c'> 0x00 <other lot id>  -> LotLink  ('p': other is an input
//                                                                        of lot, 'c': an output)
//   org_events <org id> 0x00 <height u64 BE> <index u32 BE> -> event id
//   state      "cert" 0x00 <lot id> 0x00 <document hash>    -> CertificateRecord
//              "pack" 0x00 <parent lot> 0x00 <child lot>    -> ""  (children packed right now)
//              "eid" 0x00 <eventID as written>              -> event id  (for error declarations)
//              "gov" 0x00 "membership"                      -> MembershipRecord (membership.h)
//              "gov" 0x00 "proposal" 0x00 <proposal id>     -> ProposalRecord (governance.h)
//              "gov" 0x00 "log" 0x00 <height u64 BE> <index u32 BE> -> id of a governance entry
//                                                              that changed the membership
//              "meta" 0x00 "height"                         -> u64 BE, last applied block height
//              "meta" 0x00 "hash"                           -> hash of the last applied block
// Big-endian positions make a prefix scan chronological. Identifiers never hold a NUL byte (the
// rules reject them), so 0x00 separates fields unambiguously.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jejak::ledger::keys {

struct Position {
  uint64_t height = 0;
  uint32_t index = 0;
};

std::string EventKey(std::string_view event_id);
std::string LotKey(std::string_view lot_id);

std::string LotEventsPrefix(std::string_view lot_id);
std::string LotEventKey(std::string_view lot_id, Position position);

enum class LinkDirection : char { kParent = 'p', kChild = 'c' };
std::string LotLinksPrefix(std::string_view lot_id, LinkDirection direction);
std::string LotLinkKey(std::string_view lot_id, LinkDirection direction, std::string_view other);
// The other lot of a lot_links key that starts with LotLinksPrefix(lot_id, direction).
std::string_view LotLinkOther(std::string_view key, std::string_view lot_id);

std::string OrgEventsPrefix(std::string_view org_id);
std::string OrgEventKey(std::string_view org_id, Position position);

std::string CertificatesPrefix(std::string_view lot_id);
std::string CertificateKey(std::string_view lot_id, std::string_view document_hash);

std::string PackedChildrenPrefix(std::string_view parent_lot);
std::string PackedChildKey(std::string_view parent_lot, std::string_view child_lot);
std::string_view PackedChildOf(std::string_view key, std::string_view parent_lot);

std::string WrittenEventIdKey(std::string_view written_event_id);
std::string MembershipKey();
std::string ProposalsPrefix();
std::string ProposalKey(std::string_view proposal_id);
std::string GovernanceLogPrefix();
std::string GovernanceLogKey(Position position);
std::string LastHeightKey();
std::string LastHashKey();

std::string EncodeU64(uint64_t value);
std::optional<uint64_t> DecodeU64(std::string_view bytes);

}  // namespace jejak::ledger::keys
