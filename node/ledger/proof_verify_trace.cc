// The verified trace a buyer reads, from a bundle whose every check passed.
#include <algorithm>
#include <map>
#include <set>

#include "node/ledger/certificate.h"
#include "node/ledger/proof_verify_internal.h"
#include "node/ledger/rules.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::proof {
namespace {

VerifiedStep Step(const std::string& id, const CheckedEvent& c) {
  VerifiedStep s;
  s.event_id = id;
  s.kind = EventKindName(c.kind);
  s.organisation = c.organisation->id;
  s.signer_key_name = c.key_name;
  s.biz_step = CbvShortName(c.event.biz_step());
  s.event_time = c.event.event_time();
  s.event_time_ms = c.event.event_time_ms();
  s.height = c.source->height;
  s.block_time_ms = c.block_time_ms;
  s.signer_key_revoked = c.key_revoked;
  s.signer_key_compromised = c.key_compromised;
  return s;
}

// The certificate a certification event attaches, if it carries one.
std::optional<VerifiedCertificate> CertificateOf(const std::string& id, const CheckedEvent& c) {
  if (c.kind != EventKind::kCertification && c.kind != EventKind::kInspection) return {};
  auto member = FindJejakMember(c.event, c.event.extensions(), "certificate");
  if (!member) return {};
  auto record = ParseCertificateMember(*member);
  if (!record.ok()) return {};  // the rules refused such events; nothing to show
  return VerifiedCertificate{record->document_hash(), record->issuer(),
                             record->scheme(),        record->valid_from_ms(),
                             record->valid_until_ms(), c.organisation->id,
                             id};
}

bool Names(const CheckedEvent& c, const std::string& lot) {
  auto lots = rules::NamedLots(c.event);
  if (!lots.ok()) return false;
  return std::any_of(lots->begin(), lots->end(),
                     [&](const rules::LotRef& r) { return r.lot_id == lot; });
}

// For each step, every certificate attached to its lots by then, checked at the step's event
// time and record time.
void AddCertificateChecks(VerifiedTrace& t, const std::map<std::string, size_t>& step_of) {
  std::map<std::string, const VerifiedLot*> lots;
  for (const VerifiedLot& lot : t.lots) lots[lot.lot_id] = &lot;
  for (size_t s = 0; s < t.steps.size(); ++s) {
    VerifiedStep& step = t.steps[s];
    for (const std::string& lot_id : step.lot_ids) {
      for (const VerifiedCertificate& cert : lots.at(lot_id)->certificates) {
        if (step_of.at(cert.event_id) > s) continue;  // not attached yet at this step
        auto valid_at = [&](int64_t ms) {
          return cert.valid_from_ms <= ms && ms <= cert.valid_until_ms;
        };
        step.certificates.push_back({lot_id, cert.document_hash, cert.scheme,
                                     valid_at(step.event_time_ms), valid_at(step.block_time_ms)});
      }
    }
  }
}

}  // namespace

Result<VerifiedTrace> DescribeTrace(const Genesis& genesis, const ProofBundle& bundle,
                                    const CheckedEvents& events, size_t signatures_verified) {
  VerifiedTrace t;
  t.chain_id = genesis.chain_id;
  t.genesis_hash = bundle.genesis_hash;
  t.root_lot = bundle.lot_id;
  t.forward = bundle.traces.size() > 1;
  t.blocks_verified = bundle.blocks.size();
  t.signatures_verified = signatures_verified;
  t.governance_entries = bundle.governance.size();
  // Bundle events are in chain order (the verifier checked their places); index them.
  std::vector<std::pair<std::pair<uint64_t, uint32_t>, std::string>> order;
  for (const auto& [id, c] : events) order.push_back({{c.source->height, c.source->leaf_index}, id});
  std::sort(order.begin(), order.end());
  std::map<std::string, size_t> step_of;
  std::set<std::string> organisations;
  for (const auto& [position, id] : order) {
    step_of[id] = t.steps.size();
    t.steps.push_back(Step(id, events.at(id)));
    organisations.insert(t.steps.back().organisation);
    if (t.steps.back().signer_key_compromised) ++t.compromised_steps;
  }
  t.organisations.assign(organisations.begin(), organisations.end());
  std::set<std::string> has_upstream;
  for (const ProofTrace& trace : bundle.traces) {
    for (const ProofEdge& e : trace.edges) {
      t.edges.push_back({trace.direction, e.kind, e.from_lot, e.to_lot, e.event_id});
      if (trace.direction == "back") has_upstream.insert(e.to_lot);
    }
  }
  std::set<std::string> in_back(bundle.traces[0].lot_ids.begin(), bundle.traces[0].lot_ids.end());
  for (const ProofLot& lot : bundle.lots) {
    VerifiedLot v;
    v.lot_id = lot.lot_id;
    v.created_by_event_id = lot.created_by_event_id;
    v.creator_organisation = events.at(lot.created_by_event_id).organisation->id;
    v.origin = in_back.count(lot.lot_id) > 0 && has_upstream.count(lot.lot_id) == 0;
    for (const std::string& id : lot.event_ids) {
      size_t s = step_of.at(id);
      v.steps.push_back(s);
      t.steps[s].lot_ids.push_back(lot.lot_id);
      const CheckedEvent& c = events.at(id);
      auto cert = CertificateOf(id, c);
      if (cert && Names(c, lot.lot_id)) v.certificates.push_back(std::move(*cert));
    }
    if (v.origin) t.origins.push_back(lot.lot_id);
    t.lots.push_back(std::move(v));
  }
  AddCertificateChecks(t, step_of);
  return t;
}

}  // namespace jejak::ledger::proof
