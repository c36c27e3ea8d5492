// Stable codes of ledger refusals (the form: node/base/status.h, Status::WithRule). Every refusal
// of an event or a block by the ledger carries one; the EPCIS checks' are in node/epcis/rule_codes.h.
// Listed in docs/design.md, section 5. A code, once published, keeps its meaning.
#pragma once

#include <string_view>

#include "node/epcis/rule_codes.h"

namespace jejak::ledger::rule {

// Signed event admission.
// The signed bytes are not a serialised event of at most kMaxEventBytes.
inline constexpr std::string_view kEventEncoding = "event-encoding";
// The signer key is not an agent key of any member organisation.
inline constexpr std::string_view kSignerUnknown = "signer-unknown";
// The signer key is retired (inactive in the genesis, or rotated out by governance).
inline constexpr std::string_view kSignerRetired = "signer-retired";
// The signer key was revoked by governance.
inline constexpr std::string_view kSignerRevoked = "signer-revoked";
// The signer's organisation is suspended or removed.
inline constexpr std::string_view kSignerSuspended = "signer-suspended";
// The signature does not match the event on this chain.
inline constexpr std::string_view kSignatureInvalid = "signature-invalid";
// The signer's organisation lacks the role this kind of event needs.
inline constexpr std::string_view kSignerRole = "signer-role";
// The eventID as written is too long or holds a NUL byte.
inline constexpr std::string_view kEventIdMalformed = "event-id-malformed";
// The eventID as written is already another event's.
inline constexpr std::string_view kEventIdTaken = "event-id-taken";

// The lots an event names.
inline constexpr std::string_view kLotNoneNamed = "lot-none-named";
inline constexpr std::string_view kLotRepeated = "lot-repeated";
inline constexpr std::string_view kLotListTooLong = "lot-list-too-long";
// A lot id that is not a jejak lot URN or a GS1 identifier of an instance or a lot.
inline constexpr std::string_view kLotIdMalformed = "lot-id-malformed";
// The lot was never commissioned on this ledger.
inline constexpr std::string_view kLotUnknown = "lot-unknown";
// A lot is created only once.
inline constexpr std::string_view kLotExists = "lot-exists";
inline constexpr std::string_view kLotQuantityZero = "lot-quantity-zero";
// A lot used up by a transformation: nothing is left of it.
inline constexpr std::string_view kLotUsedUp = "lot-used-up";
inline constexpr std::string_view kLotInTransit = "lot-in-transit";
// The lot is packed in another: act on the outer one, or unpack first.
inline constexpr std::string_view kLotPacked = "lot-packed";
// Lots measured in different units where one is needed.
inline constexpr std::string_view kUnitMismatch = "unit-mismatch";
// A party named in sourceList or destinationList belongs to no member organisation.
inline constexpr std::string_view kPartyUnknown = "party-unknown";
// The product named in ilmd is not a non-empty string.
inline constexpr std::string_view kProductFormat = "product-format";

// Custody and ownership: who may act on a lot.
inline constexpr std::string_view kNotCustodian = "not-custodian";
inline constexpr std::string_view kNotOwner = "not-owner";
// Only the receiver a shipment names may receive it.
inline constexpr std::string_view kNotReceiver = "not-receiver";
// Observing a lot is for its owner, its custodian, a certifier or an auditor.
inline constexpr std::string_view kNotParty = "not-party";
inline constexpr std::string_view kShipNoReceiver = "ship-no-receiver";
// destinationList names two receivers (or two new owners).
inline constexpr std::string_view kShipReceiverAmbiguous = "ship-receiver-ambiguous";
inline constexpr std::string_view kShipToSelf = "ship-to-self";
// Shipping moves a whole lot; a part is split off by a transformation first.
inline constexpr std::string_view kShipPartial = "ship-partial";
inline constexpr std::string_view kReceiveNotInTransit = "receive-not-in-transit";

// Transformations.
// A transformation that names an input but takes nothing of it.
inline constexpr std::string_view kInputUnconsumed = "input-unconsumed";
// A transformation takes more of an input lot than is left.
inline constexpr std::string_view kOverConsumption = "over-consumption";
// A measured output with no measured input.
inline constexpr std::string_view kOutputUnmeasured = "output-unmeasured";

// Only organisation X creates lots named urn:jejak:lot:X:<local-id>.
inline constexpr std::string_view kLotNamespace = "lot-namespace";
// The outputs of a transformation weigh more than its inputs allow (genesis max_yield).
inline constexpr std::string_view kMassBalance = "mass-balance";
// A recalled lot is not transformed, packed or taking more lots; custody moves keep its recall.
inline constexpr std::string_view kRecalledLot = "recalled-lot";

// Packing and unpacking.
inline constexpr std::string_view kPackParentMissing = "pack-parent-missing";
// A lot packed into itself or into a lot packed inside it.
inline constexpr std::string_view kPackCycle = "pack-cycle";
// Unpacking a lot that is not packed in the named parent.
inline constexpr std::string_view kPackNotInside = "pack-not-inside";
// Packing nested deeper, or holding more lots, than the ledger's bound.
inline constexpr std::string_view kPackTooLarge = "pack-too-large";

// A certification or inspection without the jejak:certificate member it needs.
inline constexpr std::string_view kCertificateMissing = "certificate-missing";
// The jejak:certificate member is malformed (hash, issuer, validity window).
inline constexpr std::string_view kCertificateFormat = "certificate-format";

// Error declarations.
// The declaration does not repeat the eventID of the event it declares erroneous.
inline constexpr std::string_view kDeclarationEventId = "declaration-event-id";
inline constexpr std::string_view kDeclaredEventUnknown = "declared-event-unknown";
inline constexpr std::string_view kDeclaredDeclaration = "declared-declaration";
// Only the recording organisation or an auditor declares an event erroneous.
inline constexpr std::string_view kNotRecorder = "not-recorder";
inline constexpr std::string_view kDeclaredTwice = "declared-twice";

// An event dated more than the genesis' max_future_skew_ms after its block's time.
inline constexpr std::string_view kTimeFuture = "time-future";
// An event dated before the genesis' event_time.earliest.
inline constexpr std::string_view kTimeTooEarly = "time-too-early";
// An event dated before the creation of a lot it touches.
inline constexpr std::string_view kTimeBeforeLot = "time-before-lot";

// A block's header against the chain it would extend.
inline constexpr std::string_view kBlockChainId = "block-chain-id";
inline constexpr std::string_view kBlockHeight = "block-height";
inline constexpr std::string_view kBlockPreviousHash = "block-previous-hash";
// More events than a block may hold.
inline constexpr std::string_view kBlockTooLarge = "block-too-large";
// The header's event count or events root does not match the block's events.
inline constexpr std::string_view kBlockEventsRoot = "block-events-root";
// A block dated before the block it follows.
inline constexpr std::string_view kBlockTimeOrder = "block-time-order";
// A proposed block dated more than the genesis' max_future_skew_ms after the judging validator's
// clock.
inline constexpr std::string_view kBlockTimeFuture = "block-time-future";

// A block naming a validator set other than the genesis'.
inline constexpr std::string_view kBlockValidatorSet = "block-validator-set";
// A block holding an event already in the chain, or one event twice.
inline constexpr std::string_view kBlockDuplicateEvent = "block-duplicate-event";

// Governance entries (governance.h).
// The bytes are not a GovernanceTx of a known format version, or name no change.
inline constexpr std::string_view kGovFormat = "gov-format";
// A governance entry signed by a key that is not an admin key.
inline constexpr std::string_view kGovNotAdmin = "gov-not-admin";
inline constexpr std::string_view kGovProposalUnknown = "gov-proposal-unknown";
// An approval of a proposal already applied.
inline constexpr std::string_view kGovProposalApplied = "gov-proposal-applied";
inline constexpr std::string_view kGovProposalExpired = "gov-proposal-expired";
inline constexpr std::string_view kGovApprovedTwice = "gov-approved-twice";
// Without approvals an organisation only rotates or revokes its own keys.
inline constexpr std::string_view kGovOwnKeyOnly = "gov-own-key-only";
inline constexpr std::string_view kGovOrgExists = "gov-org-exists";
inline constexpr std::string_view kGovOrgUnknown = "gov-org-unknown";
// A removed organisation stays removed and changes no more.
inline constexpr std::string_view kGovOrgRemoved = "gov-org-removed";
// A status change to the status it has, or to no status.
inline constexpr std::string_view kGovOrgStatus = "gov-org-status";
// No active organisation with an admin key would be left to govern.
inline constexpr std::string_view kGovLastOrganisation = "gov-last-organisation";
inline constexpr std::string_view kGovPartyTaken = "gov-party-taken";
// A key whose id some key (of any organisation, ever) already has.
inline constexpr std::string_view kGovKeyExists = "gov-key-exists";
inline constexpr std::string_view kGovKeyUnknown = "gov-key-unknown";
// Rotating a key that is not active.
inline constexpr std::string_view kGovKeyNotActive = "gov-key-not-active";
inline constexpr std::string_view kGovKeyRevoked = "gov-key-revoked";
// Malformed fields of a change: an id, a name, a key, roles, a memo.
inline constexpr std::string_view kGovChangeFormat = "gov-change-format";
inline constexpr std::string_view kGovThresholdRange = "gov-threshold-range";
// A max yield out of range, or the removal of a product rule that does not exist.
inline constexpr std::string_view kGovProductRule = "gov-product-rule";
// More organisations or keys than the ledger's bounds (genesis.h).
inline constexpr std::string_view kGovLimit = "gov-limit";

// Every code above, for the tests that keep the list and docs/design.md true.
inline constexpr std::string_view kAll[] = {
    kEventEncoding, kSignerUnknown, kSignerRetired, kSignatureInvalid, kSignerRole, kEventIdMalformed,
    kEventIdTaken, kLotNoneNamed, kLotRepeated, kLotListTooLong, kLotIdMalformed, kLotUnknown, kLotExists,
    kLotQuantityZero, kLotUsedUp, kLotInTransit, kLotPacked, kUnitMismatch, kPartyUnknown, kProductFormat,
    kNotCustodian, kNotOwner, kNotReceiver, kNotParty, kShipNoReceiver, kShipReceiverAmbiguous, kShipToSelf,
    kShipPartial, kReceiveNotInTransit, kInputUnconsumed, kOverConsumption, kOutputUnmeasured, kLotNamespace,
    kMassBalance, kRecalledLot, kPackParentMissing, kPackCycle, kPackNotInside, kPackTooLarge,
    kCertificateMissing, kCertificateFormat, kDeclarationEventId, kDeclaredEventUnknown, kDeclaredDeclaration,
    kNotRecorder, kDeclaredTwice, kTimeFuture, kTimeTooEarly, kTimeBeforeLot, kBlockTimeOrder,
    kBlockTimeFuture, kBlockValidatorSet, kBlockDuplicateEvent, kBlockChainId, kBlockHeight,
    kBlockPreviousHash, kBlockTooLarge, kBlockEventsRoot, kSignerRevoked, kSignerSuspended, kGovFormat,
    kGovNotAdmin, kGovProposalUnknown, kGovProposalApplied, kGovProposalExpired, kGovApprovedTwice,
    kGovOwnKeyOnly, kGovOrgExists, kGovOrgUnknown, kGovOrgRemoved, kGovOrgStatus, kGovLastOrganisation,
    kGovPartyTaken, kGovKeyExists, kGovKeyUnknown, kGovKeyNotActive, kGovKeyRevoked, kGovChangeFormat,
    kGovThresholdRange, kGovProductRule, kGovLimit,
};

// Whether `code` is published: one of the codes above or of the EPCIS checks'. A client (or a
// simulator's checker) that meets any other code meets a refusal the design does not list.
constexpr bool IsPublished(std::string_view code) {
  for (std::string_view c : kAll) {
    if (c == code) return true;
  }
  for (std::string_view c : epcis::rule::kAll) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace jejak::ledger::rule
