#include "node/ledger/certificate.h"

#include <nlohmann/json.hpp>

#include "node/crypto/hex.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/rule_codes.h"

namespace jejak::ledger {
namespace {

constexpr const char* kWhere = "jejak:certificate";

Result<std::string> Member(const nlohmann::json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (!required) return std::string();
    return Status::Invalid(std::string(kWhere) + "." + key + " is missing");
  }
  if (!it->is_string() || it->get<std::string>().empty()) {
    return Status::Invalid(std::string(kWhere) + "." + key + " must be a non-empty string");
  }
  return it->get<std::string>();
}

Result<int64_t> Time(const nlohmann::json& j, const char* key) {
  auto text = Member(j, key, true);
  if (!text.ok()) return text.status();
  auto ms = epcis::ParseRfc3339Ms(*text);
  if (!ms.ok()) return ms.status().WithContext(std::string(kWhere) + "." + key);
  return *ms;
}

Result<v1::CertificateRecord> ParseMember(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Invalid(std::string(kWhere) + " must be a JSON object");
  v1::CertificateRecord cert;
  auto hash = Member(j, "documentHash", true);
  if (!hash.ok()) return hash.status();
  auto raw = crypto::FromHex(*hash);
  if (!raw.ok() || raw->size() != 32) {
    return Status::Invalid(std::string(kWhere) +
                           ".documentHash must be the SHA-256 of the document: 64 hex digits");
  }
  cert.set_document_hash(crypto::ToHex(*raw));
  auto issuer = Member(j, "issuer", true);
  if (!issuer.ok()) return issuer.status();
  cert.set_issuer(*issuer);
  auto scheme = Member(j, "scheme", false);
  if (!scheme.ok()) return scheme.status();
  cert.set_scheme(*scheme);
  auto from = Time(j, "validFrom");
  if (!from.ok()) return from.status();
  auto until = Time(j, "validUntil");
  if (!until.ok()) return until.status();
  if (*until < *from) {
    return Status::Invalid(std::string(kWhere) + ": validUntil is before validFrom");
  }
  cert.set_valid_from_ms(*from);
  cert.set_valid_until_ms(*until);
  return cert;
}

}  // namespace

Result<v1::CertificateRecord> ParseCertificateMember(std::string_view json_text) {
  Result<v1::CertificateRecord> cert = ParseMember(json_text);
  if (!cert.ok()) return cert.status().WithRule(rule::kCertificateFormat);
  return cert;
}

}  // namespace jejak::ledger
