// The door of the client-facing ledger service: every TCP connection passes through it.
//
//   ConnectionGate gate;
//   Result<int> port = gate.Start({.listen_address = "127.0.0.1:7100",
//                                  .backend_unix_path = "/tmp/jejak-gate-x/ledger.sock"});
//   ... the gRPC server listens on "unix:" + backend_unix_path ...
//   gate.Stop();   // also in the destructor; idempotent
//
// Why it exists: gRPC (1.51) accepts every connection it is offered, and once accept fails with
// EMFILE its accept loop never recovers (grpc/grpc#16058, #20418): a flood of idle connections made
// a node's ledger service deaf for good. The gate accepts on the public address itself, refuses a
// connection past a bound per client address and in total (closing it at once), relays each
// admitted one byte for byte to the gRPC server's private Unix socket, and closes connections that
// say nothing for too long. The bounds are chosen so the process never runs out of descriptors
// (each admitted connection costs three: ours, our end of the Unix socket, gRPC's end), and a
// reserve descriptor keeps the accept loop alive even if something else exhausts them.
// One thread, epoll, no allocation per byte; TLS passes through untouched (the gate never sees
// plaintext of a TLS service).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "node/base/status.h"

namespace jejak::net {

struct ConnectionGateOptions {
  std::string listen_address;     // host:port (IPv4 or [IPv6]); port 0 picks a free one
  std::string backend_unix_path;  // where the gRPC server listens ("unix:" + this)
  uint32_t max_connections = 4096;
  uint32_t max_connections_per_client = 256;  // per client IP address
  // A connection that has not sent its first byte within this is closed (a TLS or HTTP/2
  // handshake starts with the client speaking).
  uint32_t first_byte_timeout_ms = 10'000;
  // A connection with no byte in either direction for this long is closed. gRPC's own keepalive
  // pings keep a live stream (a long subscription) above it.
  uint32_t idle_timeout_ms = 600'000;
  uint32_t buffer_bytes = 64 << 10;  // per direction per connection
};

struct ConnectionGateStats {
  uint64_t open = 0;               // admitted connections now relayed
  uint64_t admitted = 0;           // since start
  uint64_t refused_total = 0;      // refused: max_connections reached
  uint64_t refused_per_client = 0; // refused: max_connections_per_client reached
  uint64_t refused_backend = 0;    // refused: the gRPC server's socket did not take it
  uint64_t closed_silent = 0;      // closed: no first byte in time
  uint64_t closed_idle = 0;        // closed: idle too long
  uint64_t accept_errors = 0;      // accept failed (EMFILE and the like), survived
};

class ConnectionGate {
 public:
  ConnectionGate();
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  // Binds and starts the relay thread; returns the bound port. Invalid for bad options,
  // Unavailable if it cannot bind. Call once.
  Result<int> Start(ConnectionGateOptions options);
  // Closes the listener and every connection, joins the thread. Idempotent.
  void Stop();

  ConnectionGateStats Stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The most connections a gate may admit in a process whose descriptor limit is `fd_limit`,
// keeping `reserve_fds` for everything else (RocksDB's files, peers, logs): each admitted
// connection holds three descriptors.
uint32_t MaxGateConnectionsFor(uint64_t fd_limit, uint64_t reserve_fds);

// Raises the soft RLIMIT_NOFILE to the hard limit (servers need descriptors; the default soft
// limit is often 1024) and returns the limit now in force.
Result<uint64_t> RaiseDescriptorLimit();

}  // namespace jejak::net
