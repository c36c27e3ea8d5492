// The gRPC ledger service (proto/jejak/v1/ledger_service.proto) over a node's LedgerFrontend.
// Errors map to gRPC codes as grpc_status.h says; messages name the failed rule or field.
#pragma once

#include <grpcpp/grpcpp.h>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "node/base/status.h"
#include "node/replica/ports.h"
#include "node/net/grpc_status.h"

namespace jejak::net {

class LedgerServiceImpl final : public v1::LedgerService::Service {
 public:
  explicit LedgerServiceImpl(replica::LedgerFrontend& node) : node_(node) {}

  grpc::Status SubmitEvents(grpc::ServerContext* context, const v1::SubmitEventsRequest* request,
                            v1::SubmitEventsResponse* response) override;
  grpc::Status GetEvent(grpc::ServerContext* context, const v1::GetEventRequest* request,
                        v1::CommittedEvent* response) override;
  grpc::Status LotHistory(grpc::ServerContext* context, const v1::LotRequest* request,
                          v1::EventList* response) override;
  grpc::Status TraceBack(grpc::ServerContext* context, const v1::LotRequest* request,
                         v1::TraceGraph* response) override;
  grpc::Status TraceForward(grpc::ServerContext* context, const v1::LotRequest* request,
                            v1::TraceGraph* response) override;
  grpc::Status QueryEvents(grpc::ServerContext* context, const v1::QueryEventsRequest* request,
                           v1::QueryEventsResponse* response) override;
  grpc::Status SubscribeCommitted(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                                  grpc::ServerWriter<v1::CommittedEvent>* writer) override;
  grpc::Status Status(grpc::ServerContext* context, const v1::StatusRequest* request,
                      v1::StatusResponse* response) override;
  grpc::Status GetGovernance(grpc::ServerContext* context, const v1::GetGovernanceRequest* request,
                             v1::GetGovernanceResponse* response) override;
  // ledger_service_blocks.cc
  grpc::Status GetBlocks(grpc::ServerContext* context, const v1::GetBlocksRequest* request,
                         v1::GetBlocksResponse* response) override;
  // ledger_service_proof.cc
  grpc::Status ProveLot(grpc::ServerContext* context, const v1::ProveLotRequest* request,
                        v1::ProveLotResponse* response) override;

 private:
  grpc::Status Trace(const v1::LotRequest* request, bool forward, v1::TraceGraph* response);
  replica::LedgerFrontend& node_;
};

}  // namespace jejak::net
