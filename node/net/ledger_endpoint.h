// Where a ledger service is and how to reach it (no gRPC headers: the CLI's option handling and
// the daemon's configuration pass it around).
#pragma once

#include <string>

namespace jejak::net {

struct LedgerEndpoint {
  std::string address;  // host:port
  // "" for plaintext; else the service uses TLS ([ledger_service] tls) and only the certificate
  // with this SHA-256 (32 raw bytes) is accepted.
  std::string tls_fingerprint;
};

}  // namespace jejak::net
