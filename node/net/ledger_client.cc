#include "node/net/ledger_client.h"

#include <grpcpp/grpcpp.h>

#include <cctype>

#include "node/net/grpc_status.h"
#include "node/net/tls_pin.h"

namespace jejak::net {
namespace {

// The largest answer the client accepts (a long lot history or a big trace).
constexpr int kMaxReceiveBytes = 64 << 20;

v1::LotRequest LotRequestFor(const std::string& lot_id) {
  v1::LotRequest request;
  request.set_lot_id(lot_id);
  return request;
}

}  // namespace

LedgerClient::LedgerClient(const LedgerEndpoint& endpoint, std::chrono::milliseconds timeout)
    : endpoint_(endpoint), tls_counters_(std::make_shared<TlsCounters>()), timeout_(timeout) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
  args.SetMaxSendMessageSize(kMaxReceiveBytes);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      endpoint.tls_fingerprint.empty() ? grpc::InsecureChannelCredentials()
                                       : LedgerChannelCredentials(endpoint.tls_fingerprint, tls_counters_);
  stub_ = v1::LedgerService::NewStub(
      grpc::CreateCustomChannel(endpoint.address, credentials, args));
}

void LedgerClient::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() + timeout_);
}

// A refused certificate is known from our own pin check; a node that is down and a service that
// does not speak TLS differ only in gRPC's free text (`detail`): say what each most likely
// means, and keep gRPC's words for anything else.
Status LedgerClient::Unreachable(const std::string& detail) const {
  const std::string& address = endpoint_.address;
  if (endpoint_.tls_fingerprint.empty()) {
    return Status::Unavailable("no node answers at " + address +
                               " (is jejakd running? if its ledger service uses TLS, pin its "
                               "certificate's SHA-256: jejak --tls-pin)");
  }
  const std::string pin = FingerprintHex(endpoint_.tls_fingerprint);
  if (tls_counters_->refused.load() > 0) {
    const std::string presented = tls_counters_->LastRefusedFingerprint();
    return Status::Unavailable(
        "the node at " + address + " presented a TLS certificate other than the pinned sha256 " +
        pin + " (" + (presented.empty() ? "an unreadable certificate" : "its certificate is sha256 " +
                                                                          FingerprintHex(presented)) + ")");
  }
  if (detail.find("wrong version number") != std::string::npos) {
    return Status::Unavailable("the node at " + address +
                               " does not use TLS on its ledger service, but a TLS pin was given");
  }
  return Status::Unavailable("no node answers at " + address + " over TLS (is jejakd running?): " +
                             detail);
}

Status LedgerClient::Check(const grpc::Status& status) const {
  std::string lower = status.error_message();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // "failed to connect to all addresses", "connections to all backends failing", "connection
  // reset": the transport's words, not the node's (its own UNAVAILABLE says it is shutting down).
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
      lower.find("connect") != std::string::npos) {
    return Unreachable(status.error_message());
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return Status::Unavailable("the node at " + endpoint_.address + " did not answer in time");
  }
  return FromGrpc(status);
}

#define JEJAK_UNARY_CALL(Method, request, Response)     \
  grpc::ClientContext context;                          \
  Prepare(&context);                                    \
  Response response;                                    \
  Status status = Check(stub_->Method(&context, request, &response)); \
  if (!status.ok()) return status;                      \
  return response;

Result<v1::SubmitEventsResponse> LedgerClient::SubmitEvents(const std::vector<v1::SignedEvent>& events) {
  v1::SubmitEventsRequest request;
  for (const v1::SignedEvent& event : events) *request.add_events() = event;
  JEJAK_UNARY_CALL(SubmitEvents, request, v1::SubmitEventsResponse)
}

Result<v1::CommittedEvent> LedgerClient::GetEvent(const std::string& event_id) {
  v1::GetEventRequest request;
  request.set_event_id(event_id);
  JEJAK_UNARY_CALL(GetEvent, request, v1::CommittedEvent)
}

Result<v1::EventList> LedgerClient::LotHistory(const std::string& lot_id) {
  v1::LotRequest request = LotRequestFor(lot_id);
  JEJAK_UNARY_CALL(LotHistory, request, v1::EventList)
}

Result<v1::TraceGraph> LedgerClient::TraceBack(const std::string& lot_id) {
  v1::LotRequest request = LotRequestFor(lot_id);
  JEJAK_UNARY_CALL(TraceBack, request, v1::TraceGraph)
}

Result<v1::TraceGraph> LedgerClient::TraceForward(const std::string& lot_id) {
  v1::LotRequest request = LotRequestFor(lot_id);
  JEJAK_UNARY_CALL(TraceForward, request, v1::TraceGraph)
}

Result<v1::QueryEventsResponse> LedgerClient::QueryEvents(const v1::QueryEventsRequest& request) {
  JEJAK_UNARY_CALL(QueryEvents, request, v1::QueryEventsResponse)
}

Result<v1::StatusResponse> LedgerClient::GetStatus() {
  v1::StatusRequest request;
  JEJAK_UNARY_CALL(Status, request, v1::StatusResponse)
}

Result<v1::GetGovernanceResponse> LedgerClient::GetGovernance(const std::string& proposal_id) {
  v1::GetGovernanceRequest request;
  request.set_proposal_id(proposal_id);
  JEJAK_UNARY_CALL(GetGovernance, request, v1::GetGovernanceResponse)
}

Result<v1::GetBlocksResponse> LedgerClient::GetBlocks(uint64_t from_height, uint32_t max_blocks) {
  v1::GetBlocksRequest request;
  request.set_from_height(from_height);
  request.set_max_blocks(max_blocks);
  JEJAK_UNARY_CALL(GetBlocks, request, v1::GetBlocksResponse)
}

#undef JEJAK_UNARY_CALL

Result<std::string> LedgerClient::ProveLot(const std::string& lot_id, bool forward) {
  v1::ProveLotRequest request;
  request.set_lot_id(lot_id);
  request.set_forward(forward);
  grpc::ClientContext context;
  Prepare(&context);
  v1::ProveLotResponse response;
  Status status = Check(stub_->ProveLot(&context, request, &response));
  if (!status.ok()) return status;
  return std::move(*response.mutable_bundle_json());
}

}  // namespace jejak::net
