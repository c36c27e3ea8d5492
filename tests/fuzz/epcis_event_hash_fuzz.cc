// libFuzzer target: the CBV 2.0 Event Hash ID over any JSON document (what `jejak hash` and the
// conformance tests compute), read through the bounded JSON reader the CLI uses.
//
// Checked besides "never crashes": a document yields a hash id per event or a refusal with a
// reason, and a hash id is "ni:///sha-256;" + SHA-256 of the event's pre-hash string + "?ver=CBV2.0".
#include <string>

#include "node/crypto/hex.h"
#include "node/crypto/sha256.h"
#include "node/epcis/document.h"
#include "node/epcis/event_hash.h"
#include "node/epcis/json_bounded.h"
#include "tests/fuzz/fuzz_support.h"

using namespace jejak;  // NOLINT

namespace {

std::string HashIdOf(const std::string& pre_hash) {
  return "ni:///sha-256;" + crypto::ToHex(crypto::Sha256(pre_hash)) + "?ver=CBV2.0";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<nlohmann::ordered_json> parsed =
      epcis::ParseJsonBounded(fuzz::AsText(data, size), epcis::kMaxDocumentBytes, epcis::kMaxJsonDepth);
  if (!parsed.ok()) return 0;
  const nlohmann::json document = nlohmann::json::parse(parsed->dump());
  Result<std::vector<std::string>> ids = epcis::DocumentEventHashIds(document);
  Result<std::vector<std::string>> pre = epcis::DocumentPreHashStrings(document);
  if (ids.ok() != pre.ok()) fuzz::Fail("hash ids and pre-hash strings disagree on success");
  if (!ids.ok()) {
    if (ids.status().message().empty()) fuzz::Fail("a refusal without a reason");
  } else {
    if (ids->size() != pre->size()) fuzz::Fail("hash ids and pre-hash strings differ in number");
    for (size_t i = 0; i < ids->size(); ++i) {
      if ((*ids)[i] != HashIdOf((*pre)[i])) fuzz::Fail("hash id is not the pre-hash string's");
    }
  }
  // A lone event object, as `jejak hash` reads one.
  if (parsed->is_object()) {
    const epcis::NamespaceMap namespaces = epcis::DocumentNamespaces(document);
    Result<std::string> id = epcis::EventHashId(document, namespaces);
    Result<std::string> pre_hash = epcis::EventPreHashString(document, namespaces);
    if (id.ok() != pre_hash.ok() || (id.ok() && *id != HashIdOf(*pre_hash))) {
      fuzz::Fail("a lone event's hash id is not its pre-hash string's");
    }
  }
  return 0;
}
