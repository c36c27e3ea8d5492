// A client of one node's ledger service, for the CLI and the tests. Every call has a deadline and
// answers with a jejak::Status whose message is the node's (or says the node cannot be reached).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jejak/v1/ledger_service.grpc.pb.h"
#include "node/base/status.h"
#include "node/net/ledger_endpoint.h"

namespace jejak::net {

struct TlsCounters;

class LedgerClient {
 public:
  explicit LedgerClient(const LedgerEndpoint& endpoint,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60));
  explicit LedgerClient(const std::string& plaintext_address,
                        std::chrono::milliseconds timeout = std::chrono::seconds(60))
      : LedgerClient(LedgerEndpoint{plaintext_address, ""}, timeout) {}

  Result<v1::SubmitEventsResponse> SubmitEvents(const std::vector<v1::SignedEvent>& events);
  Result<v1::CommittedEvent> GetEvent(const std::string& event_id);
  Result<v1::EventList> LotHistory(const std::string& lot_id);
  Result<v1::TraceGraph> TraceBack(const std::string& lot_id);
  Result<v1::TraceGraph> TraceForward(const std::string& lot_id);
  Result<v1::QueryEventsResponse> QueryEvents(const v1::QueryEventsRequest& request);
  Result<v1::StatusResponse> GetStatus();
  // The membership at the node's head and its proposals (`proposal_id` empty: the newest).
  Result<v1::GetGovernanceResponse> GetGovernance(const std::string& proposal_id = "");
  // The proof bundle JSON for a lot (and its downstream graph with `forward`).
  Result<std::string> ProveLot(const std::string& lot_id, bool forward);
  // Committed blocks with their certificates from `from_height` (block sync; 0: node's default).
  Result<v1::GetBlocksResponse> GetBlocks(uint64_t from_height, uint32_t max_blocks);

  const std::string& address() const { return endpoint_.address; }

 private:
  void Prepare(grpc::ClientContext* context) const;
  Status Check(const grpc::Status& status) const;
  Status Unreachable(const std::string& detail) const;

  LedgerEndpoint endpoint_;
  std::shared_ptr<TlsCounters> tls_counters_;  // the pin check's refusals (TLS endpoints)
  std::chrono::milliseconds timeout_;
  std::unique_ptr<v1::LedgerService::Stub> stub_;
};

}  // namespace jejak::net
