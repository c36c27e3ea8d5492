// The CBV 2.0 EPCIS Event Hash ID ("ni:///sha-256;<hex>?ver=CBV2.0") of EPCIS 2.0 JSON-LD events.
//
// The pre-hash string is built as the CBV 2.0 standard and its reference implementation
// (RalphTro/epcis-event-hash-generator) do: "eventType=<type>", then the standard fields in the
// canonical order (eventTime, eventTimeZoneOffset, certificationInfo, parentID, epcList, ...,
// readPoint, bizLocation, sensorElementList), then every other member (bizTransactionList,
// sourceList, destinationList, ilmd, user extensions) sorted. Values are normalised: timestamps
// to UTC with milliseconds, numbers without trailing zeros, GS1 keys to canonical Digital Link
// URIs, CBV short names and CBV 1.x URNs to CBV 2.0 URIs, prefixed names to {namespace}local.
// eventID, recordTime, errorDeclaration, comments and the document's ignoreFields are left out.
//
// Errors are Status::Invalid naming the field ("field eventTime: ..."); nothing throws.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/base/status.h"

namespace jejak::epcis {

// prefix -> namespace URI, from the document's @context. The bindings of the standard EPCIS
// context (cbv, gs1, cbvmda, ...) apply too and need not be listed.
using NamespaceMap = std::map<std::string, std::string>;

struct HashOptions {
  // Event members to leave out, as written in the document ("repository-x:hash"); a document
  // lists them in an "ignoreFields" member (see DocumentEventHashIds).
  std::vector<std::string> ignore_fields;
};

// `event` is one event object as it appears in the document (compact JSON-LD, short names).
Result<std::string> EventPreHashString(const nlohmann::json& event, const NamespaceMap& namespaces,
                                       const HashOptions& options = {});
Result<std::string> EventHashId(const nlohmann::json& event, const NamespaceMap& namespaces,
                                const HashOptions& options = {});

// The prefixes an EPCISDocument / EPCISQueryDocument declares in its top-level @context.
NamespaceMap DocumentNamespaces(const nlohmann::json& document);

// One hash id (or pre-hash string) per event of an EPCISDocument or EPCISQueryDocument, in
// document order. Errors name the event, counted from 1: "event 2: field eventTime: ...".
Result<std::vector<std::string>> DocumentEventHashIds(const nlohmann::json& document);
Result<std::vector<std::string>> DocumentPreHashStrings(const nlohmann::json& document);

}  // namespace jejak::epcis
