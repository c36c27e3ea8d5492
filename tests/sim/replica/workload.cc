#include "tests/sim/replica/workload.h"

#include <algorithm>

#include "node/base/assert.h"
#include "node/epcis/quantity.h"
#include "node/ledger/event_builders.h"
#include "node/ledger/governance.h"
#include "node/ledger/ledger.h"
#include "node/ledger/signing.h"

namespace jejak::sim {
namespace {

constexpr const char* kProducer = "koperasi-gayo";
constexpr const char* kRoaster = "roaster-bandung";
constexpr const char* kCarrier = "logistik-jaya";

crypto::PrivateKey KeyFromSeed(uint8_t seed) {
  Result<crypto::PrivateKey> key = crypto::PrivateKey::FromSeed(std::string(32, static_cast<char>(seed)));
  JEJAK_ASSERT(key.ok(), "a key from a fixed seed");
  return std::move(key).value();
}

epcis::Quantity Kilos(int64_t kilos) {
  Result<epcis::Quantity> q = epcis::Quantity::FromMicros(kilos * 1'000'000);
  JEJAK_ASSERT(q.ok(), "a quantity in range");
  return *q;
}

v1::Event Built(Result<v1::Event> event) {
  JEJAK_ASSERT(event.ok(), event.status().ToString());
  return std::move(event).value();
}

struct Member {
  const char* id;
  std::vector<ledger::Role> roles;
  uint8_t key_seed;
};
const std::vector<Member>& Members() {
  static const std::vector<Member> members = {
      {kProducer, {ledger::Role::kProducer, ledger::Role::kProcessor}, 1},
      {kRoaster, {ledger::Role::kProcessor}, 2},
      {kCarrier, {ledger::Role::kLogistics}, 3},
  };
  return members;
}

}  // namespace

crypto::PrivateKey ValidatorKey(size_t index) { return KeyFromSeed(static_cast<uint8_t>(101 + index)); }

ledger::Genesis SimGenesis(size_t validators) {
  ledger::Genesis g;
  g.chain_id = "jejak-sim-1";
  for (const Member& m : Members()) {
    ledger::Organisation org;
    org.id = m.id;
    org.name = std::string("Org ") + m.id;
    org.roles = m.roles;
    org.party_ids = {ledger::OrgPartyId(m.id)};
    org.agent_keys.push_back({"clerk", KeyFromSeed(m.key_seed).public_key(), true});
    org.agent_keys.push_back({"admin", KeyFromSeed(static_cast<uint8_t>(20 + m.key_seed)).public_key(), true, true});
    g.organisations.push_back(std::move(org));
  }
  for (size_t i = 0; i < validators; ++i) {
    g.validators.push_back({"v" + std::to_string(i + 1), Members()[i % Members().size()].id,
                            ValidatorKey(i).public_key(), "127.0.0.1:" + std::to_string(7001 + i),
                            std::string(32, static_cast<char>(i + 1))});
  }
  return g;
}

Workload::Workload(uint64_t seed, const ledger::Genesis& genesis) : rng_(seed), chain_id_(genesis.chain_id) {
  for (const Member& m : Members()) {
    agent_keys_.emplace(m.id, KeyFromSeed(m.key_seed));
    admin_keys_.emplace(m.id, KeyFromSeed(static_cast<uint8_t>(20 + m.key_seed)));
  }
}

std::vector<ClientRequest> Workload::Next(int64_t wall_ms) {
  const uint64_t pick = rng_.Below(100);
  if (pick < 35) return {Commission(wall_ms, 100, NewLotId(kProducer), rng_.Chance(0.2))};
  if (pick < 60) {
    std::vector<ClientRequest> advanced = Advance(wall_ms);
    if (!advanced.empty()) return advanced;
    return {Commission(wall_ms, 100, NewLotId(kProducer), false)};
  }
  if (pick < 75) return Conflict(wall_ms);
  if (pick < 88 && !sent_.empty()) return {Duplicate()};
  if (pick < 90) return {ChangeKey(wall_ms)};
  return {Forged(wall_ms)};
}

void Workload::Acknowledged(const std::string& event_id) {
  if (auto change = key_changes_.find(event_id); change != key_changes_.end()) {
    agent_keys_.insert_or_assign(change->second.organisation, std::move(change->second.key));
    key_changes_.erase(change);
    return;
  }
  auto it = steps_.find(event_id);
  if (it == steps_.end()) return;
  Lot& lot = lots_[it->second.lot];
  if (it->second.stage >= lot.stage) {  // a batch's acknowledgements may come in any order
    lot.stage = it->second.stage;
    lot.settled = true;
  }
}

ClientRequest Workload::Commission(int64_t wall_ms, int64_t kilos, const std::string& lot_id, bool and_ship) {
  ClientRequest request;
  request.kind = and_ship ? "commission-and-ship" : "commission";
  const size_t lot = lots_.size();
  lots_.push_back({lot_id, Stage::kCommissioned, false});
  const ledger::EventClock clock{EventTime(wall_ms), "+07:00"};
  Add(&request, kProducer, Built(ledger::BuildCommission({lot_id, Kilos(kilos), "KGM", "coffee", ""}, clock)),
      Step{lot, Stage::kCommissioned});
  if (and_ship) {
    const ledger::EventClock later{EventTime(wall_ms), "+07:00"};
    Add(&request, kProducer, Built(ledger::BuildShip({{lot_id}, kRoaster, kProducer, false, ""}, later)),
        Step{lot, Stage::kShipped});
  }
  return request;
}

std::vector<ClientRequest> Workload::Advance(int64_t wall_ms) {
  const Stage stage = static_cast<Stage>(rng_.Below(3));
  std::vector<size_t> candidates = SettledLots(stage);
  if (candidates.empty()) return {};
  const size_t lot = candidates[rng_.Below(candidates.size())];
  lots_[lot].settled = false;
  const std::string& id = lots_[lot].id;
  const ledger::EventClock clock{EventTime(wall_ms), "+07:00"};
  ClientRequest request;
  switch (stage) {
    case Stage::kCommissioned:
      request.kind = "ship";
      Add(&request, kProducer, Built(ledger::BuildShip({{id}, kRoaster, kProducer, false, ""}, clock)),
          Step{lot, Stage::kShipped});
      break;
    case Stage::kShipped:
      request.kind = "receive";
      Add(&request, kRoaster, Built(ledger::BuildReceive({{id}, kProducer, kRoaster, ""}, clock)),
          Step{lot, Stage::kReceived});
      break;
    default:
      request.kind = "roast";
      Add(&request, kRoaster,
          Built(ledger::BuildTransform({{{id, Kilos(60)}}, {{NewLotId(kRoaster), Kilos(45)}}, "KGM", "roasted", ""},
                                       clock)),
          Step{lot, Stage::kDone});
      break;
  }
  return {std::move(request)};
}

// Two requests, each valid alone, of which the ledger can take only one.
std::vector<ClientRequest> Workload::Conflict(int64_t wall_ms) {
  const uint64_t pick = rng_.Below(3);
  std::vector<size_t> commissioned = SettledLots(Stage::kCommissioned);
  std::vector<size_t> received = SettledLots(Stage::kReceived);
  if (pick == 1 && !commissioned.empty()) {
    const size_t lot = commissioned[rng_.Below(commissioned.size())];
    lots_[lot].settled = false;
    ClientRequest to_roaster, to_carrier;
    to_roaster.kind = to_carrier.kind = "conflicting-ship";
    const std::string& id = lots_[lot].id;
    Add(&to_roaster, kProducer,
        Built(ledger::BuildShip({{id}, kRoaster, kProducer, false, ""}, {EventTime(wall_ms), "+07:00"})),
        Step{lot, Stage::kShipped});
    Add(&to_carrier, kProducer,
        Built(ledger::BuildShip({{id}, kCarrier, kProducer, false, ""}, {EventTime(wall_ms), "+07:00"})),
        Step{lot, Stage::kDone});
    return {std::move(to_roaster), std::move(to_carrier)};
  }
  if (pick == 2 && !received.empty()) {
    const size_t lot = received[rng_.Below(received.size())];
    lots_[lot].settled = false;
    std::vector<ClientRequest> roasts(2);
    for (ClientRequest& roast : roasts) {
      roast.kind = "over-consumption";
      Add(&roast, kRoaster,
          Built(ledger::BuildTransform({{{lots_[lot].id, Kilos(60)}}, {{NewLotId(kRoaster), Kilos(45)}}, "KGM",
                                        "roasted", ""},
                                       {EventTime(wall_ms), "+07:00"})),
          Step{lot, Stage::kDone});
    }
    return roasts;
  }
  const size_t lot = lots_.size();
  lots_.push_back({NewLotId(kProducer), Stage::kCommissioned, false});
  std::vector<ClientRequest> commissions(2);
  for (size_t k = 0; k < commissions.size(); ++k) {
    commissions[k].kind = "conflicting-commission";
    Add(&commissions[k], kProducer,
        Built(ledger::BuildCommission({lots_[lot].id, Kilos(k == 0 ? 100 : 50), "KGM", "coffee", ""},
                                      {EventTime(wall_ms), "+07:00"})),
        Step{lot, Stage::kCommissioned});
  }
  return commissions;
}

ClientRequest Workload::Duplicate() {
  ClientRequest request;
  request.kind = "duplicate";
  request.events.push_back(sent_[rng_.Below(sent_.size())]);
  return request;
}

// Requests no honest ledger takes, each for its own rule.
ClientRequest Workload::Forged(int64_t wall_ms) {
  const ledger::EventClock clock{EventTime(wall_ms), "+07:00"};
  std::vector<size_t> shipped = SettledLots(Stage::kShipped);
  std::vector<size_t> received = SettledLots(Stage::kReceived);
  ClientRequest request;
  const uint64_t pick = rng_.Below(3);
  if (pick == 1 && !shipped.empty()) {
    request.kind = "receive-by-wrong-party";  // shipped to the roaster, "received" by the carrier
    Add(&request, kCarrier,
        Built(ledger::BuildReceive({{lots_[shipped[rng_.Below(shipped.size())]].id}, kProducer, kCarrier, ""}, clock)),
        std::nullopt);
    return request;
  }
  if (pick == 2 && !received.empty()) {
    request.kind = "over-consumption";  // 150 kg roasted out of 100
    Add(&request, kRoaster,
        Built(ledger::BuildTransform({{{lots_[received[rng_.Below(received.size())]].id, Kilos(150)}},
                                      {{NewLotId(kRoaster), Kilos(100)}}, "KGM", "roasted", ""},
                                     clock)),
        std::nullopt);
    return request;
  }
  request.kind = "forged-signature";
  Add(&request, kProducer, Built(ledger::BuildCommission({NewLotId(kProducer), Kilos(10), "KGM", "", ""}, clock)),
      std::nullopt);
  std::string& signature = *request.events[0].mutable_signature();
  signature[rng_.Below(signature.size())] ^= static_cast<char>(1 + rng_.Below(255));
  sent_.pop_back();  // not worth duplicating
  return request;
}

ClientRequest Workload::ChangeKey(int64_t wall_ms) {
  std::vector<std::string> steady;  // organisations with no key change in flight
  for (const Member& m : Members()) {
    const bool changing = std::any_of(key_changes_.begin(), key_changes_.end(),
                                      [&](const auto& c) { return c.second.organisation == m.id; });
    if (!changing) steady.push_back(m.id);
  }
  if (steady.empty()) return Forged(wall_ms);
  const std::string org = steady[rng_.Below(steady.size())];
  std::string seed(32, '\0');
  for (char& c : seed) c = static_cast<char>(rng_.Below(256));
  Result<crypto::PrivateKey> next = crypto::PrivateKey::FromSeed(seed);
  JEJAK_ASSERT(next.ok(), next.status().ToString());
  v1::AgentKeySpec spec;
  spec.set_name("clerk-" + std::to_string(next_lot_));
  spec.set_public_key(next->public_key());
  const std::string old_key_id = crypto::KeyId(agent_keys_.at(org).public_key());
  v1::GovernanceTx tx;
  tx.set_format_version(ledger::kGovernanceFormatVersion);
  tx.set_organisation(org);
  tx.set_issued_at_ms(EventTime(wall_ms));
  ClientRequest request;
  if (rng_.Chance(0.5)) {
    request.kind = "rotate-key";
    v1::RotateAgentKey* rotate = tx.mutable_own_key()->mutable_rotate_agent_key();
    rotate->set_organisation(org);
    rotate->set_old_key_id(old_key_id);
    *rotate->mutable_new_key() = spec;
  } else {
    request.kind = "revoke-and-replace-key";  // a stolen laptop
    v1::RevokeAgentKey* revoke = tx.mutable_own_key()->mutable_revoke_agent_key();
    revoke->set_organisation(org);
    revoke->set_key_id(old_key_id);
    revoke->set_compromised_since_ms(wall_ms);
    *revoke->mutable_replacement() = spec;
  }
  Result<v1::SignedEvent> entry = ledger::SignGovernance(admin_keys_.at(org), chain_id_, tx);
  JEJAK_ASSERT(entry.ok(), entry.status().ToString());
  key_changes_.emplace(ledger::GovernanceEntryId(entry->governance_bytes()), KeyChange{org, std::move(next).value()});
  request.events.push_back(*entry);
  sent_.push_back(std::move(entry).value());
  return request;
}

void Workload::Add(ClientRequest* request, const std::string& org, const v1::Event& event, std::optional<Step> step) {
  Result<v1::SignedEvent> signed_event = ledger::SignEvent(agent_keys_.at(org), chain_id_, event);
  JEJAK_ASSERT(signed_event.ok(), signed_event.status().ToString());
  Result<std::string> id = ledger::LedgerEventId(event);
  JEJAK_ASSERT(id.ok(), id.status().ToString());
  if (step) steps_[*id] = *step;
  request->events.push_back(*signed_event);
  sent_.push_back(std::move(signed_event).value());
}

int64_t Workload::EventTime(int64_t wall_ms) {
  last_event_ms_ = std::max(wall_ms, last_event_ms_ + 1);
  return last_event_ms_;
}

std::string Workload::NewLotId(const std::string& org) {
  return "urn:jejak:lot:" + org + ":sim-" + std::to_string(next_lot_++);
}

std::vector<size_t> Workload::SettledLots(Stage stage) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < lots_.size(); ++i) {
    if (lots_[i].settled && lots_[i].stage == stage) out.push_back(i);
  }
  return out;
}

}  // namespace jejak::sim
