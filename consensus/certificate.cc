#include "certificate.h"

#include <string>

#include "sign_bytes.h"

namespace jejak::consensus {

Status VerifyCertificate(std::string_view chain_id, const ValidatorSet& validators,
                         const Certificate& cert, Verifier& verifier) {
  const std::string where = "certificate for height " + std::to_string(cert.height) + " round " +
                            std::to_string(cert.round);
  if (cert.value_id.empty()) return Status::Invalid(where + ": value id is empty (nil)");
  if (cert.round < 0) return Status::Invalid(where + ": negative round");
  if (cert.precommits.size() > validators.size()) {
    return Status::Invalid(where + ": more precommits than validators");
  }
  std::vector<bool> seen(validators.size(), false);
  for (size_t i = 0; i < cert.precommits.size(); ++i) {
    const Vote& v = cert.precommits[i];
    const std::string which = where + ": precommit #" + std::to_string(i);
    if (v.type != VoteType::kPrecommit) return Status::Invalid(which + " is not a precommit");
    if (v.height != cert.height || v.round != cert.round) {
      return Status::Invalid(which + " is for another height or round");
    }
    if (v.value_id != cert.value_id) return Status::Invalid(which + " is for another value");
    if (!validators.Contains(v.validator)) {
      return Status::Invalid(which + " names unknown validator " + std::to_string(v.validator));
    }
    if (seen[v.validator]) {
      return Status::Invalid(which + " repeats validator " + std::to_string(v.validator));
    }
    seen[v.validator] = true;
    if (!verifier.Verify(validators.at(v.validator), VoteSignBytes(chain_id, v), v.signature)) {
      return Status::Invalid(which + " from validator " + std::to_string(v.validator) +
                             " has a bad signature");
    }
  }
  if (cert.precommits.size() < validators.Quorum()) {
    return Status::Invalid(where + ": " + std::to_string(cert.precommits.size()) +
                           " precommits, quorum is " + std::to_string(validators.Quorum()));
  }
  return Status::Ok();
}

}  // namespace jejak::consensus
