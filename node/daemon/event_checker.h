// The replica's EventChecker on a node: ledger::CheckSignedEvent on the worker pool, and each
// signature once whether the event arrives by Submit, by gossip or in another validator's block
// (VerifiedCache).
#pragma once

#include "node/daemon/verified_cache.h"
#include "node/daemon/worker_pool.h"
#include "node/ledger/genesis.h"
#include "node/ledger/signing.h"
#include "node/replica/event_checker.h"

namespace jejak::daemon {

class PooledEventChecker final : public replica::EventChecker {
 public:
  PooledEventChecker(const ledger::Genesis& genesis, WorkerPool& workers, VerifiedCache& verified)
      : chain_id_(genesis.chain_id), workers_(workers), verified_(verified) {}
  // Thread-safe: the ledger service and the transport call it outside the replica's lock.
  std::vector<Status> Check(std::span<const v1::SignedEvent* const> events, const ledger::KeyLookup& keys,
                            std::vector<std::string>* ids) override;

 private:
  const std::string chain_id_;
  WorkerPool& workers_;
  VerifiedCache& verified_;
};

}  // namespace jejak::daemon
