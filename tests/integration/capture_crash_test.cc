// Kill -9 jejakd while a 10,000-event document is being captured: after a restart every
// acknowledged event is there, the state equals a replay of the stored blocks, and running the
// capture again completes it without duplicates.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "node/epcis/document.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/queries.h"
#include "node/ledger/signing.h"
#include "node/storage/store.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

constexpr int kEvents = 10000;
constexpr int kBatch = 500;

std::string LotId(int i) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "urn:jejak:lot:gayo:k-%05d", i);
  return buffer;
}

// A commissioning event per lot, at distinct times.
std::string CommissioningDocument() {
  nlohmann::json events = nlohmann::json::array();
  for (int i = 0; i < kEvents; ++i) {
    char time[40];
    std::snprintf(time, sizeof(time), "2026-03-01T%02d:%02d:%02d.000Z", i / 3600, (i / 60) % 60, i % 60);
    events.push_back({{"type", "ObjectEvent"},
                      {"eventTime", time},
                      {"eventTimeZoneOffset", "+07:00"},
                      {"action", "ADD"},
                      {"bizStep", "commissioning"},
                      {"disposition", "active"},
                      {"epcList", nlohmann::json::array()},
                      {"quantityList", {{{"epcClass", LotId(i)}, {"quantity", 10}, {"uom", "KGM"}}}}});
  }
  nlohmann::json document = {
      {"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
      {"type", "EPCISDocument"},
      {"schemaVersion", "2.0"},
      {"creationDate", "2026-03-01T00:00:00.000Z"},
      {"epcisBody", {{"eventList", events}}}};
  return document.dump();
}

class CaptureCrashTest : public NodeFixture {};

TEST_F(CaptureCrashTest, KilledNodeLosesNoAcknowledgedEventAndCaptureResumes) {
  const std::string file = dir_.path() + "/harvest.jsonld";
  const std::string text = CommissioningDocument();
  std::ofstream(file) << text;
  Result<std::vector<v1::Event>> events = epcis::ParseDocument(text);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), static_cast<size_t>(kEvents));
  crypto::PrivateKey key = OrgKey("gayo");

  // A client submits batches in order and records what was acknowledged as committed.
  std::vector<std::string> acknowledged;
  std::mutex mutex;
  std::atomic<bool> failed{false};
  std::thread submitter([&] {
    net::LedgerClient client(client_->address(), std::chrono::seconds(60));
    for (int start = 0; start < kEvents && !failed; start += kBatch) {
      std::vector<v1::SignedEvent> batch;
      for (int i = start; i < start + kBatch; ++i) {
        batch.push_back(*ledger::SignEvent(key, chain_id(), (*events)[static_cast<size_t>(i)]));
      }
      Result<v1::SubmitEventsResponse> response = client.SubmitEvents(batch);
      if (!response.ok()) {
        failed = true;
        break;
      }
      std::lock_guard lock(mutex);
      for (const v1::SubmitResult& result : response->results()) acknowledged.push_back(result.event_id());
    }
  });
  // Kill the node once a few batches are acknowledged, while later ones are in flight.
  bool enough = WaitFor(
      [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= 3 * kBatch || failed;
      },
      std::chrono::seconds(240));
  KillNode();
  submitter.join();
  ASSERT_TRUE(enough);
  ASSERT_TRUE(failed) << "the submitter should have seen the node die";
  ASSERT_GE(acknowledged.size(), static_cast<size_t>(3 * kBatch));

  // The stored blocks replayed from genesis give exactly the stored state.
  {
    std::ifstream genesis_file(home() + "/genesis.json");
    const std::string genesis_text{std::istreambuf_iterator<char>(genesis_file), {}};
    Result<ledger::Genesis> genesis = ledger::ParseGenesis(genesis_text);
    ASSERT_TRUE(genesis.ok());
    storage::StoreOptions options;
    options.chain_id = chain_id();
    Result<std::unique_ptr<storage::Store>> store = storage::Store::Open(home() + "/data", options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ledger::Ledger rules(*genesis);
    ledger::MemoryStore replay;
    for (uint64_t h = 1; h <= (*store)->head_height(); ++h) {
      Result<v1::Block> block = (*store)->GetBlock(h);
      ASSERT_TRUE(block.ok());
      Result<ledger::WriteSet> writes = rules.ApplyBlock(replay, *block);
      ASSERT_TRUE(writes.ok()) << "block " << h << ": " << writes.status().ToString();
      replay.Apply(*writes);
    }
    for (int t = 0; t < ledger::kTableCount; ++t) {
      auto table = static_cast<ledger::Table>(t);
      std::vector<std::pair<std::string, std::string>> stored, replayed;
      auto collect = [](auto* out) {
        return [out](std::string_view k, std::string_view v) {
          out->emplace_back(std::string(k), std::string(v));
          return true;
        };
      };
      ASSERT_TRUE((*store)->Scan(table, "", collect(&stored)).ok());
      ASSERT_TRUE(replay.Scan(table, "", collect(&replayed)).ok());
      EXPECT_EQ(stored, replayed) << "table " << ledger::TableName(table) << " differs from the replay";
    }
    for (const std::string& id : acknowledged) {
      Result<std::optional<v1::EventRecord>> record = ledger::GetEvent(**store, id);
      ASSERT_TRUE(record.ok() && record->has_value()) << "acknowledged event " << id << " was lost";
    }
  }

  // Capturing the whole document again completes it; nothing is recorded twice.
  StartNode();
  CommandResult capture = Jejak({"--as", "gayo", "capture", file}, std::chrono::seconds(600));
  ASSERT_EQ(capture.exit_code, 0) << capture.stderr_text;
  for (int i = 0; i < kEvents; i += 97) {
    Result<v1::EventList> history = client().LotHistory(LotId(i));
    ASSERT_TRUE(history.ok()) << LotId(i) << ": " << history.status().ToString();
    EXPECT_EQ(history->events_size(), 1) << LotId(i);
  }
  Result<v1::EventList> last = client().LotHistory(LotId(kEvents - 1));
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  v1::QueryEventsRequest all;
  all.set_page_size(1000);
  size_t total = 0;
  for (int page = 0; page < 20; ++page) {
    Result<v1::QueryEventsResponse> response = client().QueryEvents(all);
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    total += static_cast<size_t>(response->events_size());
    if (response->next_page_token().empty()) break;
    all.set_page_token(response->next_page_token());
  }
  EXPECT_EQ(total, static_cast<size_t>(kEvents));
}

}  // namespace
}  // namespace jejak::testing
