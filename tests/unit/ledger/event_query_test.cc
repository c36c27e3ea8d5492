#include "node/ledger/event_query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "node/epcis/rfc3339.h"
#include "tests/unit/ledger/proof_chain.h"

namespace jejak::ledger {
namespace {

using testing::CertifiedChain;
using testing::Events;

// Three blocks: five commissions of lots a..e (two, two, one per block), then a shipment of a.
class EventQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Commit({ev_.Commission(L("a"), 10), ev_.Commission(L("b"), 10)});
    Commit({ev_.Commission(L("c"), 10), ev_.Commission(L("d"), 10)});
    Commit({ev_.Commission(L("e"), 10), ev_.Ship(L("a"), testing::kRoasterPgln)});
  }
  static std::string L(const std::string& name) { return "urn:jejak:lot:koperasi-gayo:" + name; }
  void Commit(const std::vector<v1::Event>& events) {
    std::vector<v1::SignedEvent> signed_events;
    for (const v1::Event& e : events) signed_events.push_back(testing::Sign(testing::kGayo, e));
    Status s = chain_.Commit(signed_events, testing::kT0 + testing::kDayMs);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static EventFilter Filter(const v1::QueryEventsRequest& request = {}) {
    Result<EventFilter> filter = EventFilter::FromRequest(request);
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    return *filter;
  }

  Events ev_;
  CertifiedChain chain_{testing::FourValidatorGenesis(), testing::ValidatorKeys(), 3};
};

TEST_F(EventQueryTest, PagesFollowOneAnotherInChainOrderUntilTheHead) {
  EventQueryLimits limits;
  limits.page_size = 2;
  std::vector<std::string> seen;
  EventCursor cursor;
  int pages = 0;
  for (;;) {
    ++pages;
    Result<EventPage> page = QueryEvents(chain_, Filter(), cursor, limits);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const v1::CommittedEvent& e : page->events) {
      EXPECT_FALSE(e.event_id().empty());
      EXPECT_EQ(e.event().event_time_ms(), epcis::ParseRfc3339Ms(e.event().event_time()).value());
      EXPECT_GE(e.event().event_time_ms(), testing::kT0);
      seen.push_back(std::to_string(e.height()) + ":" + std::to_string(e.index()));
    }
    if (!page->next) break;
    ASSERT_EQ(page->events.size(), 2u);
    Result<EventCursor> parsed = ParsePageToken(PageToken(*page->next));
    ASSERT_TRUE(parsed.ok());
    cursor = *parsed;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1:0", "1:1", "2:0", "2:1", "3:0", "3:1"}));
  EXPECT_EQ(pages, 3);  // the third page is the last: no cursor past the head
}

TEST_F(EventQueryTest, AFilterKeepsOnlyMatchingEventsAndAnswersTheirRecords) {
  v1::QueryEventsRequest request;
  request.add_biz_step("shipping");
  Result<EventPage> page = QueryEvents(chain_, Filter(request), {}, {});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].height(), 3u);
  EXPECT_EQ(page->events[0].index(), 1u);
  EXPECT_EQ(page->events[0].signer_organization(), testing::kGayo);
  EXPECT_FALSE(page->next.has_value());
}

TEST_F(EventQueryTest, TheScanBudgetEndsAPageEarlyWithACursorToGoOn) {
  v1::QueryEventsRequest request;
  request.add_biz_step("shipping");
  EventQueryLimits limits;
  limits.max_scanned_events = 3;
  Result<EventPage> first = QueryEvents(chain_, Filter(request), {}, limits);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->events.empty());
  ASSERT_TRUE(first->next.has_value());
  EXPECT_EQ(PageToken(*first->next), "2:1");
  Result<EventPage> rest = QueryEvents(chain_, Filter(request), *first->next, limits);
  ASSERT_TRUE(rest.ok()) << rest.status().ToString();
  ASSERT_EQ(rest->events.size(), 1u);
  EXPECT_FALSE(rest->next.has_value());
}

TEST(EventQueryTokenTest, APageTokenThisNodeDidNotGiveOutIsRefused) {
  EXPECT_EQ(ParsePageToken("").value().height, 1u);
  EXPECT_EQ(ParsePageToken("7:3").value().index, 3u);
  for (const std::string bad : {"7", "x:1", "1:y", ":"}) {
    Result<EventCursor> parsed = ParsePageToken(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("is not one this node gave out"), std::string::npos);
  }
}

}  // namespace
}  // namespace jejak::ledger
