#include "node/net/grpc_status.h"

#include "jejak/v1/refusal.pb.h"

namespace jejak::net {
namespace {

constexpr uint32_t kRefusalFormatVersion = 1;

grpc::StatusCode GrpcCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return grpc::StatusCode::OK;
    case StatusCode::kInvalid: return grpc::StatusCode::INVALID_ARGUMENT;
    case StatusCode::kNotFound: return grpc::StatusCode::NOT_FOUND;
    case StatusCode::kAlreadyExists: return grpc::StatusCode::ALREADY_EXISTS;
    case StatusCode::kPermissionDenied: return grpc::StatusCode::PERMISSION_DENIED;
    case StatusCode::kResourceExhausted: return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case StatusCode::kUnavailable: return grpc::StatusCode::UNAVAILABLE;
    case StatusCode::kCorruption: return grpc::StatusCode::DATA_LOSS;
    default: return grpc::StatusCode::INTERNAL;
  }
}

StatusCode JejakCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return StatusCode::kOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE: return StatusCode::kInvalid;
    case grpc::StatusCode::NOT_FOUND: return StatusCode::kNotFound;
    case grpc::StatusCode::ALREADY_EXISTS: return StatusCode::kAlreadyExists;
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED: return StatusCode::kPermissionDenied;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return StatusCode::kResourceExhausted;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED: return StatusCode::kUnavailable;
    case grpc::StatusCode::DATA_LOSS: return StatusCode::kCorruption;
    default: return StatusCode::kInternal;
  }
}

// The Refusal in a status's binary details; nullopt when there is none this version reads.
std::optional<v1::Refusal> ReadRefusal(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  v1::RpcStatus details;
  if (!details.ParseFromString(status.error_details())) return std::nullopt;
  for (const google::protobuf::Any& any : details.details()) {
    v1::Refusal refusal;
    if (any.Is<v1::Refusal>() && any.UnpackTo(&refusal) && refusal.format_version() == kRefusalFormatVersion) {
      return refusal;
    }
  }
  return std::nullopt;
}

}  // namespace

grpc::Status ToGrpc(const Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const grpc::StatusCode code = GrpcCode(status.code());
  if (status.rule_code().empty() && !status.event_index()) return grpc::Status(code, status.message());
  v1::Refusal refusal;
  refusal.set_format_version(kRefusalFormatVersion);
  refusal.set_rule_code(status.rule_code());
  if (status.event_index()) {
    refusal.set_event_index(*status.event_index());
    refusal.set_event_reason(std::string(status.event_reason()));
  }
  v1::RpcStatus details;
  details.set_code(static_cast<int32_t>(code));
  details.set_message(status.message());
  details.add_details()->PackFrom(refusal);
  return grpc::Status(code, status.message(), details.SerializeAsString());
}

Status FromGrpc(const grpc::Status& status) {
  const StatusCode code = JejakCode(status.error_code());
  const std::string& message = status.error_message();
  std::optional<v1::Refusal> refusal = ReadRefusal(status);
  if (!refusal) return Status::FromParts(code, message, "", std::nullopt, 0);
  std::optional<uint32_t> event_index;
  size_t reason_bytes = 0;
  // The reason must end the message, as the node made it: details that say otherwise keep their
  // rule code only.
  const std::string& reason = refusal->event_reason();
  if (refusal->has_event_index() && reason.size() <= message.size() &&
      message.compare(message.size() - reason.size(), reason.size(), reason) == 0) {
    event_index = refusal->event_index();
    reason_bytes = reason.size();
  }
  return Status::FromParts(code, message, refusal->rule_code(), event_index, reason_bytes);
}

}  // namespace jejak::net
