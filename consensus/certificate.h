// Checking a commit certificate against a validator set: used by the core for catch-up, by the
// node's block sync and by the offline verifier.
#pragma once

#include <string_view>

#include "interfaces.h"
#include "types.h"

namespace jejak::consensus {

// OK iff `certificate` holds precommits for (height, round, value_id) from at least
// validators.Quorum() distinct known validators, each with a valid signature. A non-nil value id
// is required. Extra or repeated votes make it invalid (a certificate is exact, not "at least").
Status VerifyCertificate(std::string_view chain_id, const ValidatorSet& validators,
                         const Certificate& certificate, Verifier& verifier);

}  // namespace jejak::consensus
