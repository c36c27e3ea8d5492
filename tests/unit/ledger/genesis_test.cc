#include "node/ledger/genesis.h"

#include <functional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "node/epcis/rfc3339.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using testing::TestGenesis;

std::string ValidJson() { return GenesisToJson(TestGenesis(), 2); }

// Parses ValidJson() with one edit made by `mutate` on its JSON tree.
Status ParseEdited(const std::function<void(nlohmann::json&)>& mutate) {
  auto j = nlohmann::json::parse(ValidJson());
  mutate(j);
  return ParseGenesis(j.dump()).status();
}

void ExpectInvalid(const Status& s, const std::string& fragment) {
  EXPECT_EQ(s.code(), StatusCode::kInvalid) << s.ToString();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

TEST(GenesisTest, RoundTripsThroughJson) {
  Genesis g = TestGenesis();
  auto parsed = ParseGenesis(GenesisToJson(g));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(GenesisToJson(*parsed), GenesisToJson(g));
  EXPECT_EQ(GenesisHash(*parsed), GenesisHash(g));
  EXPECT_EQ(GenesisHash(g).size(), 32u);
  EXPECT_EQ(parsed->organisations.size(), 5u);
  EXPECT_FALSE(parsed->organisations[0].agent_keys[2].active);
  EXPECT_TRUE(parsed->organisations[0].agent_keys[1].admin);
  EXPECT_FALSE(parsed->organisations[0].agent_keys[0].admin);
  EXPECT_EQ(parsed->MaxYield("roasted").ToString(), "0.85");
  EXPECT_EQ(parsed->MaxYield("no-rule").ToString(), "1");
}

TEST(GenesisTest, HashChangesWithContent) {
  Genesis g = TestGenesis();
  Genesis h = g;
  h.governance_threshold = epcis::Quantity::Units(1);
  EXPECT_NE(GenesisHash(g), GenesisHash(h));
  Genesis k = g;
  k.organisations[1].agent_keys[0].admin = !k.organisations[1].agent_keys[0].admin;
  EXPECT_NE(GenesisHash(g), GenesisHash(k));
}

TEST(GenesisTest, InvalidUtf8InACodeBuiltGenesisDoesNotThrow) {
  Genesis g = TestGenesis();
  g.organisations[0].name = "\xff\xfe";
  EXPECT_EQ(GenesisHash(g).size(), 32u);
}

TEST(GenesisTest, AddsOrgPartyIdAndSortsRoles) {
  auto j = nlohmann::json::parse(ValidJson());
  j["organisations"][0]["party_ids"] = nlohmann::json::array();
  j["organisations"][0]["roles"] = {"processor", "producer"};
  auto g = ParseGenesis(j.dump());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->organisations[0].party_ids, std::vector<std::string>{"urn:jejak:org:koperasi-gayo"});
  EXPECT_EQ(g->organisations[0].roles, (std::vector<Role>{Role::kProducer, Role::kProcessor}));
}

TEST(GenesisTest, RejectsBrokenDocuments) {
  ExpectInvalid(ParseGenesis("{not json").status(), "not valid JSON");
  ExpectInvalid(ParseGenesis("[]").status(), "must be a JSON object");
  ExpectInvalid(ParseEdited([](auto& j) { j.erase("chain_id"); }), "chain_id is missing");
  ExpectInvalid(ParseEdited([](auto& j) { j["chain_id"] = "bad id!"; }), "chain_id");
  ExpectInvalid(ParseEdited([](auto& j) { j["chain_id"] = std::string(65, 'a'); }),
                "longer than 64");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"] = nlohmann::json::array(); }),
                "at least one");
}

TEST(GenesisTest, RejectsBrokenOrganisations) {
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][1]["id"] = "koperasi-gayo"; }),
                "organisations[1].id: organisation \"koperasi-gayo\" is listed twice");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["roles"] = {"farmer"}; }),
                "organisations[0].roles[0]: unknown role \"farmer\"");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["roles"] = {"producer", "producer"}; }),
                "listed twice");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["roles"] = nlohmann::json::array(); }),
                "at least one role");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["agent_keys"][0]["public_key"] = "abcd"; }),
                "organisations[0].agent_keys[0].public_key must be 32 bytes");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["agent_keys"][0]["public_key"] = "zz"; }),
                "organisations[0].agent_keys[0].public_key");
  ExpectInvalid(ParseEdited([](auto& j) {
                  j["organisations"][1]["agent_keys"][0]["public_key"] =
                      j["organisations"][0]["agent_keys"][0]["public_key"];
                }),
                "used by another agent key");
  ExpectInvalid(ParseEdited([](auto& j) {
                  j["organisations"][0]["party_ids"].push_back(testing::kRoasterPgln);
                }),
                "belongs to more than one organisation");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0].erase("name"); }),
                "organisations[0].name is missing");
}

