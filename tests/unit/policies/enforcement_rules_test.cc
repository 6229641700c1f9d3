// The enforcement-discretion policy: one test per row of the shipped
// decision table (first match), each naming the row it expects; the
// first-violation look-back; and the table's own checks.
#include "policies/enforcement_rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/support/shipped_rules.h"

namespace credflow::policies {
namespace {

Date EnfDay(const char* text) { return Date::Parse(text).value(); }

const Policy& Shipped() {
  const Policy* p = testing::ShippedRules().policies.Select(kEnforcementPolicyId, EnfDay("2025-03-10"));
  EXPECT_NE(p, nullptr);
  return *p;
}

const DiscretionSection& Table() { return *Shipped().Find<DiscretionSection>(); }

// A first violation on no list, slight harm, with fault: the inputs every
// test starts from and changes.
DiscretionInputs Base() {
  DiscretionInputs in;
  in.list = kNoList;
  in.harm = "slight";
  return in;
}

std::string RowFor(const DiscretionInputs& in) {
  const DiscretionRule* r = Table().Match(in);
  return r == nullptr ? "(none)" : r->id;
}

// art 33(2): no fault decides before anything else, even a serious harm on no list.
TEST(DiscretionTableTest, RowNoFault) {
  DiscretionInputs in = Base();
  in.fault = false;
  in.harm = "serious";
  EXPECT_EQ(RowFor(in), "no_fault");
  EXPECT_EQ(Table().Match(in)->outcome, kNoPenalty);
  EXPECT_FALSE(Table().Match(in)->after_rectification);
}

// art 33(1) first sentence: a minor-list violation with no harm, corrected in time.
TEST(DiscretionTableTest, RowMinorListNoHarm) {
  DiscretionInputs in = Base();
  in.list = kMinorExemptList;
  in.harm = "none";
  in.first_violation = false;  // the mandatory rule does not ask
  EXPECT_EQ(RowFor(in), "minor_list_no_harm");
  EXPECT_EQ(Table().Match(in)->outcome, kNoPenalty);
  EXPECT_TRUE(Table().Match(in)->after_rectification);
}

// art 33(1) second sentence: a 首违不罚 item, first, slight harm.
TEST(DiscretionTableTest, RowFirstViolationListFirst) {
  DiscretionInputs in = Base();
  in.list = kFirstViolationExemptList;
  EXPECT_EQ(RowFor(in), "first_violation_list_first");
  EXPECT_EQ(Table().Match(in)->outcome, kNoPenalty);
  EXPECT_TRUE(Table().Match(in)->after_rectification);
}

// 信用+: a listed violation that is not the first, with the written commitment.
TEST(DiscretionTableTest, RowCreditPlusListedCommitment) {
  DiscretionInputs in = Base();
  in.list = kFirstViolationExemptList;
  in.first_violation = false;
  in.commitment = true;
  EXPECT_EQ(RowFor(in), "credit_plus_listed_commitment");
  EXPECT_EQ(Table().Match(in)->outcome, kMitigated);
  EXPECT_TRUE(Table().Match(in)->after_rectification);
}

// art 32: harm actively reduced mitigates at once.
TEST(DiscretionTableTest, RowHarmReduced) {
  DiscretionInputs in = Base();
  in.harm = "serious";
  in.harm_reduced = true;
  EXPECT_EQ(RowFor(in), "harm_reduced");
  EXPECT_EQ(Table().Match(in)->outcome, kMitigated);
  EXPECT_FALSE(Table().Match(in)->after_rectification);
}

// 信用+ by grade: an A or B subject that commits to rectify a slight violation on no list.
TEST(DiscretionTableTest, RowCreditPlusGoodGrade) {
  DiscretionInputs in = Base();
  in.grade = "A";
  in.commitment = true;
  EXPECT_EQ(RowFor(in), "credit_plus_good_grade");
  EXPECT_EQ(Table().Match(in)->outcome, kMitigated);
  in.grade = "C";
  EXPECT_EQ(RowFor(in), "no_leniency_ground");
  in.grade = "";
  EXPECT_EQ(RowFor(in), "no_leniency_ground") << "an ungraded subject is not of a good grade";
}

// A 首违不罚 item that is not the first, without a commitment: refused, not_first_violation.
TEST(DiscretionTableTest, RowFirstViolationListNotFirst) {
  DiscretionInputs in = Base();
  in.list = kFirstViolationExemptList;
  in.first_violation = false;
  EXPECT_EQ(RowFor(in), "first_violation_list_not_first");
  EXPECT_EQ(Table().Match(in)->outcome, kOrdinaryPenalty);
  EXPECT_EQ(Table().Match(in)->reason, "not_first_violation");
}

// A 首违不罚 item, first, but the harm is serious: refused, harm_not_slight.
TEST(DiscretionTableTest, RowFirstViolationListSeriousHarm) {
  DiscretionInputs in = Base();
  in.list = kFirstViolationExemptList;
  in.harm = "serious";
  EXPECT_EQ(RowFor(in), "first_violation_list_serious_harm");
  EXPECT_EQ(Table().Match(in)->reason, "harm_not_slight");
}

// A 轻微免罚 item with a harmful consequence: refused, harmful_consequence.
TEST(DiscretionTableTest, RowMinorListWithHarm) {
  DiscretionInputs in = Base();
  in.list = kMinorExemptList;
  EXPECT_EQ(RowFor(in), "minor_list_with_harm");
  EXPECT_EQ(Table().Match(in)->reason, "harmful_consequence");
}

// Nothing else holds: the ordinary procedure, no_leniency_ground.
TEST(DiscretionTableTest, RowNoLeniencyGround) {
  EXPECT_EQ(RowFor(Base()), "no_leniency_ground");
  EXPECT_EQ(Table().Match(Base())->outcome, kOrdinaryPenalty);
}

// Every row of the shipped table is one of the tests above.
TEST(DiscretionTableTest, EveryShippedRowHasATest) {
  const std::set<std::string> tested = {"no_fault",
                                        "minor_list_no_harm",
                                        "first_violation_list_first",
                                        "credit_plus_listed_commitment",
                                        "harm_reduced",
                                        "credit_plus_good_grade",
                                        "first_violation_list_not_first",
                                        "first_violation_list_serious_harm",
                                        "minor_list_with_harm",
                                        "no_leniency_ground"};
  for (const DiscretionRule& r : Table().rules) EXPECT_EQ(tested.count(r.id), 1u) << r.id;
  EXPECT_EQ(Table().rules.size(), tested.size());
}

// The public scenarios' items are on the lists they name.
TEST(ViolationCatalogueTest, PublicScenarioItemsAreOnTheirLists) {
  const Policy& p = Shipped();
  const PolicySet& set = testing::ShippedRules().policies;
  const ViolationItem* permit = FindViolation(set, p, "food_permit_expired_not_renewed", EnfDay("2025-03-10"));
  ASSERT_NE(permit, nullptr);
  EXPECT_EQ(permit->list, kFirstViolationExemptList);
  const ViolationItem* expired = FindViolation(set, p, "expired_food_on_sale", EnfDay("2025-03-10"));
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->list, kMinorExemptList);
  EXPECT_EQ(FindViolation(set, p, "no_such_violation", EnfDay("2025-03-10")), nullptr);
}

// The look-back is the 2 years ending today, today included: a same-type
// violation of 2023-03-10 is within it on 2025-03-10, not on 2025-03-11.
TEST(LookbackTest, TwoYearsEndingTodayIncludeTheirFirstDay) {
  const SourcedPeriod& lookback = Table().lookback;
  EXPECT_EQ(LookbackStart(lookback, EnfDay("2025-03-10")), EnfDay("2023-03-10"));
  EXPECT_EQ(LookbackStart(lookback, EnfDay("2025-03-11")), EnfDay("2023-03-11"));
  EXPECT_EQ(LookbackStart(lookback, EnfDay("2025-03-09")), EnfDay("2023-03-09"));
  SourcedPeriod twelve_months;
  twelve_months.period = Period{12, Period::Unit::kMonths};
  EXPECT_EQ(LookbackStart(twelve_months, EnfDay("2024-02-29")), EnfDay("2023-02-28"));
}

Policy PolicyWith(const DiscretionSection& table) {
  Policy p;
  p.id = kEnforcementPolicyId;
  p.version = "test";
  p.file = "test.xml";
  p.effective_from = EnfDay("2025-01-27");
  p.Section<DiscretionSection>() = table;
  return p;
}

DiscretionRule Rule(const char* id, const char* outcome, const char* reason = "") {
  DiscretionRule r;
  r.id = id;
  r.outcome = outcome;
  r.reason = reason;
  r.source = "s";
  return r;
}

// A table that could leave a report undecided, refuse leniency without a
// reason, or hide a row behind one that always matches is refused.
TEST(DiscretionTableCheckTest, RefusesIncompleteAndUnreachableTables) {
  DiscretionSection table;
  table.lookback.period = Period{2, Period::Unit::kYears};
  DiscretionRule listed = Rule("listed", kNoPenalty);
  listed.lists = {kMinorExemptList};
  table.rules = {listed, Rule("silent_refusal", kOrdinaryPenalty), Rule("after_all", kMitigated)};
  PolicySet set;
  set.Add(PolicyWith(table));
  std::string all;
  for (const PolicyError& e : set.Validate()) all += e.message + "\n";
  EXPECT_NE(all.find("needs a reason code"), std::string::npos) << all;
  EXPECT_NE(all.find("never reached"), std::string::npos) << all;

  table.rules = {listed};
  PolicySet incomplete;
  incomplete.Add(PolicyWith(table));
  all.clear();
  for (const PolicyError& e : incomplete.Validate()) all += e.message + "\n";
  EXPECT_NE(all.find("the last rule must state no condition"), std::string::npos) << all;
}

}  // namespace
}  // namespace credflow::policies
