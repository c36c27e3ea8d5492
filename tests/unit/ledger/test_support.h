// Shared fixtures of the ledger tests: a five-organisation network with real Ed25519 keys from
// fixed seeds, event builders, and a chain driver over a MemoryStore.
#pragma once

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <cmath>

#include <gtest/gtest.h>

#include "jejak/v1/event.pb.h"
#include "node/crypto/ed25519.h"
#include "node/crypto/hex.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/block.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/queries.h"
#include "node/ledger/rule_codes.h"
#include "node/ledger/signing.h"
#include "node/ledger/vocabulary.h"

namespace jejak::ledger::testing {

inline bool IsPublishedRule(std::string_view code) { return rule::IsPublished(code); }

// A refusal with this status code, under rule `rule` (any published rule when empty), whose
// message holds every fragment. Every refusal of the rules carries a published rule code.
inline void ExpectRefusal(const Status& s, StatusCode code, std::string_view rule,
                          std::initializer_list<std::string> fragments) {
  EXPECT_EQ(s.code(), code) << s.ToString();
  if (rule.empty()) {
    EXPECT_TRUE(IsPublishedRule(s.rule_code())) << "no published rule code: " << s.ToString();
  } else {
    EXPECT_EQ(s.rule_code(), rule) << s.ToString();
    EXPECT_NE(s.message().find("[" + std::string(rule) + "] "), std::string::npos) << s.message();
  }
  for (const std::string& f : fragments) {
    EXPECT_NE(s.message().find(f), std::string::npos) << "missing \"" << f << "\" in: " << s.message();
  }
}

inline void ExpectRejected(const Status& s, StatusCode code, std::initializer_list<std::string> fragments) {
  ExpectRefusal(s, code, "", fragments);
}

inline crypto::PrivateKey KeyFromSeed(uint8_t n) {
  auto key = crypto::PrivateKey::FromSeed(std::string(32, static_cast<char>(n)));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

inline constexpr const char* kGayo = "koperasi-gayo";      // producer, processor
inline constexpr const char* kRoaster = "roaster-bandung";  // processor
inline constexpr const char* kTrucks = "logistik-jaya";     // logistics
inline constexpr const char* kCertifier = "sucofindo";      // certifier
inline constexpr const char* kAuditor = "dinas-koperasi";   // auditor
inline constexpr const char* kRoasterPgln = "urn:epc:id:pgln:8990002.00000";

inline Genesis TestGenesis() {
  Genesis g;
  g.chain_id = "jejak-test-1";
  struct Spec {
    const char* id;
    std::vector<Role> roles;
    uint8_t seed;
  };
  std::vector<Spec> specs = {{kGayo, {Role::kProducer, Role::kProcessor}, 1},
                             {kRoaster, {Role::kProcessor}, 2},
                             {kTrucks, {Role::kLogistics}, 3},
                             {kCertifier, {Role::kCertifier}, 4},
                             {kAuditor, {Role::kAuditor}, 5}};
  for (const Spec& s : specs) {
    Organisation org;
    org.id = s.id;
    org.name = std::string("Org ") + s.id;
    org.roles = s.roles;
    org.party_ids = {OrgPartyId(s.id)};
    org.agent_keys.push_back({"clerk", KeyFromSeed(s.seed).public_key(), true});
    // Its admin key signs its governance entries (seed 20 + the clerk's).
    org.agent_keys.push_back({"admin", KeyFromSeed(static_cast<uint8_t>(20 + s.seed)).public_key(), true, true});
    g.organisations.push_back(org);
  }
  g.organisations[1].party_ids.push_back(kRoasterPgln);
  // A retired key of koperasi-gayo (seed 9).
  g.organisations[0].agent_keys.push_back({"old-clerk", KeyFromSeed(9).public_key(), false});
  g.validators.push_back({"v1", kGayo, KeyFromSeed(101).public_key(), "127.0.0.1:7001",
                          std::string(32, '\x11')});
  g.validators.push_back({"v2", kRoaster, KeyFromSeed(102).public_key(), "127.0.0.1:7002",
                          std::string(32, '\x22')});
  g.governance_threshold = *epcis::Quantity::Parse("0.5");  // 3 of the 5 organisations
  g.product_rules.push_back(
      {"urn:epc:idpat:sgtin:8990001.000002.*", *epcis::Quantity::Parse("0.8")});  // green beans
  g.product_rules.push_back({"roasted", *epcis::Quantity::Parse("0.85")});
  return g;
}

inline std::string Rfc3339(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

inline constexpr int64_t kT0 = 1772352000000;  // 2026-03-01T08:00:00Z
inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

inline v1::Event BaseEvent(v1::EventType type, int64_t time_ms) {
  v1::Event e;
  e.set_type(type);
  e.set_event_time(Rfc3339(time_ms));
  e.set_event_time_ms(time_ms);
  e.set_event_time_zone_offset("+07:00");
  return e;
}

// `event` dated `time_ms` (written and carried alike).
inline v1::Event Dated(v1::Event event, int64_t time_ms) {
  event.set_event_time(Rfc3339(time_ms));
  event.set_event_time_ms(time_ms);
  return event;
}

inline void AddQuantity(google::protobuf::RepeatedPtrField<v1::QuantityElement>* list,
                        const std::string& lot, double quantity, const std::string& uom = "KGM") {
  v1::QuantityElement* q = list->Add();
  q->set_epc_class(lot);
  q->set_quantity_micros(std::llround(quantity * 1e6));
  q->set_uom(uom);
}

// Lot classes (urn:epc:class:...) go in a quantity list, everything else in an EPC list, as
// EPCIS 2.0 requires.
inline void AddLotRef(google::protobuf::RepeatedPtrField<std::string>* epcs,
                      google::protobuf::RepeatedPtrField<v1::QuantityElement>* quantities,
                      const std::string& lot) {
  if (lot.rfind("urn:epc:class:", 0) == 0) {
    quantities->Add()->set_epc_class(lot);
  } else {
    epcs->Add(std::string(lot));
  }
}

// Events at increasing times, so that no two are alike by accident.
class Events {
 public:
  v1::Event Commission(const std::string& lot, double quantity, const std::string& uom = "KGM") {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::ADD);
    e.set_biz_step("commissioning");
    AddQuantity(e.mutable_quantity_list(), lot, quantity, uom);
    return e;
  }
  v1::Event CommissionInstance(const std::string& epc) {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::ADD);
    e.set_biz_step("commissioning");
    e.add_epc_list(epc);
    return e;
  }
  v1::Event Ship(const std::string& lot, const std::string& to_party,
                 const std::string& new_owner_party = "") {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::OBSERVE);
    e.set_biz_step("shipping");
    AddLotRef(e.mutable_epc_list(), e.mutable_quantity_list(), lot);
    auto* d = e.add_destination_list();
    d->set_type("possessing_party");
    d->set_id(to_party);
    if (!new_owner_party.empty()) {
      auto* o = e.add_destination_list();
      o->set_type("owning_party");
      o->set_id(new_owner_party);
    }
    return e;
  }
  v1::Event Receive(const std::string& lot) {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::OBSERVE);
    e.set_biz_step("receiving");
    AddLotRef(e.mutable_epc_list(), e.mutable_quantity_list(), lot);
    return e;
  }
  v1::Event Transform(const std::vector<std::pair<std::string, double>>& inputs,
                      const std::vector<std::pair<std::string, double>>& outputs,
                      const std::string& uom = "KGM") {
    v1::Event e = Base(v1::TRANSFORMATION_EVENT);
    for (const auto& [lot, q] : inputs) AddQuantity(e.mutable_input_quantity_list(), lot, q, uom);
    for (const auto& [lot, q] : outputs) AddQuantity(e.mutable_output_quantity_list(), lot, q, uom);
    return e;
  }
  v1::Event Pack(const std::string& parent, const std::vector<std::string>& children) {
    v1::Event e = Base(v1::AGGREGATION_EVENT);
    e.set_action(v1::ADD);
    e.set_biz_step("packing");
    e.set_parent_id(parent);
    for (const auto& c : children) {
      AddLotRef(e.mutable_child_epcs(), e.mutable_child_quantity_list(), c);
    }
    return e;
  }
  v1::Event Unpack(const std::string& parent, const std::vector<std::string>& children) {
    v1::Event e = Pack(parent, children);
    e.set_action(v1::DELETE);
    e.set_biz_step("unpacking");
    return e;
  }
  v1::Event Certify(const std::string& lot, const std::string& hash_hex, int64_t from_ms,
                    int64_t until_ms) {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::OBSERVE);
    e.set_biz_step("inspecting");
    AddLotRef(e.mutable_epc_list(), e.mutable_quantity_list(), lot);
    e.add_certification_info("https://certs.example/organic/" + hash_hex.substr(0, 8));
    auto* ns = e.add_namespaces();
    ns->set_prefix("jejak");
    ns->set_uri(std::string(kJejakNamespace));
    auto* m = e.add_extensions();
    m->set_key("jejak:certificate");
    m->set_json("{\"documentHash\":\"" + hash_hex + "\",\"issuer\":\"Sucofindo\",\"scheme\":"
                "\"organic\",\"validFrom\":\"" + Rfc3339(from_ms) + "\",\"validUntil\":\"" +
                Rfc3339(until_ms) + "\"}");
    return e;
  }
  v1::Event Observe(const std::string& lot, const std::string& disposition = "") {
    v1::Event e = Base(v1::OBJECT_EVENT);
    e.set_action(v1::OBSERVE);
    e.set_biz_step("storing");
    AddLotRef(e.mutable_epc_list(), e.mutable_quantity_list(), lot);
    e.set_disposition(disposition);
    return e;
  }
  int64_t now_ms() const { return now_ms_; }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  v1::Event Base(v1::EventType type) {
    now_ms_ += 60000;
    return BaseEvent(type, now_ms_);
  }
  int64_t now_ms_ = kT0;
};

