// Reads every #include of a source tree and checks it against a table of which folder may
// include which (Bitcoin Core's lint-includes, in C++): the fence that keeps dependencies pointing
// one way. Used by layering_test.cc on the real tree and on small trees made to break a rule.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace jejak::layering {

struct FolderRule {
  std::string folder;  // "node/ledger": every file under it, unless a longer rule's folder is nearer
  // Folders or single files its quoted includes may name besides its own folder; "*" is anything.
  std::vector<std::string> may_include;
  // Angle includes only of the C++ standard library (a name with no '/' and no '.').
  bool standard_library_only = false;
  // Angle includes it must not use, by prefix ("rocksdb/", "thread").
  std::vector<std::string> forbidden_system_prefixes;
};

// Every quoted include that names a file of another rule's folder, plus generated protobuf headers
// ("jejak/v1/...") as the folder "proto"; a quoted include without '/' stays in its own folder.
struct Include {
  std::string file;  // relative to the root
  int line = 0;
  std::string target;  // as written
  bool system = false;  // <...>
};

// The includes of every .h and .cc under the rules' folders of `root`.
std::vector<Include> ReadIncludes(const std::filesystem::path& root, const std::vector<FolderRule>& rules);

// One line per include the rules do not allow ("node/ledger/x.cc:7 includes node/storage/store.h:
// node/ledger may not include node/storage"), and one per cycle between folders ("cycle:
// node/net -> node/daemon -> node/net"). Empty when the tree keeps every rule.
std::vector<std::string> CheckLayering(const std::filesystem::path& root, const std::vector<FolderRule>& rules);

}  // namespace jejak::layering
