// storage_bench: synced block commit rate of jejak::storage::Store with the default (laptop)
// options, for blocks of 1, 100 and 1,000 events. Prints figures; asserts nothing.
//
// Each event is a ~600-byte SignedEvent and brings the ~5 writes a ledger would make for it:
// the event record, the lot record, a lot-history entry, an organisation-history entry, and a
// counter in the state table. Only CommitBlock is timed; building blocks is not.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "node/storage/store.h"

namespace {

using jejak::ledger::Table;
using jejak::ledger::WriteSet;
using jejak::storage::Store;
using jejak::storage::StoreOptions;

constexpr char kChain[] = "jejak-bench";

std::string RandomBytes(std::mt19937_64& rng, size_t size) {
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

// JSON-like text compresses like real events do: repetitive field names, varying values.
std::string EventText(std::mt19937_64& rng, uint64_t serial) {
  std::string text =
      "{\"type\":\"ObjectEvent\",\"eventTime\":\"2026-11-22T10:00:00Z\","
      "\"bizStep\":\"commissioning\",\"epcList\":[\"urn:jejak:lot:gayo:" +
      std::to_string(serial) + "\"],\"readPoint\":\"urn:epc:id:sgln:0614141.07346." +
      std::to_string(rng() % 10000) + "\",\"quantity\":" + std::to_string(rng() % 100000) +
      ",\"ilmd\":{\"note\":\"";
  while (text.size() < 480) text += static_cast<char>('a' + rng() % 26);
  return text + "\"}}";
}

struct Built {
  jejak::v1::Block block;
  jejak::v1::CommitCertificate certificate;
  WriteSet writes;
};

Built BuildBlock(std::mt19937_64& rng, uint64_t height, int events, uint64_t* serial) {
  Built b;
  auto* header = b.block.mutable_header();
  header->set_chain_id(kChain);
  header->set_height(height);
  header->set_time_ms(1790000000000 + static_cast<int64_t>(height) * 1000);
  header->set_previous_block_hash(RandomBytes(rng, 32));
  header->set_events_root(RandomBytes(rng, 32));
  header->set_validator_set_hash(RandomBytes(rng, 32));
  header->set_proposer("validator-" + std::to_string(height % 4));
  header->set_event_count(static_cast<uint32_t>(events));
  for (int i = 0; i < events; ++i, ++*serial) {
    auto* event = b.block.add_events();
    event->set_event_bytes(EventText(rng, *serial));
    event->set_signer_key_id("koperasi-gayo/agent-1");
    event->set_signature(RandomBytes(rng, 64));
    const std::string event_id = "ni:///sha-256;" + RandomBytes(rng, 32) + "?ver=CBV2.0";
    const std::string lot = "urn:jejak:lot:gayo:" + std::to_string(*serial);
    b.writes.Put(Table::kEvents, event_id, event->SerializeAsString() + RandomBytes(rng, 24));
    b.writes.Put(Table::kLots, lot,
                 "owner=koperasi-gayo;custodian=koperasi-gayo;qty=" +
                     std::to_string(rng() % 100000) + ";unit=KGM");
    b.writes.Put(Table::kLotEvents, lot + "/00000001", event_id);
    b.writes.Put(Table::kOrgEvents, "koperasi-gayo/" + std::to_string(*serial), event_id);
    b.writes.Put(Table::kState, "counter/" + std::to_string(*serial % 64), std::to_string(*serial));
  }
  b.certificate.set_height(height);
  b.certificate.set_block_hash(RandomBytes(rng, 32));
  for (int v = 0; v < 3; ++v) {  // 2f+1 of 4 validators
    auto* signature = b.certificate.add_signatures();
    signature->set_validator_id("validator-" + std::to_string(v));
    signature->set_signature(RandomBytes(rng, 64));
  }
  return b;
}

void RunOne(const std::string& root, int events_per_block, int max_blocks, double budget_s) {
  const std::string dir = root + "/db-" + std::to_string(events_per_block);
  StoreOptions options;
  options.chain_id = kChain;
  auto opened = Store::Open(dir, options);
  if (!opened.ok()) {
    std::printf("open failed: %s\n", opened.status().ToString().c_str());
    return;
  }
  Store& store = **opened;
  std::mt19937_64 rng(42);
  uint64_t serial = 0;
  std::vector<double> latencies_ms;
  double total_s = 0;
  size_t bytes = 0;
  for (int i = 0; i < max_blocks && total_s < budget_s; ++i) {
    Built b = BuildBlock(rng, store.head_height() + 1, events_per_block, &serial);
    bytes += b.block.ByteSizeLong();
    const auto start = std::chrono::steady_clock::now();
    jejak::Status status = store.CommitBlock(b.block, b.certificate, b.writes);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!status.ok()) {
      std::printf("commit failed: %s\n", status.ToString().c_str());
      return;
    }
    total_s += s;
    latencies_ms.push_back(s * 1000);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const size_t n = latencies_ms.size();
  std::printf(
      "%6d events/block  %5zu blocks  %9.1f blocks/s  %10.0f events/s  %7.1f block MB/s  "
      "p50 %7.2f ms  p99 %7.2f ms\n",
      events_per_block, n, n / total_s, n * events_per_block / total_s, bytes / total_s / 1e6,
      latencies_ms[n / 2], latencies_ms[std::min(n - 1, n * 99 / 100)]);
}

}  // namespace

int main() {
  std::string pattern = (std::filesystem::temp_directory_path() / "storage_bench_XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  StoreOptions defaults;
  std::printf(
      "storage_bench: synced CommitBlock, block cache %zu MiB, write buffer %zu MiB "
      "(total %zu MiB), dir %s\n",
      defaults.block_cache_bytes >> 20, defaults.write_buffer_bytes >> 20,
      defaults.total_write_buffer_bytes >> 20, pattern.c_str());
  RunOne(pattern, 1, 2000, 3.0);
  RunOne(pattern, 100, 500, 3.0);
  RunOne(pattern, 1000, 60, 3.0);
  std::error_code ignored;
  std::filesystem::remove_all(pattern, ignored);
  return 0;
}
