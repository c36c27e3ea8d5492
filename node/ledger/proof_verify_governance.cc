// Replaying a bundle's governance entries from the genesis (proof_verify.h, step 3b).
#include "node/ledger/governance.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/proof_verify_internal.h"

namespace jejak::ledger::proof {

const Membership& MembershipTimeline::At(uint64_t height) const {
  auto it = after_.lower_bound(height);  // the first change at or after `height`
  if (it == after_.begin()) return *genesis_;
  return *std::prev(it)->second;
}

const Membership& MembershipTimeline::Latest() const {
  return after_.empty() ? *genesis_ : *after_.rbegin()->second;
}

Result<MembershipTimeline> ReplayGovernance(const Genesis& genesis, const ProofBundle& bundle, size_t& signatures) {
  const Ledger ledger(genesis);  // the ledger's own rules, signatures checked
  MemoryStore state;
  MembershipTimeline timeline(ledger.genesis_membership());
  for (size_t i = 1; i < bundle.governance.size(); ++i) {
    const ProofEvent& a = bundle.governance[i - 1];
    const ProofEvent& b = bundle.governance[i];
    if (std::pair(a.height, a.leaf_index) >= std::pair(b.height, b.leaf_index)) {
      return Status::Invalid("governance[" + std::to_string(i) + "] (" + b.event_id +
                             "): governance entries must be listed once each, in chain order");
    }
  }
  size_t k = 0;
  while (k < bundle.governance.size()) {
    // The entries of one block together: changes take effect from the next block.
    const uint64_t height = bundle.governance[k].height;
    const ProofBlock* block = FindBlock(bundle, height);
    std::vector<const v1::SignedEvent*> entries;
    const size_t first = k;
    for (; k < bundle.governance.size() && bundle.governance[k].height == height; ++k) {
      const ProofEvent& entry = bundle.governance[k];
      const std::string where = "governance[" + std::to_string(k) + "] (" + entry.event_id + ")";
      if (block == nullptr) return Status::Invalid(where + ": its block " + std::to_string(height) + " is not in the bundle");
      if (!IsGovernanceEntry(entry.signed_event) || GovernanceEntryId(entry.signed_event.governance_bytes()) != entry.event_id) {
        return Status::Invalid(where + ": the signed bytes are not the governance entry claimed");
      }
      JEJAK_RETURN_IF_ERROR(CheckInclusion(entry, *block).WithContext(where));
      entries.push_back(&entry.signed_event);
      ++signatures;
    }
    Result<AppliedEvents> applied =
        ledger.ApplyEvents(state, entries, {}, {height, 0, block->header.time_ms()}, OnRefusal::kFailAll);
    if (!applied.ok()) {
      const size_t index = first + applied.status().event_index().value_or(0);
      return applied.status().WithContext("governance[" + std::to_string(index) + "] at block " + std::to_string(height));
    }
    state.Apply(applied->writes);
    Result<std::shared_ptr<const Membership>> membership = ledger.MembershipIn(state);
    if (!membership.ok()) return membership.status();
    timeline.After(height, *membership);
  }
  return timeline;
}

}  // namespace jejak::ledger::proof
