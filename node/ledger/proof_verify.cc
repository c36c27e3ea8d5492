// Steps 1-4 of proof_verify.h: the bundle's chain, blocks, certificates and events.
#include "node/ledger/proof_verify.h"

#include <algorithm>
#include <set>

#include "consensus/certificate.h"
#include "consensus/sign_bytes.h"
#include "node/crypto/ed25519.h"
#include "node/crypto/hex.h"
#include "node/crypto/merkle.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/block.h"
#include "node/ledger/commit_certificate.h"
#include "node/ledger/event_time.h"
#include "node/ledger/governance.h"
#include "node/ledger/proof_verify_internal.h"
#include "node/ledger/rules.h"
#include "node/ledger/signing.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger {
namespace {

using proof::CheckedEvent;
using proof::CheckedEvents;
using proof::CheckInclusion;
using proof::FindBlock;

bool RoleAllows(const Organisation& org, EventKind kind) {
  std::vector<Role> allowed = RolesAllowedFor(kind);
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](Role r) { return org.HasRole(r); });
}

// The validator set that must sign block `height`: the genesis' (governance does not change
// validators yet).
Result<std::vector<Validator>> ValidatorsAt(const Genesis& genesis, const ProofBundle& /*bundle*/,
                                            uint64_t /*height*/) {
  return ValidatorsInConsensusOrder(genesis.validators);
}

// Checks signatures with the public key alone, counting them for the verifier's report.
class CountingVerifier final : public consensus::Verifier {
 public:
  bool Verify(const consensus::Validator& validator, std::string_view bytes,
              std::string_view signature) override {
    ++verified;
    return crypto::Verify(validator.public_key, bytes, signature);
  }
  size_t verified = 0;
};

Status VerifyBlock(const Genesis& genesis, const ProofBundle& bundle, const ProofBlock& block,
                   size_t& signatures) {
  const v1::BlockHeader& h = block.header;
  if (h.chain_id() != genesis.chain_id) {
    return Status::Invalid("header is of chain \"" + h.chain_id() + "\", not \"" +
                           genesis.chain_id + "\"");
  }
  if (BlockHash(h) != block.certificate.block_hash()) {
    return Status::Invalid("header hash does not match its certificate's block hash (a header "
                           "field differs from what the validators signed)");
  }
  if (block.certificate.height() != h.height()) {
    return Status::Invalid("certificate is for height " +
                           std::to_string(block.certificate.height()));
  }
  auto validators = ValidatorsAt(genesis, bundle, h.height());
  if (!validators.ok()) return validators.status();
  CountingVerifier verifier;
  Status certified = CheckCommitCertificate(genesis.chain_id, *validators, block.certificate, h.height(),
                                            BlockHash(h), verifier);
  signatures += verifier.verified;
  JEJAK_RETURN_IF_ERROR(certified);
  if (h.validator_set_hash() != ValidatorSetHash(*validators)) {
    return Status::Invalid("validator_set_hash is not the hash of the validator set at this "
                           "height");
  }
  return Status::Ok();
}

Status VerifyBlocks(const Genesis& genesis, const ProofBundle& bundle, size_t& signatures) {
  uint64_t last = 0;
  for (const ProofBlock& block : bundle.blocks) {
    uint64_t height = block.header.height();
    std::string where = "block " + std::to_string(height);
    if (height <= last) {
      return Status::Invalid(where + ": blocks must be listed once each, in height order");
    }
    last = height;
    JEJAK_RETURN_IF_ERROR(VerifyBlock(genesis, bundle, block, signatures).WithContext(where));
  }
  return Status::Ok();
}


// Decodes the event, checks its id, signer and authorisation.
// The signer is judged against the membership in force at the event's block (`keys`).
Status CheckEventContent(const Genesis& genesis, const Membership& keys, const ProofEvent& pe,
                         CheckedEvent& out) {
  const v1::SignedEvent& signed_event = pe.signed_event;
  Result<MemberKey> signer = rules::CheckSigner(keys, signed_event.signer_key_id());
  if (!signer.ok()) return signer.status();
  JEJAK_RETURN_IF_ERROR(VerifyEntrySignature(keys, genesis.chain_id, signed_event));
  out.organisation = signer->rules_view;
  out.key_name = signer->key->name();
  if (IsGovernanceEntry(signed_event) || signed_event.event_bytes().size() > kMaxEventBytes ||
      !out.event.ParseFromString(signed_event.event_bytes())) {
    return Status::Invalid("the signed bytes are not a valid event");
  }
  auto time_ms = epcis::ParseRfc3339Ms(out.event.event_time());
  if (!time_ms.ok()) return time_ms.status().WithContext("eventTime");
  out.event.set_event_time_ms(*time_ms);
  auto id = LedgerEventId(out.event);
  if (!id.ok()) return id.status();
  if (*id != pe.event_id) {
    return Status::Invalid("the signed event's id is " + *id + ", not the one claimed");
  }
  out.kind = ClassifyEvent(out.event);
  if (!RoleAllows(*out.organisation, out.kind)) {
    return Status::PermissionDenied("organisation " + out.organisation->id + " may not record " +
                                    EventKindName(out.kind) + " (its roles do not allow it)");
  }
  return Status::Ok();
}


