// LedgerService.ProveLot: proof bundles (node/ledger/proof_builder.h), built from one snapshot
// of the chain so the state and the blocks agree.
#include "node/ledger/proof_builder.h"
#include "node/net/ledger_service.h"

namespace jejak::net {

grpc::Status LedgerServiceImpl::ProveLot(grpc::ServerContext*, const v1::ProveLotRequest* request,
                                         v1::ProveLotResponse* response) {
  Result<std::unique_ptr<ledger::ChainReader>> chain = node_.Snapshot();
  if (!chain.ok()) return ToGrpc(chain.status());
  ledger::ProofOptions options;
  options.forward = request->forward();
  Result<ledger::ProofBundle> bundle =
      ledger::BuildProofBundle(node_.genesis(), **chain, **chain, request->lot_id(), options);
  if (!bundle.ok()) return ToGrpc(bundle.status());
  response->set_bundle_json(ledger::ProofBundleToJson(*bundle, 1));
  return grpc::Status::OK;
}

}  // namespace jejak::net
