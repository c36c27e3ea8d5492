// A real jejakd whose data directory is damaged, or whose genesis was changed, refuses to start
// and says what is wrong and what to do, instead of coming up with a shorter or a new chain
// (issue 12). The repair it names keeps what precedes the damage and says so.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "node/crypto/hex.h"
#include "node/epcis/document.h"
#include "node/ledger/genesis.h"
#include "node/ledger/signing.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kBlocks = 10;

class NodeDurabilityTest : public NodeFixture {
 protected:
  std::string DataDir() const { return home_ + "/data"; }

  // kBlocks acknowledged submissions, one event each: one block each.
  void CommitBlocks() {
    crypto::PrivateKey key = OrgKey("gayo");
    for (int i = 0; i < kBlocks; ++i) {
      nlohmann::json document = {
          {"@context", {"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"}},
          {"type", "EPCISDocument"},
          {"schemaVersion", "2.0"},
          {"creationDate", "2026-03-01T00:00:00.000Z"},
          {"epcisBody",
           {{"eventList",
             {{{"type", "ObjectEvent"},
               {"eventTime", "2026-03-01T00:00:0" + std::to_string(i) + ".000Z"},
               {"eventTimeZoneOffset", "+07:00"},
               {"action", "ADD"},
               {"bizStep", "commissioning"},
               {"epcList", nlohmann::json::array()},
               {"quantityList",
                {{{"epcClass", "urn:jejak:lot:gayo:d-" + std::to_string(i)}, {"quantity", 10}, {"uom", "KGM"}}}}}}}}}};
      Result<std::vector<v1::Event>> events = epcis::ParseDocument(document.dump());
      ASSERT_TRUE(events.ok()) << events.status().ToString();
      Result<v1::SubmitEventsResponse> response =
          client().SubmitEvents({*ledger::SignEvent(key, chain_id(), (*events)[0])});
      ASSERT_TRUE(response.ok()) << response.status().ToString();
    }
    Result<v1::StatusResponse> status = client().GetStatus();
    ASSERT_TRUE(status.ok());
    ASSERT_GE(status->height(), static_cast<uint64_t>(kBlocks));
    head_ = status->height();
  }

  // jejakd run to its end: it must refuse to start.
  CommandResult RefusedStart() {
    CommandResult result = RunCommand({kJejakd, "--home", home_}, std::chrono::seconds(60));
    EXPECT_NE(result.exit_code, 0) << "jejakd started on a damaged or changed home:\n" << result.stdout_text;
    return result;
  }

  std::vector<fs::path> Logs() const {
    std::vector<fs::path> logs;
    for (const auto& entry : fs::directory_iterator(DataDir())) {
      if (entry.path().extension() == ".log") logs.push_back(entry.path());
    }
    std::sort(logs.begin(), logs.end());
    return logs;
  }

  uint64_t head_ = 0;
};

std::string Output(const CommandResult& result) { return result.stdout_text + result.stderr_text; }

TEST_F(NodeDurabilityTest, DamagedWriteAheadLogIsRefusedAndRepairSaysWhatItKept) {
  CommitBlocks();
  KillNode();
  std::vector<fs::path> logs = Logs();
  ASSERT_FALSE(logs.empty());
  const fs::path log = logs.back();
  {
    std::fstream file(log, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(fs::file_size(log) / 2));
    char byte = 0;
    file.read(&byte, 1);
    file.seekp(static_cast<std::streamoff>(fs::file_size(log) / 2));
    file.put(static_cast<char>(byte ^ 0x5a));
  }

  const std::string refused = Output(RefusedStart());
  EXPECT_NE(refused.find("is damaged"), std::string::npos) << refused;
  EXPECT_NE(refused.find(log.filename().string()), std::string::npos) << "names the log file:\n" << refused;
  EXPECT_NE(refused.find("--repair"), std::string::npos) << "names the remedy:\n" << refused;

  // The explicit repair keeps what precedes the damage and says so in its log.
  node_ = std::make_unique<ChildProcess>(std::vector<std::string>{kJejakd, "--home", home_, "--repair"},
                                         dir_.path() + "/jejakd-repair.log");
  ASSERT_TRUE(WaitFor([&] { return !node_->running() || node_->Log().find("ledger service on") != std::string::npos; },
                      std::chrono::seconds(30)))
      << node_->Log();
  ASSERT_TRUE(node_->running()) << node_->Log();
  EXPECT_NE(node_->Log().find("repair: opened"), std::string::npos) << node_->Log();
  EXPECT_NE(node_->Log().find("now ends at height"), std::string::npos) << node_->Log();
}

TEST_F(NodeDurabilityTest, DataDirectoryWithoutCurrentIsNotMadeANewChain) {
  CommitBlocks();
  StopNode();
  fs::remove(DataDir() + "/CURRENT");
  for (const fs::path& log : Logs()) fs::remove(log);
  std::vector<std::string> before;
  for (const auto& entry : fs::directory_iterator(DataDir())) before.push_back(entry.path().filename().string());
  std::sort(before.begin(), before.end());

  const std::string refused = Output(RefusedStart());
  EXPECT_NE(refused.find("CURRENT file is missing"), std::string::npos) << refused;
  EXPECT_NE(refused.find("restore the directory from a backup"), std::string::npos) << refused;
  std::vector<std::string> after;
  for (const auto& entry : fs::directory_iterator(DataDir())) after.push_back(entry.path().filename().string());
  std::sort(after.begin(), after.end());
  EXPECT_EQ(after, before) << "the old database's files were changed";
}

TEST_F(NodeDurabilityTest, ChangedGenesisIsRefusedNamingBothHashes) {
  CommitBlocks();
  StopNode();
  const std::string path = home_ + "/genesis.json";
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<ledger::Genesis> genesis = ledger::ParseGenesis(text);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  const std::string old_hash = crypto::ToHex(ledger::GenesisHash(*genesis));
  ledger::Organisation intruder = genesis->organisations.front();
  intruder.id = "intruder";
  intruder.name = "Added Later";
  intruder.party_ids = {ledger::OrgPartyId("intruder")};
  intruder.agent_keys.clear();
  genesis->organisations.push_back(intruder);
  const std::string new_hash = crypto::ToHex(ledger::GenesisHash(*genesis));
  std::ofstream(path, std::ios::trunc) << ledger::GenesisToJson(*genesis, 2);

  const std::string refused = Output(RefusedStart());
  EXPECT_NE(refused.find(old_hash), std::string::npos) << refused;
  EXPECT_NE(refused.find(new_hash), std::string::npos) << refused;
}

}  // namespace
}  // namespace jejak::testing
