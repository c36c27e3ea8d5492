#include "node/daemon/event_checker.h"

namespace jejak::daemon {

std::vector<Status> PooledEventChecker::Check(std::span<const v1::SignedEvent* const> events,
                                              const ledger::KeyLookup& keys, std::vector<std::string>* ids) {
  ids->assign(events.size(), "");
  std::vector<Status> checks(events.size());
  workers_.ParallelFor(events.size(), [&](size_t i) {
    std::string key = VerifiedCache::Key(*events[i]);
    if (std::optional<std::string> known = verified_.Find(key)) {
      (*ids)[i] = std::move(*known);  // decoded and verified when it first arrived
      return;
    }
    checks[i] = ledger::CheckSignedEvent(keys, chain_id_, *events[i], &(*ids)[i]);
    if (checks[i].ok()) verified_.Insert(std::move(key), (*ids)[i]);
  });
  return checks;
}

}  // namespace jejak::daemon
