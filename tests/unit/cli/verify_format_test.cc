// What `jejak verify` prints: both times of every event, and each certificate judged at both, in
// words where the verdicts differ (issue 12: an event dated 2020 and recorded in 2026 made verify
// print "certificate valid at the event time" for a certificate that had expired by 2026).
#include "cli/verify_format.h"

#include <gtest/gtest.h>

namespace jejak::cli {
namespace {

constexpr int64_t kT0 = 1772352000000;        // 2026-03-01T08:00:00Z
constexpr int64_t kJan3of2020 = 1578009600000;  // 2020-01-03T00:00:00Z
const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-1";

ledger::VerifiedTrace LateShipping() {
  ledger::VerifiedTrace t;
  t.chain_id = "jejak-test-1";
  t.genesis_hash = std::string(32, '\x01');
  t.root_lot = kLot;
  ledger::VerifiedStep step;
  step.event_id = "ni:///sha-256;ship";
  step.kind = "shipping";
  step.organisation = "koperasi-gayo";
  step.signer_key_name = "clerk";
  step.event_time = "2020-01-03T07:00:00+07:00";
  step.event_time_ms = kJan3of2020;
  step.height = 2;
  step.block_time_ms = kT0;
  step.lot_ids = {kLot};
  step.certificates.push_back({kLot, std::string(64, 'c'), "organic", true, false});
  t.steps.push_back(step);
  ledger::VerifiedLot lot;
  lot.lot_id = kLot;
  lot.creator_organisation = "koperasi-gayo";
  lot.steps = {0};
  t.lots.push_back(lot);
  return t;
}

TEST(VerifyFormatTest, ShowsEventTimeAndRecordTimeAndJudgesTheCertificateAtBoth) {
  std::string text = FormatVerifiedTrace(LateShipping());
  EXPECT_NE(text.find("    2020-01-03T07:00:00+07:00  shipping by koperasi-gayo (clerk)\n"
                      "      happened 2020-01-03 00:00:00 UTC, recorded 2026-03-01 08:00:00 UTC in "
                      "block 2, 2249 days after it happened\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("certificate organic cccccccccccccccc of " + kLot +
                      ": valid at the event time, but NOT at the record time"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("valid at the event time\n"), std::string::npos) << text;  // the old line

  nlohmann::json j = VerifiedTraceJson(LateShipping());
  const nlohmann::json& check = j["steps"][0]["certificates"][0];
  EXPECT_EQ(check["valid_at_event_time"], true);
  EXPECT_EQ(check["valid_at_record_time"], false);
  EXPECT_EQ(j["steps"][0]["record_time_ms"], kT0);
  EXPECT_EQ(j["steps"][0]["event_time_ms"], kJan3of2020);
}

TEST(VerifyFormatTest, EachPairOfVerdictsHasItsOwnWords) {
  ledger::VerifiedCertificateCheck c;
  c.valid_at_event_time = c.valid_at_record_time = true;
  EXPECT_EQ(DescribeCertificateCheck(c), "valid at the event time and at the record time");
  c.valid_at_event_time = c.valid_at_record_time = false;
  EXPECT_EQ(DescribeCertificateCheck(c), "NOT valid at the event time, nor at the record time");
  c.valid_at_record_time = true;
  EXPECT_NE(DescribeCertificateCheck(c).find("NOT valid at the event time, only at the record time"),
            std::string::npos);
}

TEST(VerifyFormatTest, AnEventRecordedWithinADaySaysNoDelay) {
  ledger::VerifiedTrace t = LateShipping();
  t.steps[0].block_time_ms = t.steps[0].event_time_ms + 60000;
  std::string text = FormatVerifiedTrace(t);
  EXPECT_NE(text.find("recorded 2020-01-03 00:01:00 UTC in block 2\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace jejak::cli
