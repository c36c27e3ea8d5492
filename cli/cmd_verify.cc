// jejak verify BUNDLE --genesis GENESIS: checks a proof bundle offline, against the genesis file
// alone (no node is contacted), and prints the verified trace; exit 0 only if every check passed,
// otherwise non-zero with the first failure.
#include <CLI/CLI.hpp>
#include <ctime>
#include <memory>
#include <sstream>

#include "cli/cli_context.h"
#include "cli/commands.h"
#include "node/crypto/hex.h"
#include "node/ledger/genesis.h"
#include "node/ledger/proof_verify.h"

namespace jejak::cli {
namespace {

std::string UtcTime(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string FormatStep(const ledger::VerifiedStep& s) {
  std::ostringstream out;
  out << "    " << s.event_time << "  " << s.kind << " by " << s.organisation << " ("
      << s.signer_key_name << "), block " << s.height << " at " << UtcTime(s.block_time_ms)
      << "\n      " << s.event_id << "\n";
  for (const ledger::VerifiedCertificateCheck& c : s.certificates) {
    out << "      certificate " << (c.scheme.empty() ? "" : c.scheme + " ")
        << c.document_hash.substr(0, 16) << " of " << c.lot_id << ": "
        << (c.valid_at_event_time ? "valid" : "NOT valid") << " at the event time\n";
  }
  return out.str();
}

std::string FormatTrace(const ledger::VerifiedTrace& t) {
  std::ostringstream out;
  out << "VERIFIED: lot " << t.root_lot << " on chain " << t.chain_id << " (genesis "
      << crypto::ToHex(t.genesis_hash).substr(0, 16) << ")\n"
      << "  " << t.steps.size() << " events in " << t.blocks_verified << " blocks, "
      << t.signatures_verified << " signatures checked: every event is signed by a key the "
      << "genesis authorises and committed by 2f+1 validators\n";
  out << "Origins:\n";
  for (const std::string& lot : t.origins) out << "  " << lot << "\n";
  out << "Organisations: ";
  for (size_t i = 0; i < t.organisations.size(); ++i) {
    out << (i ? ", " : "") << t.organisations[i];
  }
  out << "\nLots:\n";
  for (const ledger::VerifiedLot& lot : t.lots) {
    out << "  " << lot.lot_id << (lot.origin ? "  [origin]" : "") << ", created by "
        << lot.creator_organisation << "\n";
    for (const ledger::VerifiedCertificate& c : lot.certificates) {
      out << "    certificate " << c.scheme << " " << c.document_hash.substr(0, 16) << " by "
          << c.issuer << " (" << c.certifier_organisation << "), valid "
          << UtcTime(c.valid_from_ms) << " to " << UtcTime(c.valid_until_ms) << "\n";
    }
    for (size_t s : lot.steps) out << FormatStep(t.steps[s]);
  }
  out << "Links:\n";
  for (const ledger::VerifiedEdge& e : t.edges) {
    out << "  " << e.direction << ": " << e.from_lot << " -> " << e.to_lot << " (" << e.kind
        << ")\n";
  }
  return out.str();
}

nlohmann::json StepJson(const ledger::VerifiedStep& s) {
  nlohmann::json certificates = nlohmann::json::array();
  for (const ledger::VerifiedCertificateCheck& c : s.certificates) {
    certificates.push_back({{"lot_id", c.lot_id},
                            {"document_hash", c.document_hash},
                            {"scheme", c.scheme},
                            {"valid_at_event_time", c.valid_at_event_time}});
  }
  return {{"event_id", s.event_id},         {"kind", s.kind},
          {"organisation", s.organisation}, {"signer_key_name", s.signer_key_name},
          {"biz_step", s.biz_step},         {"event_time", s.event_time},
          {"event_time_ms", s.event_time_ms}, {"height", s.height},
          {"block_time_ms", s.block_time_ms}, {"lot_ids", s.lot_ids},
          {"certificates", std::move(certificates)}};
}

nlohmann::json TraceJson(const ledger::VerifiedTrace& t) {
  nlohmann::json lots = nlohmann::json::array();
  for (const ledger::VerifiedLot& lot : t.lots) {
    nlohmann::json certificates = nlohmann::json::array();
    for (const ledger::VerifiedCertificate& c : lot.certificates) {
      certificates.push_back({{"document_hash", c.document_hash}, {"issuer", c.issuer},
                              {"scheme", c.scheme}, {"valid_from_ms", c.valid_from_ms},
                              {"valid_until_ms", c.valid_until_ms},
                              {"certifier_organisation", c.certifier_organisation},
                              {"event_id", c.event_id}});
    }
    lots.push_back({{"lot_id", lot.lot_id},
                    {"created_by_event_id", lot.created_by_event_id},
                    {"creator_organisation", lot.creator_organisation},
                    {"origin", lot.origin},
                    {"steps", lot.steps},
                    {"certificates", std::move(certificates)}});
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const ledger::VerifiedEdge& e : t.edges) {
    edges.push_back({{"direction", e.direction}, {"kind", e.kind}, {"from", e.from_lot},
                     {"to", e.to_lot}, {"event_id", e.event_id}});
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const ledger::VerifiedStep& s : t.steps) steps.push_back(StepJson(s));
  return {{"verified", true},
          {"chain_id", t.chain_id},
          {"genesis_hash", crypto::ToHex(t.genesis_hash)},
          {"lot_id", t.root_lot},
          {"forward", t.forward},
          {"origins", t.origins},
          {"organisations", t.organisations},
          {"blocks_verified", t.blocks_verified},
          {"signatures_verified", t.signatures_verified},
          {"lots", std::move(lots)},
          {"edges", std::move(edges)},
          {"steps", std::move(steps)}};
}

int Verify(const GlobalOptions& options, const std::string& bundle_path) {
  Output out(options);
  auto genesis_path = GenesisPath(options);
  if (!genesis_path.ok()) return out.Fail(genesis_path.status());
  auto genesis_text = ReadTextFile(*genesis_path, ledger::kMaxGenesisBytes);
  if (!genesis_text.ok()) return out.Fail(genesis_text.status());
  auto genesis = ledger::ParseGenesis(*genesis_text);
  if (!genesis.ok()) return out.Fail(genesis.status().WithContext(*genesis_path));
  auto bundle = ReadTextFile(bundle_path, ledger::kMaxProofBundleBytes);
  if (!bundle.ok()) return out.Fail(bundle.status());
  auto trace = ledger::VerifyProofBundle(*genesis, std::string_view(*bundle));
  if (!trace.ok()) return out.Fail(trace.status().WithContext("NOT VERIFIED: " + bundle_path));
  out.Print(FormatTrace(*trace), TraceJson(*trace));
  return 0;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, GlobalOptions& options, int& exit_code) {
  auto bundle_path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check a proof bundle offline against the genesis file (--genesis), no node");
  cmd->add_option("bundle", *bundle_path, "Proof bundle written by `jejak prove`")->required();
  cmd->callback(
      [&options, &exit_code, bundle_path] { exit_code = Verify(options, *bundle_path); });
}

}  // namespace jejak::cli
