// jejakd: a Jejak node. `jejakd --home DIR` reads DIR/config.toml and DIR/genesis.json, opens the
// store in the configured data directory, serves the ledger service and orders blocks with the
// other validators (peer service, mutual TLS) or, as an observer, follows them by block sync.
// SIGTERM or SIGINT stop it cleanly: in-flight requests finish or fail, the store is closed.
#include "node/server/server.h"

int main(int argc, char** argv) { return jejak::server::RunJejakd(argc, argv); }
