// Event time against record time (event_time.h): an event is refused when dated more than the
// genesis' skew after its block's time, before the genesis' earliest time, or before the creation
// of a lot it touches; each bound accepts its boundary. Certificates are judged at both times.
#include <gtest/gtest.h>

#include "node/epcis/rfc3339.h"
#include "node/ledger/rule_codes.h"
#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-1";
const std::string kOther = "urn:jejak:lot:koperasi-gayo:h-2";
const std::string kGreen = "urn:jejak:lot:koperasi-gayo:g-1";

int64_t Ms(const char* rfc3339) {
  auto ms = epcis::ParseRfc3339Ms(rfc3339);
  EXPECT_TRUE(ms.ok()) << rfc3339;
  return ms.ok() ? *ms : 0;
}

void ExpectRule(const Status& s, std::string_view code, std::initializer_list<std::string> words) {
  ExpectRefusal(s, StatusCode::kInvalid, code, words);
}

TEST(EventTimeTest, AnEventDatedBeyondTheSkewAfterItsBlockIsRefused) {
  Chain chain;
  const int64_t block_ms = kT0;
  const int64_t skew_ms = TestGenesis().event_time.max_future_skew_ms;
  ASSERT_EQ(skew_ms, kDefaultMaxFutureSkewMs);
  Status far = chain.ApplyAt(kGayo, Dated(chain.events().Commission(kLot, 10), Ms("9999-12-31T00:00:00Z")),
                             block_ms);
  ExpectRule(far, rule::kTimeFuture, {"9999-12-31T00:00:00Z", "5 minutes", "2026-03-01T08:00:00Z"});
  Status just_over =
      chain.ApplyAt(kGayo, Dated(chain.events().Commission(kLot, 10), block_ms + skew_ms + 1), block_ms);
  ExpectRule(just_over, rule::kTimeFuture, {});
  EXPECT_FALSE(chain.Lot(kLot).has_created_event_time_ms());  // nothing was written
  // Exactly at the bound: a clock up to the skew ahead of the block's is accepted.
  Status at_bound =
      chain.ApplyAt(kGayo, Dated(chain.events().Commission(kLot, 10), block_ms + skew_ms), block_ms);
  EXPECT_TRUE(at_bound.ok()) << at_bound.ToString();
}

TEST(EventTimeTest, AnEventDatedBeforeTheEarliestTimeIsRefused) {
  Chain chain;
  Status epoch = chain.Apply(kGayo, Dated(chain.events().Commission(kLot, 10), Ms("1969-12-31T23:59:59Z")));
  ExpectRule(epoch, rule::kTimeTooEarly, {"1969-12-31T23:59:59Z", "2000-01-01T00:00:00Z"});
  Status just_before = chain.Apply(kGayo, Dated(chain.events().Commission(kLot, 10),
                                             kDefaultEarliestEventTimeMs - 1));
  ExpectRule(just_before, rule::kTimeTooEarly, {"1999-12-31T23:59:59.999Z"});
  // Exactly the earliest time, recorded years later: history recorded late is accepted.
  Status at_bound =
      chain.Apply(kGayo, Dated(chain.events().Commission(kLot, 10), kDefaultEarliestEventTimeMs));
  EXPECT_TRUE(at_bound.ok()) << at_bound.ToString();
}

TEST(EventTimeTest, TheGenesisSetsTheBounds) {
  Genesis genesis = TestGenesis();
  genesis.event_time.max_future_skew_ms = 0;
  genesis.event_time.earliest_ms = kT0 - kDayMs;
  Ledger ledger(genesis);
  MemoryStore store;
  Events events;
  auto apply = [&](int64_t time_ms) {
    return ledger.ApplyEvent(store, Sign(kGayo, Dated(events.Commission(kLot, 10), time_ms)),
                             {1, 0, kT0})
        .status();
  };
  ExpectRule(apply(kT0 + 1), rule::kTimeFuture, {"0 seconds"});
  ExpectRule(apply(kT0 - kDayMs - 1), rule::kTimeTooEarly, {"2026-02-28T08:00:00Z"});
  EXPECT_TRUE(apply(kT0).ok());
  EXPECT_TRUE(apply(kT0 - kDayMs).ok());
}

