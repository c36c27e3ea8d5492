// Signatures this node already verified, so an event is verified once whether it arrives by
// Submit, by gossip or in another validator's block. Each entry also remembers the event's ledger
// id (ledger::LedgerEventId of the same bytes), which costs a fraction of a signature check to
// compute and would otherwise be computed again at each of those steps.
//
// Keyed by SHA-256 over (signer key id, signature, event bytes), length-prefixed so no two
// triples share a key. Bounded: past max_entries the oldest entries are forgotten (which only
// costs a re-verification); an entry holds two keys and an id, ~250 bytes, so ~50 MB at the
// default bound. Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "jejak/v1/event.pb.h"

namespace jejak::daemon {

class VerifiedCache {
 public:
  explicit VerifiedCache(size_t max_entries = 200'000) : max_entries_(max_entries) {}

  static std::string Key(const v1::SignedEvent& signed_event);
  // The ledger event id of a verified event; nullopt if not (or no longer) remembered.
  std::optional<std::string> Find(const std::string& key) const;
  bool Contains(const std::string& key) const { return Find(key).has_value(); }
  void Insert(std::string key, std::string event_id);
  size_t size() const;

 private:
  const size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> event_ids_;  // key -> ledger event id
  std::deque<std::string> order_;                           // oldest first, for eviction
};

}  // namespace jejak::daemon
