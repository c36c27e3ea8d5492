// Checking a proof bundle (proof_bundle.h) against the genesis alone: no node, no database, no
// network. What it proves: every event shown was signed by a key the genesis, or the governance
// entries the bundle carries (replayed from the genesis), authorises at its block for that
// kind of event, sits in a block that 2f+1 validators of the set valid at its height committed
// (through its Merkle path to the block's events root), and the claimed provenance graph is
// exactly what those events say. What it cannot prove: that the node left nothing out of a lot's
// history, or of the governance entries, beyond what the graph itself requires (headers carry no
// state root yet).
//
// Checks run in this order and the first failure is returned, naming the item:
//   1. format and version (ParseProofBundle), shape and bounds
//   2. chain id and genesis hash
//   3. each block: header chain id, header hash = certificate block hash, certificate height,
//      the certificate (2f+1 distinct validators of the set at that height, each signature),
//      the header's validator_set_hash
//   3b. the governance entries: each in its block (Merkle path), replayed in chain order from the
//      genesis with the ledger's rules, giving the membership in force at every height
//   4. each event: its block is in the bundle, the signature (key in force at its block), the event
//      id, the signer organisation's role for this kind of event, the Merkle path, its eventTime
//      within the genesis' bounds for its block's time (event_time.h)
//   5. the graph: every edge re-derived from its event, no derivable edge missing, every lot
//      created by the event it names, every listed event present and about that lot
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "node/base/status.h"
#include "node/ledger/genesis.h"
#include "node/ledger/proof_bundle.h"

namespace jejak::ledger {

struct VerifiedCertificateCheck {
  std::string lot_id;
  std::string document_hash;  // hex
  std::string scheme;
  bool valid_at_event_time = false;   // when the event says it happened
  bool valid_at_record_time = false;  // when its block recorded it
};

// One verified event.
struct VerifiedStep {
  std::string event_id;
  std::string kind;          // EventKindName
  std::string organisation;  // the signer's
  std::string signer_key_name;
  std::string biz_step;      // CBV short name, may be empty
  std::string event_time;    // as written
  int64_t event_time_ms = 0;
  uint64_t height = 0;
  int64_t block_time_ms = 0;  // the record time: when the chain recorded the event
  // The signer's key was revoked later (as of the bundle's newest governance entry): by what, and
  // whether it was reported compromised at or before this event's time or its record time.
  std::string signer_key_revoked;
  bool signer_key_compromised = false;
  std::vector<std::string> lot_ids;  // lots of the bundle whose history lists it
  // Certificates attached (by earlier events of the bundle) to those lots, checked at event time
  // and at record time.
  std::vector<VerifiedCertificateCheck> certificates;
};

struct VerifiedCertificate {
  std::string document_hash;  // hex
  std::string issuer;
  std::string scheme;
  int64_t valid_from_ms = 0;
  int64_t valid_until_ms = 0;
  std::string certifier_organisation;
  std::string event_id;
};

struct VerifiedLot {
  std::string lot_id;
  std::string created_by_event_id;
  std::string creator_organisation;
  bool origin = false;  // in the back trace, nothing upstream of it
  std::vector<size_t> steps;  // indexes into VerifiedTrace::steps, chain order
  std::vector<VerifiedCertificate> certificates;
};

struct VerifiedEdge {
  std::string direction;  // "back" or "forward"
  std::string kind;
  std::string from_lot;
  std::string to_lot;
  std::string event_id;
};

struct VerifiedTrace {
  std::string chain_id;
  std::string genesis_hash;  // raw 32 bytes
  std::string root_lot;
  bool forward = false;
  std::vector<std::string> origins;      // lot ids, back-trace order
  std::vector<std::string> organisations;  // that signed any step, sorted
  std::vector<VerifiedLot> lots;         // bundle order (root first)
  std::vector<VerifiedEdge> edges;
  std::vector<VerifiedStep> steps;       // chain order
  size_t blocks_verified = 0;
  size_t signatures_verified = 0;  // event, governance and certificate signatures
  size_t governance_entries = 0;   // replayed from the genesis
  size_t compromised_steps = 0;    // steps signed by a key reported compromised by then
};

// Ok with the verified trace, or the first failure: Invalid / PermissionDenied /
// ResourceExhausted naming the item ("event 3 (ni:///...): Merkle path does not lead to block
// 12's events root").
Result<VerifiedTrace> VerifyProofBundle(const Genesis& genesis, std::string_view bundle_json);
Result<VerifiedTrace> VerifyProofBundle(const Genesis& genesis, const ProofBundle& bundle);

}  // namespace jejak::ledger
