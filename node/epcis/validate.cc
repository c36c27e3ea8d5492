#include "node/epcis/validate.h"

#include <algorithm>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "node/epcis/event_json.h"
#include "node/epcis/rfc3339.h"
#include "node/epcis/rule_codes.h"
#include "node/epcis/validate_rules.h"

namespace jejak::epcis {
namespace {

using jejak::v1::Event;
using jejak::v1::EventType;
using Strings = google::protobuf::RepeatedPtrField<std::string>;

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// What the standard expects of a member the parser could not type (Event.unmodelled).
std::string ExpectedShape(const std::string& key) {
  if (key == "sourceList") return "must be an array of {\"type\", \"source\"} objects";
  if (key == "destinationList") return "must be an array of {\"type\", \"destination\"} objects";
  if (key == "bizTransactionList") {
    return "must be an array of {\"type\", \"bizTransaction\"} objects";
  }
  if (key == "sensorElementList") return "must be an array of sensor element objects";
  if (key.size() > 12 && key.compare(key.size() - 12, 12, "QuantityList") == 0) {
    return "must be an array of {\"epcClass\", \"quantity\" (a number), \"uom\"} objects";
  }
  if (key == "quantityList") {
    return "must be an array of {\"epcClass\", \"quantity\" (a number), \"uom\"} objects";
  }
  if (key == "epcList" || key == "childEPCs" || key == "inputEPCList" || key == "outputEPCList") {
    return "must be an array of identifiers (strings)";
  }
  if (key == "readPoint" || key == "bizLocation") return "must be an object with a string \"id\"";
  if (key == "persistentDisposition") {
    return "must be an object with non-empty \"set\" and/or \"unset\" lists of dispositions";
  }
  if (key == "certificationInfo") return "must be a URI or a list of URIs";
  if (key == "ilmd" || key == "errorDeclaration") return "must be an object";
  if (key == "action") return "must be ADD, OBSERVE or DELETE";
  return "must be a non-empty string";
}

bool HasList(const Event& ev, const std::string& key, int size) {
  return size > 0 ||
         std::find(ev.empty_lists().begin(), ev.empty_lists().end(), key) != ev.empty_lists().end();
}

// Which "what" members belong to which event type.
struct WhatMember {
  const char* key;
  bool present;
  unsigned allowed_in;  // bit per EventType
};

constexpr unsigned Bit(EventType t) { return 1u << static_cast<unsigned>(t); }

Status CheckMembersBelong(const Event& ev) {
  const unsigned obj = Bit(jejak::v1::OBJECT_EVENT), agg = Bit(jejak::v1::AGGREGATION_EVENT),
                 tfm = Bit(jejak::v1::TRANSFORMATION_EVENT), txn = Bit(jejak::v1::TRANSACTION_EVENT),
                 asc = Bit(jejak::v1::ASSOCIATION_EVENT);
  const WhatMember members[] = {
      {"epcList", HasList(ev, "epcList", ev.epc_list_size()), obj | txn},
      {"quantityList", HasList(ev, "quantityList", ev.quantity_list_size()), obj | txn},
      {"parentID", !ev.parent_id().empty(), agg | txn | asc},
      {"childEPCs", HasList(ev, "childEPCs", ev.child_epcs_size()), agg | asc},
      {"childQuantityList", HasList(ev, "childQuantityList", ev.child_quantity_list_size()),
       agg | asc},
      {"inputEPCList", HasList(ev, "inputEPCList", ev.input_epc_list_size()), tfm},
      {"inputQuantityList", HasList(ev, "inputQuantityList", ev.input_quantity_list_size()), tfm},
      {"outputEPCList", HasList(ev, "outputEPCList", ev.output_epc_list_size()), tfm},
      {"outputQuantityList", HasList(ev, "outputQuantityList", ev.output_quantity_list_size()),
       tfm},
      {"transformationID", !ev.transformation_id().empty(), tfm},
      {"ilmd", ev.has_ilmd(), obj | tfm},
  };
  for (const WhatMember& m : members) {
    if (m.present && (m.allowed_in & Bit(ev.type())) == 0) {
      return Status::Invalid(std::string(m.key) + ": not a member of " + EventTypeName(ev.type()));
    }
  }
  return Status::Ok();
}

Status CheckAction(const Event& ev) {
  const bool has_action = ev.action() != jejak::v1::ACTION_UNSPECIFIED;
  if (ev.type() == jejak::v1::TRANSFORMATION_EVENT) {
    if (has_action) return Status::Invalid("action: a TransformationEvent has no action");
    return Status::Ok();
  }
  if (!has_action) {
    return Status::Invalid(std::string("action: missing (a ") + EventTypeName(ev.type()) +
                           " needs ADD, OBSERVE or DELETE)");
  }
  return Status::Ok();
}

const char* ActionWord(jejak::v1::Action a) {
  return a == jejak::v1::ADD ? "ADD" : a == jejak::v1::OBSERVE ? "OBSERVE" : "DELETE";
}

// The "what" each type must have (EPCIS 2.0 section 7.4 and the schema's anyOf rules).
Status CheckWhat(const Event& ev) {
  const bool is_delete = ev.action() == jejak::v1::DELETE;
  switch (ev.type()) {
    case jejak::v1::OBJECT_EVENT:
      if (HasList(ev, "epcList", ev.epc_list_size()) || ev.quantity_list_size() > 0 ||
          (ev.sensor_element_list_size() > 0 && ev.has_read_point())) {
        break;
      }
      return Status::Invalid(
          "epcList: missing (an ObjectEvent needs epcList, a non-empty quantityList, or sensor "
          "data with a readPoint)");
    case jejak::v1::AGGREGATION_EVENT:
    case jejak::v1::ASSOCIATION_EVENT: {
      const bool parent_optional =
          ev.type() == jejak::v1::AGGREGATION_EVENT && ev.action() == jejak::v1::OBSERVE;
      if (ev.parent_id().empty() && !parent_optional) {
        return Status::Invalid(std::string("parentID: missing (required in a ") +
                               EventTypeName(ev.type()) + " with action " +
                               ActionWord(ev.action()) + ")");
      }
      if (ev.child_epcs_size() == 0 && ev.child_quantity_list_size() == 0 && !is_delete) {
        return Status::Invalid(std::string("childEPCs: missing (a ") + EventTypeName(ev.type()) +
                               " with action " + ActionWord(ev.action()) +
                               " needs childEPCs or childQuantityList)");
      }
      break;
    }
    case jejak::v1::TRANSACTION_EVENT:
      if (ev.biz_transaction_list_size() == 0) {
        return Status::Invalid("bizTransactionList: missing (a TransactionEvent needs one)");
      }
      if (!HasList(ev, "epcList", ev.epc_list_size()) && ev.quantity_list_size() == 0 &&
          !is_delete) {
        return Status::Invalid(
            "epcList: missing (a TransactionEvent needs epcList or a non-empty quantityList)");
      }
      break;
    case jejak::v1::TRANSFORMATION_EVENT: {
      const bool inputs = ev.input_epc_list_size() > 0 || ev.input_quantity_list_size() > 0;
      const bool outputs = ev.output_epc_list_size() > 0 || ev.output_quantity_list_size() > 0;
      if (inputs && outputs) break;
      if ((inputs || outputs) && !ev.transformation_id().empty()) break;
      return Status::Invalid(
          "inputEPCList/outputEPCList: a TransformationEvent needs inputs and outputs, or a "
          "transformationID with inputs or outputs");
    }
    default:
      return Status::Invalid("type: missing or not an EPCIS event type");
  }
  return Status::Ok();
}

Status CheckIlmd(const Event& ev) {
  if (!ev.has_ilmd()) return Status::Ok();
  if (ev.type() == jejak::v1::OBJECT_EVENT && ev.action() != jejak::v1::ADD) {
    return Status::Invalid(std::string("ilmd: only an ADD ObjectEvent may carry ILMD (this "
                                       "event's action is ") +
                           ActionWord(ev.action()) + ")");
  }
  for (const jejak::v1::JsonMember& m : ev.ilmd()) {
    if (m.key().find(':') == std::string::npos) {
      return Status::Invalid("ilmd." + m.key() +
                             ": ILMD members must be namespaced (prefix:name)");
    }
  }
  return Status::Ok();
}

Status CheckUnmodelledAndExtensions(const Event& ev) {
  if (!ev.unmodelled().empty()) {
    const jejak::v1::JsonMember& m = ev.unmodelled(0);
    if (m.key().ends_with("uantityList")) {
      JEJAK_RETURN_IF_ERROR(CheckUnmodelledQuantityList(m.key(), m.json()));
    }
    return Status::Invalid(m.key() + ": " + ExpectedShape(m.key()) + " (found " +
                           JsonKindOf(m.json()) + ")");
  }
  // Leaving a standard member out of the event id would let two different events share an id.
  for (const std::string& key : ev.hash_ignore_fields()) {
    const bool is_extension =
        std::any_of(ev.extensions().begin(), ev.extensions().end(),
                    [&](const jejak::v1::JsonMember& m) { return m.key() == key; });
    if (!is_extension) {
      return Status::Invalid("ignoreFields: " + Quote(key) +
                             " is a standard EPCIS member; only user extensions may be left out "
                             "of the event id");
    }
  }
  for (const jejak::v1::JsonMember& m : ev.extensions()) {
    if (m.key().find(':') == std::string::npos) {
      return Status::Invalid("member " + Quote(m.key()) +
                             " is not an EPCIS field; user extensions must be namespaced "
                             "(prefix:name)");
    }
  }
  return Status::Ok();
}

// The event's own @context: a URI, an object, or an array of those (schema "@context").
Status CheckOwnContext(const Event& ev) {
  if (!ev.has_context_json()) return Status::Ok();
  nlohmann::json context;
  try {
    context = nlohmann::json::parse(ev.context_json());
  } catch (const std::exception&) {
    return Status::Invalid("@context: stored JSON text is not valid JSON");
  }
  auto ok_item = [](const nlohmann::json& item) {
    return item.is_object() || (item.is_string() && IsUri(item.get_ref<const std::string&>()));
  };
  bool ok = ok_item(context);
  if (context.is_array()) {
    ok = std::all_of(context.begin(), context.end(), ok_item);
  }
  if (!ok) {
    return Status::Invalid("@context: must be a URI, an object, or an array of URIs and objects");
  }
  return Status::Ok();
}

Status CheckTimes(const Event& ev) {
  if (ev.event_time().empty()) return Status::Invalid("eventTime: missing");
  JEJAK_RETURN_IF_ERROR(CheckTime("eventTime", ev.event_time()));
  if (ev.event_time_zone_offset().empty()) {
    return Status::Invalid("eventTimeZoneOffset: missing (e.g. \"+07:00\")");
  }
  if (!IsTimeZoneOffset(ev.event_time_zone_offset())) {
    return Status::Invalid("eventTimeZoneOffset: " + Quote(ev.event_time_zone_offset()) +
                           " is not +hh:mm or -hh:mm between -14:00 and +14:00");
  }
  if (!ev.record_time().empty()) JEJAK_RETURN_IF_ERROR(CheckTime("recordTime", ev.record_time()));
  return Status::Ok();
}

Status CheckErrorDeclaration(const Event& ev) {
  if (!ev.has_error_declaration()) return Status::Ok();
  const jejak::v1::ErrorDeclaration& d = ev.error_declaration();
  for (const jejak::v1::JsonMember& m : d.extensions()) {
    if (m.key() == "declarationTime" || m.key() == "reason" || m.key() == "correctiveEventIDs") {
      return Status::Invalid("errorDeclaration." + m.key() + ": has the wrong type (found " +
                             JsonKindOf(m.json()) + ")");
    }
  }
  if (d.declaration_time().empty()) {
    return Status::Invalid("errorDeclaration.declarationTime: missing");
  }
  if (!d.reason().empty()) {
    JEJAK_RETURN_IF_ERROR(CheckVocab("errorDeclaration.reason", d.reason(), Vocab::kErrorReason));
  }
  for (const std::string& id : d.corrective_event_ids()) {
    JEJAK_RETURN_IF_ERROR(CheckUri("errorDeclaration.correctiveEventIDs", id));
  }
  return Status::Ok();
}

Status CheckIdList(const std::string& field, const Strings& list) {
  std::set<std::string> seen;
  for (const std::string& id : list) {
    JEJAK_RETURN_IF_ERROR(CheckIdentifier(field, id, IdLevel::kInstance));
    if (!seen.insert(id).second) {
      return Status::Invalid(field + ": " + Quote(id) + " is listed twice");
    }
  }
  return Status::Ok();
}

Status CheckWhatValues(const Event& ev) {
  JEJAK_RETURN_IF_ERROR(CheckIdList("epcList", ev.epc_list()));
  JEJAK_RETURN_IF_ERROR(CheckIdList("childEPCs", ev.child_epcs()));
  JEJAK_RETURN_IF_ERROR(CheckIdList("inputEPCList", ev.input_epc_list()));
  JEJAK_RETURN_IF_ERROR(CheckIdList("outputEPCList", ev.output_epc_list()));
  JEJAK_RETURN_IF_ERROR(CheckQuantityList("quantityList", ev.quantity_list()));
  JEJAK_RETURN_IF_ERROR(CheckQuantityList("childQuantityList", ev.child_quantity_list()));
  JEJAK_RETURN_IF_ERROR(CheckQuantityList("inputQuantityList", ev.input_quantity_list()));
  JEJAK_RETURN_IF_ERROR(CheckQuantityList("outputQuantityList", ev.output_quantity_list()));
  if (!ev.parent_id().empty()) {
    JEJAK_RETURN_IF_ERROR(CheckIdentifier("parentID", ev.parent_id(), IdLevel::kInstance));
  }
  if (!ev.transformation_id().empty()) {
    JEJAK_RETURN_IF_ERROR(CheckUri("transformationID", ev.transformation_id()));
  }
  return Status::Ok();
}

Status CheckSourceDest(const std::string& field,
                       const google::protobuf::RepeatedPtrField<jejak::v1::SourceDest>& list) {
  for (int i = 0; i < list.size(); ++i) {
    const std::string at = field + "[" + std::to_string(i) + "]";
    if (list[i].type().empty()) return Status::Invalid(at + ".type: missing");
    JEJAK_RETURN_IF_ERROR(CheckVocab(at + ".type", list[i].type(), Vocab::kSourceDestType));
    JEJAK_RETURN_IF_ERROR(CheckIdentifier(at, list[i].id(), IdLevel::kAny));
  }
  return Status::Ok();
}

Status CheckDispositionList(const std::string& field, const Strings& list) {
  std::set<std::string> seen;
  for (const std::string& d : list) {
    JEJAK_RETURN_IF_ERROR(CheckVocab(field, d, Vocab::kDisposition));
    if (!seen.insert(d).second) return Status::Invalid(field + ": " + Quote(d) + " is listed twice");
  }
  return Status::Ok();
}

Status CheckWhyWhereHow(const Event& ev) {
  if (!ev.biz_step().empty()) {
    JEJAK_RETURN_IF_ERROR(CheckVocab("bizStep", ev.biz_step(), Vocab::kBizStep));
  }
  if (!ev.disposition().empty()) {
    JEJAK_RETURN_IF_ERROR(CheckVocab("disposition", ev.disposition(), Vocab::kDisposition));
  }
  if (ev.has_persistent_disposition()) {
    if (ev.persistent_disposition().set().empty() && ev.persistent_disposition().unset().empty()) {
      return Status::Invalid("persistentDisposition: needs a \"set\" or an \"unset\" list");
    }
    JEJAK_RETURN_IF_ERROR(
        CheckDispositionList("persistentDisposition.set", ev.persistent_disposition().set()));
    JEJAK_RETURN_IF_ERROR(
        CheckDispositionList("persistentDisposition.unset", ev.persistent_disposition().unset()));
  }
  if (ev.has_read_point()) {
    JEJAK_RETURN_IF_ERROR(CheckIdentifier("readPoint.id", ev.read_point().id(), IdLevel::kAny));
  }
  if (ev.has_biz_location()) {
    JEJAK_RETURN_IF_ERROR(
        CheckIdentifier("bizLocation.id", ev.biz_location().id(), IdLevel::kAny));
  }
  for (int i = 0; i < ev.biz_transaction_list_size(); ++i) {
    const jejak::v1::BizTransaction& bt = ev.biz_transaction_list(i);
    const std::string at = "bizTransactionList[" + std::to_string(i) + "]";
    if (!bt.type().empty()) {
      JEJAK_RETURN_IF_ERROR(CheckVocab(at + ".type", bt.type(), Vocab::kBizTransactionType));
    }
    JEJAK_RETURN_IF_ERROR(
        CheckIdentifier(at + ".bizTransaction", bt.biz_transaction(), IdLevel::kAny));
  }
  JEJAK_RETURN_IF_ERROR(CheckSourceDest("sourceList", ev.source_list()));
  JEJAK_RETURN_IF_ERROR(CheckSourceDest("destinationList", ev.destination_list()));
  for (int i = 0; i < ev.sensor_element_list_size(); ++i) {
    JEJAK_RETURN_IF_ERROR(CheckSensorElement("sensorElementList[" + std::to_string(i) + "]",
                                             ev.sensor_element_list(i)));
  }
  for (const std::string& c : ev.certification_info()) {
    JEJAK_RETURN_IF_ERROR(CheckUri("certificationInfo", c));
  }
  if (!ev.event_id().empty()) JEJAK_RETURN_IF_ERROR(CheckUri("eventID", ev.event_id()));
  return Status::Ok();
}

Status CheckAll(const Event& ev) {
  if (*EventTypeName(ev.type()) == '\0') {
    return Status::Invalid("type: missing or not an EPCIS event type");
  }
  JEJAK_RETURN_IF_ERROR(CheckUnmodelledAndExtensions(ev));
  JEJAK_RETURN_IF_ERROR(CheckOwnContext(ev));
  JEJAK_RETURN_IF_ERROR(CheckTimes(ev));
  JEJAK_RETURN_IF_ERROR(CheckAction(ev));
  JEJAK_RETURN_IF_ERROR(CheckMembersBelong(ev));
  JEJAK_RETURN_IF_ERROR(CheckIlmd(ev));
  JEJAK_RETURN_IF_ERROR(CheckWhat(ev));
  JEJAK_RETURN_IF_ERROR(CheckWhatValues(ev));
  JEJAK_RETURN_IF_ERROR(CheckWhyWhereHow(ev));
  return CheckErrorDeclaration(ev);
}

}  // namespace

Status ValidateForCapture(const Event& ev) {
  // A refusal with no code of its own (a quantity's, a unit's) falls under the general one.
  return CheckAll(ev).WithRule(rule::kEpcisFormat);
}

Status ValidateAllForCapture(const std::vector<Event>& events) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    Status s = ValidateForCapture(events[i]);
    if (!s.ok()) return s.WithContext("event " + std::to_string(i + 1));
  }
  return Status::Ok();
}

}  // namespace jejak::epcis
