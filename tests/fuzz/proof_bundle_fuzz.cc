// libFuzzer target: proof bundles as a buyer's `jejak verify` reads them: ParseProofBundle, then
// VerifyProofBundle against the genesis of a real certified chain (tests/unit/ledger/
// proof_chain.h: 4 validators, 3 sign each block), whose genuine bundles are the seeds. Mutations
// of a genuine bundle therefore reach every check of the verifier, not only the JSON reader.
//
// Checked besides "never crashes": a bundle that parses writes back (ProofBundleToJson) to JSON
// that parses to the same JSON, and every refusal names its reason.
#include <string>

#include "node/ledger/proof_builder.h"
#include "node/ledger/proof_verify.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/unit/ledger/proof_chain.h"
#include "tests/unit/ledger/test_support.h"

using namespace jejak;            // NOLINT
using namespace jejak::ledger::testing;  // NOLINT

namespace {

// Each lot in its creator's namespace (the [lot-namespace] rule): r is the roaster's.
std::string Lot(const std::string& s) {
  return std::string("urn:jejak:lot:") + (s == "r" ? kRoaster : kGayo) + ":" + s;
}

// The chain of tests/unit/ledger/proof_verify_test.cc: cherries a and b -> green g (certified)
// -> shipped, received, roasted r, packed on a pallet, the pallet shipped; an unrelated lot x.
std::unique_ptr<CertifiedChain> BuildChain() {
  auto chain = std::make_unique<CertifiedChain>(FourValidatorGenesis(), ValidatorKeys(), 3);
  Events ev;
  const std::string pallet = "urn:epc:id:sscc:8990002.0000000001";
  const std::vector<std::vector<std::pair<std::string, v1::Event>>> blocks = {
      {{kGayo, ev.Commission(Lot("a"), 100)}, {kGayo, ev.Commission(Lot("b"), 100)},
       {kGayo, ev.Commission(Lot("x"), 5)}},
      {{kGayo, ev.Transform({{Lot("a"), 100}, {Lot("b"), 100}}, {{Lot("g"), 150}})},
       {kCertifier, ev.Certify(Lot("g"), std::string(64, 'a'), kT0, kT0 + 30 * kDayMs)}},
      {{kGayo, ev.Ship(Lot("g"), kRoasterPgln)}},
      {{kRoaster, ev.Receive(Lot("g"))},
       {kRoaster, ev.Transform({{Lot("g"), 150}}, {{Lot("r"), 120}})},
       {kRoaster, ev.Pack(pallet, {Lot("r")})}},
      {{kRoaster, ev.Ship(pallet, ledger::OrgPartyId(kTrucks))}}};
  for (const auto& block : blocks) {
    std::vector<v1::SignedEvent> signed_events;
    for (const auto& [org, event] : block) signed_events.push_back(Sign(org, event));
    const Status s = chain->Commit(signed_events, ev.now_ms() + 1000);  // recorded after its events
    if (!s.ok()) fuzz::Fail("the seed chain does not build: " + s.ToString());
  }
  return chain;
}

const CertifiedChain* g_chain = nullptr;

void WriteSeed(const std::string& name, const std::string& lot, bool forward) {
  ledger::ProofOptions options;
  options.forward = forward;
  auto bundle = ledger::BuildProofBundle(g_chain->genesis(), g_chain->state(), *g_chain, lot, options);
  if (!bundle.ok()) fuzz::Fail("the seed bundle does not build: " + bundle.status().ToString());
  fuzz::WriteSeed(name, ledger::ProofBundleToJson(*bundle, 1));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static std::unique_ptr<CertifiedChain> chain = BuildChain();
  g_chain = chain.get();
  WriteSeed("bundle-r-back.json", Lot("r"), false);
  WriteSeed("bundle-a-forward.json", Lot("a"), true);
  WriteSeed("bundle-x.json", Lot("x"), false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Result<ledger::ProofBundle> bundle = ledger::ParseProofBundle(fuzz::AsText(data, size));
  if (!bundle.ok()) {
    if (bundle.status().message().empty()) fuzz::Fail("a refusal without a reason");
    return 0;
  }
  const std::string json = ledger::ProofBundleToJson(*bundle);
  Result<ledger::ProofBundle> again = ledger::ParseProofBundle(json);
  if (!again.ok()) fuzz::Fail("a written bundle does not parse: " + again.status().ToString());
  if (ledger::ProofBundleToJson(*again) != json) fuzz::Fail("a written bundle changed on reading");
  Result<ledger::VerifiedTrace> trace = ledger::VerifyProofBundle(g_chain->genesis(), *bundle);
  if (!trace.ok() && trace.status().message().empty()) fuzz::Fail("a refusal without a reason");
  return 0;
}
