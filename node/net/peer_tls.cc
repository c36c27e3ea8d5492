#include "node/net/peer_tls.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_certificate_verifier.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <map>
#include <mutex>
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

// Accepts the handshake only when the peer's certificate is pinned. Runs synchronously on a
// gRPC thread, after the TLS handshake and before any application data is accepted.
class PinVerifier final : public gx::ExternalCertificateVerifier {
 public:
  PinVerifier(PinSet pins, std::string side, std::shared_ptr<TlsCounters> counters)
      : pins_(std::move(pins)), side_(std::move(side)), counters_(std::move(counters)) {}

  bool Verify(gx::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/, grpc::Status* sync_status) override {
    *sync_status = Check(std::string(request->peer_cert().data(), request->peer_cert().size()));
    return true;
  }
  void Cancel(gx::TlsCustomVerificationCheckRequest* /*request*/) override {}

 private:
  grpc::Status Check(const std::string& pem) {
    Result<std::string> fingerprint = crypto::CertificateFingerprint(pem);
    if (!fingerprint.ok()) {
      Refuse("an unreadable certificate (" + fingerprint.status().message() + ")", "");
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unreadable peer certificate");
    }
    if (pins_.count(*fingerprint) == 0) {
      Refuse("certificate sha256 " + FingerprintHex(*fingerprint), *fingerprint);
      return grpc::Status(
          grpc::StatusCode::UNAUTHENTICATED,
          "peer certificate " + FingerprintHex(*fingerprint) + " is not pinned in the genesis");
    }
    if (counters_) counters_->accepted.fetch_add(1);
    return grpc::Status::OK;
  }

  // A refused peer redials with backoff: log its 1st, 2nd, 4th, 8th... refusal, not every one.
  void Refuse(const std::string& what, const std::string& fingerprint) {
    if (counters_) counters_->refused.fetch_add(1);
    uint64_t count = 1;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (refusals_.size() < kMaxRememberedRefusals || refusals_.count(fingerprint) > 0) {
        count = ++refusals_[fingerprint];
      }
    }
    if ((count & (count - 1)) != 0) return;
    spdlog::warn("TLS pin check: {} refused {}: not a pinned certificate ({} time{})", side_, what,
                 count, count == 1 ? "" : "s");
  }

  static constexpr size_t kMaxRememberedRefusals = 1024;
  PinSet pins_;
  std::string side_;
  std::shared_ptr<TlsCounters> counters_;
  std::mutex mutex_;
  std::map<std::string, uint64_t> refusals_;  // fingerprint -> refusals so far
};

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
  Result<std::string> key = ReadSmallFile(private_key_path, "TLS private key");
  if (!key.ok()) return key.status();
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

std::string FingerprintHex(const std::string& fingerprint) { return crypto::ToHex(fingerprint); }

std::shared_ptr<grpc::ServerCredentials> PeerServerCredentials(
    const crypto::TlsIdentity& identity, const PinSet& pins,
    std::shared_ptr<TlsCounters> counters) {
  gx::TlsServerCredentialsOptions options(IdentityProvider(identity));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_BUT_DONT_VERIFY);
  options.set_check_call_host(false);
  options.set_certificate_verifier(gx::ExternalCertificateVerifier::Create<PinVerifier>(
      pins, std::string("peer server"), std::move(counters)));
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
      std::move(pins), "connection to " + peer_label, std::move(counters)));
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

std::shared_ptr<grpc::ChannelCredentials> LedgerChannelCredentials(
    const std::string& expected_fingerprint) {
  gx::TlsChannelCredentialsOptions options;
  options.set_verify_server_certs(false);  // self-signed: the pin below is the whole check
  options.set_check_call_host(false);
  PinSet pins{{expected_fingerprint, "ledger service"}};
  options.set_certificate_verifier(gx::ExternalCertificateVerifier::Create<PinVerifier>(
      std::move(pins), std::string("ledger client"), nullptr));
  return grpc::experimental::TlsCredentials(options);
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
