// Certificates carried by certification events: the jejak:certificate extension member
// (see vocabulary.h) together with the event's certificationInfo.
#pragma once

#include <cstdint>
#include <string_view>

#include "jejak/v1/ledger_state.pb.h"
#include "node/base/status.h"

namespace jejak::ledger {

inline constexpr size_t kMaxCertificatesPerLot = 100;

// Parses the member's JSON text:
//   {"documentHash": "<64 hex>", "issuer": "...", "scheme": "organic" (optional),
//    "validFrom": "<RFC 3339>", "validUntil": "<RFC 3339>"}
// Invalid naming the member that is missing or wrong. documentHash is returned in lowercase hex.
Result<v1::CertificateRecord> ParseCertificateMember(std::string_view json_text);

// Valid from valid_from_ms up to and including valid_until_ms.
inline bool CertificateValidAt(const v1::CertificateRecord& cert, int64_t time_ms) {
  return cert.valid_from_ms() <= time_ms && time_ms <= cert.valid_until_ms();
}

}  // namespace jejak::ledger
