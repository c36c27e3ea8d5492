// trace_bench: TraceBack through a lot with 10,000 ancestors in a store of 1,000,000 events.
// Prints figures; asserts nothing.
//
// The store is a real storage::Store (RocksDB, default laptop options) filled by the real ledger
// rules: 1,000 pre-built blocks of 1,000 events applied with LedgerOptions::verify_signatures =
// false (the events carry a known agent key id and a dummy signature; checking 1,000,000 Ed25519
// signatures would only measure crypto_bench again). Each block holds 11 events of the deep lot's
// tree, spread over the first ~910 blocks so its records are scattered through the database:
//   9,900 harvest lots  -> 100 transformations of 99 harvests each -> 1 transformation of the 100
//   intermediate lots into the deep lot: 9,900 + 100 = 10,000 ancestors.
// The other ~990,000 events are ordinary traffic: two lots commissioned, transformed into one,
// shipped.
//
// Timed: ledger::TraceBack over a store snapshot (what jejakd's TraceBack does), and the same plus
// reading each named event record with ledger::GetEvents (what jejakd's answer also carries). "Cold" opens the store
// afresh before each run (empty RocksDB block cache; the OS page cache stays as it is); "warm"
// repeats on an open store. p50 and max of the runs.
//
// Usage: trace_bench [DIR]   With DIR, the store is kept there and reused by the next run.
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "node/crypto/ed25519.h"
#include "node/ledger/block.h"
#include "node/ledger/keys.h"
#include "node/ledger/ledger.h"
#include "node/ledger/queries.h"
#include "node/storage/store.h"

