#include "node/net/peer_tls.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "node/crypto/hex.h"

namespace jejak::net {
namespace {

namespace gx = grpc::experimental;

Result<std::string> ReadSmallFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open the " + std::string(what) + " " + path);
  std::string text(kMaxTlsFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxTlsFileBytes) {
    return Status::Invalid("the " + std::string(what) + " " + path + " is larger than " +
                           std::to_string(kMaxTlsFileBytes) + " bytes");
  }
  if (text.empty()) return Status::Invalid("the " + std::string(what) + " " + path + " is empty");
  return text;
}

// Peer-side refusals go to the node's log: an operator must see who knocks.
RefusalLogger LogRefusals(std::string side) {
  return [side = std::move(side)](const std::string& what, uint64_t count) {
    spdlog::warn("TLS pin check: {} refused {}: not a pinned certificate ({} time{})", side, what,
                 count, count == 1 ? "" : "s");
  };
}

std::shared_ptr<gx::StaticDataCertificateProvider> IdentityProvider(
    const crypto::TlsIdentity& identity) {
  // The root is our own certificate only because gRPC wants one; chains are never verified
  // against it (the pin is the identity).
  std::vector<gx::IdentityKeyCertPair> pairs{{identity.private_key_pem, identity.certificate_pem}};
  return std::make_shared<gx::StaticDataCertificateProvider>(identity.certificate_pem, pairs);
}

}  // namespace

Result<crypto::TlsIdentity> LoadTlsIdentityFiles(const std::string& certificate_path,
                                                 const std::string& private_key_path) {
  crypto::TlsIdentity identity;
  Result<std::string> cert = ReadSmallFile(certificate_path, "TLS certificate");
  if (!cert.ok()) return cert.status();
  // A secret: refused when others may read or change it, as node and agent keys are.
  Result<std::string> key = crypto::ReadTlsPrivateKeyFile(private_key_path, kMaxTlsFileBytes);
  if (!key.ok()) return key.status().WithContext("the TLS private key");
  if (key->empty()) return Status::Invalid("the TLS private key " + private_key_path + " is empty");
  Result<std::string> fingerprint = crypto::CertificateFingerprint(*cert);
  if (!fingerprint.ok()) {
    return Status::Invalid("the TLS certificate " + certificate_path +
                           " is not a PEM certificate: " + fingerprint.status().message());
  }
  if (key->find("PRIVATE KEY-----") == std::string::npos) {
    return Status::Invalid("the TLS private key " + private_key_path + " is not a PEM private key");
  }
  identity.certificate_pem = std::move(*cert);
  identity.private_key_pem = std::move(*key);
  return identity;
}

PinSet PinsFromGenesis(const ledger::Genesis& genesis) {
  PinSet pins;
  for (const ledger::Validator& validator : genesis.validators) {
    pins.emplace(validator.tls_cert_sha256, validator.id);
  }
  return pins;
}

std::shared_ptr<grpc::ServerCredentials> PeerServerCredentials(
    const crypto::TlsIdentity& identity, const PinSet& pins,
    std::shared_ptr<TlsCounters> counters) {
  gx::TlsServerCredentialsOptions options(IdentityProvider(identity));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  options.set_check_call_host(false);
  options.set_certificate_verifier(gx::ExternalCertificateVerifier::Create<PinVerifier>(
      pins, std::move(counters), LogRefusals("peer server")));
  return grpc::experimental::TlsServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials(
    const crypto::TlsIdentity& identity, const std::string& expected_fingerprint,
    const std::string& peer_label, std::shared_ptr<TlsCounters> counters) {
  gx::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(IdentityProvider(identity));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(false);
  options.set_check_call_host(false);
  PinSet pins{{expected_fingerprint, peer_label}};
  options.set_certificate_verifier(gx::ExternalCertificateVerifier::Create<PinVerifier>(
      std::move(pins), std::move(counters), LogRefusals("connection to " + peer_label)));
  return grpc::experimental::TlsCredentials(options);
}

std::shared_ptr<grpc::ServerCredentials> LedgerServerCredentials(
    const crypto::TlsIdentity& identity) {
  gx::TlsServerCredentialsOptions options(IdentityProvider(identity));
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.set_check_call_host(false);
  return grpc::experimental::TlsServerCredentials(options);
}

std::optional<std::string> PeerIdFromAuthContext(const grpc::AuthContext& context,
                                                 const PinSet& pins) {
  std::vector<grpc::string_ref> certs =
      context.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (certs.size() != 1) return std::nullopt;
  Result<std::string> fingerprint =
      crypto::CertificateFingerprint(std::string(certs[0].data(), certs[0].size()));
  if (!fingerprint.ok()) return std::nullopt;
  auto it = pins.find(*fingerprint);
  if (it == pins.end()) return std::nullopt;
  return it->second;
}

}  // namespace jejak::net
