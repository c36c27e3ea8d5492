// jejak hash FILE: the CBV 2.0 Event Hash ID of every event of an EPCIS document, offline.
#include <CLI/CLI.hpp>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "node/epcis/document.h"
#include "node/epcis/event_hash.h"

namespace jejak::cli {
namespace {

int Hash(const GlobalOptions& options, const std::string& file) {
  Output out(options);
  Result<std::string> text = ReadTextFile(file, epcis::kMaxDocumentBytes);
  if (!text.ok()) return out.Fail(text.status());
  // The reader capture uses: a document capture refuses (a member named twice, no EPCIS 2.0
  // @context, ...) gets no hash either.
  Result<nlohmann::ordered_json> document = epcis::ReadDocumentJson(*text);
  if (!document.ok()) return out.Fail(document.status().WithContext(file));
  Result<std::vector<std::string>> ids = epcis::DocumentEventHashIds(nlohmann::json(*document));
  if (!ids.ok()) return out.Fail(ids.status().WithContext(file));
  std::ostringstream human;
  for (const std::string& id : *ids) human << id << "\n";
  out.Print(human.str(), nlohmann::json(*ids));
  return 0;
}

}  // namespace

void AddHashCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto file = std::make_shared<std::string>();
  CLI::App* hash = app.add_subcommand(
      "hash", "Print the CBV 2.0 Event Hash ID of every event of an EPCIS 2.0 document, in order");
  hash->add_option("FILE", *file, "EPCIS 2.0 JSON-LD document")->required();
  hash->callback([&, file] { exit_code = Hash(options, *file); });
}

}  // namespace jejak::cli
