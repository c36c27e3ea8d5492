#include "node/ledger/commit_certificate.h"

#include <algorithm>
#include <set>

#include "consensus/certificate.h"
#include "node/ledger/consensus_codec.h"

namespace jejak::ledger {
namespace {

// Remembers the first validator whose signature fails, to name it.
class NamingVerifier final : public consensus::Verifier {
 public:
  explicit NamingVerifier(consensus::Verifier& inner) : inner_(inner) {}
  bool Verify(const consensus::Validator& validator, std::string_view bytes,
              std::string_view signature) override {
    const bool ok = inner_.Verify(validator, bytes, signature);
    if (!ok && failed.empty()) failed = validator.id;
    return ok;
  }
  std::string failed;

 private:
  consensus::Verifier& inner_;
};

// The certificate's signatures as precommit votes, each naming its validator's index.
Result<consensus::Certificate> Votes(const std::vector<Validator>& validators,
                                     const v1::CommitCertificate& cert) {
  consensus::Certificate c{cert.height(), static_cast<int32_t>(cert.round()), cert.block_hash(), {}};
  std::set<std::string> seen;
  for (int i = 0; i < cert.signatures_size(); ++i) {
    const v1::CommitSignature& s = cert.signatures(i);
    auto it = std::find_if(validators.begin(), validators.end(),
                           [&](const Validator& v) { return v.id == s.validator_id(); });
    if (it == validators.end()) {
      return Status::Invalid("certificate signature " + std::to_string(i) + " names \"" +
                             s.validator_id() + "\", not a validator at this height");
    }
    if (!seen.insert(s.validator_id()).second) {
      return Status::Invalid("certificate signs twice for validator " + s.validator_id());
    }
    if (s.signature().size() > CodecLimits{}.max_signature_bytes) {
      return Status::Invalid("certificate signature of validator " + s.validator_id() + " is too long");
    }
    c.precommits.push_back({consensus::VoteType::kPrecommit, c.height, c.round, c.value_id,
                            static_cast<consensus::ValidatorIndex>(it - validators.begin()),
                            s.signature()});
  }
  return c;
}

}  // namespace

std::vector<Validator> ValidatorsInConsensusOrder(std::vector<Validator> validators) {
  std::sort(validators.begin(), validators.end(),
            [](const Validator& a, const Validator& b) { return a.id < b.id; });
  return validators;
}

Status CheckCommitCertificate(const std::string& chain_id, const std::vector<Validator>& validators,
                              const v1::CommitCertificate& certificate, uint64_t height,
                              std::string_view block_hash, consensus::Verifier& verifier) {
  if (certificate.height() != height) {
    return Status::Invalid("certificate is for height " + std::to_string(certificate.height()));
  }
  if (certificate.block_hash() != block_hash) {
    return Status::Invalid("certificate is for another block (a header field differs from what the "
                           "validators signed)");
  }
  if (certificate.round() > static_cast<uint64_t>(CodecLimits{}.max_round)) {
    return Status::Invalid("certificate round " + std::to_string(certificate.round()) + " is out of range");
  }
  Result<consensus::Certificate> votes = Votes(validators, certificate);
  if (!votes.ok()) return votes.status();
  std::vector<consensus::Validator> members;
  for (const Validator& v : validators) members.push_back({v.id, v.public_key});
  const consensus::ValidatorSet set(std::move(members));
  NamingVerifier naming(verifier);
  consensus::Status status = consensus::VerifyCertificate(chain_id, set, *votes, naming);
  if (!naming.failed.empty()) {
    return Status::Invalid("certificate signature of validator " + naming.failed + " is not valid");
  }
  if (status.ok()) return Status::Ok();
  if (votes->precommits.size() < set.Quorum()) {
    return Status::Invalid("certificate has " + std::to_string(votes->precommits.size()) +
                           " validator signatures, below the quorum of " + std::to_string(set.Quorum()) +
                           " of " + std::to_string(set.size()));
  }
  return Status::Invalid("certificate: " + status.message());
}

}  // namespace jejak::ledger
