#include "node/net/ledger_service.h"

#include <set>

#include "node/ledger/event_filter.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/block.h"
#include "node/ledger/queries.h"

namespace jejak::net {
namespace {

using Clock = std::chrono::steady_clock;
// How long SubmitEvents waits for commits, and how much earlier than the client's deadline it
// answers, so the client hears "still queued" from the node rather than a bare deadline error.
constexpr auto kMaxSubmitWait = std::chrono::seconds(30);
constexpr auto kAnswerMargin = std::chrono::seconds(1);
constexpr uint32_t kDefaultPageSize = 100;
constexpr uint32_t kMaxPageSize = 1000;
// Events one QueryEvents call may look at before it answers with a page token to continue.
constexpr uint64_t kMaxScannedEventsPerQuery = 200'000;

// event_time_ms travels in the signed bytes as the submitter wrote it; the ledger goes by
// eventTime, and so do answers and query filters.
void TrustedEventTime(v1::Event* event) {
  Result<int64_t> ms = epcis::ParseRfc3339Ms(event->event_time());
  event->set_event_time_ms(ms.ok() ? *ms : 0);
}

Result<v1::CommittedEvent> ToCommitted(const v1::EventRecord& record) {
  v1::CommittedEvent out;
  out.set_event_id(record.event_id());
  *out.mutable_signed_event() = record.signed_event();
  if (!out.mutable_event()->ParseFromString(record.signed_event().event_bytes())) {
    return Status::Corruption("stored event " + record.event_id() + " does not parse");
  }
  TrustedEventTime(out.mutable_event());
  out.set_height(record.position().height());
  out.set_index(record.position().index());
  out.set_signer_organization(record.signer_organization());
  out.set_block_time_ms(record.position().block_time_ms());
  return out;
}

// The records of the events a trace names, each once, in the order first named; read in batches.
Status AddEvents(const ledger::StateReader& state, const std::vector<std::string>& event_ids,
                 v1::TraceGraph* graph) {
  Result<std::vector<std::optional<v1::EventRecord>>> records = ledger::GetEvents(state, event_ids);
  if (!records.ok()) return records.status();
  for (size_t i = 0; i < event_ids.size(); ++i) {
    if (!(*records)[i].has_value()) {
      return Status::Corruption("trace names event " + event_ids[i] + ", which is not stored");
    }
    Result<v1::CommittedEvent> committed = ToCommitted(*(*records)[i]);
    if (!committed.ok()) return committed.status();
    *graph->add_events() = std::move(*committed);
  }
  return Status::Ok();
}

// "height:index" of the next event to look at.
Result<std::pair<uint64_t, uint32_t>> ParsePageToken(const std::string& token) {
  if (token.empty()) return std::pair<uint64_t, uint32_t>{1, 0};
  size_t colon = token.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    return std::pair<uint64_t, uint32_t>{std::stoull(token.substr(0, colon)),
                                         static_cast<uint32_t>(std::stoul(token.substr(colon + 1)))};
  } catch (const std::exception&) {
    return Status::Invalid("page_token '" + token + "' is not one this node gave out");
  }
}

}  // namespace

