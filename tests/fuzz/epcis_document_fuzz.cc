// libFuzzer target: EPCIS 2.0 JSON-LD documents through the capture path of the CLI and the node:
// ParseDocument, ValidateAllForCapture, the ledger event id, and the export back to JSON.
//
// Beyond "never crashes", it checks what document.h promises: imported events export to a
// document that imports again to the same events (same JSON, same ledger event ids), and an Event
// keeps its id through its protobuf encoding (what a client signs and the node reads).
#include <string>
#include <vector>

#include "node/epcis/document.h"
#include "node/epcis/validate.h"
#include "node/ledger/ledger.h"
#include "tests/fuzz/fuzz_support.h"

using namespace jejak;  // NOLINT

namespace {

std::string IdText(const Result<std::string>& id) { return id.ok() ? *id : id.status().ToString(); }

// Through the protobuf encoding (what a client signs and the node reads).
void CheckEncoding(const v1::Event& event) {
  (void)epcis::ValidateForCapture(event);
  v1::Event decoded;
  if (!decoded.ParseFromString(event.SerializeAsString())) fuzz::Fail("Event does not decode");
  const Result<std::string> id = ledger::LedgerEventId(event);
  const Result<std::string> decoded_id = ledger::LedgerEventId(decoded);
  if (IdText(id) != IdText(decoded_id)) {
    fuzz::Fail("the event id changed through the protobuf encoding: " + IdText(id) + " vs " +
               IdText(decoded_id));
  }
}

// Exported as a document (which binds the namespaces the events use) and imported again.
void CheckExport(const std::vector<v1::Event>& events) {
  Result<std::string> exported = epcis::ExportDocument(events, "2026-01-01T00:00:00Z");
  if (!exported.ok()) return;  // e.g. an event without a type: refused, not exported
  Result<std::vector<v1::Event>> reread = epcis::ParseDocument(*exported);
  if (!reread.ok() || reread->size() != events.size()) {
    fuzz::Fail("an exported document does not import: " + reread.status().ToString());
  }
  for (size_t i = 0; i < events.size(); ++i) {
    Result<nlohmann::json> json = epcis::EventToJson(events[i]);
    Result<nlohmann::json> json_again = epcis::EventToJson((*reread)[i]);
    if (!json.ok() || !json_again.ok() || *json != *json_again) {
      fuzz::Fail("export/import changed event " + std::to_string(i + 1));
    }
    const Result<std::string> id = ledger::LedgerEventId(events[i]);
    const Result<std::string> id_again = ledger::LedgerEventId((*reread)[i]);
    if (IdText(id) != IdText(id_again)) {
      fuzz::Fail("export/import changed the id of event " + std::to_string(i + 1) + ": " +
                 IdText(id) + " vs " + IdText(id_again));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  Result<std::vector<v1::Event>> events = epcis::ParseDocument(text);
  if (!events.ok()) {
    if (events.status().message().empty()) fuzz::Fail("a refusal without a reason");
    Result<v1::Event> one = epcis::ParseEventJson(text);  // a lone event, as `jejak hash` reads it
    if (one.ok()) {
      CheckEncoding(*one);
      CheckExport({*one});
    }
    return 0;
  }
  (void)epcis::ValidateAllForCapture(*events);
  for (const v1::Event& event : *events) CheckEncoding(event);
  CheckExport(*events);
  return 0;
}
