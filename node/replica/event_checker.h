// How the replica has signed events checked: decoding, ledger id and signature
// (ledger::CheckSignedEvent), the costly part of taking an event, kept outside the replica so its
// driver can run it in parallel and remember what it verified (the server's PooledEventChecker).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "jejak/v1/event.pb.h"
#include "node/base/status.h"
#include "node/ledger/genesis.h"
#include "node/ledger/signing.h"

namespace jejak::replica {

// One status per entry (event or governance entry); (*ids)[i] is its ledger id when statuses[i]
// is ok. Failures carry rule codes. Signatures are checked with `keys`: for a block, the
// membership in force at it (the parent state's), so every validator reaches the same verdict;
// whether a key may sign is the ledger's rule, judged later against the same membership.
class EventChecker {
 public:
  virtual ~EventChecker() = default;
  virtual std::vector<Status> Check(std::span<const v1::SignedEvent* const> events, const ledger::KeyLookup& keys,
                                    std::vector<std::string>* ids) = 0;
};

// One event after the other on the calling thread: for the simulator and tests.
class SequentialEventChecker final : public EventChecker {
 public:
  explicit SequentialEventChecker(const ledger::Genesis& genesis) : chain_id_(genesis.chain_id) {}
  std::vector<Status> Check(std::span<const v1::SignedEvent* const> events, const ledger::KeyLookup& keys,
                            std::vector<std::string>* ids) override {
    ids->assign(events.size(), "");
    std::vector<Status> checks;
    for (size_t i = 0; i < events.size(); ++i) {
      checks.push_back(ledger::CheckSignedEvent(keys, chain_id_, *events[i], &(*ids)[i]));
    }
    return checks;
  }

 private:
  std::string chain_id_;
};

}  // namespace jejak::replica
