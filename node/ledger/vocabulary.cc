#include "node/ledger/vocabulary.h"

#include "node/epcis/identifiers.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The prefix the event binds to the jejak namespace ("jejak" when the event binds none).
std::string JejakPrefix(const v1::Event& event) {
  bool jejak_bound_elsewhere = false;
  for (const v1::NamespaceBinding& ns : event.namespaces()) {
    if (ns.uri() == kJejakNamespace) return ns.prefix();
    if (ns.prefix() == "jejak") jejak_bound_elsewhere = true;
  }
  return jejak_bound_elsewhere ? std::string() : std::string("jejak");
}

Result<std::string> NormalizeLotIdWords(std::string_view raw) {
  if (raw.empty()) return Status::Invalid("a lot id is empty");
  if (raw.size() > kMaxLotIdBytes) {
    return Status::Invalid("lot id " + std::string(raw.substr(0, 64)) + "... is longer than " +
                           std::to_string(kMaxLotIdBytes) + " bytes");
  }
  if (raw.find('\0') != std::string_view::npos) {
    return Status::Invalid("a lot id holds a NUL byte");
  }
  auto id = epcis::NormalizeIdentifier(raw);
  if (!id.ok()) return id.status();
  if (StartsWith(*id, "urn:epc:idpat:")) {
    return Status::Invalid(*id + " is a product pattern, not a lot: name a lot (lgtin, an instance "
                           "EPC or urn:jejak:lot:<org>:<id>)");
  }
  return id;
}

}  // namespace

Result<std::string> NormalizeLotId(std::string_view raw) {
  Result<std::string> id = NormalizeLotIdWords(raw);
  if (!id.ok()) return id.status().WithRule(rule::kLotIdMalformed);
  return id;
}

std::string ProductOfLotId(std::string_view lot_id) {
  std::string_view rest;
  if (StartsWith(lot_id, "urn:epc:class:lgtin:")) {
    rest = lot_id.substr(20);
  } else if (StartsWith(lot_id, "urn:epc:id:sgtin:")) {
    rest = lot_id.substr(17);
  } else {
    return "";
  }
  size_t last_dot = rest.rfind('.');
  if (last_dot == std::string_view::npos) return "";
  return "urn:epc:idpat:sgtin:" + std::string(rest.substr(0, last_dot)) + ".*";
}

std::string CbvShortName(std::string_view term) {
  if (StartsWith(term, "https://ref.gs1.org/cbv/")) {
    std::string_view rest = term.substr(24);
    size_t dash = rest.find('-');
    return std::string(dash == std::string_view::npos ? rest : rest.substr(dash + 1));
  }
  if (StartsWith(term, "urn:epcglobal:cbv:")) {
    size_t colon = term.rfind(':');
    return std::string(term.substr(colon + 1));
  }
  return std::string(term);
}

std::optional<std::string> FindJejakMember(
    const v1::Event& event, const google::protobuf::RepeatedPtrField<v1::JsonMember>& members,
    std::string_view name) {
  std::string prefix = JejakPrefix(event);
  std::string key = prefix.empty() ? std::string() : prefix + ":" + std::string(name);
  std::string iri = std::string(kJejakNamespace) + std::string(name);
  for (const v1::JsonMember& m : members) {
    if ((!key.empty() && m.key() == key) || m.key() == iri) return m.json();
  }
  return std::nullopt;
}

}  // namespace jejak::ledger
