// libFuzzer target: EPCIS 2.0 JSON-LD documents through the capture path of the CLI and the node:
// ParseDocument, ValidateAllForCapture, the ledger event id, and the export back to JSON.
//
// Beyond "never crashes", it checks what document.h promises: an imported event exports to JSON
// that imports again to the same event (same JSON, same ledger event id), and the Event survives
// its protobuf encoding (what a client signs and the node reads) with the same id.
#include <string>
#include <vector>

#include "node/epcis/document.h"
#include "node/epcis/validate.h"
#include "node/ledger/ledger.h"
#include "tests/fuzz/fuzz_support.h"

using namespace jejak;  // NOLINT

namespace {

void CheckOneEvent(const v1::Event& event) {
  (void)epcis::ValidateForCapture(event);
  Result<std::string> id = ledger::LedgerEventId(event);

  v1::Event decoded;
  if (!decoded.ParseFromString(event.SerializeAsString())) fuzz::Fail("Event does not decode");
  Result<std::string> decoded_id = ledger::LedgerEventId(decoded);
  if (id.ok() != decoded_id.ok() || (id.ok() && *id != *decoded_id)) {
    fuzz::Fail("the event id changed through the protobuf encoding");
  }

  Result<nlohmann::json> json = epcis::EventToJson(event);
  if (!json.ok()) return;  // e.g. no type: refused, not exported
  Result<v1::Event> again = epcis::ParseEventJson(json->dump());
  if (!again.ok()) fuzz::Fail("an exported event does not import: " + again.status().ToString());
  Result<nlohmann::json> json_again = epcis::EventToJson(*again);
  if (!json_again.ok() || *json_again != *json) fuzz::Fail("export/import changed the event");
  Result<std::string> id_again = ledger::LedgerEventId(*again);
  if (id.ok() != id_again.ok() || (id.ok() && *id != *id_again)) {
    fuzz::Fail("export/import changed the event id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = fuzz::AsText(data, size);
  Result<std::vector<v1::Event>> events = epcis::ParseDocument(text);
  if (!events.ok()) {
    if (events.status().message().empty()) fuzz::Fail("a refusal without a reason");
    (void)epcis::ParseEventJson(text);  // the single-event form of `jejak hash`
    return 0;
  }
  (void)epcis::ValidateAllForCapture(*events);
  for (const v1::Event& event : *events) CheckOneEvent(event);
  Result<std::string> exported = epcis::ExportDocument(*events, "2026-01-01T00:00:00Z");
  if (exported.ok()) {
    Result<std::vector<v1::Event>> reread = epcis::ParseDocument(*exported);
    if (!reread.ok() || reread->size() != events->size()) {
      fuzz::Fail("an exported document does not import: " + reread.status().ToString());
    }
  }
  return 0;
}