namespace jejak {
namespace {

constexpr const char* kChain = "jejak-trace-bench";
constexpr const char* kOrg = "koperasi-gayo";
constexpr int kBlocks = 1000;
constexpr int kBlockEvents = 1000;
constexpr int kDeepPerBlock = 11;
constexpr int kMids = 100;
constexpr int kOriginsPerMid = 99;
constexpr int kOrigins = kMids * kOriginsPerMid;
constexpr int kDeepEvents = kOrigins + kMids + 1;
constexpr int kColdRuns = 3;
constexpr int kWarmRuns = 5;
// The laptop default, and a cache that holds the trace's whole working set.
constexpr size_t kCacheSizes[] = {storage::StoreOptions().block_cache_bytes, size_t{512} << 20};
constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z
const std::string kDeepLot = "urn:jejak:lot:koperasi-gayo:deep-root";

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string Origin(int i) { return "urn:jejak:lot:koperasi-gayo:deep-h" + std::to_string(i); }
std::string Mid(int i) { return "urn:jejak:lot:koperasi-gayo:deep-m" + std::to_string(i); }
std::string Filler(int unit, char part) {
  return "urn:jejak:lot:koperasi-gayo:f" + std::to_string(unit) + part;
}

ledger::Genesis BenchGenesis(const crypto::PrivateKey& agent, const crypto::PrivateKey& node) {
  ledger::Genesis g;
  g.chain_id = kChain;
  g.organisations.push_back({kOrg, "Koperasi Gayo", {ledger::Role::kProducer, ledger::Role::kProcessor},
                             {ledger::OrgPartyId(kOrg)}, {{"clerk", agent.public_key(), true}}});
  g.organisations.push_back({"roaster-bandung", "Roaster", {ledger::Role::kProcessor},
                             {ledger::OrgPartyId("roaster-bandung")}, {}});
  g.validators.push_back({"v1", kOrg, node.public_key(), "127.0.0.1:7001", std::string(32, '\x01')});
  return g;
}

v1::Event BaseEvent(v1::EventType type, int64_t serial) {
  v1::Event e;
  e.set_type(type);
  e.set_event_time("2026-03-01T08:00:00.000Z");  // lot ids make every event distinct
  e.set_event_time_ms(kT0 + serial * 1000);
  e.set_event_time_zone_offset("+07:00");
  return e;
}

void AddQuantity(google::protobuf::RepeatedPtrField<v1::QuantityElement>* list,
                 const std::string& lot, double quantity) {
  v1::QuantityElement* q = list->Add();
  q->set_epc_class(lot);
  q->set_quantity_micros(std::llround(quantity * 1e6));
  q->set_uom("KGM");
}

v1::Event Commission(const std::string& lot, double quantity, int64_t serial) {
  v1::Event e = BaseEvent(v1::OBJECT_EVENT, serial);
  e.set_action(v1::ADD);
  e.set_biz_step("commissioning");
  AddQuantity(e.mutable_quantity_list(), lot, quantity);
  return e;
}

v1::Event Transform(const std::vector<std::string>& inputs, double each, const std::string& output,
                    int64_t serial) {
  v1::Event e = BaseEvent(v1::TRANSFORMATION_EVENT, serial);
  for (const std::string& in : inputs) AddQuantity(e.mutable_input_quantity_list(), in, each);
  AddQuantity(e.mutable_output_quantity_list(), output, each * static_cast<double>(inputs.size()));
  return e;
}

// Event `n` of the deep lot's tree: origins, then the intermediate lots, then the deep lot.
v1::Event DeepEvent(int n, int64_t serial) {
  if (n < kOrigins) return Commission(Origin(n), 10, serial);
  if (n < kOrigins + kMids) {
    int mid = n - kOrigins;
    std::vector<std::string> inputs;
    for (int k = 0; k < kOriginsPerMid; ++k) inputs.push_back(Origin(mid * kOriginsPerMid + k));
    return Transform(inputs, 10, Mid(mid), serial);
  }
  std::vector<std::string> inputs;
  for (int k = 0; k < kMids; ++k) inputs.push_back(Mid(k));
  return Transform(inputs, 10.0 * kOriginsPerMid, kDeepLot, serial);
}

// Ordinary traffic, four events per unit: commission A and B, transform both into C, ship C.
v1::Event FillerEvent(int n, int64_t serial) {
  int unit = n / 4;
  switch (n % 4) {
    case 0: return Commission(Filler(unit, 'a'), 60, serial);
    case 1: return Commission(Filler(unit, 'b'), 40, serial);
    case 2: {
      v1::Event e = BaseEvent(v1::TRANSFORMATION_EVENT, serial);
      AddQuantity(e.mutable_input_quantity_list(), Filler(unit, 'a'), 60);
      AddQuantity(e.mutable_input_quantity_list(), Filler(unit, 'b'), 40);
      AddQuantity(e.mutable_output_quantity_list(), Filler(unit, 'c'), 100);
      return e;
    }
    default: {
      v1::Event e = BaseEvent(v1::OBJECT_EVENT, serial);
      e.set_action(v1::OBSERVE);
      e.set_biz_step("shipping");
      AddQuantity(e.mutable_quantity_list(), Filler(unit, 'c'), 100);
      v1::SourceDest* d = e.add_destination_list();
      d->set_type("possessing_party");
      d->set_id(ledger::OrgPartyId("roaster-bandung"));
      return e;
    }
  }
}

struct Builder {
  std::string key_id;
  int deep_next = 0;
  int filler_next = 0;
  int64_t serial = 0;

