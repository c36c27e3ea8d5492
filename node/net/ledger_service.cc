#include "node/net/ledger_service.h"

#include <set>

#include "node/ledger/block.h"
#include "node/ledger/event_query.h"
#include "node/ledger/governance.h"
#include "node/ledger/ledger.h"
#include "node/ledger/queries.h"
#include "node/ledger/rule_codes.h"

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

// The records of the events a trace names, each once, in the order first named; read in batches.
Status AddEvents(const ledger::StateReader& state, const std::vector<std::string>& event_ids,
                 v1::TraceGraph* graph) {
  Result<std::vector<std::optional<v1::EventRecord>>> records = ledger::GetEvents(state, event_ids);
  if (!records.ok()) return records.status();
  for (size_t i = 0; i < event_ids.size(); ++i) {
    if (!(*records)[i].has_value()) {
      return Status::Corruption("trace names event " + event_ids[i] + ", which is not stored");
    }
    Result<v1::CommittedEvent> committed = ledger::ToCommittedEvent(*(*records)[i]);
    if (!committed.ok()) return committed.status();
    *graph->add_events() = std::move(*committed);
  }
  return Status::Ok();
}

// The events of committed block `height`, as answers show them.
Result<std::vector<v1::CommittedEvent>> CommittedEventsOf(const replica::LedgerFrontend& node,
                                                          uint64_t height) {
  Result<std::unique_ptr<ledger::ChainReader>> chain = node.Snapshot();
  if (!chain.ok()) return chain.status();
  Result<v1::Block> block = (*chain)->GetBlock(height);
  if (!block.ok()) return block.status();
  std::vector<v1::CommittedEvent> out;
  for (int index = 0; index < block->events_size(); ++index) {
    if (ledger::IsGovernanceEntry(block->events(index))) continue;  // events only: this is an event stream
    v1::Event event;
    if (!event.ParseFromString(block->events(index).event_bytes())) {
      return Status::Corruption("stored event does not parse");
    }
    Result<std::string> id = ledger::LedgerEventId(event);
    if (!id.ok()) return id.status();
    Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(**chain, *id);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return Status::Corruption("block event " + *id + " has no stored record");
    Result<v1::CommittedEvent> committed = ledger::ToCommittedEvent(**record);
    if (!committed.ok()) return committed.status();
    out.push_back(std::move(*committed));
  }
  return out;
}

}  // namespace

