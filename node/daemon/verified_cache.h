// Signatures this node already verified, so an event is verified once whether it arrives by
// Submit, by gossip or in another validator's block.
//
// Keyed by SHA-256 over (signer key id, signature, event bytes), length-prefixed so no two
// triples share a key. Bounded: past max_entries the oldest entries are forgotten (which only
// costs a re-verification). Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <set>
#include <string>

#include "jejak/v1/event.pb.h"

namespace jejak::daemon {

class VerifiedCache {
 public:
  explicit VerifiedCache(size_t max_entries = 200'000) : max_entries_(max_entries) {}

  static std::string Key(const v1::SignedEvent& signed_event);
  bool Contains(const std::string& key) const;
  void Insert(std::string key);
  size_t size() const;

 private:
  const size_t max_entries_;
  mutable std::mutex mutex_;
  std::set<std::string> keys_;
  std::deque<std::string> order_;  // oldest first, for eviction
};

}  // namespace jejak::daemon
