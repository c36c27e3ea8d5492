// Proof bundles for traces of 10, 100 and 1,000 upstream events: build time, bundle size and
// offline verification time, and the ratio of verification time to (signatures checked x one
// Ed25519 verify). The chain is one line of transformations (lot i -> lot i+1) committed 20
// events per block, certificates signed by 3 of 4 validators. Prints figures; asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "node/crypto/ed25519.h"
#include "node/ledger/proof_builder.h"
#include "node/ledger/proof_verify.h"
#include "tests/unit/ledger/proof_chain.h"

namespace jejak::ledger {
namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kChain = "jejak-bench-1";
constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z
constexpr size_t kEventsPerBlock = 20;

crypto::PrivateKey Key(uint8_t seed) {
  return std::move(crypto::PrivateKey::FromSeed(std::string(32, static_cast<char>(seed)))).value();
}

Genesis BenchGenesis() {
  Genesis g;
  g.chain_id = kChain;
  g.organisations.push_back({"koperasi-gayo", "Koperasi Gayo", {Role::kProducer, Role::kProcessor},
                             {OrgPartyId("koperasi-gayo")}, {{"clerk", Key(1).public_key(), true}}});
  for (uint8_t i = 1; i <= 4; ++i) {
    g.validators.push_back({"v" + std::to_string(i), "koperasi-gayo", Key(100 + i).public_key(),
                            "127.0.0.1:700" + std::to_string(i), std::string(32, char(i))});
  }
  return g;
}

std::string Rfc3339(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Lot(size_t i) { return "urn:jejak:lot:koperasi-gayo:l" + std::to_string(i); }

void AddQuantity(google::protobuf::RepeatedPtrField<v1::QuantityElement>* list,
                 const std::string& lot) {
  v1::QuantityElement* q = list->Add();
  q->set_epc_class(lot);
  q->set_quantity_micros(1000'000'000);
  q->set_uom("KGM");
}

// Event i: commissions lot 0 (i = 0) or turns lot i-1 into lot i.
v1::Event ChainEvent(size_t i) {
  v1::Event e;
  int64_t t = kT0 + static_cast<int64_t>(i) * 60000;
  e.set_event_time(Rfc3339(t));
  e.set_event_time_ms(t);
  e.set_event_time_zone_offset("+07:00");
  if (i == 0) {
    e.set_type(v1::OBJECT_EVENT);
    e.set_action(v1::ADD);
    e.set_biz_step("commissioning");
    AddQuantity(e.mutable_quantity_list(), Lot(0));
  } else {
    e.set_type(v1::TRANSFORMATION_EVENT);
    AddQuantity(e.mutable_input_quantity_list(), Lot(i - 1));
    AddQuantity(e.mutable_output_quantity_list(), Lot(i));
  }
  return e;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double SingleVerifySeconds() {
  crypto::PrivateKey key = Key(7);
  std::string message(32, 'm');
  std::string signature = key.Sign(message);
  constexpr int kRounds = 2000;
  auto start = Clock::now();
  int ok = 0;
  for (int i = 0; i < kRounds; ++i) ok += crypto::Verify(key.public_key(), message, signature);
  double s = Seconds(Clock::now() - start) / kRounds;
  if (ok != kRounds) std::printf("warning: single verify failed\n");
  return s;
}

void Run(size_t events, double single_verify_s) {
  Genesis genesis = BenchGenesis();
  std::vector<crypto::PrivateKey> validator_keys;
  for (uint8_t i = 1; i <= 4; ++i) validator_keys.push_back(Key(100 + i));
  testing::CertifiedChain chain(genesis, std::move(validator_keys), 3);
  crypto::PrivateKey clerk = Key(1);
  std::vector<v1::SignedEvent> block;
  for (size_t i = 0; i < events; ++i) {
    block.push_back(std::move(SignEvent(clerk, kChain, ChainEvent(i))).value());
    if (block.size() == kEventsPerBlock || i + 1 == events) {
      // Recorded when its latest event happened (ChainEvent's time).
      Status s = chain.Commit(block, kT0 + static_cast<int64_t>(i) * 60000);
      if (!s.ok()) {
        std::printf("chain of %zu: %s\n", events, s.ToString().c_str());
        return;
      }
      block.clear();
    }
  }
  auto start = Clock::now();
  auto bundle = BuildProofBundle(genesis, chain.state(), chain, Lot(events - 1));
  double build_s = Seconds(Clock::now() - start);
  if (!bundle.ok()) {
    std::printf("build: %s\n", bundle.status().ToString().c_str());
    return;
  }
  std::string json = ProofBundleToJson(*bundle, 1);
  std::vector<double> runs;
  size_t signatures = 0;
  for (int r = 0; r < 5; ++r) {
    auto t0 = Clock::now();
    auto trace = VerifyProofBundle(genesis, std::string_view(json));
    runs.push_back(Seconds(Clock::now() - t0));
    if (!trace.ok()) {
      std::printf("verify: %s\n", trace.status().ToString().c_str());
      return;
    }
    signatures = trace->signatures_verified;
  }
  std::sort(runs.begin(), runs.end());
  double verify_s = runs[runs.size() / 2];
  std::printf("%6zu events %4zu blocks | bundle %9zu bytes (%6.0f B/event) | build %8.2f ms | "
              "verify %8.2f ms (median of 5) | %5zu signatures | verify / (sigs x 1 verify) "
              "= %.2f\n",
              bundle->events.size(), bundle->blocks.size(), json.size(),
              static_cast<double>(json.size()) / static_cast<double>(bundle->events.size()),
              build_s * 1e3, verify_s * 1e3, signatures,
              verify_s / (static_cast<double>(signatures) * single_verify_s));
}

}  // namespace
}  // namespace jejak::ledger

int main() {
  double single = jejak::ledger::SingleVerifySeconds();
  std::printf("proof_bench: one Ed25519 verify = %.1f us; %zu events per block, 3 of 4 "
              "validators sign each certificate\n",
              single * 1e6, jejak::ledger::kEventsPerBlock);
  for (size_t n : {10, 100, 1000}) jejak::ledger::Run(n, single);
  return 0;
}
