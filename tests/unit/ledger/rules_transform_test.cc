// Transformation: custody of inputs, quantities, units, mass balance with product yields.
#include <gtest/gtest.h>

#include "test_support.h"

namespace jejak::ledger {
namespace {

using namespace testing;  // NOLINT

const std::string kCherries = "urn:jejak:lot:koperasi-gayo:cherry-01";
const std::string kCherries2 = "urn:jejak:lot:koperasi-gayo:cherry-02";
const std::string kGreen = "urn:epc:class:lgtin:8990001.000002.G01";  // product rule: yield 0.8
const std::string kGreen2 = "urn:epc:class:lgtin:8990001.000002.G02";

class TransformTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_.MustApply(kGayo, chain_.events().Commission(kCherries, 1000));
    chain_.MustApply(kGayo, chain_.events().Commission(kCherries2, 500));
  }
  Chain chain_;
};

TEST_F(TransformTest, ConsumesInputsCreatesLinkedOutputs) {
  chain_.MustApply(kGayo, chain_.events().Transform({{kCherries, 600}, {kCherries2, 500}},
                                                    {{kGreen, 800}}));
  v1::LotRecord c1 = chain_.Lot(kCherries);
  EXPECT_EQ(c1.remaining_micros(), 400'000'000);
  EXPECT_FALSE(c1.consumed());
  EXPECT_TRUE(chain_.Lot(kCherries2).consumed());
  v1::LotRecord green = chain_.Lot(kGreen);
  EXPECT_EQ(green.quantity_micros(), 800'000'000);
  EXPECT_EQ(green.owner(), kGayo);
  EXPECT_EQ(green.product(), "urn:epc:idpat:sgtin:8990001.000002.*");
  auto back = TraceBack(chain_.store(), kGreen);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->nodes.size(), 3u);
  EXPECT_EQ(back->edges.size(), 2u);
  EXPECT_EQ(back->edges[0].to_lot, kGreen);
  EXPECT_EQ(back->edges[0].kind, "transformation");
}

TEST_F(TransformTest, MassBalanceUsesTheOutputProductsYield) {
  // 1000 KGM of cherries give at most 800 KGM of green beans (yield 0.8).
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 1000}}, {{kGreen, 801}})),
                 StatusCode::kInvalid,
                 {"[mass-balance] the transformation creates 801 KGM", "creates 801 KGM from 1000 KGM", "at most 800 KGM",
                  "maximum yield 0.8 for product urn:epc:idpat:sgtin:8990001.000002.*"});
  chain_.MustApply(kGayo, chain_.events().Transform({{kCherries, 1000}}, {{kGreen, 800}}));
}

TEST_F(TransformTest, DefaultYieldIsOneAndIlmdNamesTheProduct) {
  const std::string sorted = "urn:jejak:lot:koperasi-gayo:sorted-01";
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 100}}, {{sorted, 101}})),
                 StatusCode::kInvalid, {"maximum yield 1 by default"});
  v1::Event roast = chain_.events().Transform({{kCherries, 100}}, {{sorted, 90}});
  roast.set_has_ilmd(true);
  auto* ns = roast.add_namespaces();
  ns->set_prefix("jejak");
  ns->set_uri(std::string(kJejakNamespace));
  auto* m = roast.add_ilmd();
  m->set_key("jejak:product");
  m->set_json("\"roasted\"");  // rule: 0.85
  ExpectRejected(chain_.Apply(kGayo, roast), StatusCode::kInvalid,
                 {"at most 85 KGM", "for product roasted"});
  roast.mutable_output_quantity_list(0)->set_quantity_micros(85'000'000);
  chain_.MustApply(kGayo, roast);
  EXPECT_EQ(chain_.Lot(sorted).product(), "roasted");
}

