// Certification and inspection; error declarations.
#include <gtest/gtest.h>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kLot = "urn:jejak:lot:koperasi-gayo:h-001";
const std::string kHash = std::string(64, 'a');

TEST(CertifyTest, AttachesCertificateAndChecksLaterEventsAgainstIt) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  int64_t now = chain.events().now_ms();
  chain.MustApply(kCertifier, chain.events().Certify(kLot, kHash, now, now + 2 * kDayMs));
  auto back = TraceBack(chain.store(), kLot);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->nodes[0].certificates.size(), 1u);
  const v1::CertificateRecord& cert = back->nodes[0].certificates[0];
  EXPECT_EQ(cert.document_hash(), kHash);
  EXPECT_EQ(cert.issuer(), "Sucofindo");
  EXPECT_EQ(cert.certifier_organization(), kCertifier);

  chain.MustApply(kGayo, chain.events().Ship(kLot, kRoasterPgln));  // within the window
  chain.events().Advance(3 * kDayMs);
  chain.MustApply(kRoaster, chain.events().Receive(kLot));  // after it
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[1].kind(), "certification");
  ASSERT_EQ((*history)[2].certificate_checks_size(), 1);
  EXPECT_TRUE((*history)[2].certificate_checks(0).valid_at_event_time());
  EXPECT_EQ((*history)[2].certificate_checks(0).scheme(), "organic");
  ASSERT_EQ((*history)[3].certificate_checks_size(), 1);
  EXPECT_FALSE((*history)[3].certificate_checks(0).valid_at_event_time());
}

TEST(CertifyTest, ChecksUseEventTimeNotTheCarriedMilliseconds) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  int64_t now = chain.events().now_ms();
  chain.MustApply(kCertifier, chain.events().Certify(kLot, kHash, now, now + kDayMs));
  v1::Event late = chain.events().Ship(kLot, kRoasterPgln);
  late.set_event_time(Rfc3339(now + 10 * kDayMs));  // event_time_ms still says "within"
  chain.MustApply(kGayo, late);
  auto history = LotHistory(chain.store(), kLot);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->back().certificate_checks_size(), 1);
  EXPECT_FALSE(history->back().certificate_checks(0).valid_at_event_time());
}

TEST(CertifyTest, OnlyCertifiersAndWellFormedCertificates) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  int64_t now = chain.events().now_ms();
  ExpectRejected(chain.Apply(kGayo, chain.events().Certify(kLot, kHash, now, now + kDayMs)),
                 StatusCode::kPermissionDenied, {"may not record certification", "certifier"});
  ExpectRejected(chain.Apply(kCertifier, chain.events().Certify(kLot, "abcd", now, now + kDayMs)),
                 StatusCode::kInvalid, {"documentHash", "64 hex"});
  ExpectRejected(chain.Apply(kCertifier, chain.events().Certify(kLot, kHash, now, now - kDayMs)),
                 StatusCode::kInvalid, {"validUntil is before validFrom"});
  v1::Event no_issuer = chain.events().Certify(kLot, kHash, now, now + kDayMs);
  no_issuer.mutable_extensions(0)->set_json("{\"documentHash\":\"" + kHash + "\"}");
  ExpectRejected(chain.Apply(kCertifier, no_issuer), StatusCode::kInvalid,
                 {"jejak:certificate.issuer is missing"});
  v1::Event no_member = chain.events().Certify(kLot, kHash, now, now + kDayMs);
  no_member.clear_extensions();
  ExpectRejected(chain.Apply(kCertifier, no_member), StatusCode::kInvalid,
                 {"needs a jejak:certificate member"});
  ExpectRejected(chain.Apply(kCertifier, chain.events().Certify("urn:jejak:lot:koperasi-gayo:none", kHash, now,
                                                                now + kDayMs)),
                 StatusCode::kNotFound, {"urn:jejak:lot:koperasi-gayo:none"});
  // A plain inspection needs no certificate.
  v1::Event inspection = chain.events().Observe(kLot);
  inspection.set_biz_step("inspecting");
  chain.MustApply(kCertifier, inspection);
  EXPECT_EQ(LotHistory(chain.store(), kLot)->back().kind(), "inspection");
}

