// A refusal's details travel with it: the rule code, and the event of a request it is about with
// that event's own reason, through any context callers add.
#include <gtest/gtest.h>

#include "node/base/status.h"

namespace jejak {
namespace {

TEST(StatusTest, WithRuleNamesTheRuleInTheMessageAndKeepsTheInnermost) {
  const Status refused = Status::Invalid("input lot x has only 1 KGM left").WithRule("over-consumption");
  EXPECT_EQ(refused.rule_code(), "over-consumption");
  EXPECT_EQ(refused.message(), "[over-consumption] input lot x has only 1 KGM left");
  const Status general = refused.WithContext("inputQuantityList[0]").WithRule("epcis-format");
  EXPECT_EQ(general.rule_code(), "over-consumption");
  EXPECT_EQ(general.message(), "inputQuantityList[0]: [over-consumption] input lot x has only 1 KGM left");
  EXPECT_EQ(general.code(), StatusCode::kInvalid);
  EXPECT_TRUE(Status::Ok().WithRule("any").ok());
  EXPECT_TRUE(Status::Ok().WithRule("any").rule_code().empty());
  EXPECT_TRUE(Status::Invalid("no rule").rule_code().empty());
}

TEST(StatusTest, ForEventKeepsTheIndexAndTheEventsOwnReasonThroughLaterContext) {
  const Status refused = Status::Invalid("lot x is in transit").WithRule("lot-in-transit");
  EXPECT_FALSE(refused.event_index().has_value());
  EXPECT_EQ(refused.event_reason(), refused.message());
  const Status in_request = refused.ForEvent(3).WithContext("request 7");
  ASSERT_TRUE(in_request.event_index().has_value());
  EXPECT_EQ(*in_request.event_index(), 3u);
  EXPECT_EQ(in_request.message(), "request 7: event 3: [lot-in-transit] lot x is in transit");
  EXPECT_EQ(in_request.event_reason(), "[lot-in-transit] lot x is in transit");
  EXPECT_EQ(in_request.rule_code(), "lot-in-transit");
  // The first index given is the one the refusal is about.
  EXPECT_EQ(*in_request.ForEvent(9).event_index(), 3u);
  EXPECT_FALSE(Status::Ok().ForEvent(1).event_index().has_value());
}

TEST(StatusTest, FromPartsRebuildsAStatusAndRefusesAReasonLongerThanTheMessage) {
  const Status sent = Status::PermissionDenied("only the custodian may ship it").WithRule("not-custodian").ForEvent(0);
  const Status received = Status::FromParts(sent.code(), sent.message(), sent.rule_code(), sent.event_index(),
                                            sent.event_reason().size());
  EXPECT_EQ(received.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(received.message(), sent.message());
  EXPECT_EQ(received.rule_code(), "not-custodian");
  EXPECT_EQ(received.event_index(), sent.event_index());
  EXPECT_EQ(received.event_reason(), sent.event_reason());
  const Status garbled = Status::FromParts(StatusCode::kInvalid, "short", "", 2, 99);
  EXPECT_FALSE(garbled.event_index().has_value());
  EXPECT_EQ(garbled.event_reason(), "short");
  EXPECT_TRUE(Status::FromParts(StatusCode::kOk, "ignored", "x", 1, 1).ok());
}

}  // namespace
}  // namespace jejak
