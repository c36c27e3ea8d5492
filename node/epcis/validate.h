// What an event must satisfy before it may enter the ledger: the constraints of the EPCIS 2.0
// JSON schema (conformance/epcis-schema/EPCIS-JSON-Schema.json) and of the EPCIS 2.0 / CBV 2.0
// standards, written out in C++ (no schema file is read at run time).
//
// Checked, with a message naming the member and the rule:
//   * members written in a shape the standard does not allow (Event.unmodelled), e.g. sourceList
//     given as an object instead of an array;
//   * required members per event type: action (not on TransformationEvent, required on all
//     others), eventTime, eventTimeZoneOffset, parentID (AssociationEvent; AggregationEvent unless
//     OBSERVE), bizTransactionList (TransactionEvent), the "what" of each type (epcList or
//     quantityList or sensor data at a readPoint; childEPCs or childQuantityList unless DELETE;
//     inputs and outputs, or a transformationID with either);
//   * members of one event type on another (parentID on an ObjectEvent, ...);
//   * ilmd only on ADD ObjectEvents and on TransformationEvents;
//   * date-times (RFC 3339), eventTimeZoneOffset (-14:00..+14:00), CBV values (bizStep,
//     disposition, bizTransaction/source/destination types, error reasons, sensor measurement
//     types, alert types, components) as a CBV short name or a URI that is not a CBV URN;
//   * URIs where the standard wants one (at most kMaxUriChars), identifiers well-formed (EPC
//     URNs, urn:jejak:lot and http(s) URIs whose first path segment is a GS1 key such as /01/ or
//     /gtin/, through NormalizeIdentifier), epcList items unique and instance-level, epcClass
//     class-level; the event's own @context a URI, an object or an array of those;
//   * quantities exact decimals the ledger can hold (quantity.h: 0 to 999999999.999999, at most
//     6 decimals; NaN, infinity, negative, out-of-range and over-precise values refused by name),
//     uom a UN/CEFACT Rec 20 code (unit_codes.h, quantity elements and sensor reports) and only
//     with a quantity; persistentDisposition lists non-empty and without repeats; sensorReport present
//     and with a type; hexBinaryValue hexadecimal;
//   * user extensions namespaced ("prefix:name") at event level and inside ilmd;
//   * a document's ignoreFields (Event.hash_ignore_fields) naming user extensions only, so no
//     standard member can be left out of the event id.
#pragma once

#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::epcis {

// Ok, or Status::Invalid naming the first problem found ("[epcis-format] ilmd: only an ADD
// ObjectEvent ..."), under the rule code of node/epcis/rule_codes.h that it breaks.
Status ValidateForCapture(const jejak::v1::Event& event);

// Every event, in order; the message names the event, counted from 1: "event 2: sourceList: ...".
Status ValidateAllForCapture(const std::vector<jejak::v1::Event>& events);

}  // namespace jejak::epcis
