// The CBV 2.0 / EPCIS 2.0 JSON-LD context, compiled in: short names of the standard vocabularies
// (bizStep "shipping" -> https://ref.gs1.org/cbv/BizStep-shipping, ...) and the prefixes the
// standard context binds (cbv, gs1, cbvmda, ...). Built from the GS1 context files by
// scripts/gen_cbv_context.py; nothing is read at run time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace jejak::epcis {

enum class Vocabulary {
  kBizStep,
  kDisposition,
  kBizTransactionType,
  kSourceDestType,
  kErrorReason,
  kMeasurementType,   // sensorReport.type
  kSensorAlertType,   // sensorReport.exception
  kComponent,         // sensorReport.component
};

// Full URI of a short name ("shipping" -> "https://ref.gs1.org/cbv/BizStep-shipping"), or nullopt
// when the vocabulary has no such term.
std::optional<std::string_view> ExpandVocabulary(Vocabulary vocabulary, std::string_view short_name);

// The reverse: the short name of a standard full URI, or nullopt.
std::optional<std::string_view> CompactVocabulary(Vocabulary vocabulary, std::string_view uri);

// CBV 1.x URN forms ("urn:epcglobal:cbv:bizstep:shipping", ...:disp:, :btt:, :sdt:, :er:) to
// their CBV 2.0 web URIs; nullopt for anything else.
std::optional<std::string> UpgradeCbvUrn(std::string_view value);

// prefix -> namespace URI bound by the standard EPCIS 2.0 context (epcis, cbv, cbvmda, gs1, ...).
const std::map<std::string, std::string>& StandardNamespaces();

}  // namespace jejak::epcis
