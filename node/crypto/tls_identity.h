// A node's TLS identity: a self-signed X.509 certificate (ECDSA P-256) and its private key, as
// PEM. The genesis pins each validator's certificate by its SHA-256 fingerprint, so no
// certificate authority is involved: a peer is who the genesis says it is.
#pragma once

#include <string>
#include <string_view>

#include "node/base/status.h"

namespace jejak::crypto {

struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

// A fresh identity for `common_name` (e.g. the validator id), valid for `valid_days`.
Result<TlsIdentity> GenerateTlsIdentity(std::string_view common_name, int valid_days = 3650);
// Writes the certificate (mode 0644) and the private key (mode 0600, whatever the umask) to new
// files; AlreadyExists if either exists, and nothing is left behind on failure.
Status SaveTlsIdentity(const TlsIdentity& identity, const std::string& certificate_path,
                       const std::string& private_key_path);
// The private key file's text (at most `max_bytes`), read as a secret: Invalid, naming the mode and
// the remedy, if anyone but its owner may read or change it.
Result<std::string> ReadTlsPrivateKeyFile(const std::string& private_key_path, size_t max_bytes);
// SHA-256 of the certificate's DER encoding: 32 raw bytes. Invalid if the PEM is not a certificate.
Result<std::string> CertificateFingerprint(std::string_view certificate_pem);

}  // namespace jejak::crypto
