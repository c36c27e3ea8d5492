// LedgerService.GetBlocks: block sync. Owned by the peer-network work (issue #5).
#include "node/net/ledger_service.h"

namespace jejak::net {

grpc::Status LedgerServiceImpl::GetBlocks(grpc::ServerContext*, const v1::GetBlocksRequest*,
                                          v1::GetBlocksResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "block sync is not built yet");
}

}  // namespace jejak::net
