// jejak::Status <-> grpc::Status. INVALID -> INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS,
// PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNAVAILABLE, CORRUPTION -> DATA_LOSS; our own failures
// -> INTERNAL. The message is carried unchanged both ways; a refusal's rule code and event index
// travel in the binary details (proto/jejak/v1/refusal.proto).
#pragma once

#include <grpcpp/support/status.h>

#include "node/base/status.h"

namespace jejak::net {

grpc::Status ToGrpc(const Status& status);
Status FromGrpc(const grpc::Status& status);

}  // namespace jejak::net
