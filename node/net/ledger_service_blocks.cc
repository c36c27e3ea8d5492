// LedgerService.GetBlocks: block sync (the reading is ReadCommittedBlocks, block_sync_client.h).
#include "node/net/block_sync_client.h"
#include "node/net/ledger_service.h"

namespace jejak::net {

grpc::Status LedgerServiceImpl::GetBlocks(grpc::ServerContext*, const v1::GetBlocksRequest* request,
                                          v1::GetBlocksResponse* response) {
  Result<std::unique_ptr<ledger::ChainReader>> chain = node_.Snapshot();
  if (!chain.ok()) return ToGrpc(chain.status());
  Result<v1::GetBlocksResponse> blocks =
      ReadCommittedBlocks(**chain, request->from_height(), request->max_blocks());
  if (!blocks.ok()) return ToGrpc(blocks.status());
  *response = std::move(*blocks);
  return grpc::Status::OK;
}

}  // namespace jejak::net
