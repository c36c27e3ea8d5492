// Field-level checks shared by validate.cc (internal to the epcis module).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"

namespace jejak::epcis {

// CBV vocabularies whose values may be written as a short name or as a URI.
enum class Vocab {
  kBizStep,
  kDisposition,
  kBizTransactionType,
  kSourceDestType,
  kErrorReason,
  kMeasurementType,
  kSensorAlertType,
  kComponent,
};

// Which level of identification a field names.
enum class IdLevel { kInstance, kClass, kAny };

// Longer URIs are refused: no identifier or vocabulary value needs more.
inline constexpr std::size_t kMaxUriChars = 2048;

// An absolute URI (RFC 3986 scheme ":" rest) without spaces, controls or characters that are
// never allowed in a URI.
bool IsUri(std::string_view s);

Status CheckUri(const std::string& field, const std::string& value);
Status CheckTime(const std::string& field, const std::string& value);
Status CheckVocab(const std::string& field, const std::string& value, Vocab vocab);
// A URI; if it is written as an EPC URN or a jejak lot it must also be well-formed, at `level`.
Status CheckIdentifier(const std::string& field, const std::string& value, IdLevel level);
Status CheckQuantityList(
    const std::string& field,
    const google::protobuf::RepeatedPtrField<jejak::v1::QuantityElement>& list);
// For a quantity list the parser could not type (Event.unmodelled): names the first quantity
// that is a number the ledger cannot hold exactly (NaN, negative, out of range, too precise).
Status CheckUnmodelledQuantityList(const std::string& field, const std::string& json_text);
Status CheckSensorElement(const std::string& field, const jejak::v1::SensorElement& element);
// "an object", "a string", ... for messages about a member kept as JSON text.
std::string JsonKindOf(const std::string& json_text);

}  // namespace jejak::epcis