// Signs with the clerk key of an organisation of TestGenesis.
inline v1::SignedEvent Sign(const std::string& org, const v1::Event& event) {
  static const std::map<std::string, uint8_t> seeds = {
      {kGayo, 1}, {kRoaster, 2}, {kTrucks, 3}, {kCertifier, 4}, {kAuditor, 5}, {"retired", 9},
      {"stranger", 77}};
  auto signed_event = SignEvent(KeyFromSeed(seeds.at(org)), "jejak-test-1", event);
  EXPECT_TRUE(signed_event.ok()) << signed_event.status().ToString();
  return std::move(signed_event).value();
}

// Applies events one per block position, committing each to a MemoryStore.
class Chain {
 public:
  explicit Chain(LedgerOptions options = {}) : ledger_(TestGenesis(), options) {}

  // Applies one event as the next event of the open block; commits its writes. The block time is
  // the event's time as written (recorded as it happens), never before kT0.
  Status Apply(const std::string& org, const v1::Event& event) {
    auto written_ms = epcis::ParseRfc3339Ms(event.event_time());
    return ApplyAt(org, event, std::max(kT0, written_ms.ok() ? *written_ms : kT0));
  }
  // The same, recorded at `block_time_ms`.
  Status ApplyAt(const std::string& org, const v1::Event& event, int64_t block_time_ms) {
    auto writes = ledger_.ApplyEvent(store_, Sign(org, event), {height_, index_++, block_time_ms});
    if (!writes.ok()) return writes.status();
    store_.Apply(*writes);
    return Status::Ok();
  }
  void MustApply(const std::string& org, const v1::Event& event) {
    Status s = Apply(org, event);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  // The lot's record; a default record (empty lot_id) if there is none.
  v1::LotRecord Lot(const std::string& lot_id) const {
    auto lot = GetLot(store_, lot_id);
    EXPECT_TRUE(lot.ok()) << lot.status().ToString();
    return lot.ok() && lot->has_value() ? **lot : v1::LotRecord();
  }

  const Ledger& ledger() const { return ledger_; }
  MemoryStore& store() { return store_; }
  Events& events() { return events_; }

 private:
  Ledger ledger_;
  MemoryStore store_;
  Events events_;
  uint64_t height_ = 1;
  uint32_t index_ = 0;
};

// Builds block `height` after `previous` (nullptr for the first) holding `events`, at
// kT0 + height seconds or, if later, the time its latest event says it happened.
inline v1::Block MakeBlock(uint64_t height, const v1::Block* previous,
                           const std::vector<v1::SignedEvent>& events) {
  v1::Block block;
  int64_t time_ms = kT0 + static_cast<int64_t>(height) * 1000;
  for (const auto& e : events) {
    *block.add_events() = e;
    v1::Event event;
    if (!event.ParseFromString(e.event_bytes())) continue;
    auto written_ms = epcis::ParseRfc3339Ms(event.event_time());
    if (written_ms.ok()) time_ms = std::max(time_ms, *written_ms);
  }
  v1::BlockHeader* h = block.mutable_header();
  h->set_chain_id("jejak-test-1");
  h->set_height(height);
  h->set_time_ms(time_ms);
  if (previous != nullptr) h->set_previous_block_hash(BlockHash(previous->header()));
  h->set_event_count(static_cast<uint32_t>(events.size()));
  h->set_events_root(EventsRoot(block));
  h->set_validator_set_hash(ValidatorSetHash(TestGenesis().validators));
  h->set_proposer("v1");
  return block;
}

}  // namespace jejak::ledger::testing
