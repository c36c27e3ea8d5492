// Proof bundles, format v2: everything a buyer needs, beside the genesis file, to check offline
// where a lot came from (proof_builder.h makes one, proof_verify.h checks one).
//
// JSON (members in this order; bytes are lowercase hex unless marked base64):
// {
//   "format": "jejak-proof-bundle", "version": 2,
//   "chain_id": "jejak-gayo-1",
//   "genesis_hash": "<hex GenesisHash(genesis): SHA-256 of "jejak/genesis/v1" 0x00 and the
//                    genesis' canonical JSON (genesis.h), so the file's layout does not matter>",
//   "lot": "<the lot asked, normalised>",
//   "governance": [{"entry_id": "gov:<hex>", "height": 7, "leaf_index": 0,
//                   "governance_bytes": "<base64 of the signed GovernanceTx bytes>",
//                   "signer_key_id": "...", "signature": "<hex>", "path": ["<hex>", ...]}],
//                  // every governance entry that changed the membership up to the bundle's
//                  // newest block, with the approvals and proposals behind it, in chain order
//                  // (their blocks are in "blocks"). The verifier replays them from the genesis
//                  // with the ledger's own rules, so it judges each event's signer against the
//                  // keys in force at its block and can show a later revocation.
//   "traces": [{"direction": "back" | "forward", "lots": ["<lot id>", ...],   // root first
//               "edges": [{"kind": "transformation" | "aggregation", "from": "<upstream lot>",
//                          "to": "<downstream lot>", "event_id": "<event that links them>"}]}],
//   "lots": [{"lot_id": "...", "created_by_event_id": "...",
//             "event_ids": ["<every event that touched the lot, in chain order>"]}],
//   "blocks": [{"header": {"chain_id", "height", "time_ms", "previous_block_hash", "events_root",
//                          "validator_set_hash", "proposer", "event_count"},
//               "certificate": {"height", "round", "block_hash",
//                               "signatures": [{"validator_id", "signature"}]}}],  // height order
//   "events": [{"event_id": "ni:///sha-256;...?ver=CBV2.0", "height": 12, "leaf_index": 3,
//               "event_bytes": "<base64 of the signed Event bytes>", "signer_key_id": "...",
//               "signature": "<hex Ed25519 signature>",
//               "path": ["<hex sibling hash>", ...]}]   // RFC 6962 audit path, leaf to root
// }
// The Merkle leaf of an entry is its SignedEvent protobuf encoding (event.proto: field 1
// event_bytes, 2 signer_key_id, 3 signature, 4 governance_bytes, each length-delimited, in field
// number order, empty fields left out), exactly what the block's events_root was computed over.
// Version 1 (no governance member, an always empty validator_set_changes) is refused by name: no
// network kept bundles of it.
//
// Every list the verifier reads is bounded (constants below); a bundle over a bound is refused
// with ResourceExhausted naming the list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/queries.h"

namespace jejak::ledger {

inline constexpr std::string_view kProofBundleFormat = "jejak-proof-bundle";
inline constexpr int kProofBundleVersion = 2;

inline constexpr size_t kMaxProofBundleBytes = 256u << 20;
// JSON values (objects, arrays, strings, numbers) in one bundle. A bundle within the list bounds
// below and kMaxProofBundleBytes holds far fewer (its values are mostly long hex and base64
// strings); the bound keeps the reader's memory near 1 GB at worst whatever the text.
inline constexpr size_t kMaxProofBundleValues = size_t{1} << 24;
inline constexpr size_t kMaxProofEvents = 200000;
inline constexpr size_t kMaxProofGovernanceEntries = 100000;
inline constexpr size_t kMaxProofBlocks = 200000;
// A trace reaches at most kDefaultMaxTraceLinkedLots lots besides its root; a bundle holds a back
// and a forward trace.
inline constexpr size_t kMaxProofLots = 2 * (kDefaultMaxTraceLinkedLots + 1);
inline constexpr size_t kMaxProofEdges = 200000;
inline constexpr size_t kMaxProofLotEvents = 100000;  // per lot
inline constexpr size_t kMaxProofSignatures = 100;    // per certificate (= kMaxValidators)
inline constexpr size_t kMaxProofStringBytes = 4096;  // ids, key ids, proposer

struct ProofEdge {
  std::string kind;  // "transformation" or "aggregation"
  std::string from_lot;
  std::string to_lot;
  std::string event_id;
};

struct ProofTrace {
  std::string direction;  // "back" or "forward"
  std::vector<std::string> lot_ids;  // root first
  std::vector<ProofEdge> edges;
};

struct ProofLot {
  std::string lot_id;
  std::string created_by_event_id;
  std::vector<std::string> event_ids;  // chain order
};

struct ProofBlock {
  v1::BlockHeader header;
  v1::CommitCertificate certificate;
};

// An event, or a governance entry (signed_event.governance_bytes set, event_id its entry id).
struct ProofEvent {
  std::string event_id;
  uint64_t height = 0;
  uint32_t leaf_index = 0;
  v1::SignedEvent signed_event;
  std::vector<std::string> path;  // raw 32-byte hashes
};

struct ProofBundle {
  int version = kProofBundleVersion;
  std::string chain_id;
  std::string genesis_hash;  // raw 32 bytes
  std::string lot_id;
  std::vector<ProofEvent> governance;  // chain order
  std::vector<ProofTrace> traces;
  std::vector<ProofLot> lots;
  std::vector<ProofBlock> blocks;
  std::vector<ProofEvent> events;
};

// JSON text of the bundle; indent < 0 writes it on one line.
std::string ProofBundleToJson(const ProofBundle& bundle, int indent = -1);
// Reads the JSON form. Refuses, while reading, a member format v2 does not define (naming it and
// its place: "member 'junk' of events[3]: not part of ...") and more than kMaxProofBundleValues
// values; then checks the format and version, then the shape and bounds of every member
// (Invalid / ResourceExhausted naming it, e.g. "events[3].path[1]: not 32 bytes of hex").
// It checks no signature or hash: that is VerifyProofBundle's work.
Result<ProofBundle> ParseProofBundle(std::string_view json_text);

// The Merkle leaf of an event (see above).
std::string ProofEventLeaf(const v1::SignedEvent& signed_event);

}  // namespace jejak::ledger