TEST(GenesisTest, RejectsBrokenValidators) {
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][0]["organisation"] = "nobody"; }),
                "validators[0].organisation: \"nobody\" is not one of the organisations");
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][1]["id"] = "v1"; }),
                "validator \"v1\" is listed twice");
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][0]["address"] = "localhost"; }),
                "must be host:port");
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][0]["address"] = "localhost:99999"; }),
                "no valid port");
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][0]["tls_cert_sha256"] = "00"; }),
                "tls_cert_sha256 must be 32 bytes");
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"] = nlohmann::json::array(); }),
                "validators: at least one");
  ExpectInvalid(ParseEdited([](auto& j) {
                  j["validators"][1]["public_key"] = j["validators"][0]["public_key"];
                }),
                "used by another validator");
}

// Issue 12: two validators with one address were accepted.
TEST(GenesisTest, TwoValidatorsWithOneAddressAreRefusedNamingBoth) {
  ExpectInvalid(ParseEdited([](auto& j) { j["validators"][1]["address"] = j["validators"][0]["address"]; }),
                "validators[1].address \"127.0.0.1:7001\" is also the address of validator \"v1\": "
                "validators \"v1\" and \"v2\" need addresses of their own");
}

TEST(GenesisTest, ChecksThresholdAndProductRules) {
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_threshold"] = 0; }),
                "governance_threshold 0 must be a fraction of the member organisations above 0 and at most 1");
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_threshold"] = 1.5; }), "governance_threshold 1.5 must be");
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_threshold"] = -1; }), "governance_threshold");
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_threshold"] = "half"; }),
                "governance_threshold must be a number");
  ExpectInvalid(ParseEdited([](auto& j) { j.erase("governance_threshold"); }), "missing");
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_proposal_lifetime_blocks"] = 0; }),
                "governance_proposal_lifetime_blocks must be from 1 to");
  ExpectInvalid(ParseEdited([](auto& j) { j["governance_proposal_lifetime_blocks"] = -5; }),
                "governance_proposal_lifetime_blocks must be a whole number");
  ExpectInvalid(ParseEdited([](auto& j) { j["organisations"][0]["agent_keys"][0]["admin"] = "yes"; }),
                "organisations[0].agent_keys[0].admin must be true or false");
  ExpectInvalid(ParseEdited([](auto& j) { j["product_rules"][0]["max_yield"] = 0; }),
                "product_rules[0].max_yield must be above 0");
  ExpectInvalid(ParseEdited([](auto& j) { j["product_rules"][1]["product"] = j["product_rules"][0]["product"]; }),
                "has two rules");
  auto ok = ParseEdited([](auto& j) { j.erase("product_rules"); });
  EXPECT_TRUE(ok.ok()) << ok.ToString();
}

TEST(GenesisTest, EventTimeRulesDefaultAndAreWrittenAndHashed) {
  auto j = nlohmann::json::parse(ValidJson());
  ASSERT_TRUE(j.contains("event_time"));
  EXPECT_EQ(j["event_time"]["max_future_skew_ms"], 300000);
  EXPECT_EQ(j["event_time"]["earliest"], "2000-01-01T00:00:00Z");
  j.erase("event_time");  // a genesis that says nothing gets the defaults
  auto defaults = ParseGenesis(j.dump());
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->event_time, EventTimeRules{});
  EXPECT_EQ(GenesisHash(*defaults), GenesisHash(TestGenesis()));

  j["event_time"] = {{"max_future_skew_ms", 60000}, {"earliest", "2024-01-01T07:00:00+07:00"}};
  auto set = ParseGenesis(j.dump());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->event_time.max_future_skew_ms, 60000);
  EXPECT_EQ(set->event_time.earliest_ms, 1704067200000);  // 2024-01-01T00:00:00Z
  EXPECT_NE(GenesisHash(*set), GenesisHash(*defaults));   // the hash covers the rules in force
  auto again = ParseGenesis(GenesisToJson(*set));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->event_time, set->event_time);
}

TEST(GenesisTest, RejectsBrokenEventTimeRules) {
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = 5; }), "event_time must be an object");
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = {{"max_skew", 1}}; }),
                "event_time.max_skew is not a known member");
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = {{"max_future_skew_ms", -1}}; }),
                "event_time.max_future_skew_ms must be a whole number");
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = {{"max_future_skew_ms", 86400001}}; }),
                "from 0 to 86400000");
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = {{"earliest", "2000-01-01"}}; }),
                "event_time.earliest");
  ExpectInvalid(ParseEdited([](auto& j) { j["event_time"] = {{"earliest", 946684800000}}; }),
                "event_time.earliest must be an RFC 3339 date-time string");
  Genesis g = TestGenesis();
  g.event_time.earliest_ms = epcis::kMaxRfc3339Ms + 1;
  ExpectInvalid(ValidateGenesis(g), "event_time.earliest must be within the years 0000 to 9999");
}

}  // namespace
}  // namespace jejak::ledger