  v1::Block Next(uint64_t height, const std::string& previous_hash) {
    v1::Block block;
    for (int i = 0; i < kBlockEvents; ++i, ++serial) {
      bool deep = i < kDeepPerBlock && deep_next < kDeepEvents;
      v1::Event e = deep ? DeepEvent(deep_next++, serial) : FillerEvent(filler_next++, serial);
      v1::SignedEvent* s = block.add_events();
      s->set_event_bytes(e.SerializeAsString());
      s->set_signer_key_id(key_id);
      s->set_signature(std::string(64, '\0'));  // never checked: verify_signatures = false
    }
    v1::BlockHeader* h = block.mutable_header();
    h->set_chain_id(kChain);
    h->set_height(height);
    h->set_time_ms(kT0 + static_cast<int64_t>(height) * 1000);
    h->set_previous_block_hash(previous_hash);
    h->set_event_count(static_cast<uint32_t>(block.events_size()));
    h->set_events_root(ledger::EventsRoot(block));
    return block;
  }
};

Result<std::unique_ptr<storage::Store>> OpenStore(const std::string& dir,
                                                  size_t cache_bytes = kCacheSizes[0]) {
  storage::StoreOptions options;
  options.chain_id = kChain;
  options.block_cache_bytes = cache_bytes;
  return storage::Store::Open(dir, options);
}

Status BuildStore(storage::Store& store, const ledger::Genesis& genesis, const std::string& key_id) {
  ledger::Ledger ledger(genesis, {.verify_signatures = false});
  Builder builder{key_id};
  std::string previous;
  double apply_ms = 0, commit_ms = 0;
  auto start = Clock::now();
  for (int b = 1; b <= kBlocks; ++b) {
    v1::Block block = builder.Next(static_cast<uint64_t>(b), previous);
    auto t = Clock::now();
    auto writes = ledger.ApplyBlock(store, block);
    apply_ms += MsSince(t);
    if (!writes.ok()) return writes.status().WithContext("block " + std::to_string(b));
    previous = ledger::BlockHash(block.header());
    v1::CommitCertificate certificate;
    certificate.set_height(static_cast<uint64_t>(b));
    certificate.set_block_hash(previous);
    t = Clock::now();
    JEJAK_RETURN_IF_ERROR(store.CommitBlock(block, certificate, *writes));
    commit_ms += MsSince(t);
    if (b % 100 == 0) {
      std::printf("  %4d blocks, %7d events, %6.1f s\n", b, b * kBlockEvents, MsSince(start) / 1000);
    }
  }
  double total_s = MsSince(start) / 1000;
  std::printf("built the store: %d events in %.1f s (%.0f events/s): rules %.1f s, synced commits "
              "%.1f s, making blocks %.1f s\n",
              kBlocks * kBlockEvents, total_s, kBlocks * kBlockEvents / total_s, apply_ms / 1000,
              commit_ms / 1000, total_s - (apply_ms + commit_ms) / 1000);
  return Status::Ok();
}

struct Timing {
  std::vector<double> trace_ms, with_events_ms;
  void Print(const char* name) {
    for (auto* v : {&trace_ms, &with_events_ms}) std::sort(v->begin(), v->end());
    std::printf("%-5s (%2zu runs)  TraceBack p50 %7.1f ms  max %7.1f ms   + event records p50 %7.1f ms"
                "  max %7.1f ms\n",
                name, trace_ms.size(), trace_ms[trace_ms.size() / 2], trace_ms.back(),
                with_events_ms[with_events_ms.size() / 2], with_events_ms.back());
  }
};

// One TraceBack as jejakd runs it, then the event records its answer carries. Ok and the sizes.
Status TimeOnce(const storage::Store& store, Timing& timing, size_t* lots, size_t* edges) {
  auto start = Clock::now();
  auto snapshot = store.Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  auto graph = ledger::TraceBack(**snapshot, kDeepLot, 2 * ledger::kDefaultMaxTraceLinkedLots);
  if (!graph.ok()) return graph.status();
  timing.trace_ms.push_back(MsSince(start));
  // jejakd's answer names each event once, in the order it first appears (nodes, then edges).
  std::set<std::string> seen;
  std::vector<std::string> ids;
  for (const ledger::TraceNode& node : graph->nodes) {
    if (seen.insert(node.lot.created_by_event_id()).second) {
      ids.push_back(node.lot.created_by_event_id());
    }
  }
  for (const ledger::TraceEdge& edge : graph->edges) {
    if (seen.insert(edge.event_id).second) ids.push_back(edge.event_id);
  }
  auto events = ledger::GetEvents(**snapshot, ids);
  if (!events.ok()) return events.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!(*events)[i].has_value()) return Status::Corruption("event " + ids[i] + " missing");
  }
  timing.with_events_ms.push_back(MsSince(start));
  std::printf("  run: TraceBack %.1f ms, with event records %.1f ms\n", timing.trace_ms.back(),
              timing.with_events_ms.back());
  *lots = graph->nodes.size();
  *edges = graph->edges.size();
  return Status::Ok();
}

