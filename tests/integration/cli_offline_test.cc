// jejak commands that need no node: keys and the CBV 2.0 event hash of a document.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "node/crypto/hex.h"
#include "node/crypto/tls_identity.h"
#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

TEST(CliOfflineTest, HashPrintsTheReferenceEventHashIdsInDocumentOrder) {
  const std::string dir = std::string(JEJAK_CONFORMANCE_DIR) + "/epcis-event-hash";
  int documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".jsonld") continue;
    std::string hashes = entry.path().string();
    hashes.replace(hashes.size() - 7, 7, ".hashes");
    if (!std::filesystem::exists(hashes)) continue;
    CommandResult result = RunCommand({kJejak, "hash", entry.path().string()});
    ASSERT_EQ(result.exit_code, 0) << entry.path() << ": " << result.stderr_text;
    std::string expected = ReadFileText(hashes);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) expected.pop_back();
    std::string got = result.stdout_text;
    while (!got.empty() && got.back() == '\n') got.pop_back();
    std::erase(expected, '\r');
    EXPECT_EQ(got, expected) << entry.path();
    ++documents;
  }
  EXPECT_GT(documents, 10);
}

TEST(CliOfflineTest, HashOfAMalformedDocumentFailsNamingTheFile) {
  TempDir dir;
  std::string file = dir.path() + "/bad.jsonld";
  std::ofstream(file) << "[1, 2";
  CommandResult result = RunCommand({kJejak, "hash", file});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.stderr_text.find(file), std::string::npos) << result.stderr_text;
}

// Issue 12: `jejak hash` hashed documents that `capture` refuses. It reads them as capture does.
TEST(CliOfflineTest, HashRefusesWhatCaptureRefuses) {
  TempDir dir;
  const std::string event = R"({"type": "ObjectEvent", "action": "OBSERVE", "action": "ADD",
      "eventTime": "2020-01-01T00:00:00Z", "eventTimeZoneOffset": "+00:00",
      "epcList": ["urn:epc:id:sgtin:0614141.107346.2017"]})";
  const std::string twice = dir.path() + "/twice.jsonld";
  std::ofstream(twice) << R"({"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2020-01-01T00:00:00Z",
      "epcisBody": {"eventList": [)" << event << "]}}";
  CommandResult duplicate = RunCommand({kJejak, "hash", twice});
  EXPECT_EQ(duplicate.exit_code, 1) << duplicate.stdout_text;
  EXPECT_NE(duplicate.stderr_text.find(twice + ": member 'action' appears twice"), std::string::npos)
      << duplicate.stderr_text;
  EXPECT_EQ(duplicate.stdout_text, "");

  const std::string no_context = dir.path() + "/no-context.jsonld";
  std::ofstream(no_context) << R"({"type": "EPCISDocument", "schemaVersion": "2.0",
      "creationDate": "2020-01-01T00:00:00Z", "epcisBody": {"eventList": []}})";
  CommandResult missing = RunCommand({kJejak, "hash", no_context});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find(no_context + ": @context: missing"), std::string::npos)
      << missing.stderr_text;
}

TEST(CliOfflineTest, KeysNewWritesAPrivateKeyOnlyItsOwnerCanRead) {
  TempDir dir;
  CommandResult created = RunCommand({kJejak, "--json", "keys", "new", "--out", dir.path(), "--name", "clerk"});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  struct stat info {};
  ASSERT_EQ(stat((dir.path() + "/clerk.pem").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  CommandResult shown = RunCommand({kJejak, "--key", dir.path() + "/clerk.pem", "keys", "show"});
  ASSERT_EQ(shown.exit_code, 0) << shown.stderr_text;
  // The key id printed at creation is the one shown again.
  size_t at = created.stdout_text.find("\"key_id\": \"");
  ASSERT_NE(at, std::string::npos) << created.stdout_text;
  std::string key_id = created.stdout_text.substr(at + 11, 32);
  EXPECT_NE(shown.stdout_text.find(key_id), std::string::npos) << shown.stdout_text;
  // A second key of the same name never overwrites the first.
  CommandResult again = RunCommand({kJejak, "keys", "new", "--out", dir.path(), "--name", "clerk"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.stderr_text.find("refusing to overwrite"), std::string::npos) << again.stderr_text;
}

}  // namespace
}  // namespace jejak::testing

namespace jejak::testing {
namespace {

TEST(CliInitTest, InvalidNetworkWritesNothingAndAnExistingOneIsKept) {
  TempDir dir;
  const std::string home = dir.path() + "/net";
  CommandResult bad = RunCommand({kJejak, "--home", home, "init", "--org", "gayo:producer", "--org", "gayo:processor"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.stderr_text.find("gayo"), std::string::npos) << bad.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(home + "/keys"));
  CommandResult role = RunCommand({kJejak, "--home", home, "init", "--org", "gayo:farmer"});
  EXPECT_NE(role.exit_code, 0);
  EXPECT_NE(role.stderr_text.find("'farmer' is not a role"), std::string::npos) << role.stderr_text;

  CommandResult good = RunCommand({kJejak, "--home", home, "init", "--org", "gayo:producer"});
  ASSERT_EQ(good.exit_code, 0) << good.stderr_text;
  struct stat info {};
  ASSERT_EQ(stat((home + "/tls/node.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string genesis = ReadFileText(home + "/genesis.json");
  CommandResult again = RunCommand({kJejak, "--home", home, "init", "--org", "other:producer"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.stderr_text.find("refusing to overwrite"), std::string::npos) << again.stderr_text;
  EXPECT_EQ(ReadFileText(home + "/genesis.json"), genesis);
}

TEST(CliInitTest, LedgerTlsHomeTellsItsPin) {
  TempDir dir;
  const std::string home = dir.path() + "/net";
  CommandResult made = RunCommand({kJejak, "--home", home, "init", "--org", "gayo:producer", "--ledger-tls"});
  ASSERT_EQ(made.exit_code, 0) << made.stderr_text;
  EXPECT_NE(ReadFileText(home + "/config.toml").find("tls = true"), std::string::npos);
  Result<std::string> pin = crypto::CertificateFingerprint(ReadFileText(home + "/tls/node.crt"));
  ASSERT_TRUE(pin.ok());
  EXPECT_NE(made.stdout_text.find("--tls-pin " + crypto::ToHex(*pin)), std::string::npos) << made.stdout_text;
}

}  // namespace
}  // namespace jejak::testing
