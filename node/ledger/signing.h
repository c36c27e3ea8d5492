// Event signatures.
//   digest    = SHA-256("jejak/event/v1" || 0x00 || chain_id || 0x00 || event_bytes)
//   signature = Ed25519(signer agent key, digest)
// event_bytes are the Event serialised once by the signer and carried as they are, so the
// signature still checks after any number of hops; no one re-serialises a parsed Event.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/crypto/ed25519.h"
#include "node/ledger/genesis.h"
#include "node/ledger/membership.h"

namespace jejak::ledger {

// Largest event_bytes the ledger accepts.
inline constexpr size_t kMaxEventBytes = 256 * 1024;

// Invalid if `chain_id` is empty or holds a NUL byte (it would make the digest ambiguous).
Result<std::string> EventDigest(std::string_view chain_id, std::string_view event_bytes);

Result<v1::SignedEvent> SignEvent(const crypto::PrivateKey& key, std::string_view chain_id,
                                  const v1::Event& event);

// The digest a governance entry's signature covers: as EventDigest, with "jejak/governance/v1".
Result<std::string> GovernanceDigest(std::string_view chain_id, std::string_view governance_bytes);

// Ok if the signature is by the key named in `signed_event` over its bytes (event or governance)
// on `chain_id`: signer-unknown for a key id no one ever had, signature-invalid for a bad
// signature. Whether the key may sign (active, its organisation active, admin for governance) is
// the ledger's rule, judged against the membership in force (ledger.h).
Status VerifyEntrySignature(const KeyLookup& keys, std::string_view chain_id,
                            const v1::SignedEvent& signed_event);

// Everything about one block entry that needs no chain state: its size, that its bytes are a
// jejak.v1.Event or a jejak.v1.GovernanceTx, its ledger id (LedgerEventId, or GovernanceEntryId
// of governance.h; stored in `*entry_id`) and its signature. The refusal carries the rule
// (event-encoding, epcis-format, or a signature rule).
Status CheckSignedEvent(const KeyLookup& keys, std::string_view chain_id, const v1::SignedEvent& signed_event,
                        std::string* entry_id);

}  // namespace jejak::ledger
