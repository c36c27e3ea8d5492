// The dependency table of the tree (docs/design.md, section 2) and the proof that it is kept.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/layering/include_graph.h"

namespace jejak::layering {
namespace {

// Threads, clocks-by-thread and I/O libraries that deterministic code must not reach for.
const std::vector<std::string> kNotDeterministic = {"rocksdb/", "grpc", "spdlog/", "thread", "mutex",
                                                    "condition_variable", "future", "toml++"};

// Which folder may include which. Lower layers first; a folder always includes itself.
std::vector<FolderRule> ProjectRules() {
  const std::string proto = "proto";
  std::vector<FolderRule> rules = {
      {"consensus", {"node/base/assert.h"}, true, {}},
      {"node/base", {}, true, {}},
      {"node/crypto", {"node/base"}, false, {}},
      {"node/epcis", {"node/base", "node/crypto", proto}, false, kNotDeterministic},
      {"node/ledger", {"node/base", "node/crypto", "node/epcis", "consensus", proto}, false, kNotDeterministic},
      {"node/config", {"node/base"}, false, {}},
      {"node/storage", {"node/base", "node/crypto", "node/ledger", "consensus", proto}, false, {}},
      {"node/replica", {"node/base", "node/ledger", "consensus", proto}, false, kNotDeterministic},
      {"node/net", {"node/base", "node/crypto", "node/epcis", "node/ledger", "node/replica", proto}, false, {}},
      {"node/daemon",
       {"node/base", "node/crypto", "node/epcis", "node/ledger", "node/storage", "node/config",
        "node/replica", "consensus", proto},
       false,
       {}},
      // The composition root (the Byzantine test build is its own main in tests/).
      {"node/server",
       {"node/base", "node/crypto", "node/ledger", "node/config", "node/daemon", "node/net",
        "node/replica", proto},
       false,
       {}},
      // The CLI talks to nodes as a client: the client half of node/net, never the node itself.
      {"cli",
       {"node/base", "node/crypto", "node/epcis", "node/ledger", "node/config", proto,
        "node/storage/safety_record.h", "node/net/ledger_client.h", "node/net/ledger_endpoint.h",
        "node/net/tls_pin.h", "node/net/free_port.h"},
       false,
       {}},
      {"tests/support", {"node/base", "node/net"}, false, {}},
      // The simulators drive the real consensus core and the real replica, alone in one thread.
      {"tests/sim",
       {"consensus", "node/base", "node/crypto", "node/epcis", "node/ledger", "node/replica", "tests/support", proto},
       false,
       kNotDeterministic},
      // Unit tests stand on their module and the support code, not on integration fixtures.
      {"tests/unit",
       {"consensus", "node/base", "node/crypto", "node/epcis", "node/ledger", "node/config",
        "node/storage", "node/replica", "node/net", "node/daemon", "cli", "tests/support", "tests/sim", proto},
       false,
       {}},
      {"tests/fuzz", {"*"}, false, {}},
      {"tests/integration", {"*"}, false, {}},
      {"bench", {"*"}, false, {}},
  };
  return rules;
}

TEST(Layering, TheTreeKeepsTheDependencyTable) {
  std::vector<std::string> problems = CheckLayering(JEJAK_SOURCE_DIR, ProjectRules());
  std::string listed;
  for (const std::string& problem : problems) listed += problem + "\n";
  EXPECT_TRUE(problems.empty()) << listed;
  // The check read the tree (a wrong root would pass vacuously).
  EXPECT_GT(ReadIncludes(JEJAK_SOURCE_DIR, ProjectRules()).size(), 1000u);
}

// A tree made to break the rules, file by file.
class BrokenTree : public ::testing::Test {
 protected:
  void Write(const std::string& file, const std::string& text) {
    const std::filesystem::path path = std::filesystem::path(dir_.path()) / file;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::vector<std::string> Check() { return CheckLayering(dir_.path(), ProjectRules()); }
  testing::TempDir dir_;
};

TEST_F(BrokenTree, ALedgerFileIncludingTheStoreIsNamedWithItsLine) {
  Write("node/ledger/rules.cc", "#include \"node/ledger/rules.h\"\n\n#include \"node/storage/store.h\"\n");
  Write("node/storage/store.h", "#include \"node/ledger/state_store.h\"\n");
  std::vector<std::string> problems = Check();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "node/ledger/rules.cc:3 includes node/storage/store.h: node/ledger may not include node/storage");
  EXPECT_EQ(problems[1], "cycle: node/ledger -> node/storage -> node/ledger");
}

TEST_F(BrokenTree, TheCliIncludingTheNodeIsRefusedButItsClientFilesAreNot) {
  Write("cli/cmd.cc", "#include \"node/net/ledger_client.h\"\n#include \"node/daemon/node.h\"\n");
  std::vector<std::string> problems = Check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "cli/cmd.cc:2 includes node/daemon/node.h: cli may not include node/daemon");
}

TEST_F(BrokenTree, ConsensusMayIncludeTheStandardLibraryOnly) {
  Write("consensus/core.cc", "#include <vector>\n#include \"core.h\"\n#include <rocksdb/db.h>\n#include <unistd.h>\n");
  std::vector<std::string> problems = Check();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "consensus/core.cc:3 includes <rocksdb/db.h>: consensus may include only the C++ standard library");
  EXPECT_EQ(problems[1], "consensus/core.cc:4 includes <unistd.h>: consensus may include only the C++ standard library");
}

TEST_F(BrokenTree, TheLedgerMayNotStartThreads) {
  Write("node/ledger/ledger.cc", "#include <map>\n#include <thread>\n");
  std::vector<std::string> problems = Check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "node/ledger/ledger.cc:2 includes <thread>: node/ledger may not include <thread...>");
}

TEST_F(BrokenTree, AUnitTestMayNotStandOnAnIntegrationFixture) {
  Write("tests/unit/daemon/harness.h", "#include \"tests/integration/test_process.h\"\n");
  std::vector<std::string> problems = Check();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "tests/unit/daemon/harness.h:1 includes tests/integration/test_process.h: tests/unit may not include tests/integration");
}

}  // namespace
}  // namespace jejak::layering
