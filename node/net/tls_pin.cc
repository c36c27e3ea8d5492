#include "node/net/tls_pin.h"

#include <grpcpp/security/tls_credentials_options.h>

#include <utility>

#include "node/crypto/hex.h"
#include "node/crypto/tls_identity.h"

namespace jejak::net {

namespace gx = grpc::experimental;

std::string FingerprintHex(const std::string& fingerprint) { return crypto::ToHex(fingerprint); }

Result<std::string> ParseFingerprintHex(std::string_view hex, const std::string& what) {
  Result<std::string> bytes = crypto::FromHex(hex);
  if (hex.size() != 64 || !bytes.ok()) {
    return Status::Invalid(what + " must be 64 hex digits (the SHA-256 of a certificate), not '" +
                           std::string(hex.substr(0, 80)) + "'");
  }
  return bytes;
}

PinVerifier::PinVerifier(PinSet pins, std::shared_ptr<TlsCounters> counters, RefusalLogger logger)
    : pins_(std::move(pins)), counters_(std::move(counters)), logger_(std::move(logger)) {}

bool PinVerifier::Verify(gx::TlsCustomVerificationCheckRequest* request,
                         std::function<void(grpc::Status)> /*callback*/,
                         grpc::Status* sync_status) {
  *sync_status = Check(std::string(request->peer_cert().data(), request->peer_cert().size()));
  return true;  // answered synchronously
}

void PinVerifier::Cancel(gx::TlsCustomVerificationCheckRequest* /*request*/) {}

grpc::Status PinVerifier::Check(const std::string& pem) {
  Result<std::string> fingerprint = crypto::CertificateFingerprint(pem);
  if (!fingerprint.ok()) {
    Refuse("an unreadable certificate (" + fingerprint.status().message() + ")", "");
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unreadable peer certificate");
  }
  if (pins_.count(*fingerprint) == 0) {
    Refuse("certificate sha256 " + FingerprintHex(*fingerprint), *fingerprint);
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "certificate " + FingerprintHex(*fingerprint) + " is not pinned");
  }
  if (counters_) counters_->accepted.fetch_add(1);
  return grpc::Status::OK;
}

void PinVerifier::Refuse(const std::string& what, const std::string& fingerprint) {
  if (counters_) counters_->RecordRefused(fingerprint);
  if (!logger_) return;
  uint64_t count = 1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (refusals_.size() < kMaxRememberedRefusals || refusals_.count(fingerprint) > 0) {
      count = ++refusals_[fingerprint];
    }
  }
  if ((count & (count - 1)) == 0) logger_(what, count);
}

std::shared_ptr<grpc::ChannelCredentials> LedgerChannelCredentials(
    const std::string& expected_fingerprint, std::shared_ptr<TlsCounters> counters) {
  gx::TlsChannelCredentialsOptions options;
  options.set_verify_server_certs(false);  // self-signed: the pin below is the whole check
  options.set_check_call_host(false);
  PinSet pins{{expected_fingerprint, "ledger service"}};
  // No logger: the client reports a refused server through the failed call.
  options.set_certificate_verifier(
      gx::ExternalCertificateVerifier::Create<PinVerifier>(std::move(pins), std::move(counters),
                                                           nullptr));
  return gx::TlsCredentials(options);
}

}  // namespace jejak::net
