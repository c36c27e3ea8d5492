// jejakd_byzantine: TEST ONLY. jejakd whose validator is Byzantine (byzantine_transport.h): the
// server of node/server with the Byzantine decorator around its peer transport.
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "node/crypto/ed25519.h"
#include "node/server/server.h"
#include "tests/integration/byzantine/byzantine_transport.h"

namespace {

jejak::Result<std::unique_ptr<jejak::replica::PeerTransport>> MakeByzantine(
    jejak::replica::PeerTransport& inner, const jejak::config::NodeConfig& config,
    const jejak::ledger::Genesis& genesis) {
  std::vector<std::string> others;
  for (const jejak::ledger::Validator& v : genesis.validators) {
    if (v.id != config.node_id) others.push_back(v.id);
  }
  jejak::Result<jejak::crypto::PrivateKey> key = jejak::crypto::PrivateKey::LoadPem(config.node_key_path);
  if (!key.ok()) return key.status().WithContext("node key");
  spdlog::warn("byzantine build: this validator equivocates and corrupts signatures (tests only)");
  return std::unique_ptr<jejak::replica::PeerTransport>(std::make_unique<jejak::byzantine::ByzantineTransport>(
      inner, genesis.chain_id, std::move(others), std::move(*key)));
}

}  // namespace

int main(int argc, char** argv) { return jejak::server::RunJejakd(argc, argv, MakeByzantine); }
