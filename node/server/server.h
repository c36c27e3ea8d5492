// The server: jejakd's whole life in one call. It reads the arguments and the configuration, opens
// the node (node/daemon), starts its peer network, block sync and ledger service (node/net),
// serves until SIGINT or SIGTERM, and stops it all cleanly. The composition root: the only place
// the node and the gRPC layers meet.
#pragma once

#include <functional>
#include <memory>

#include "node/base/status.h"
#include "node/config/config.h"
#include "node/ledger/genesis.h"
#include "node/replica/ports.h"

namespace jejak::server {

// Wraps the transport a validator sends its peer messages through; for test builds only (the
// Byzantine validator of tests/integration/byzantine). The wrapper must outlive nothing: the
// server owns it and drops it before `inner`.
using TransportDecorator = std::function<Result<std::unique_ptr<replica::PeerTransport>>(
    replica::PeerTransport& inner, const config::NodeConfig& config, const ledger::Genesis& genesis)>;

// jejakd's main: returns its exit code (0 stopped by a signal, 1 bad input, 2 our own failure).
int RunJejakd(int argc, char** argv, const TransportDecorator& decorate = nullptr);

}  // namespace jejak::server