// Where a warm trace spends its time: each kind of read it makes, once per lot of the trace.
Status Breakdown(const ledger::StateReader& state) {
  auto graph = ledger::TraceBack(state, kDeepLot, 2 * ledger::kDefaultMaxTraceLinkedLots);
  if (!graph.ok()) return graph.status();
  std::vector<std::string> lots, events;
  for (const ledger::TraceNode& node : graph->nodes) {
    lots.push_back(node.lot.lot_id());
    events.push_back(node.lot.created_by_event_id());
  }
  auto time_each = [&](const char* what, const std::vector<std::string>& ids, auto&& read) {
    auto start = Clock::now();
    for (const std::string& id : ids) {
      if (!read(id)) return Status::Internal(std::string(what) + " failed on " + id);
    }
    double ms = MsSince(start);
    std::printf("  %-34s %6zu x %6.1f us = %6.1f ms\n", what, ids.size(), 1000 * ms / ids.size(),
                ms);
    return Status::Ok();
  };
  auto count_scan = [&](ledger::Table table, const std::string& prefix) {
    return state.Scan(table, prefix, [](std::string_view, std::string_view) { return true; }).ok();
  };
  std::printf("warm breakdown:\n");
  JEJAK_RETURN_IF_ERROR(time_each("GetLot (lots)", lots, [&](const std::string& id) {
    auto r = ledger::GetLot(state, id);
    return r.ok() && r->has_value();
  }));
  JEJAK_RETURN_IF_ERROR(time_each("Scan lot_links (parents)", lots, [&](const std::string& id) {
    return count_scan(ledger::Table::kLotLinks,
                      ledger::keys::LotLinksPrefix(id, ledger::keys::LinkDirection::kParent));
  }));
  JEJAK_RETURN_IF_ERROR(time_each("Scan state (certificates)", lots, [&](const std::string& id) {
    return count_scan(ledger::Table::kState, ledger::keys::CertificatesPrefix(id));
  }));
  JEJAK_RETURN_IF_ERROR(time_each("GetEvent (events)", events, [&](const std::string& id) {
    auto r = ledger::GetEvent(state, id);
    return r.ok() && r->has_value();
  }));
  // The same reads batched as TraceBack and jejakd now make them (kMaxReadBatch keys a call).
  auto time_batched = [&](const char* what, const std::vector<std::string>& keys, auto&& read) {
    auto start = Clock::now();
    for (size_t at = 0; at < keys.size(); at += ledger::kMaxReadBatch) {
      const size_t count = std::min(ledger::kMaxReadBatch, keys.size() - at);
      if (!read(std::span<const std::string>(keys.data() + at, count))) {
        return Status::Internal(std::string(what) + " failed");
      }
    }
    double ms = MsSince(start);
    std::printf("  %-34s %6zu x %6.1f us = %6.1f ms\n", what, keys.size(),
                1000 * ms / keys.size(), ms);
    return Status::Ok();
  };
  auto keys_of = [&](const std::vector<std::string>& ids, auto&& make) {
    std::vector<std::string> out;
    for (const std::string& id : ids) out.push_back(make(id));
    return out;
  };
  auto count_many = [&](ledger::Table table, std::span<const std::string> prefixes) {
    return state
        .ScanMany(table, prefixes,
                  [](size_t, std::string_view, std::string_view) {
                    return ledger::ScanNext::kContinue;
                  })
        .ok();
  };
  std::printf("warm breakdown, batched:\n");
  JEJAK_RETURN_IF_ERROR(time_batched(
      "GetMany (lots)", keys_of(lots, [](const std::string& id) { return ledger::keys::LotKey(id); }),
      [&](std::span<const std::string> keys) {
        return state.GetMany(ledger::Table::kLots, keys).ok();
      }));
  JEJAK_RETURN_IF_ERROR(time_batched(
      "ScanMany (lots, first key only)",
      keys_of(lots, [](const std::string& id) { return ledger::keys::LotKey(id); }),
      [&](std::span<const std::string> keys) {
        return state
            .ScanMany(ledger::Table::kLots, keys,
                      [](size_t, std::string_view, std::string_view) {
                        return ledger::ScanNext::kNextPrefix;
                      })
            .ok();
      }));
  JEJAK_RETURN_IF_ERROR(time_batched(
      "ScanMany lot_links (parents)", keys_of(lots, [](const std::string& id) {
        return ledger::keys::LotLinksPrefix(id, ledger::keys::LinkDirection::kParent);
      }),
      [&](std::span<const std::string> keys) {
        return count_many(ledger::Table::kLotLinks, keys);
      }));
  JEJAK_RETURN_IF_ERROR(time_batched(
      "ScanMany state (certificates)",
      keys_of(lots, [](const std::string& id) { return ledger::keys::CertificatesPrefix(id); }),
      [&](std::span<const std::string> keys) { return count_many(ledger::Table::kState, keys); }));
  JEJAK_RETURN_IF_ERROR(time_batched(
      "GetMany (events)",
      keys_of(events, [](const std::string& id) { return ledger::keys::EventKey(id); }),
      [&](std::span<const std::string> keys) {
        return state.GetMany(ledger::Table::kEvents, keys).ok();
      }));
  return Status::Ok();
}

