// A small network for the CLI tests: real Ed25519 keys from fixed seeds, a genesis built in code
// and the real ledger over a MemoryStore, so a test proves the ledger accepts what the CLI builds.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "jejak/v1/event.pb.h"
#include "node/crypto/ed25519.h"
#include "node/epcis/rfc3339.h"
#include "node/ledger/genesis.h"
#include "node/ledger/ledger.h"
#include "node/ledger/memory_store.h"
#include "node/ledger/queries.h"
#include "node/ledger/signing.h"

namespace jejak::cli::testing {

inline constexpr const char* kChainId = "jejak-cli-test";
inline constexpr const char* kGayo = "koperasi-gayo";       // producer, processor
inline constexpr const char* kRoaster = "roaster-bandung";  // processor
inline constexpr const char* kTrucks = "logistik-jaya";     // logistics
inline constexpr const char* kCertifier = "sucofindo";      // certifier
inline constexpr const char* kAuditor = "dinas-koperasi";   // auditor
inline constexpr uint8_t kRetiredSeed = 9;                  // an inactive key of koperasi-gayo

inline crypto::PrivateKey KeyFromSeed(uint8_t n) {
  auto key = crypto::PrivateKey::FromSeed(std::string(32, static_cast<char>(n)));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

inline uint8_t SeedOf(const std::string& org) {
  static const std::map<std::string, uint8_t> seeds = {
      {kGayo, 1}, {kRoaster, 2}, {kTrucks, 3}, {kCertifier, 4}, {kAuditor, 5}};
  return seeds.at(org);
}

inline ledger::Genesis TestGenesis() {
  using ledger::Role;
  ledger::Genesis g;
  g.chain_id = kChainId;
  const std::vector<std::pair<const char*, std::vector<Role>>> specs = {
      {kGayo, {Role::kProducer, Role::kProcessor}},
      {kRoaster, {Role::kProcessor}},
      {kTrucks, {Role::kLogistics}},
      {kCertifier, {Role::kCertifier}},
      {kAuditor, {Role::kAuditor}}};
  for (const auto& [id, roles] : specs) {
    ledger::Organisation org;
    org.id = id;
    org.name = std::string("Org ") + id;
    org.roles = roles;
    org.party_ids = {ledger::OrgPartyId(id)};
    org.agent_keys.push_back({"clerk", KeyFromSeed(SeedOf(id)).public_key(), true});
    g.organisations.push_back(org);
  }
  g.organisations[0].agent_keys.push_back({"old", KeyFromSeed(kRetiredSeed).public_key(), false});
  g.validators.push_back(
      {"v1", kGayo, KeyFromSeed(101).public_key(), "127.0.0.1:7001", std::string(32, '\x11')});
  g.product_rules.push_back({"green-beans", *epcis::Quantity::Parse("0.8")});
  return g;
}

// The real ledger applying one event per position, committing each event's writes.
class Chain {
 public:
  Chain() : ledger_(TestGenesis()) {}

  // Recorded at the time the event says it happened (as written; 0 if it does not parse).
  Status Apply(const std::string& org, const v1::Event& event) {
    auto signed_event = ledger::SignEvent(KeyFromSeed(SeedOf(org)), kChainId, event);
    if (!signed_event.ok()) return signed_event.status();
    auto written_ms = epcis::ParseRfc3339Ms(event.event_time());
    auto writes = ledger_.ApplyEvent(store_, *signed_event,
                                     {1, index_++, written_ms.ok() ? *written_ms : 0});
    if (!writes.ok()) return writes.status();
    store_.Apply(*writes);
    return Status::Ok();
  }

  v1::LotRecord Lot(const std::string& lot_id) const {
    auto lot = ledger::GetLot(store_, lot_id);
    EXPECT_TRUE(lot.ok() && lot->has_value()) << "no lot " << lot_id;
    return lot.ok() && lot->has_value() ? **lot : v1::LotRecord();
  }
  // The kind the ledger gave the last event of the lot's history.
  std::string LastKind(const std::string& lot_id) const {
    auto history = ledger::LotHistory(store_, lot_id);
    EXPECT_TRUE(history.ok() && !history->empty());
    return history.ok() && !history->empty() ? history->back().kind() : "";
  }
  const ledger::MemoryStore& store() const { return store_; }

 private:
  ledger::Ledger ledger_;
  ledger::MemoryStore store_;
  uint32_t index_ = 0;
};

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}
#define ASSERT_OK(expr)                                                       \
  do {                                                                        \
    const ::jejak::Status assert_ok_ = ::jejak::cli::testing::StatusOf(expr); \
    ASSERT_TRUE(assert_ok_.ok()) << assert_ok_.ToString();                    \
  } while (0)

// The value, or a test failure and a default value.
template <typename T>
T Must(Result<T> result) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : T();
}

inline void ExpectInvalid(const Status& status, const std::string& fragment) {
  EXPECT_EQ(status.code(), StatusCode::kInvalid) << status.ToString();
  EXPECT_NE(status.message().find(fragment), std::string::npos)
      << "missing \"" << fragment << "\" in: " << status.message();
}

}  // namespace jejak::cli::testing