TEST(CertifyTest, ANamespaceBoundUnderAnotherPrefixIsFound) {
  Chain chain;
  chain.MustApply(kGayo, chain.events().Commission(kLot, 1000));
  int64_t now = chain.events().now_ms();
  v1::Event e = chain.events().Certify(kLot, kHash, now, now + kDayMs);
  e.mutable_namespaces(0)->set_prefix("jj");
  e.mutable_extensions(0)->set_key("jj:certificate");
  chain.MustApply(kCertifier, e);
  EXPECT_EQ(TraceBack(chain.store(), kLot)->nodes[0].certificates.size(), 1u);
}

class DeclareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    original_ = chain_.events().Commission(kLot, 1000);
    original_.set_event_id("urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8");
    chain_.MustApply(kGayo, original_);
    original_id_ = *LedgerEventId(original_);
  }
  v1::Event Declaration() {
    v1::Event d = original_;
    v1::ErrorDeclaration* decl = d.mutable_error_declaration();
    decl->set_declaration_time("2026-03-02T00:00:00Z");
    decl->set_reason("incorrect_data");
    decl->add_corrective_event_ids("urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8");
    return d;
  }
  Chain chain_;
  v1::Event original_;
  std::string original_id_;
};

TEST_F(DeclareTest, MarksTheOriginalAndLinksCorrectiveEvents) {
  chain_.MustApply(kGayo, Declaration());
  auto original = GetEvent(chain_.store(), original_id_);
  ASSERT_TRUE(original.ok() && original->has_value());
  EXPECT_TRUE((*original)->declared_erroneous());
  EXPECT_EQ((*original)->declaration_reason(), "incorrect_data");
  ASSERT_EQ((*original)->corrective_event_ids_size(), 1);
  EXPECT_EQ((*original)->declared_by_event_id(), original_id_ + "#errorDeclaration");
  // Nothing is deleted: the lot stays, its history shows both events.
  EXPECT_EQ(chain_.Lot(kLot).quantity_micros(), 1000'000'000);
  auto history = LotHistory(chain_.store(), kLot);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].kind(), "error declaration");
  EXPECT_EQ((*history)[1].declares_event_id(), original_id_);
  // The same declaration again is a no-op; the original signed bytes are unchanged.
  auto again = chain_.ledger().ApplyEvent(chain_.store(), Sign(kGayo, Declaration()), {9, 0, kT0});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(DeclareTest, NamingTheLedgerIdAlsoWorksAndAuditorsMayDeclare) {
  v1::Event d = Declaration();
  d.set_event_id(original_id_);
  chain_.MustApply(kAuditor, d);
  EXPECT_TRUE((*GetEvent(chain_.store(), original_id_))->declared_erroneous());
}

TEST_F(DeclareTest, RejectsStrangersUnknownEventsAndSecondDeclarations) {
  ExpectRejected(chain_.Apply(kRoaster, Declaration()), StatusCode::kPermissionDenied,
                 {"recorded by koperasi-gayo", "or an auditor", "not roaster-bandung"});
  v1::Event unknown = Declaration();
  unknown.set_event_id("urn:uuid:00000000-0000-0000-0000-000000000000");
  ExpectRejected(chain_.Apply(kGayo, unknown), StatusCode::kNotFound,
                 {"urn:uuid:00000000-0000-0000-0000-000000000000", "not on this ledger"});
  v1::Event unnamed = Declaration();
  unnamed.clear_event_id();
  ExpectRejected(chain_.Apply(kGayo, unnamed), StatusCode::kInvalid, {"must repeat the eventID"});
  chain_.MustApply(kGayo, Declaration());
  v1::Event other = Declaration();
  other.mutable_error_declaration()->set_reason("did_not_occur");
  other.set_disposition("active");  // a different declaration event
  ExpectRejected(chain_.Apply(kAuditor, other), StatusCode::kAlreadyExists,
                 {original_id_, "already declared erroneous"});
}

TEST_F(DeclareTest, AnEventIdCannotBeReused) {
  v1::Event reuse = chain_.events().Commission("urn:jejak:lot:koperasi-gayo:h-002", 5);
  reuse.set_event_id(original_.event_id());
  ExpectRejected(chain_.Apply(kGayo, reuse), StatusCode::kAlreadyExists,
                 {original_.event_id(), "already used"});
}

}  // namespace
}  // namespace jejak::ledger