Status Measure(const std::string& dir, size_t cache_bytes) {
  Timing cold, warm;
  size_t lots = 0, edges = 0;
  std::printf("block cache %zu MiB:\n", cache_bytes >> 20);
  for (int i = 0; i < kColdRuns; ++i) {
    auto store = OpenStore(dir, cache_bytes);
    if (!store.ok()) return store.status();
    JEJAK_RETURN_IF_ERROR(TimeOnce(**store, cold, &lots, &edges));
  }
  auto store = OpenStore(dir, cache_bytes);
  if (!store.ok()) return store.status();
  for (int i = 0; i < kWarmRuns; ++i) JEJAK_RETURN_IF_ERROR(TimeOnce(**store, warm, &lots, &edges));
  std::printf("trace back %s: %zu lots (%zu ancestors), %zu edges\n", kDeepLot.c_str(), lots,
              lots - 1, edges);
  cold.Print("cold");
  warm.Print("warm");
  auto snapshot = (*store)->Snapshot();
  if (!snapshot.ok()) return snapshot.status();
  JEJAK_RETURN_IF_ERROR(Breakdown(**snapshot));
  auto capped = ledger::TraceBack(**snapshot, kDeepLot);
  std::printf("with jejakd's default cap (kDefaultMaxTraceLinkedLots = %zu lots besides the "
              "root): %s\n",
              ledger::kDefaultMaxTraceLinkedLots,
              capped.ok() ? "answered" : capped.status().ToString().c_str());
  return Status::Ok();
}

}  // namespace
}  // namespace jejak

int main(int argc, char** argv) {
  using namespace jejak;  // NOLINT
  namespace fs = std::filesystem;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows as it happens, also into a file
  bool keep = argc > 1;
  std::string dir;
  if (keep) {
    dir = argv[1];
  } else {
    std::string pattern = (fs::temp_directory_path() / "trace_bench_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = pattern;
  }
  auto agent = crypto::PrivateKey::FromSeed(std::string(32, '\x01'));
  auto node = crypto::PrivateKey::FromSeed(std::string(32, '\x02'));
  if (!agent.ok() || !node.ok()) return 1;
  std::printf("trace_bench: %d blocks x %d events, store in %s\n", kBlocks, kBlockEvents, dir.c_str());
  Status status = Status::Ok();
  {
    auto store = OpenStore(dir);
    if (!store.ok()) {
      std::printf("open failed: %s\n", store.status().ToString().c_str());
      return 1;
    }
    if ((*store)->head_height() == static_cast<uint64_t>(kBlocks)) {
      std::printf("reusing the store built by an earlier run\n");
    } else if ((*store)->head_height() != 0) {
      std::printf("%s holds a partial store (height %llu): remove it first\n", dir.c_str(),
                  static_cast<unsigned long long>((*store)->head_height()));
      return 1;
    } else {
      status = BuildStore(**store, BenchGenesis(*agent, *node), crypto::KeyId(agent->public_key()));
    }
  }
  for (size_t cache_bytes : kCacheSizes) {
    if (status.ok()) status = Measure(dir, cache_bytes);
  }
  if (!status.ok()) std::printf("failed: %s\n", status.ToString().c_str());
  if (!keep) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  return status.ok() ? 0 : 1;
}
