#include "node/daemon/verified_cache.h"

#include "node/crypto/sha256.h"

namespace jejak::daemon {
namespace {

void AddField(crypto::Sha256Hasher& hasher, const std::string& field) {
  char size[8];
  for (int i = 0; i < 8; ++i) size[i] = static_cast<char>(static_cast<uint64_t>(field.size()) >> (8 * i));
  hasher.Update(std::string_view(size, sizeof size));
  hasher.Update(field);
}

}  // namespace

std::string VerifiedCache::Key(const v1::SignedEvent& signed_event) {
  crypto::Sha256Hasher hasher;
  AddField(hasher, signed_event.signer_key_id());
  AddField(hasher, signed_event.signature());
  // The payload's kind too: an event and a governance entry of the same bytes are not one entry.
  AddField(hasher, std::to_string(static_cast<int>(signed_event.payload_case())));
  AddField(hasher, signed_event.payload_case() == v1::SignedEvent::kGovernanceBytes ? signed_event.governance_bytes()
                                                                                     : signed_event.event_bytes());
  return hasher.Finish();
}

std::optional<std::string> VerifiedCache::Find(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = event_ids_.find(key);
  if (it == event_ids_.end()) return std::nullopt;
  return it->second;
}

void VerifiedCache::Insert(std::string key, std::string event_id) {
  std::lock_guard lock(mutex_);
  if (max_entries_ == 0 || event_ids_.contains(key)) return;
  while (event_ids_.size() >= max_entries_) {
    event_ids_.erase(order_.front());
    order_.pop_front();
  }
  event_ids_.emplace(key, std::move(event_id));
  order_.push_back(std::move(key));
}

size_t VerifiedCache::size() const {
  std::lock_guard lock(mutex_);
  return event_ids_.size();
}

}  // namespace jejak::daemon
