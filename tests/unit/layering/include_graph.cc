#include "tests/unit/layering/include_graph.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>

namespace jejak::layering {
namespace {

namespace fs = std::filesystem;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The rule whose folder holds `path` most nearly; nullptr when none does.
const FolderRule* RuleOf(const std::string& path, const std::vector<FolderRule>& rules) {
  const FolderRule* best = nullptr;
  for (const FolderRule& rule : rules) {
    if (StartsWith(path, rule.folder + "/") && (best == nullptr || rule.folder.size() > best->folder.size())) {
      best = &rule;
    }
  }
  return best;
}

// The folder a quoted include lands in; empty when it is outside every rule (a third-party header).
std::string TargetFolder(const Include& include, const FolderRule& from, const std::vector<FolderRule>& rules) {
  if (include.target.find('/') == std::string::npos) return from.folder;  // beside the includer
  if (StartsWith(include.target, "jejak/v1/")) return "proto";
  const FolderRule* rule = RuleOf(include.target, rules);
  return rule == nullptr ? std::string() : rule->folder;
}

bool MayInclude(const FolderRule& from, const std::string& folder, const std::string& target) {
  if (folder == from.folder) return true;
  for (const std::string& allowed : from.may_include) {
    if (allowed == "*" || allowed == folder || allowed == target) return true;
  }
  return false;
}

std::string SystemViolation(const FolderRule& from, const std::string& target) {
  if (from.standard_library_only && (target.find('/') != std::string::npos || target.find('.') != std::string::npos)) {
    return from.folder + " may include only the C++ standard library";
  }
  for (const std::string& prefix : from.forbidden_system_prefixes) {
    if (StartsWith(target, prefix)) return from.folder + " may not include <" + prefix + "...>";
  }
  return {};
}

// The cycles of the folder graph a depth-first walk meets (at least one per cycle there is), each
// as "cycle: a -> b -> a" starting from its smallest folder.
std::vector<std::string> Cycles(const std::map<std::string, std::set<std::string>>& edges) {
  std::set<std::string> found;
  std::set<std::string> done;
  std::vector<std::string> path;
  std::function<void(const std::string&)> visit = [&](const std::string& folder) {
    if (auto at = std::find(path.begin(), path.end(), folder); at != path.end()) {
      std::vector<std::string> cycle(at, path.end());
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      std::string text = "cycle:";
      for (const std::string& f : cycle) text += " " + f + " ->";
      found.insert(text + " " + cycle.front());
      return;
    }
    if (done.count(folder)) return;
    path.push_back(folder);
    if (auto out = edges.find(folder); out != edges.end()) {
      for (const std::string& next : out->second) visit(next);
    }
    path.pop_back();
    done.insert(folder);
  };
  for (const auto& [folder, unused] : edges) visit(folder);
  return {found.begin(), found.end()};
}

}  // namespace

std::vector<Include> ReadIncludes(const fs::path& root, const std::vector<FolderRule>& rules) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<Include> includes;
  for (const FolderRule& rule : rules) {
    const fs::path folder = root / rule.folder;
    if (!fs::is_directory(folder)) continue;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(folder)) {
      const std::string extension = entry.path().extension().string();
      if (!entry.is_regular_file() || (extension != ".h" && extension != ".cc")) continue;
      const std::string file = fs::relative(entry.path(), root).generic_string();
      if (RuleOf(file, rules) != &rule) continue;  // a nearer rule reads it
      std::ifstream in(entry.path());
      std::string text;
      for (int line = 1; std::getline(in, text); ++line) {
        std::smatch match;
        if (std::regex_search(text, match, kInclude)) {
          includes.push_back({file, line, match[2].str(), match[1].str() == "<"});
        }
      }
    }
  }
  return includes;
}

std::vector<std::string> CheckLayering(const fs::path& root, const std::vector<FolderRule>& rules) {
  std::vector<std::string> problems;
  std::map<std::string, std::set<std::string>> edges;
  for (const Include& include : ReadIncludes(root, rules)) {
    const FolderRule& from = *RuleOf(include.file, rules);
    const std::string where = include.file + ":" + std::to_string(include.line) + " includes ";
    if (include.system) {
      if (std::string why = SystemViolation(from, include.target); !why.empty()) {
        problems.push_back(where + "<" + include.target + ">: " + why);
      }
      continue;
    }
    const std::string folder = TargetFolder(include, from, rules);
    if (folder.empty() || folder == from.folder) continue;
    edges[from.folder].insert(folder);
    if (!MayInclude(from, folder, include.target)) {
      problems.push_back(where + include.target + ": " + from.folder + " may not include " + folder);
    }
  }
  for (std::string& cycle : Cycles(edges)) problems.push_back(std::move(cycle));
  return problems;
}

}  // namespace jejak::layering
