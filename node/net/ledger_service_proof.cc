// LedgerService.ProveLot: proof bundles. Owned by the proofs work (issue #6).
#include "node/net/ledger_service.h"

namespace jejak::net {

grpc::Status LedgerServiceImpl::ProveLot(grpc::ServerContext*, const v1::ProveLotRequest*,
                                         v1::ProveLotResponse*) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "proof bundles are not built yet");
}

}  // namespace jejak::net
