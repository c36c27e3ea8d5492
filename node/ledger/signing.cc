#include "node/ledger/signing.h"

#include "node/crypto/sha256.h"
#include "node/ledger/governance.h"
#include "node/ledger/ledger.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {

namespace {

// SHA-256(domain || 0x00 || chain_id || 0x00 || bytes): what an entry's signature covers.
Result<std::string> EntryDigest(std::string_view domain, std::string_view chain_id, std::string_view bytes) {
  if (chain_id.empty()) return Status::Invalid("chain id is empty");
  if (chain_id.find('\0') != std::string_view::npos) {
    return Status::Invalid("chain id holds a NUL byte");
  }
  const char nul = '\0';
  std::string_view sep(&nul, 1);
  return crypto::Sha256Parts({domain, sep, chain_id, sep, bytes});
}

}  // namespace

Result<std::string> EventDigest(std::string_view chain_id, std::string_view event_bytes) {
  return EntryDigest("jejak/event/v1", chain_id, event_bytes);
}

Result<v1::SignedEvent> SignEvent(const crypto::PrivateKey& key, std::string_view chain_id,
                                  const v1::Event& event) {
  v1::SignedEvent out;
  if (!event.SerializeToString(out.mutable_event_bytes())) {
    return Status::Internal("the event could not be serialised");
  }
  if (out.event_bytes().size() > kMaxEventBytes) {
    return Status::Invalid("the event is larger than " + std::to_string(kMaxEventBytes) + " bytes");
  }
  auto digest = EventDigest(chain_id, out.event_bytes());
  if (!digest.ok()) return digest.status();
  std::string signature = key.Sign(*digest);
  if (signature.size() != crypto::kEd25519SignatureBytes) {
    return Status::Internal("signing the event failed");
  }
  out.set_signer_key_id(crypto::KeyId(key.public_key()));
  out.set_signature(std::move(signature));
  return out;
}

Result<std::string> GovernanceDigest(std::string_view chain_id, std::string_view governance_bytes) {
  return EntryDigest("jejak/governance/v1", chain_id, governance_bytes);
}

Status VerifyEntrySignature(const KeyLookup& keys, std::string_view chain_id,
                            const v1::SignedEvent& signed_event) {
  std::optional<std::string_view> public_key = keys.PublicKeyOf(signed_event.signer_key_id());
  if (!public_key) {
    return Status::PermissionDenied("signer key " + signed_event.signer_key_id() +
                                    " is not an agent key of any member organisation")
        .WithRule(rule::kSignerUnknown);
  }
  const bool governance = IsGovernanceEntry(signed_event);
  const std::string& bytes = governance ? signed_event.governance_bytes() : signed_event.event_bytes();
  if (bytes.size() > (governance ? kMaxGovernanceBytes : kMaxEventBytes)) {
    return Status::Invalid("the entry is larger than the ledger accepts").WithRule(rule::kEventEncoding);
  }
  auto digest = governance ? GovernanceDigest(chain_id, bytes) : EventDigest(chain_id, bytes);
  if (!digest.ok()) return digest.status();
  if (!crypto::Verify(*public_key, *digest, signed_event.signature())) {
    return Status::PermissionDenied("the signature of key " + signed_event.signer_key_id() +
                                    " does not match the " + (governance ? "governance entry" : "event") +
                                    " on chain " + std::string(chain_id))
        .WithRule(rule::kSignatureInvalid);
  }
  return Status::Ok();
}

Status CheckSignedEvent(const KeyLookup& keys, std::string_view chain_id, const v1::SignedEvent& signed_event,
                        std::string* entry_id) {
  if (IsGovernanceEntry(signed_event)) {
    if (signed_event.governance_bytes().size() > kMaxGovernanceBytes) {
      return Status::ResourceExhausted("the governance entry is " +
                                       std::to_string(signed_event.governance_bytes().size()) +
                                       " bytes, more than the " + std::to_string(kMaxGovernanceBytes) +
                                       " accepted")
          .WithRule(rule::kEventEncoding);
    }
    *entry_id = GovernanceEntryId(signed_event.governance_bytes());
    return VerifyEntrySignature(keys, chain_id, signed_event);
  }
  if (signed_event.event_bytes().size() > kMaxEventBytes) {
    return Status::ResourceExhausted("the event is " + std::to_string(signed_event.event_bytes().size()) +
                                     " bytes, more than the " + std::to_string(kMaxEventBytes) + " accepted")
        .WithRule(rule::kEventEncoding);
  }
  v1::Event event;
  if (!event.ParseFromString(signed_event.event_bytes())) {
    return Status::Invalid("the event bytes are not a serialised jejak.v1.Event").WithRule(rule::kEventEncoding);
  }
  Result<std::string> id = LedgerEventId(event);
  if (!id.ok()) return id.status().WithRule(epcis::rule::kEpcisFormat);
  *entry_id = std::move(*id);
  return VerifyEntrySignature(keys, chain_id, signed_event);
}

}  // namespace jejak::ledger
