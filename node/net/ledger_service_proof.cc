// LedgerService.ProveLot: proof bundles (node/ledger/proof_builder.h), built from one store
// snapshot so the state and the blocks agree.
#include "node/ledger/proof_builder.h"
#include "node/net/ledger_service.h"

namespace jejak::net {
namespace {

// Blocks up to the snapshot's head: committed blocks never change, so reading them from the live
// store is consistent with the snapshot as long as nothing past its head is asked for.
class StoreBlocks final : public ledger::BlockSource {
 public:
  StoreBlocks(const storage::Store& store, uint64_t head) : store_(store), head_(head) {}
  Result<v1::Block> GetBlock(uint64_t height) const override {
    if (height > head_) return Status::Internal("block past the snapshot's head asked for");
    return store_.GetBlock(height);
  }
  Result<v1::CommitCertificate> GetCertificate(uint64_t height) const override {
    if (height > head_) return Status::Internal("certificate past the snapshot's head asked for");
    return store_.GetCertificate(height);
  }

 private:
  const storage::Store& store_;
  uint64_t head_;
};

}  // namespace

grpc::Status LedgerServiceImpl::ProveLot(grpc::ServerContext*, const v1::ProveLotRequest* request,
                                         v1::ProveLotResponse* response) {
  Result<std::unique_ptr<storage::StoreSnapshot>> state = node_.store().Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  StoreBlocks blocks(node_.store(), (*state)->head_height());
  ledger::ProofOptions options;
  options.forward = request->forward();
  Result<ledger::ProofBundle> bundle =
      ledger::BuildProofBundle(node_.genesis(), **state, blocks, request->lot_id(), options);
  if (!bundle.ok()) return ToGrpc(bundle.status());
  response->set_bundle_json(ledger::ProofBundleToJson(*bundle, 1));
  return grpc::Status::OK;
}

}  // namespace jejak::net
