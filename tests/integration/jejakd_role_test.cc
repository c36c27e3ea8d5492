// Issue 12: a node id missing from the genesis silently ran as an observer. jejakd now runs as an
// observer only when its config says so ([node] role = "observer", as `jejak testnet` writes for
// its observers), and refuses a validator id it does not find, naming it and the genesis' ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/node_fixture.h"

namespace jejak::testing {
namespace {

class JejakdRoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CommandResult created = RunCommand({kJejak, "--home", dir_.path(), "testnet", "--validators", "1",
                                        "--observers", "1", "--chain-id", "role-1", "--org",
                                        "gayo:producer", "--no-start"});
    ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  }

  // Rewrites one line of a node's config.toml ("" deletes it).
  void EditConfig(const std::string& node, const std::string& pattern, const std::string& line) {
    const std::string path = dir_.path() + "/" + node + "/config.toml";
    std::string text = ReadFileText(path);
    std::string edited = std::regex_replace(text, std::regex(pattern), line);
    ASSERT_NE(edited, text) << pattern << " not in:\n" << text;
    std::ofstream(path, std::ios::trunc) << edited;
  }

  // Runs jejakd on `node`'s home; a refusal exits at once (the bound only ends a node that runs).
  CommandResult Run(const std::string& node) {
    return RunCommand({kJejakd, "--home", dir_.path() + "/" + node}, std::chrono::seconds(30));
  }

  TempDir dir_;
};

TEST_F(JejakdRoleTest, TestnetWritesTheRoleOfEachNode) {
  EXPECT_NE(ReadFileText(dir_.path() + "/validator-1/config.toml").find("role = \"validator\""), std::string::npos);
  EXPECT_NE(ReadFileText(dir_.path() + "/observer-1/config.toml").find("role = \"observer\""), std::string::npos);
}

TEST_F(JejakdRoleTest, AValidatorIdMissingFromTheGenesisIsRefusedNotRunAsAnObserver) {
  EditConfig("validator-1", "id = \"validator-1\"", "id = \"validator-l\"");
  CommandResult run = Run("validator-1");
  const std::string output = run.stdout_text + run.stderr_text;
  EXPECT_EQ(run.exit_code, 1) << output;
  EXPECT_NE(output.find("[node] id 'validator-l' is not a validator of chain role-1 (its validators: "
                        "validator-1)"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("role = \"observer\""), std::string::npos) << output;
}

TEST_F(JejakdRoleTest, AnObserverWithoutItsRoleIsRefusedAndAnObserverMayNotTakeAValidatorsId) {
  EditConfig("observer-1", "role = \"observer\"[^\n]*\n", "");
  CommandResult no_role = Run("observer-1");
  EXPECT_EQ(no_role.exit_code, 1) << no_role.stdout_text << no_role.stderr_text;
  EXPECT_NE((no_role.stdout_text + no_role.stderr_text).find("'observer-1' is not a validator"), std::string::npos);

  EditConfig("observer-1", "id = \"observer-1\"", "id = \"validator-1\"\nrole = \"observer\"");
  CommandResult impostor = Run("observer-1");
  EXPECT_EQ(impostor.exit_code, 1) << impostor.stdout_text << impostor.stderr_text;
  EXPECT_NE((impostor.stdout_text + impostor.stderr_text)
                .find("'validator-1' is a validator of chain role-1, but [node] role = \"observer\""),
            std::string::npos)
      << impostor.stdout_text << impostor.stderr_text;
}

}  // namespace
}  // namespace jejak::testing
