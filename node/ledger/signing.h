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

namespace jejak::ledger {

// Largest event_bytes the ledger accepts.
inline constexpr size_t kMaxEventBytes = 256 * 1024;

// Invalid if `chain_id` is empty or holds a NUL byte (it would make the digest ambiguous).
Result<std::string> EventDigest(std::string_view chain_id, std::string_view event_bytes);

Result<v1::SignedEvent> SignEvent(const crypto::PrivateKey& key, std::string_view chain_id,
                                  const v1::Event& event);

// The agent keys of a genesis, by key id (crypto::KeyId).
struct AgentKeyEntry {
  std::string organisation;
  std::string name;
  std::string public_key;
  bool active = true;
};
class KeyDirectory {
 public:
  explicit KeyDirectory(const Genesis& genesis);
  const AgentKeyEntry* Find(std::string_view key_id) const;

 private:
  std::map<std::string, AgentKeyEntry, std::less<>> keys_;
};

// Ok if the signature is by the agent key named in `signed_event` over its bytes on `chain_id`.
// PermissionDenied for an unknown or inactive key or a bad signature.
Status VerifyEventSignature(const KeyDirectory& keys, std::string_view chain_id,
                            const v1::SignedEvent& signed_event);
Status VerifyEventSignature(const Genesis& genesis, const v1::SignedEvent& signed_event);

// Everything about one signed event that needs no chain state: its size, that its bytes are a
// jejak.v1.Event, its ledger id (ledger.h: LedgerEventId, stored in `*event_id`) and its
// signature. The refusal carries the rule (event-encoding, epcis-format, or a signature rule).
Status CheckSignedEvent(const KeyDirectory& keys, std::string_view chain_id, const v1::SignedEvent& signed_event,
                        std::string* event_id);

}  // namespace jejak::ledger
