// Mutual TLS between validators with certificates PINNED by the genesis (no CA): a peer is the
// validator whose tls_cert_sha256 equals the SHA-256 of the certificate it presented.
//
//   LoadTlsIdentityFiles(cert, key)    <home>/tls/node.crt and node.key, as `jejak init` wrote them
//   PinSet                             fingerprint (32 raw bytes) -> validator id, from the genesis
//   PeerServerCredentials(identity, pins, counters)
//                                      require a client certificate; refuse at the handshake any
//                                      certificate not in `pins` (spdlog warn with its fingerprint)
//   PeerChannelCredentials(identity, expected_fingerprint, counters)
//                                      present our certificate; accept only the server whose
//                                      certificate is `expected_fingerprint`; no hostname check
//   PeerIdFromAuthContext(context, pins)  server side: the validator id of an accepted connection
//   LedgerServerCredentials(identity)  optional server-side TLS for the ledger service (its
//                                      clients use LedgerChannelCredentials, node/net/tls_pin.h)
#pragma once

#include <grpcpp/security/auth_context.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "node/base/status.h"
#include "node/crypto/tls_identity.h"
#include "node/ledger/genesis.h"
#include "node/net/tls_pin.h"

namespace jejak::net {

// Bound on a PEM file read from disk.
inline constexpr size_t kMaxTlsFileBytes = 64 * 1024;

// Reads a certificate and its private key (PEM). NotFound / Invalid naming the file.
Result<crypto::TlsIdentity> LoadTlsIdentityFiles(const std::string& certificate_path,
                                                 const std::string& private_key_path);

// Fingerprint (32 raw bytes) -> validator id.
PinSet PinsFromGenesis(const ledger::Genesis& genesis);

std::shared_ptr<grpc::ServerCredentials> PeerServerCredentials(
    const crypto::TlsIdentity& identity, const PinSet& pins, std::shared_ptr<TlsCounters> counters);

// `peer_label` names the dialled validator in log lines.
std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials(
    const crypto::TlsIdentity& identity, const std::string& expected_fingerprint,
    const std::string& peer_label, std::shared_ptr<TlsCounters> counters);

// Server-side TLS for the client-facing ledger service (the node's same identity); clients are
// not asked for a certificate: reads are open, writes are authorised by event signatures.
std::shared_ptr<grpc::ServerCredentials> LedgerServerCredentials(
    const crypto::TlsIdentity& identity);

// The validator id whose pinned certificate the connection presented; nullopt if none matches.
std::optional<std::string> PeerIdFromAuthContext(const grpc::AuthContext& context,
                                                 const PinSet& pins);

}  // namespace jejak::net