// A later revocation of the event's signer key, as the bundle's last governance entry leaves it.
void NoteRevocation(const Membership& latest, const v1::SignedEvent& signed_event, CheckedEvent& checked) {
  std::optional<MemberKey> key = latest.FindKey(signed_event.signer_key_id());
  if (!key || key->key->status() != v1::AGENT_KEY_REVOKED) return;
  checked.key_revoked = "key " + key->key->key_id() + " was revoked at block " +
                        std::to_string(key->key->changed_at_height()) + " (" + key->key->changed_by() + ")";
  if (key->key->has_compromised_since_ms()) {
    const int64_t since = key->key->compromised_since_ms();
    checked.key_revoked += ", reported compromised since " + epcis::FormatRfc3339Ms(since);
    checked.key_compromised = checked.event.event_time_ms() >= since || checked.block_time_ms >= since;
  }
}

Status VerifyEvents(const Genesis& genesis, const ProofBundle& bundle, const proof::MembershipTimeline& timeline,
                    CheckedEvents& out, size_t& signatures) {
  std::set<std::pair<uint64_t, uint32_t>> positions;
  for (size_t k = 0; k < bundle.events.size(); ++k) {
    const ProofEvent& pe = bundle.events[k];
    std::string where = proof::EventLabel(k, pe.event_id);
    const ProofBlock* block = FindBlock(bundle, pe.height);
    if (block == nullptr) {
      return Status::Invalid(where + ": its block " + std::to_string(pe.height) +
                             " is not in the bundle");
    }
    CheckedEvent checked;
    checked.source = &pe;
    checked.index = k;
    checked.block_time_ms = block->header.time_ms();
    ++signatures;
    JEJAK_RETURN_IF_ERROR(CheckEventContent(genesis, timeline.At(pe.height), pe, checked).WithContext(where));
    NoteRevocation(timeline.Latest(), pe.signed_event, checked);
    JEJAK_RETURN_IF_ERROR(CheckInclusion(pe, *block).WithContext(where));
    JEJAK_RETURN_IF_ERROR(CheckEventTimeBounds(genesis.event_time,
                                               checked.event.event_time_ms(),
                                               checked.block_time_ms)
                              .WithContext(where));
    if (!positions.insert({pe.height, pe.leaf_index}).second) {
      return Status::Invalid(where + ": another event of the bundle claims the same place");
    }
    if (!out.emplace(pe.event_id, std::move(checked)).second) {
      return Status::Invalid(where + ": listed twice");
    }
  }
  return Status::Ok();
}

}  // namespace

namespace proof {
std::string EventLabel(size_t index, const std::string& event_id) {
  return "event " + std::to_string(index) + " (" + event_id + ")";
}

const ProofBlock* FindBlock(const ProofBundle& bundle, uint64_t height) {
  auto it = std::lower_bound(
      bundle.blocks.begin(), bundle.blocks.end(), height,
      [](const ProofBlock& b, uint64_t h) { return b.header.height() < h; });
  return it != bundle.blocks.end() && it->header.height() == height ? &*it : nullptr;
}

Status CheckInclusion(const ProofEvent& pe, const ProofBlock& block) {
  crypto::InclusionProof proof{pe.leaf_index, block.header.event_count(), pe.path};
  Status included = crypto::VerifyInclusion(ProofEventLeaf(pe.signed_event), proof,
                                            block.header.events_root());
  if (!included.ok()) {
    return Status::Invalid("Merkle path does not lead to block " + std::to_string(pe.height) +
                           "'s events root (" + included.message() + ")");
  }
  return Status::Ok();
}
}  // namespace proof

Result<VerifiedTrace> VerifyProofBundle(const Genesis& genesis, const ProofBundle& bundle) {
  if (bundle.version != kProofBundleVersion) {
    return Status::Invalid("proof bundle version " + std::to_string(bundle.version) +
                           " is not supported");
  }
  if (bundle.chain_id != genesis.chain_id) {
    return Status::Invalid("the bundle is for chain \"" + bundle.chain_id +
                           "\", the genesis is of chain \"" + genesis.chain_id + "\"");
  }
  if (bundle.genesis_hash != GenesisHash(genesis)) {
    return Status::Invalid("the bundle was built against genesis " +
                           crypto::ToHex(bundle.genesis_hash) + ", not this genesis (" +
                           crypto::ToHex(GenesisHash(genesis)) + ")");
  }
  auto validators = ValidatorsAt(genesis, bundle, 0);
  if (!validators.ok()) return validators.status();
  size_t signatures = 0;
  JEJAK_RETURN_IF_ERROR(VerifyBlocks(genesis, bundle, signatures));
  Result<proof::MembershipTimeline> timeline = proof::ReplayGovernance(genesis, bundle, signatures);
  if (!timeline.ok()) return timeline.status();
  CheckedEvents events;
  JEJAK_RETURN_IF_ERROR(VerifyEvents(genesis, bundle, *timeline, events, signatures));
  JEJAK_RETURN_IF_ERROR(proof::VerifyGraph(bundle, events));
  return proof::DescribeTrace(genesis, bundle, events, signatures);
}

Result<VerifiedTrace> VerifyProofBundle(const Genesis& genesis, std::string_view bundle_json) {
  auto bundle = ParseProofBundle(bundle_json);
  if (!bundle.ok()) return bundle.status();
  return VerifyProofBundle(genesis, *bundle);
}

}  // namespace jejak::ledger
