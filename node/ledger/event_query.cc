#include "node/ledger/event_query.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "node/epcis/rfc3339.h"
#include "node/ledger/governance.h"
#include "node/ledger/ledger.h"
#include "node/ledger/queries.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger {
namespace {

// Identifiers compare in their normal form, so a URN matches its Digital Link; anything that is not
// a lot-like identifier (a location) is compared as written.
std::string Normal(const std::string& id) {
  Result<std::string> normal = ledger::NormalizeLotId(id);
  return normal.ok() ? *normal : id;
}

Status AddIds(const google::protobuf::RepeatedPtrField<std::string>& ids, std::set<std::string>* out) {
  for (const std::string& id : ids) {
    if (id.empty()) return Status::Invalid("an empty identifier was given");
    out->insert(Normal(id));
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> Time(const std::string& text, const char* name) {
  if (text.empty()) return std::optional<int64_t>();
  Result<int64_t> ms = epcis::ParseRfc3339Ms(text);
  if (!ms.ok()) return Status::Invalid(std::string(name) + ": '" + text + "' is not an RFC 3339 date-time");
  return std::optional<int64_t>(*ms);
}

bool AnyIn(const std::set<std::string>& wanted, const google::protobuf::RepeatedPtrField<std::string>& ids) {
  for (const std::string& id : ids) {
    if (wanted.contains(Normal(id))) return true;
  }
  return false;
}

bool AnyClassIn(const std::set<std::string>& wanted,
                const google::protobuf::RepeatedPtrField<v1::QuantityElement>& quantities) {
  for (const v1::QuantityElement& q : quantities) {
    if (wanted.contains(Normal(q.epc_class()))) return true;
  }
  return false;
}

}  // namespace

Result<EventFilter> EventFilter::FromRequest(const v1::QueryEventsRequest& request) {
  EventFilter filter;
  for (const std::string& type : request.event_type()) {
    v1::EventType parsed;
    std::string enum_name;  // "ObjectEvent" -> "OBJECT_EVENT"
    for (size_t i = 0; i < type.size(); ++i) {
      if (i > 0 && std::isupper(static_cast<unsigned char>(type[i]))) enum_name += '_';
      enum_name += static_cast<char>(std::toupper(static_cast<unsigned char>(type[i])));
    }
    if (!v1::EventType_Parse(enum_name, &parsed) || parsed == v1::EVENT_TYPE_UNSPECIFIED) {
      return Status::Invalid("eventType: '" + type + "' is not an EPCIS event type (ObjectEvent, "
                             "AggregationEvent, TransformationEvent, TransactionEvent, AssociationEvent)");
    }
    filter.event_types_.insert(parsed);
  }
  for (const std::string& step : request.biz_step()) filter.biz_steps_.insert(ledger::CbvShortName(step));
  for (const std::string& d : request.disposition()) filter.dispositions_.insert(ledger::CbvShortName(d));
  Result<std::optional<int64_t>> ge = Time(request.ge_event_time(), "GE_eventTime");
  if (!ge.ok()) return ge.status();
  Result<std::optional<int64_t>> lt = Time(request.lt_event_time(), "LT_eventTime");
  if (!lt.ok()) return lt.status();
  filter.ge_time_ms_ = *ge;
  filter.lt_time_ms_ = *lt;
  JEJAK_RETURN_IF_ERROR(AddIds(request.match_any_epc(), &filter.any_epcs_).WithContext("MATCH_anyEPC"));
  JEJAK_RETURN_IF_ERROR(AddIds(request.match_epc_class(), &filter.epc_classes_).WithContext("MATCH_epcClass"));
  JEJAK_RETURN_IF_ERROR(AddIds(request.eq_biz_location(), &filter.biz_locations_).WithContext("EQ_bizLocation"));
  return filter;
}

bool EventFilter::Matches(const v1::Event& e) const {
  if (!event_types_.empty() && !event_types_.contains(e.type())) return false;
  if (!biz_steps_.empty() && !biz_steps_.contains(ledger::CbvShortName(e.biz_step()))) return false;
  if (!dispositions_.empty() && !dispositions_.contains(ledger::CbvShortName(e.disposition()))) return false;
  if (ge_time_ms_ && e.event_time_ms() < *ge_time_ms_) return false;
  if (lt_time_ms_ && e.event_time_ms() >= *lt_time_ms_) return false;
  if (!any_epcs_.empty()) {
    bool parent = !e.parent_id().empty() && any_epcs_.contains(Normal(e.parent_id()));
    if (!parent && !AnyIn(any_epcs_, e.epc_list()) && !AnyIn(any_epcs_, e.child_epcs()) &&
        !AnyIn(any_epcs_, e.input_epc_list()) && !AnyIn(any_epcs_, e.output_epc_list())) {
      return false;
    }
  }
  if (!epc_classes_.empty() && !AnyClassIn(epc_classes_, e.quantity_list()) &&
      !AnyClassIn(epc_classes_, e.child_quantity_list()) &&
      !AnyClassIn(epc_classes_, e.input_quantity_list()) &&
      !AnyClassIn(epc_classes_, e.output_quantity_list())) {
    return false;
  }
  if (!biz_locations_.empty() &&
      (!e.has_biz_location() || !biz_locations_.contains(Normal(e.biz_location().id())))) {
    return false;
  }
  return true;
}

namespace {

// The ledger judges an event by its eventTime, not by the event_time_ms carried beside it.
void TrustEventTime(v1::Event* event) {
  Result<int64_t> ms = epcis::ParseRfc3339Ms(event->event_time());
  event->set_event_time_ms(ms.ok() ? *ms : 0);
}

// The matching event ids of `block` from `first` on, until the page or the scan budget is full;
// sets `*stopped_at` to the index where it stopped, if it did.
Status MatchBlock(const v1::Block& block, const EventFilter& filter, uint32_t first, size_t room,
                  uint64_t* scan_budget, std::vector<std::string>* ids,
                  std::optional<uint32_t>* stopped_at) {
  const uint64_t height = block.header().height();
  for (uint32_t index = first; index < static_cast<uint32_t>(block.events_size()); ++index) {
    if (ids->size() >= room || *scan_budget == 0) {
      *stopped_at = index;
      return Status::Ok();
    }
    --*scan_budget;
    if (IsGovernanceEntry(block.events(static_cast<int>(index)))) continue;  // not an EPCIS event
    v1::Event event;
    if (!event.ParseFromString(block.events(static_cast<int>(index)).event_bytes())) {
      return Status::Corruption("event " + std::to_string(index) + " of block " +
                                std::to_string(height) + " does not parse");
    }
    TrustEventTime(&event);
    if (!filter.Matches(event)) continue;
    Result<std::string> id = LedgerEventId(event);
    if (!id.ok()) return id.status();
    ids->push_back(std::move(*id));
  }
  return Status::Ok();
}

}  // namespace

Result<EventCursor> ParsePageToken(const std::string& page_token) {
  if (page_token.empty()) return EventCursor{};
  const size_t colon = page_token.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    return EventCursor{std::stoull(page_token.substr(0, colon)),
                       static_cast<uint32_t>(std::stoul(page_token.substr(colon + 1)))};
  } catch (const std::exception&) {
    return Status::Invalid("page_token '" + page_token + "' is not one this node gave out");
  }
}

std::string PageToken(EventCursor cursor) {
  return std::to_string(cursor.height) + ":" + std::to_string(cursor.index);
}

Result<EventPage> QueryEvents(const ChainReader& chain, const EventFilter& filter, EventCursor from,
                              const EventQueryLimits& limits) {
  EventPage page;
  std::vector<std::string> ids;
  uint64_t scan_budget = limits.max_scanned_events;
  for (uint64_t height = std::max<uint64_t>(from.height, 1); height <= chain.head_height(); ++height) {
    Result<v1::Block> block = chain.GetBlock(height);
    if (!block.ok()) return block.status();
    std::optional<uint32_t> stopped_at;
    JEJAK_RETURN_IF_ERROR(MatchBlock(*block, filter, height == from.height ? from.index : 0,
                                     limits.page_size, &scan_budget, &ids, &stopped_at));
    if (stopped_at) {
      page.next = EventCursor{height, *stopped_at};
      break;
    }
  }
  Result<std::vector<std::optional<v1::EventRecord>>> records = GetEvents(chain, ids);
  if (!records.ok()) return records.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!(*records)[i].has_value()) {
      return Status::Corruption("block event " + ids[i] + " has no stored record");
    }
    Result<v1::CommittedEvent> committed = ToCommittedEvent(*(*records)[i]);
    if (!committed.ok()) return committed.status();
    page.events.push_back(std::move(*committed));
  }
  return page;
}

Result<v1::CommittedEvent> ToCommittedEvent(const v1::EventRecord& record) {
  v1::CommittedEvent out;
  out.set_event_id(record.event_id());
  *out.mutable_signed_event() = record.signed_event();
  if (!out.mutable_event()->ParseFromString(record.signed_event().event_bytes())) {
    return Status::Corruption("stored event " + record.event_id() + " does not parse");
  }
  TrustEventTime(out.mutable_event());
  out.set_height(record.position().height());
  out.set_index(record.position().index());
  out.set_signer_organization(record.signer_organization());
  out.set_block_time_ms(record.position().block_time_ms());
  return out;
}

}  // namespace jejak::ledger