TEST(EventTimeTest, AnEventAboutALotDatedBeforeTheLotWasCreatedIsRefused) {
  Chain chain;
  const int64_t created_ms = kT0 + kDayMs;
  chain.MustApply(kGayo, Dated(chain.events().Commission(kLot, 100), created_ms));
  EXPECT_EQ(chain.Lot(kLot).created_event_time_ms(), created_ms);
  // The case, within the floor: a shipping dated well before a commissioning of today.
  Status year_before =
      chain.ApplyAt(kGayo, Dated(chain.events().Ship(kLot, kRoasterPgln), created_ms - 365 * kDayMs),
                    created_ms);
  ExpectRule(year_before, rule::kTimeBeforeLot,
             {kLot, epcis::FormatRfc3339Ms(created_ms - 365 * kDayMs),
              epcis::FormatRfc3339Ms(created_ms)});
  Status ms_before = chain.ApplyAt(
      kGayo, Dated(chain.events().Ship(kLot, kRoasterPgln), created_ms - 1), created_ms);
  ExpectRule(ms_before, rule::kTimeBeforeLot, {});
  EXPECT_TRUE(chain.Lot(kLot).in_transit().to_organization().empty());  // nothing was written
  // At the very moment of its creation: accepted.
  chain.MustApply(kGayo, Dated(chain.events().Observe(kLot), created_ms));
}

TEST(EventTimeTest, ATransformationIsNotDatedBeforeItsInputsWereCreated) {
  Chain chain;
  chain.MustApply(kGayo, Dated(chain.events().Commission(kLot, 100), kT0));
  chain.MustApply(kGayo, Dated(chain.events().Commission(kOther, 100), kT0 + kDayMs));
  v1::Event early = chain.events().Transform({{kLot, 100}, {kOther, 100}}, {{kGreen, 150}});
  Status s = chain.ApplyAt(kGayo, Dated(early, kT0 + kDayMs - 1), kT0 + 2 * kDayMs);
  ExpectRule(s, rule::kTimeBeforeLot, {kOther});
  EXPECT_FALSE(chain.Lot(kGreen).has_created_event_time_ms());
  v1::Event on_time = chain.events().Transform({{kLot, 100}, {kOther, 100}}, {{kGreen, 150}});
  ASSERT_TRUE(chain.ApplyAt(kGayo, Dated(on_time, kT0 + kDayMs), kT0 + 2 * kDayMs).ok());
  EXPECT_EQ(chain.Lot(kGreen).created_event_time_ms(), kT0 + kDayMs);  // its event's, not its block's
}

TEST(EventTimeTest, CertificatesAreJudgedAtEventTimeAndAtRecordTime) {
  Chain chain;
  const int64_t year_2020 = Ms("2020-01-01T00:00:00Z");
  const int64_t record_ms = kT0;  // 2026
  chain.MustApply(kGayo, Dated(chain.events().Commission(kLot, 100), year_2020));
  // Certified and recorded the same day, in 2020.
  ASSERT_TRUE(chain.ApplyAt(kCertifier,
                            Dated(chain.events().Certify(kLot, std::string(64, 'a'), year_2020,
                                                         year_2020 + 180 * kDayMs),
                                  year_2020 + kDayMs),
                            year_2020 + kDayMs)
                  .ok());
  // Shipped in 2020 while certified, recorded in 2026 when the certificate had long expired.
  ASSERT_TRUE(chain.ApplyAt(kGayo, Dated(chain.events().Ship(kLot, kRoasterPgln), year_2020 + 2 * kDayMs),
                            record_ms)
                  .ok());
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  const v1::EventRecord& shipping = history->back();
  EXPECT_EQ(shipping.position().block_time_ms(), record_ms);
  ASSERT_EQ(shipping.certificate_checks_size(), 1);
  EXPECT_TRUE(shipping.certificate_checks(0).valid_at_event_time());
  EXPECT_FALSE(shipping.certificate_checks(0).valid_at_record_time());
  const v1::EventRecord& certification = (*history)[1];
  ASSERT_EQ(certification.certificate_checks_size(), 1);
  EXPECT_TRUE(certification.certificate_checks(0).valid_at_event_time());
  EXPECT_TRUE(certification.certificate_checks(0).valid_at_record_time());
}

TEST(EventTimeTest, TheRuleTextsNameTheTimesAndTheRule) {
  EventTimeRules rules;
  EXPECT_TRUE(CheckEventTimeBounds(rules, kT0 + rules.max_future_skew_ms, kT0).ok());
  EXPECT_TRUE(CheckEventTimeBounds(rules, rules.earliest_ms, kT0).ok());
  ExpectRule(CheckEventTimeBounds(rules, kT0 + 3600001, kT0), rule::kTimeFuture,
             {"2026-03-01T09:00:00.001Z", "more than 5 minutes after", "2026-03-01T08:00:00Z"});
  EXPECT_EQ(DescribeDurationMs(90000), "90 seconds");
  EXPECT_EQ(DescribeDurationMs(3600000), "1 hour");
  EXPECT_EQ(DescribeDurationMs(1500), "1500 ms");
}

}  // namespace
}  // namespace jejak::ledger