TEST_F(TransformTest, TwoProductsShareTheInputs) {
  // 800 KGM green (needs 1000 at 0.8) + 100 KGM sorted (needs 100 at 1.0) > 1050 KGM consumed.
  chain_.MustApply(kGayo, chain_.events().Commission("urn:jejak:lot:koperasi-gayo:cherry-03", 50));
  ExpectRejected(
      chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 1000}, {"urn:jejak:lot:koperasi-gayo:cherry-03", 50}},
                                                    {{kGreen, 800}, {"urn:jejak:lot:koperasi-gayo:s", 100}})),
      StatusCode::kInvalid, {"outputs need 1100 KGM of input"});
}

TEST_F(TransformTest, NeverConsumesMoreThanRemains) {
  chain_.MustApply(kGayo, chain_.events().Transform({{kCherries, 700}}, {{kGreen, 500}}));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 301}}, {{kGreen2, 10}})),
                 StatusCode::kInvalid,
                 {"input lot urn:jejak:lot:koperasi-gayo:cherry-01 has only 300 KGM left",
                  "would consume 301 KGM"});
  // Without a quantity, an input is consumed whole.
  v1::Event rest = chain_.events().Transform({{kCherries, 0}}, {{kGreen2, 240}});
  rest.mutable_input_quantity_list(0)->clear_quantity_micros();
  rest.mutable_input_quantity_list(0)->clear_uom();
  chain_.MustApply(kGayo, rest);
  EXPECT_TRUE(chain_.Lot(kCherries).consumed());
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 1}}, {{"urn:jejak:lot:koperasi-gayo:x", 1}})),
                 StatusCode::kInvalid, {kCherries, "used up"});
}

TEST_F(TransformTest, RejectsUnitsCustodyAndExistingOutputs) {
  v1::Event pounds = chain_.events().Transform({{kCherries, 100}}, {{kGreen, 50}});
  pounds.mutable_input_quantity_list(0)->set_uom("LBR");
  ExpectRejected(chain_.Apply(kGayo, pounds), StatusCode::kInvalid,
                 {"input lot urn:jejak:lot:koperasi-gayo:cherry-01 is measured in KGM, not in LBR"});
  v1::Event mixed = chain_.events().Transform({{kCherries, 100}}, {{kGreen, 50}});
  mixed.mutable_output_quantity_list(0)->set_uom("LTR");
  ExpectRejected(chain_.Apply(kGayo, mixed), StatusCode::kInvalid, {"one unit", "LTR"});
  ExpectRejected(chain_.Apply(kRoaster, chain_.events().Transform({{kCherries, 100}}, {{kGreen, 50}})),
                 StatusCode::kPermissionDenied,
                 {"lot urn:jejak:lot:koperasi-gayo:cherry-01 is held by koperasi-gayo, not by "
                  "roaster-bandung: only the custodian may transform it"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 100}}, {{kCherries2, 50}})),
                 StatusCode::kAlreadyExists, {kCherries2, "already exists"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({}, {{kGreen, 50}})),
                 StatusCode::kInvalid, {"input"});
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 100}}, {})),
                 StatusCode::kInvalid, {"output"});
  ExpectRejected(chain_.Apply(kTrucks, chain_.events().Transform({{kCherries, 100}}, {{kGreen, 1}})),
                 StatusCode::kPermissionDenied, {"may not record transformation"});
  // A rejected event changed nothing.
  EXPECT_EQ(chain_.Lot(kCherries).remaining_micros(), 1000'000'000);
  EXPECT_TRUE(chain_.Lot(kGreen).lot_id().empty());
}

TEST_F(TransformTest, InTransitInputsCannotBeTransformed) {
  chain_.MustApply(kGayo, chain_.events().Ship(kCherries, kRoasterPgln));
  ExpectRejected(chain_.Apply(kGayo, chain_.events().Transform({{kCherries, 100}}, {{kGreen, 50}})),
                 StatusCode::kInvalid, {kCherries, "in transit to roaster-bandung"});
  chain_.MustApply(kRoaster, chain_.events().Receive(kCherries));
  chain_.MustApply(kRoaster, chain_.events().Transform({{kCherries, 100}}, {{kGreen, 80}}));
  EXPECT_EQ(chain_.Lot(kGreen).owner(), kRoaster);
}

}  // namespace
}  // namespace jejak::ledger
