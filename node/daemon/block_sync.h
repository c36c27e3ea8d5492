// Block sync: a node that is behind (restart, partition, observer) fetches committed blocks from
// a replica::BlockSource, checks each one exactly as it would check a commit, and stores it.
//
// For every block, in height order: the certificate must be for this block (height, hash) and
// carry a quorum of valid precommit signatures of the validator set (consensus::
// VerifyCertificate); the block must pass the same validation as a proposal
// (BlockApplication::CheckValue: header, previous hash, time, signatures, ledger rules). Then
// block + certificate + state go to the store in one synced write. The first block that fails
// ends the attempt: nothing after it is applied, and the source's answer is logged as refused.
//
// Runs on the node's consensus thread (the store's single writer); the core must not be running
// a Ready meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "consensus/interfaces.h"
#include "node/base/status.h"
#include "node/daemon/block_application.h"
#include "node/ledger/genesis.h"
#include "node/replica/ports.h"
#include "node/storage/store.h"

namespace jejak::daemon {

class BlockSync {
 public:
  struct Options {
    std::string chain_id;
    uint32_t max_blocks_per_fetch = 64;
    uint32_t max_fetches = 64;  // per Run: bounds the time one catch-up holds the thread
  };
  // Called after each stored block (the node removes its events from the mempool, wakes clients).
  using OnCommitted = std::function<void(const ValidatedBlock& block)>;

  // `validators` in consensus order (ledger::ValidatorsInConsensusOrder).
  BlockSync(Options options, std::vector<ledger::Validator> validators, consensus::Verifier& verifier,
            storage::Store& store, BlockApplication& application, OnCommitted on_committed);

  // Fetches and applies blocks above the store's head until the source has no more, the bound
  // is reached, or a block is refused. Returns the number of blocks applied. Invalid when the
  // source gave a block that does not check (blocks before it stay applied); Unavailable when no
  // source answers; another code for our own failure.
  Result<uint64_t> Run(replica::BlockSource& source);
  // One committed block from the network, checked and stored (height must be head + 1).
  Status Apply(const v1::CommittedBlock& committed);

 private:
  Status CheckCertificate(const v1::CommittedBlock& committed, const std::string& block_hash);

  Options options_;
  std::vector<ledger::Validator> validators_;
  consensus::Verifier& verifier_;
  storage::Store& store_;
  BlockApplication& application_;
  OnCommitted on_committed_;
};

}  // namespace jejak::daemon
