#include "node/net/grpc_status.h"

namespace jejak::net {

grpc::Status ToGrpc(const Status& status) {
  using grpc::StatusCode;
  StatusCode code = StatusCode::INTERNAL;
  switch (status.code()) {
    case jejak::StatusCode::kOk: return grpc::Status::OK;
    case jejak::StatusCode::kInvalid: code = StatusCode::INVALID_ARGUMENT; break;
    case jejak::StatusCode::kNotFound: code = StatusCode::NOT_FOUND; break;
    case jejak::StatusCode::kAlreadyExists: code = StatusCode::ALREADY_EXISTS; break;
    case jejak::StatusCode::kPermissionDenied: code = StatusCode::PERMISSION_DENIED; break;
    case jejak::StatusCode::kResourceExhausted: code = StatusCode::RESOURCE_EXHAUSTED; break;
    case jejak::StatusCode::kUnavailable: code = StatusCode::UNAVAILABLE; break;
    case jejak::StatusCode::kCorruption: code = StatusCode::DATA_LOSS; break;
    default: code = StatusCode::INTERNAL; break;
  }
  return grpc::Status(code, status.message());
}

Status FromGrpc(const grpc::Status& status) {
  const std::string& m = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::OK: return Status::Ok();
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE: return Status::Invalid(m);
    case grpc::StatusCode::NOT_FOUND: return Status::NotFound(m);
    case grpc::StatusCode::ALREADY_EXISTS: return Status::AlreadyExists(m);
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED: return Status::PermissionDenied(m);
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return Status::ResourceExhausted(m);
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED: return Status::Unavailable(m);
    case grpc::StatusCode::DATA_LOSS: return Status::Corruption(m);
    default: return Status::Internal(m);
  }
}

}  // namespace jejak::net
