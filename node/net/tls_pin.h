// TLS without a CA: a certificate is trusted when its SHA-256 ("fingerprint", 32 raw bytes) is
// PINNED, i.e. known in advance (the genesis pins the validators'; a node's operator hands out
// its ledger service's). In the client library, so the CLI can use it without the peer network
// (whose server verifies its peers with the same PinVerifier).
//
//   PinVerifier                      a gRPC certificate verifier that accepts pinned certificates
//   LedgerChannelCredentials(pin)    for a client of a ledger service serving TLS
//   ParseFingerprintHex(hex, what)   64 hex digits -> fingerprint, or Invalid naming `what`
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/tls_certificate_verifier.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::net {

// Fingerprint (32 raw bytes) -> a name for the certificate's owner (e.g. a validator id).
using PinSet = std::map<std::string, std::string>;

// Hex of a fingerprint, for log lines and messages.
std::string FingerprintHex(const std::string& fingerprint);

// Invalid ("<what> must be 64 hex digits ...") unless `hex` is a SHA-256 in hex (either case).
Result<std::string> ParseFingerprintHex(std::string_view hex, const std::string& what);

// Handshake outcomes seen by the verifiers; shared with the verifier objects gRPC owns.
struct TlsCounters {
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> refused{0};

  void RecordRefused(const std::string& fingerprint) {
    refused.fetch_add(1);
    std::lock_guard<std::mutex> lock(mutex);
    last_refused_fingerprint = fingerprint;
  }
  // The certificate refused last ("" when unreadable or none), for a client's error message.
  std::string LastRefusedFingerprint() const {
    std::lock_guard<std::mutex> lock(mutex);
    return last_refused_fingerprint;
  }

 private:
  mutable std::mutex mutex;
  std::string last_refused_fingerprint;
};

// Told of the 1st, 2nd, 4th, 8th... refusal of each certificate (a refused peer redials with
// backoff: logging every one would flood the log). `what` describes the certificate.
using RefusalLogger = std::function<void(const std::string& what, uint64_t count)>;

// Accepts the handshake only when the other side's certificate is pinned. Runs synchronously on
// a gRPC thread, after the TLS handshake and before any application data is accepted.
class PinVerifier final : public grpc::experimental::ExternalCertificateVerifier {
 public:
  PinVerifier(PinSet pins, std::shared_ptr<TlsCounters> counters, RefusalLogger logger);

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> callback, grpc::Status* sync_status) override;
  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest* request) override;

 private:
  grpc::Status Check(const std::string& pem);
  void Refuse(const std::string& what, const std::string& fingerprint);

  static constexpr size_t kMaxRememberedRefusals = 1024;
  const PinSet pins_;
  const std::shared_ptr<TlsCounters> counters_;  // may be null
  const RefusalLogger logger_;                   // may be empty
  std::mutex mutex_;
  std::map<std::string, uint64_t> refusals_;  // fingerprint -> refusals so far
};

// For a client of a ledger service with server-side TLS: accepts only the server whose
// certificate has this fingerprint (e.g. a validator's tls_cert_sha256 in the genesis); no
// hostname check, no client certificate. `counters` (may be null) learns of refusals, so the
// client can say why a call failed.
std::shared_ptr<grpc::ChannelCredentials> LedgerChannelCredentials(
    const std::string& expected_fingerprint, std::shared_ptr<TlsCounters> counters = nullptr);

}  // namespace jejak::net
