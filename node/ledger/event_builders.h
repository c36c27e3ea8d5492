// How each supply-chain action looks as an EPCIS 2.0 event: the events that `jejak lot ...` and
// `jejak event correct` record, and that tests, benches and the simulator's workload build, as
// jejak::v1::Event by pure functions: no clock (the time is passed in), no key, no node. A
// client in another language reads the shapes here (and ClassifyEvent, ledger.h, the inverse).
//
// Offers
//   EventClock                   when an event happens, and the recorder's time-zone offset
//   Build{Commission,Ship,Receive,Transform,Pack,Unpack,Inspect,Certify,Recall,Correction}
//   PartyId(org), DocumentSha256Hex, FormatRfc3339Utc
//
// Every builder normalises lot ids (GS1 Digital Links become EPC URNs), puts class-level lots
// (urn:epc:class:lgtin, urn:jejak:lot) in quantity lists and single objects (SGTIN, SSCC, ...) in
// EPC lists, binds the jejak namespace when it writes a jejak member, and runs the result through
// epcis::ValidateForCapture, so a malformed event is refused here with the field that is wrong,
// before anything is signed or sent. The shapes follow the ledger rules (node/ledger/rules_*.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/epcis/quantity.h"

namespace jejak::ledger {

struct EventClock {
  int64_t now_ms = 0;
  std::string time_zone_offset = "+00:00";  // eventTimeZoneOffset, "+07:00"
};
// "2026-03-01T08:00:00.000Z"
std::string FormatRfc3339Utc(int64_t ms);

// A lot and, for class-level lots, how much of it.
struct LotAmount {
  std::string lot;
  std::optional<epcis::Quantity> quantity;
};

// The party id of an organisation: "koperasi-gayo" -> "urn:jejak:org:koperasi-gayo"; an id that
// is already a URI (urn:epc:id:pgln:...) is kept.
std::string PartyId(std::string_view org_or_party);


// Lowercase hex SHA-256 of a certificate document's bytes.
std::string DocumentSha256Hex(std::string_view document_bytes);

struct CommissionSpec {
  std::string lot;
  std::optional<epcis::Quantity> quantity;  // required for class-level lots, refused for single objects
  std::string uom;                 // UN/CEFACT code, e.g. KGM
  std::string product;             // ILMD jejak:product, optional
  std::string location;            // readPoint and bizLocation, optional
};
Result<v1::Event> BuildCommission(const CommissionSpec& spec, const EventClock& clock);

struct ShipSpec {
  std::vector<std::string> lots;
  std::string to;                   // receiving organisation (or party id)
  std::string from;                 // shipping organisation, for sourceList; optional
  bool transfer_ownership = false;  // also names `to` as the new owning_party
  std::string location;
};
Result<v1::Event> BuildShip(const ShipSpec& spec, const EventClock& clock);

struct ReceiveSpec {
  std::vector<std::string> lots;
  std::string from;      // the shipper, for sourceList; optional
  std::string receiver;  // the receiving organisation, for destinationList; optional
  std::string location;
};
Result<v1::Event> BuildReceive(const ReceiveSpec& spec, const EventClock& clock);

struct TransformSpec {
  std::vector<LotAmount> inputs;   // no quantity: the whole remaining input is consumed
  std::vector<LotAmount> outputs;  // class-level outputs need a quantity
  std::string uom;                 // unit of every quantity
  std::string product;             // ILMD jejak:product of the outputs, optional
  std::string location;
};
Result<v1::Event> BuildTransform(const TransformSpec& spec, const EventClock& clock);

struct PackSpec {
  std::string parent;                 // e.g. an SSCC; created by packing if new
  std::vector<std::string> children;  // unpack: empty means every packed child
  std::string location;
};
Result<v1::Event> BuildPack(const PackSpec& spec, const EventClock& clock);
Result<v1::Event> BuildUnpack(const PackSpec& spec, const EventClock& clock);

struct InspectSpec {
  std::string lot;
  std::string disposition;  // CBV short name (conformant, non_conformant, ...), optional
  std::string location;
};
Result<v1::Event> BuildInspect(const InspectSpec& spec, const EventClock& clock);

struct CertifySpec {
  std::vector<std::string> lots;
  std::string document_sha256_hex;  // DocumentSha256Hex of the certificate document
  std::string issuer;
  std::string scheme;       // "organic", "halal", ...
  std::string valid_from;   // RFC 3339
  std::string valid_until;  // RFC 3339
  std::string info_uri;     // certificationInfo, optional
  std::string location;
};
Result<v1::Event> BuildCertify(const CertifySpec& spec, const EventClock& clock);

struct RecallSpec {
  std::string lot;
  std::string reason;  // jejak:recallReason, optional
  std::string location;
};
Result<v1::Event> BuildRecall(const RecallSpec& spec, const EventClock& clock);

// EPCIS error declaration: the original event repeated with an errorDeclaration. The original's
// eventID is kept; when it has none, its ledger event id takes that place so the ledger finds it.
struct CorrectionSpec {
  v1::Event original;
  std::string original_event_id;  // ledger event id of the original
  std::string reason;             // CBV error reason: incorrect_data, did_not_occur, or a URI
  std::vector<std::string> corrective_event_ids;
};
Result<v1::Event> BuildCorrection(const CorrectionSpec& spec, const EventClock& clock);

}  // namespace jejak::ledger
