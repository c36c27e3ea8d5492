// Governance entries: proposals, approvals and an organisation's changes of its own keys.
#include <algorithm>

#include "node/ledger/governance.h"
#include "node/ledger/keys.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/rules.h"

namespace jejak::ledger::rules {
namespace {

size_t CountApprovals(const Membership& m, const v1::ProposalRecord& proposal) {
  return static_cast<size_t>(std::count_if(
      proposal.approvals().begin(), proposal.approvals().end(), [&](const v1::ProposalApproval& a) {
        const v1::OrganisationRecord* org = m.FindOrganisationRecord(a.organisation());
        return org != nullptr && m.IsActive(*org);
      }));
}

// Applies `change` now: the membership record and the governance log.
Status ApplyNow(const GovernanceEntry& entry, const Membership& pending, const v1::GovernanceChange& change,
                WriteSet& writes) {
  Result<v1::MembershipRecord> next = ApplyChange(pending, change, entry.position.height, entry.entry_id);
  if (!next.ok()) return next.status();
  writes.Put(Table::kState, keys::MembershipKey(), next->SerializeAsString());
  writes.Put(Table::kState, keys::GovernanceLogKey({entry.position.height, entry.position.index}), entry.entry_id);
  return Status::Ok();
}

// Applies the proposal if its approvals reach the threshold; the record is written either way.
Status SettleProposal(const GovernanceEntry& entry, const Membership& pending, v1::ProposalRecord& proposal,
                      WriteSet& writes) {
  if (CountApprovals(pending, proposal) >= pending.RequiredApprovals()) {
    Status applied = ApplyNow(entry, pending, proposal.change(), writes);
    if (!applied.ok()) {
      return applied.WithContext("proposal " + proposal.id() + " has its approvals but cannot be applied now");
    }
    proposal.set_status(v1::PROPOSAL_APPLIED);
    proposal.set_applied_at_height(entry.position.height);
  }
  writes.Put(Table::kState, keys::ProposalKey(proposal.id()), proposal.SerializeAsString());
  return Status::Ok();
}

Status Propose(const GovernanceEntry& entry, const Membership& pending, const v1::GovernanceTx& tx,
               const std::string& organisation, WriteSet& writes) {
  // Refused now if it could not apply now, so that members are not asked to approve nonsense.
  Result<v1::MembershipRecord> trial = ApplyChange(pending, tx.propose(), entry.position.height, entry.entry_id);
  if (!trial.ok()) return trial.status();
  v1::ProposalRecord proposal;
  proposal.set_id(entry.entry_id);
  *proposal.mutable_change() = tx.propose();
  proposal.set_memo(tx.memo());
  proposal.set_proposer_organisation(organisation);
  proposal.set_proposed_at_height(entry.position.height);
  proposal.set_expires_after_height(entry.position.height + pending.proposal_lifetime_blocks());
  proposal.set_status(v1::PROPOSAL_OPEN);
  proposal.set_issued_at_ms(tx.issued_at_ms());
  v1::ProposalApproval* approval = proposal.add_approvals();
  approval->set_organisation(organisation);
  approval->set_entry_id(entry.entry_id);
  approval->set_height(entry.position.height);
  return SettleProposal(entry, pending, proposal, writes);
}

Status Approve(const GovernanceEntry& entry, const StateReader& state, const Membership& pending,
               const std::string& proposal_id, const std::string& organisation, WriteSet& writes) {
  auto stored = state.Get(Table::kState, keys::ProposalKey(proposal_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return Status::NotFound("there is no proposal " + proposal_id).WithRule(rule::kGovProposalUnknown);
  }
  v1::ProposalRecord proposal;
  if (!proposal.ParseFromString(**stored)) return Status::Corruption("proposal " + proposal_id + " cannot be read");
  if (proposal.status() == v1::PROPOSAL_APPLIED) {
    return Status::Invalid("proposal " + proposal_id + " was applied at block " +
                           std::to_string(proposal.applied_at_height()))
        .WithRule(rule::kGovProposalApplied);
  }
  if (entry.position.height > proposal.expires_after_height()) {
    return Status::Invalid("proposal " + proposal_id + " expired after block " +
                           std::to_string(proposal.expires_after_height()) + ": propose it again")
        .WithRule(rule::kGovProposalExpired);
  }
  for (const v1::ProposalApproval& a : proposal.approvals()) {
    if (a.organisation() == organisation) {
      // Approvals that once fell short may suffice now (a member suspended, a lower threshold):
      // a repeated approval applies the proposal then, rather than leave it stuck until it expires.
      if (CountApprovals(pending, proposal) >= pending.RequiredApprovals()) {
        return SettleProposal(entry, pending, proposal, writes);
      }
      return Status::AlreadyExists("organisation " + organisation + " approved proposal " + proposal_id +
                                   " already, at block " + std::to_string(a.height()))
          .WithRule(rule::kGovApprovedTwice);
    }
  }
  v1::ProposalApproval* approval = proposal.add_approvals();
  approval->set_organisation(organisation);
  approval->set_entry_id(entry.entry_id);
  approval->set_height(entry.position.height);
  return SettleProposal(entry, pending, proposal, writes);
}

Status OwnKey(const GovernanceEntry& entry, const Membership& pending, const v1::GovernanceChange& change,
              const std::string& organisation, WriteSet& writes) {
  const std::string* named = nullptr;
  if (change.has_rotate_agent_key()) named = &change.rotate_agent_key().organisation();
  if (change.has_revoke_agent_key()) named = &change.revoke_agent_key().organisation();
  if (named == nullptr || *named != organisation) {
    return Status::PermissionDenied("without approvals organisation " + organisation +
                                    " may only rotate or revoke its own keys, not " + DescribeChange(change))
        .WithRule(rule::kGovOwnKeyOnly);
  }
  JEJAK_RETURN_IF_ERROR(ApplyNow(entry, pending, change, writes));
  // It may not lock itself out: an organisation keeps an active admin key (else only a quorum
  // could give it one back).
  v1::MembershipRecord next;
  next.ParseFromString(*writes.writes().at({Table::kState, keys::MembershipKey()}));
  for (const v1::OrganisationRecord& org : next.organisations()) {
    if (org.id() != organisation) continue;
    const bool admin_left = std::any_of(org.agent_keys().begin(), org.agent_keys().end(),
                                        [](const auto& k) { return k.admin() && k.status() == v1::AGENT_KEY_ACTIVE; });
    if (!admin_left) {
      return Status::Invalid("organisation " + organisation + " would have no active admin key left: revoke it with "
                             "a replacement, or ask the members to")
          .WithRule(rule::kGovLastOrganisation);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<WriteSet> ApplyGovernance(const StateReader& state, const Membership& in_force, const Membership& pending,
                                 const GovernanceEntry& entry, const SignatureCheck& check_signature) {
  const v1::SignedEvent& signed_entry = entry.signed_entry;
  if (check_signature) JEJAK_RETURN_IF_ERROR(check_signature(in_force, signed_entry));
  auto existing = state.Get(Table::kEvents, keys::EventKey(entry.entry_id));
  if (!existing.ok()) return existing.status();
  // The same entry again changes nothing, even once its key is retired: it was valid when committed.
  if (existing->has_value()) return WriteSet();
  // The signer may sign by the membership in force at the block and by the changes of the
  // entries before it in the block: a key revoked (or an organisation suspended) earlier in the
  // same block acts no more (a thief's entry right behind the owner's revocation).
  Result<MemberKey> signer = CheckSigner(in_force, signed_entry.signer_key_id());
  if (!signer.ok()) return signer.status();
  Result<MemberKey> still = CheckSigner(pending, signed_entry.signer_key_id());
  if (!still.ok()) return still.status().WithContext("earlier in this block");
  if (!signer->key->admin() || !still->key->admin()) {
    return Status::PermissionDenied("key " + signer->key->key_id() + " (" + signer->key->name() + " of " +
                                    signer->organisation->id() +
                                    ") is not an admin key: an organisation's admin key signs its governance entries")
        .WithRule(rule::kGovNotAdmin);
  }
  v1::GovernanceTx tx;
  if (signed_entry.governance_bytes().size() > kMaxGovernanceBytes || !tx.ParseFromString(signed_entry.governance_bytes())) {
    return Status::Invalid("the signed bytes are not a governance entry of at most " +
                           std::to_string(kMaxGovernanceBytes) + " bytes")
        .WithRule(rule::kGovFormat);
  }
  if (tx.format_version() != kGovernanceFormatVersion) {
    return Status::Invalid("the governance entry has format version " + std::to_string(tx.format_version()) +
                           "; this ledger knows version " + std::to_string(kGovernanceFormatVersion))
        .WithRule(rule::kGovFormat);
  }
  if (tx.organisation() != signer->organisation->id()) {
    return Status::PermissionDenied("the entry acts for organisation \"" + tx.organisation() +
                                    "\" but is signed by a key of " + signer->organisation->id())
        .WithRule(rule::kGovNotAdmin);
  }
  const bool control = std::any_of(tx.memo().begin(), tx.memo().end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  if (tx.memo().size() > kMaxMemoBytes || control) {
    return Status::Invalid("the memo is longer than " + std::to_string(kMaxMemoBytes) +
                           " bytes or holds a control character")
        .WithRule(rule::kGovChangeFormat);
  }
  WriteSet writes;
  const std::string& organisation = signer->organisation->id();
  Status applied = Status::Ok();
  switch (tx.action_case()) {
    case v1::GovernanceTx::kPropose: applied = Propose(entry, pending, tx, organisation, writes); break;
    case v1::GovernanceTx::kApprove: applied = Approve(entry, state, pending, tx.approve(), organisation, writes); break;
    case v1::GovernanceTx::kOwnKey: applied = OwnKey(entry, pending, tx.own_key(), organisation, writes); break;
    case v1::GovernanceTx::ACTION_NOT_SET:
      applied = Status::Invalid("the governance entry names no action (propose, approve or own_key)")
                    .WithRule(rule::kGovFormat);
      break;
  }
  if (!applied.ok()) return applied;

  v1::EventRecord record;
  record.set_event_id(entry.entry_id);
  *record.mutable_signed_event() = signed_entry;
  record.mutable_position()->set_height(entry.position.height);
  record.mutable_position()->set_index(entry.position.index);
  record.mutable_position()->set_block_time_ms(entry.position.block_time_ms);
  record.set_signer_organization(organisation);
  record.set_kind(kGovernanceKind);
  writes.Put(Table::kEvents, keys::EventKey(entry.entry_id), record.SerializeAsString());
  return writes;
}

}  // namespace jejak::ledger::rules