grpc::Status LedgerServiceImpl::SubmitEvents(grpc::ServerContext* context,
                                             const v1::SubmitEventsRequest* request,
                                             v1::SubmitEventsResponse* response) {
  auto deadline = std::min(context->deadline() - kAnswerMargin,
                           std::chrono::system_clock::now() + kMaxSubmitWait);
  auto steady_deadline = Clock::now() + (deadline - std::chrono::system_clock::now());
  std::vector<v1::SignedEvent> events(request->events().begin(), request->events().end());
  Result<std::vector<replica::SubmitOutcome>> outcomes = node_.Submit(events, steady_deadline);
  if (!outcomes.ok()) return ToGrpc(outcomes.status());
  for (const replica::SubmitOutcome& outcome : *outcomes) {
    v1::SubmitResult* result = response->add_results();
    result->set_event_id(outcome.event_id);
    result->set_height(outcome.height);
    result->set_already_committed(outcome.already_committed);
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::GetEvent(grpc::ServerContext*, const v1::GetEventRequest* request,
                                         v1::CommittedEvent* response) {
  Result<std::unique_ptr<ledger::ChainReader>> state = node_.Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(**state, request->event_id());
  if (!record.ok()) return ToGrpc(record.status());
  if (!record->has_value()) return ToGrpc(Status::NotFound("no committed event " + request->event_id()));
  Result<v1::CommittedEvent> committed = ledger::ToCommittedEvent(**record);
  if (!committed.ok()) return ToGrpc(committed.status());
  *response = std::move(*committed);
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::LotHistory(grpc::ServerContext*, const v1::LotRequest* request,
                                           v1::EventList* response) {
  Result<std::unique_ptr<ledger::ChainReader>> state = node_.Snapshot();
  if (!state.ok()) return ToGrpc(state.status());
  Result<std::vector<v1::EventRecord>> history = ledger::LotHistory(**state, request->lot_id());
  if (!history.ok()) return ToGrpc(history.status());
  for (const v1::EventRecord& record : *history) {
    Result<v1::CommittedEvent> committed = ledger::ToCommittedEvent(record);
    if (!committed.ok()) return ToGrpc(committed.status());
    *response->add_events() = std::move(*committed);
  }
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::Trace(const v1::LotRequest* request, bool forward,
                                      v1::TraceGraph* response) {
  Result<std::unique_ptr<ledger::ChainReader>> state = node_.Snapshot();
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

grpc::Status LedgerServiceImpl::QueryEvents(grpc::ServerContext*, const v1::QueryEventsRequest* request,
                                            v1::QueryEventsResponse* response) {
  if (request->page_size() > kMaxPageSize) {
    return ToGrpc(Status::Invalid("page_size " + std::to_string(request->page_size()) +
                                  " is more than the " + std::to_string(kMaxPageSize) + " allowed"));
  }
  ledger::EventQueryLimits limits;
  limits.page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  limits.max_scanned_events = kMaxScannedEventsPerQuery;
  Result<ledger::EventFilter> filter = ledger::EventFilter::FromRequest(*request);
  if (!filter.ok()) return ToGrpc(filter.status());
  Result<ledger::EventCursor> from = ledger::ParsePageToken(request->page_token());
  if (!from.ok()) return ToGrpc(from.status());
  Result<std::unique_ptr<ledger::ChainReader>> chain = node_.Snapshot();
  if (!chain.ok()) return ToGrpc(chain.status());
  Result<ledger::EventPage> page = ledger::QueryEvents(**chain, *filter, *from, limits);
  if (!page.ok()) return ToGrpc(page.status());
  for (v1::CommittedEvent& event : page->events) *response->add_events() = std::move(event);
  if (page->next) response->set_next_page_token(ledger::PageToken(*page->next));
  return grpc::Status::OK;
}

grpc::Status LedgerServiceImpl::SubscribeCommitted(grpc::ServerContext* context,
                                                   const v1::SubscribeRequest* request,
                                                   grpc::ServerWriter<v1::CommittedEvent>* writer) {
  uint64_t next = std::max<uint64_t>(1, request->from_height());
  while (!context->IsCancelled() && !node_.stopping()) {
    node_.WaitForHeightAbove(next - 1, Clock::now() + std::chrono::seconds(1));
    for (; next <= node_.head_height() && !context->IsCancelled(); ++next) {
      // One snapshot a block, released before the writes wait on a slow subscriber: a snapshot
      // held through a long catch-up would keep RocksDB from compacting.
      Result<std::vector<v1::CommittedEvent>> events = CommittedEventsOf(node_, next);
      if (!events.ok()) return ToGrpc(events.status());
      for (const v1::CommittedEvent& committed : *events) {
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
  response->set_node_id(node_.node_id());
  Result<std::unique_ptr<ledger::ChainReader>> chain = node_.Snapshot();
  if (!chain.ok()) return ToGrpc(chain.status());
  const uint64_t head = (*chain)->head_height();
  response->set_height(head);
  if (head > 0) {
    Result<v1::Block> block = (*chain)->GetBlock(head);
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

grpc::Status LedgerServiceImpl::GetGovernance(grpc::ServerContext*, const v1::GetGovernanceRequest* request,
                                             v1::GetGovernanceResponse* response) {
  Result<std::unique_ptr<ledger::ChainReader>> chain = node_.Snapshot();
  if (!chain.ok()) return ToGrpc(chain.status());
  response->set_height((*chain)->head_height());
  auto membership = ledger::LoadMembership(**chain, ledger::Membership::FromGenesis(node_.genesis()));
  if (!membership.ok()) return ToGrpc(membership.status());
  *response->mutable_membership() = (*membership)->record();
  response->set_required_approvals((*membership)->RequiredApprovals());
  if (!request->proposal_id().empty()) {
    auto proposal = ledger::ReadProposal(**chain, request->proposal_id());
    if (!proposal.ok()) return ToGrpc(proposal.status());
    if (!proposal->has_value()) {
      return ToGrpc(Status::NotFound("there is no proposal " + request->proposal_id())
                        .WithRule(ledger::rule::kGovProposalUnknown));
    }
    *response->add_proposals() = **proposal;
    return grpc::Status::OK;
  }
  auto proposals = ledger::ReadProposals(**chain, ledger::kMaxProposalsListed);
  if (!proposals.ok()) return ToGrpc(proposals.status());
  for (v1::ProposalRecord& p : *proposals) *response->add_proposals() = std::move(p);
  return grpc::Status::OK;
}

}  // namespace jejak::net
