// Commit certificates, checked in one place for everyone who takes a block on its certificate:
// a node's block sync and the offline proof verifier.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/interfaces.h"
#include "jejak/v1/block.pb.h"
#include "node/base/status.h"
#include "node/ledger/genesis.h"

namespace jejak::ledger {

// Validators sorted by id: the index order consensus votes are signed with.
std::vector<Validator> ValidatorsInConsensusOrder(std::vector<Validator> validators);

// That `certificate` commits `block_hash` at `height` on chain `chain_id`: every signature by a
// distinct one of `validators` (in consensus order), valid, and at least a quorum of them.
// Invalid naming the first problem ("certificate is for height 5", "certificate signs twice for
// validator v1", "certificate signature of validator v2 is not valid", "certificate has 2
// validator signatures, below the quorum of 3 of 4"). `verifier` checks each signature (a node's
// remembers them; the proof verifier counts them).
Status CheckCommitCertificate(const std::string& chain_id, const std::vector<Validator>& validators,
                              const v1::CommitCertificate& certificate, uint64_t height,
                              std::string_view block_hash, consensus::Verifier& verifier);

}  // namespace jejak::ledger