grpc::Status LedgerServiceImpl::SubmitEvents(grpc::ServerContext* context,
                                             const v1::SubmitEventsRequest* request,
                                             v1::SubmitEventsResponse* response) {
  auto deadline = std::min(context->deadline() - kAnswerMargin,
                           std::chrono::system_clock::now() + kMaxSubmitWait);
  auto steady_deadline = Clock::now() + (deadline - std::chrono::system_clock::now());
  std::vector<v1::SignedEvent> events(request->events().begin(), request->events().end());
  Result<std::vector<daemon::SubmitOutcome>> outcomes = node_.Submit(events, steady_deadline);
  if (!outcomes.ok()) return ToGrpc(outcomes.status());
  for (const daemon::SubmitOutcome& outcome : *outcomes) {
    v1::SubmitResult* result = response->add_results();
    result->set_event_id(outcome.event_id);
    result->set_height(outcome.height);
    result->set_already_committed(outcome.already_committed);
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::GetEvent(grpc::ServerContext*, const v1::GetEventRequest* request,
                                         v1::CommittedEvent* response) {
  Result<std::unique_ptr<storage::StoreSnapshot>> state = node_.store().Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(**state, request->event_id());
  if (!record.ok()) return ToGrpc(record.status());
  if (!record->has_value()) return ToGrpc(Status::NotFound("no committed event " + request->event_id()));
  Result<v1::CommittedEvent> committed = ToCommitted(**record);
  if (!committed.ok()) return ToGrpc(committed.status());
  *response = std::move(*committed);
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::LotHistory(grpc::ServerContext*, const v1::LotRequest* request,
                                           v1::EventList* response) {
  Result<std::unique_ptr<storage::StoreSnapshot>> state = node_.store().Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  Result<std::vector<v1::EventRecord>> history = ledger::LotHistory(**state, request->lot_id());
  if (!history.ok()) return ToGrpc(history.status());
  for (const v1::EventRecord& record : *history) {
    Result<v1::CommittedEvent> committed = ToCommitted(record);
    if (!committed.ok()) return ToGrpc(committed.status());
    *response->add_events() = std::move(*committed);
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::Trace(const v1::LotRequest* request, bool forward,
                                      v1::TraceGraph* response) {
  Result<std::unique_ptr<storage::StoreSnapshot>> state = node_.store().Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  Result<ledger::TraceGraph> graph = forward ? ledger::TraceForward(**state, request->lot_id())
                                             : ledger::TraceBack(**state, request->lot_id());
  if (!graph.ok()) return ToGrpc(graph.status());
  response->set_root_lot(graph->root_lot);
  std::set<std::string> seen;
  std::vector<std::string> event_ids;
  auto name_event = [&](const std::string& id) {
    if (!id.empty() && seen.insert(id).second) event_ids.push_back(id);
  };
  for (const ledger::TraceNode& node : graph->nodes) {
    v1::TraceNode* out = response->add_nodes();
    out->set_lot_id(node.lot.lot_id());
    out->set_owner(node.lot.owner());
    out->set_custodian(node.lot.custodian());
    out->set_remaining_micros(node.lot.remaining_micros());
    out->set_uom(node.lot.uom());
    out->set_product(node.lot.product());
    out->set_disposition(node.lot.disposition());
    for (const v1::CertificateRecord& cert : node.certificates) {
      out->add_certificates(cert.scheme().empty() ? cert.document_hash()
                                                  : cert.scheme() + " (" + cert.issuer() + ")");
    }
    name_event(node.lot.created_by_event_id());
  }
  for (const ledger::TraceEdge& edge : graph->edges) {
    v1::TraceEdge* out = response->add_edges();
    out->set_from_lot(edge.from_lot);
    out->set_to_lot(edge.to_lot);
    out->set_event_id(edge.event_id);
    name_event(edge.event_id);
  }
  jejak::Status added = AddEvents(**state, event_ids, response);
  if (!added.ok()) return ToGrpc(added);
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::TraceBack(grpc::ServerContext*, const v1::LotRequest* request,
                                          v1::TraceGraph* response) {
  return Trace(request, false, response);
}

grpc::Status LedgerServiceImpl::TraceForward(grpc::ServerContext*, const v1::LotRequest* request,
                                             v1::TraceGraph* response) {
  return Trace(request, true, response);
}

grpc::Status LedgerServiceImpl::QueryEvents(grpc::ServerContext* context,
                                            const v1::QueryEventsRequest* request,
                                            v1::QueryEventsResponse* response) {
  if (request->page_size() > kMaxPageSize) {
    return ToGrpc(Status::Invalid("page_size " + std::to_string(request->page_size()) +
                                  " is more than the " + std::to_string(kMaxPageSize) + " allowed"));
  }
  uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  Result<ledger::EventFilter> filter = ledger::EventFilter::FromRequest(*request);
  if (!filter.ok()) return ToGrpc(filter.status());
  Result<std::pair<uint64_t, uint32_t>> start = ParsePageToken(request->page_token());
  if (!start.ok()) return ToGrpc(start.status());
  const uint64_t head = node_.store().head_height();
  uint64_t scanned = 0;
  for (uint64_t height = start->first; height <= head; ++height) {
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
    Result<v1::Block> block = node_.store().GetBlock(height);
    if (!block.ok()) return ToGrpc(block.status());
    uint32_t first = height == start->first ? start->second : 0;
    for (uint32_t index = first; index < static_cast<uint32_t>(block->events_size()); ++index) {
      if (response->events_size() >= static_cast<int>(page_size) || scanned >= kMaxScannedEventsPerQuery) {
        response->set_next_page_token(std::to_string(height) + ":" + std::to_string(index));
        return grpc::Status::OK;
      }
      ++scanned;
      const v1::SignedEvent& signed_event = block->events(static_cast<int>(index));
      v1::Event event;
      if (!event.ParseFromString(signed_event.event_bytes())) {
        return ToGrpc(Status::Corruption("event " + std::to_string(index) + " of block " +
                                         std::to_string(height) + " does not parse"));
      }
      TrustedEventTime(&event);
      if (!filter->Matches(event)) continue;
      Result<std::string> id = ledger::LedgerEventId(event);
      if (!id.ok()) return ToGrpc(id.status());
      v1::GetEventRequest get;
      get.set_event_id(*id);
      grpc::Status found = GetEvent(context, &get, response->add_events());
      if (!found.ok()) return found;
    }
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::SubscribeCommitted(grpc::ServerContext* context,
                                                   const v1::SubscribeRequest* request,
                                                   grpc::ServerWriter<v1::CommittedEvent>* writer) {
  uint64_t next = std::max<uint64_t>(1, request->from_height());
  while (!context->IsCancelled() && !node_.stopping()) {
    uint64_t head = node_.WaitForHeightAbove(next - 1, Clock::now() + std::chrono::seconds(1));
    for (; next <= head; ++next) {
      Result<v1::Block> block = node_.store().GetBlock(next);
      if (!block.ok()) return ToGrpc(block.status());
      for (int index = 0; index < block->events_size(); ++index) {
        v1::Event event;
        if (!event.ParseFromString(block->events(index).event_bytes())) {
          return ToGrpc(Status::Corruption("stored event does not parse"));
        }
        Result<std::string> id = ledger::LedgerEventId(event);
        if (!id.ok()) return ToGrpc(id.status());
        v1::GetEventRequest get;
        get.set_event_id(*id);
        v1::CommittedEvent committed;
        grpc::Status found = GetEvent(context, &get, &committed);
        if (!found.ok()) return found;
        if (!writer->Write(committed)) return grpc::Status::CANCELLED;
      }
    }
  }
  return node_.stopping() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "the node is shutting down")
                          : grpc::Status::CANCELLED;
}

grpc::Status LedgerServiceImpl::Status(grpc::ServerContext*, const v1::StatusRequest*,
                                       v1::StatusResponse* response) {
  response->set_chain_id(node_.genesis().chain_id);
  response->set_genesis_hash(node_.genesis_hash());
  response->set_node_id(node_.config().node_id);
  uint64_t head = node_.store().head_height();
  response->set_height(head);
  if (head > 0) {
    Result<v1::Block> block = node_.store().GetBlock(head);
    if (!block.ok()) return ToGrpc(block.status());
    response->set_head_block_hash(ledger::BlockHash(block->header()));
  }
  for (const ledger::Validator& validator : node_.genesis().validators) {
    response->add_validators(validator.id);
  }
  for (const std::string& peer : node_.ConnectedPeers()) response->add_peers(peer);
  response->set_validator(node_.is_validator());
  return grpc::Status::OK;
}

}  // namespace jejak::net
