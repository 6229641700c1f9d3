// The credflow binary as an operator or auditor uses it: policy check and
// refusing to start on a broken rule book, audit verify naming a tampered
// event on SQLite and PostgreSQL, audit replay of the example data, and the
// workflow description.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <tuple>

#include "adapters/store/soci_case_store.h"
#include "engine/case_service.h"
#include "engine/user.h"
#include "tests/support/paths.h"
#include "tests/support/run_command.h"
#include "tests/support/status_matchers.h"
#include "tests/support/test_databases.h"

namespace credflow::testing {
namespace {

namespace fs = std::filesystem;

// A copy of the shipped policies, calendar and forms that a test may break.
class ScratchHome {
 public:
  ScratchHome() : root_(fs::temp_directory_path() / ("credflow-home-" + engine::NewRandomId())) {
    const fs::path src = credflow::testing::SourceDir();
    fs::create_directories(root_ / "policies");
    fs::create_directories(root_ / "forms");
    fs::copy(src / "policies/definitions", root_ / "policies/definitions", fs::copy_options::recursive);
    fs::copy(src / "policies/calendars", root_ / "policies/calendars", fs::copy_options::recursive);
    fs::copy(src / "forms/definitions", root_ / "forms/definitions", fs::copy_options::recursive);
  }
  ~ScratchHome() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path policies() const { return root_ / "policies/definitions"; }
  std::string home() const { return root_.string(); }

  // Replaces the first occurrence of `from` in a policy file.
  void Edit(const std::string& file, const std::string& from, const std::string& to) {
    const fs::path p = policies() / file;
    std::ifstream in(p);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    std::ofstream(p) << text;
  }
  void Write(const std::string& file, const std::string& text) { std::ofstream(policies() / file) << text; }

 private:
  fs::path root_;
};

std::string Catalogue() { return "commitment-catalogue.xml"; }

TEST(CliTest, PolicyCheckAcceptsTheShippedPolicies) {
  CommandOutput out = RunCredflow("policy check");
  EXPECT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(out.output.find("commitment 2024.1"), std::string::npos) << out.output;
}

TEST(CliTest, PolicyCheckRejectsBadXmlWithFileAndLine) {
  ScratchHome home;
  home.Write("broken.xml", "<policy id=\"x\" version=\"1\"\n  <oops>\n");
  CommandOutput out = RunCredflow("policy check " + ShellQuote(home.policies().string()));
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_TRUE(std::regex_search(out.output, std::regex("broken\\.xml:[0-9]+: "))) << out.output;
}

// A missing required attribute is reported at its file and line with the
// attribute's name, so the operator knows what to add.
TEST(CliTest, PolicyCheckRejectsAMissingAttribute) {
  ScratchHome home;
  home.Edit(Catalogue(), "kind=\"permit\"", "");
  CommandOutput out = RunCredflow("policy check " + ShellQuote(home.policies().string()));
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_TRUE(std::regex_search(out.output, std::regex("commitment-catalogue\\.xml:[0-9]+: .*kind"))) << out.output;
}

TEST(CliTest, PolicyCheckRejectsOverlappingVersions) {
  ScratchHome home;
  // A second version of the catalogue whose dates overlap the first.
  std::ifstream in(home.policies() / Catalogue());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("version=\"2024.1\""), 16, "version=\"2025.1\"");
  home.Write("commitment-catalogue-2025.xml", text);
  CommandOutput out = RunCredflow("policy check " + ShellQuote(home.policies().string()));
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_NE(out.output.find("overlap"), std::string::npos) << out.output;
  EXPECT_TRUE(std::regex_search(out.output, std::regex("commitment-catalogue(-2025)?\\.xml:[0-9]+:"))) << out.output;
}

// A misspelt type in the verification rules is an error at its file and line,
// not a rule that silently matches nothing.
TEST(CliTest, PolicyCheckRejectsAnUnknownCommitmentType) {
  ScratchHome home;
  home.Edit("commitment-verification.xml", "type=\"food_business_permit\"", "type=\"food_busines_permit\"");
  CommandOutput out = RunCredflow("policy check " + ShellQuote(home.policies().string()));
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_TRUE(
      std::regex_search(out.output, std::regex("commitment-verification\\.xml:[0-9]+: .*unknown commitment type")))
      << out.output;
}

// An impossible date in a policy stops any command that needs the rule book
// (exit 2, with file and line) rather than let it run on part of the rules.
TEST(CliTest, EngineRefusesToStartOnABrokenPolicy) {
  ScratchHome home;
  home.Edit(Catalogue(), "effective-from=\"2019-01-01\"", "effective-from=\"2019-02-30\"");
  ScratchSqliteFile db;
  CommandOutput out =
      RunCredflow("--home " + ShellQuote(home.home()) + " --database " + ShellQuote(db.url()) + " timers run");
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("refusing to start"), std::string::npos) << out.output;
  EXPECT_TRUE(std::regex_search(out.output, std::regex("commitment-catalogue\\.xml:[0-9]+:"))) << out.output;
}

// The table names the guards and the dot graph has every commitment state; an
// unknown workflow is a usage error (exit 2).
TEST(CliTest, WorkflowDescribePrintsTheTableAndDot) {
  CommandOutput table = RunCredflow("workflow describe commitment");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("SubjectIneligible"), std::string::npos);
  CommandOutput dot = RunCredflow("workflow describe commitment --dot");
  ASSERT_EQ(dot.exit_code, 0) << dot.output;
  EXPECT_EQ(dot.output.rfind("digraph \"commitment\"", 0), 0u) << dot.output;
  for (const char* s : {"CatalogueCheck", "Notified", "InPublication", "UnderVerification", "Fulfilled", "Exempted",
                        "RectificationOrdered", "Revoked", "Withdrawn", "OrdinaryProcedure"}) {
    EXPECT_NE(dot.output.find(std::string("\"") + s + "\""), std::string::npos) << s;
  }
  EXPECT_EQ(RunCredflow("workflow describe nope").exit_code, 2);
}

// The example scenarios, in name order (played into one kept store, they
// share their subjects' records, so the order is part of the test).
std::string ExampleScenarios() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(credflow::testing::SourceDir()) / "examples/scenarios")) {
    paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  std::string files;
  for (const std::string& p : paths) files += " " + ShellQuote(p);
  return files;
}

// Plays the example scenarios into `url`, then tampers with one history row
// and expects `audit verify` to name that case and event.
void TamperAndVerify(const std::string& url, const std::string& drop_guard) {
  const std::string db = "--database " + ShellQuote(url);
  CommandOutput played = RunCredflow(db + " scenario run --keep" + ExampleScenarios());
  ASSERT_EQ(played.exit_code, 0) << played.output;

  CommandOutput verify = RunCredflow(db + " audit verify");
  ASSERT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find(" 0 broken"), std::string::npos) << verify.output;
  CommandOutput replay = RunCredflow(db + " audit replay");
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find(" 0 mismatched"), std::string::npos) << replay.output;

  auto store = adapters::SociCaseStore::Open(url);
  ASSERT_OK(store);
  auto ids = (*store)->ListCaseIds();
  ASSERT_TRUE(ids.ok());
  ASSERT_GE(ids->size(), 2u);
  const std::string victim = (*ids)[1];
  // The schema refuses the edit; an attacker with the database owner's
  // rights drops the guard first.
  EXPECT_FALSE((*store)->ExecuteForTesting("UPDATE history SET actor_user = 'mallory' WHERE seq = 2").ok());
  ASSERT_TRUE((*store)->ExecuteForTesting(drop_guard).ok());
  ASSERT_TRUE(
      (*store)
          ->ExecuteForTesting("UPDATE history SET actor_user = 'mallory' WHERE case_id = '" + victim + "' AND seq = 2")
          .ok());

  CommandOutput broken = RunCredflow(db + " audit verify");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("BROKEN case " + victim + " at event 2"), std::string::npos) << broken.output;
  EXPECT_NE(broken.output.find(" 1 broken"), std::string::npos) << broken.output;
  CommandOutput one = RunCredflow(db + " audit verify " + victim);
  EXPECT_EQ(one.exit_code, 1) << one.output;
  // The chains alone, by three threads over ranges of cases: the same case
  // and event, and the events counted are every event of the store.
  CommandOutput chains = RunCredflow(db + " audit verify --chains-only --threads 3");
  EXPECT_EQ(chains.exit_code, 1) << chains.output;
  EXPECT_NE(chains.output.find("BROKEN case " + victim + " at event 2"), std::string::npos) << chains.output;
  EXPECT_EQ(chains.output.find("projections"), std::string::npos) << chains.output;
  size_t events = 0;
  for (const std::string& id : *ids) events += (*store)->GetHistory(id)->size();
  EXPECT_NE(chains.output.find(" 1 broken (" + std::to_string(events) + " event(s) read"), std::string::npos)
      << chains.output;
  EXPECT_EQ(RunCredflow(db + " audit verify " + victim + " --threads 2").exit_code, 2);
}

TEST(CliTest, AuditVerifyNamesATamperedEventOnSqlite) {
  ScratchSqliteFile db;
  TamperAndVerify(db.url(), "DROP TRIGGER history_no_update");
}

TEST(CliTest, AuditVerifyNamesATamperedEventOnPostgresql) {
  ScratchPgDatabase db;
  ASSERT_OK(db);
  TamperAndVerify(db.url(), "DROP TRIGGER history_no_update_delete ON history");
}

// `case show` gives the state and commitment route (--json adds the events
// allowed), `case history` the events; an unknown case id exits 1.
TEST(CliTest, CaseShowAndHistory) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url());
  ASSERT_EQ(RunCredflow(dbarg + " scenario run --keep" + ExampleScenarios()).exit_code, 0);
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  const std::string id = (*store)->ListCaseIds()->front();
  CommandOutput show = RunCredflow(dbarg + " case show " + id);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("state     "), std::string::npos);
  EXPECT_NE(show.output.find("route     allowed"), std::string::npos) << show.output;
  CommandOutput json = RunCredflow(dbarg + " case show --json " + id);
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("\"events_allowed\""), std::string::npos);
  CommandOutput history = RunCredflow(dbarg + " case history " + id);
  ASSERT_EQ(history.exit_code, 0) << history.output;
  EXPECT_NE(history.output.find("CaseOpened"), std::string::npos);
  EXPECT_EQ(RunCredflow(dbarg + " case show no-such-case").exit_code, 1);
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// The false-commitment record closes the route, and `case show` says so,
// with the reason; the printed rectification order names the deadline.
TEST(CliLifecycleTest, CaseShowNamesTheBlockedRouteAndPrintsTheOrder) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url());
  const std::string scenario =
      credflow::testing::SourceDir() + "/tests/scenarios/19-food-permit-commitment-revoked.json";
  CommandOutput played = RunCredflow(dbarg + " scenario run --keep " + ShellQuote(scenario));
  ASSERT_EQ(played.exit_code, 0) << played.output;
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  engine::CaseQuery q;
  q.workflow = "commitment";
  auto commitments = (*store)->FindCases(q);
  ASSERT_EQ(commitments->size(), 1u);
  const std::string id = commitments->front().id;

  CommandOutput show = RunCredflow(dbarg + " case show " + id);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("route     ordinary_procedure  (unrepaired_false_commitment"), std::string::npos)
      << show.output;
  EXPECT_NE(show.output.find("(outcome revoked"), std::string::npos) << show.output;

  CommandOutput kinds = RunCredflow(dbarg + " case print " + id);
  ASSERT_EQ(kinds.exit_code, 0) << kinds.output;
  EXPECT_NE(kinds.output.find("revocation_decision"), std::string::npos) << kinds.output;
  EXPECT_NE(kinds.output.find("penalty_referral"), std::string::npos) << kinds.output;

  CommandOutput order = RunCredflow(dbarg + " case print " + id + " --document rectification_order");
  ASSERT_EQ(order.exit_code, 0) << order.output;
  EXPECT_NE(order.output.find("责令整改通知书"), std::string::npos) << order.output;
  EXPECT_NE(order.output.find("2025年4月25日"), std::string::npos) << order.output;
  std::smatch number;
  ASSERT_TRUE(std::regex_search(order.output, number, std::regex("苏市监承改〔[0-9]{4}〕1号"))) << order.output;
  // Printed again, the same number; as HTML, a page for A4.
  CommandOutput html = RunCredflow(dbarg + " case print " + id + " --document rectification_order --html");
  ASSERT_EQ(html.exit_code, 0) << html.output;
  EXPECT_NE(html.output.find(number.str()), std::string::npos) << html.output;
  EXPECT_NE(html.output.find("size: A4"), std::string::npos) << html.output;

  CommandOutput unknown = RunCredflow(dbarg + " case print " + id + " --document permit");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown_document"), std::string::npos) << unknown.output;
}

// `verification plan` shows the draw before it is committed, and --commit
// applies it.
TEST(CliLifecycleTest, VerificationPlanShowsThenCommits) {
  ScratchSqliteFile db;
  // A manual clock: the window must lie in years the calendar knows.
  const std::string dbarg = "--clock-date 2025-03-03 --database " + ShellQuote(db.url());
  ASSERT_EQ(RunCredflow(dbarg + " subject register 91350100M000100Y43 --name 测试 --grade D --reason test").exit_code,
            0);
  const std::string form =
      R"({"applicant_name":"测试","legal_representative":"张三","report_year":2024,"signed_on":"2025-03-03"})";
  CommandOutput filed =
      RunCredflow(dbarg + " commitment file --subject 91350100M000100Y43 --type annual_report_truthfulness --form " +
                  ShellQuote(form));
  ASSERT_EQ(filed.exit_code, 0) << filed.output;

  CommandOutput dry = RunCredflow(dbarg + " verification plan --date 2025-03-10 --seed s1");
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("1 awaiting a draw"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("0.80"), std::string::npos) << dry.output;
  EXPECT_NE(dry.output.find("not committed"), std::string::npos) << dry.output;
  CommandOutput again = RunCredflow(dbarg + " verification plan --date 2025-03-10 --seed s1");
  EXPECT_NE(again.output.find("1 awaiting a draw"), std::string::npos) << "a dry run changes nothing";

  // A committed plan is today's, under the seed derived from its date.
  EXPECT_EQ(RunCredflow(dbarg + " verification plan --date 2025-03-10 --seed s1 --commit").exit_code, 2);
  EXPECT_EQ(RunCredflow(dbarg + " verification plan --date 2025-03-10 --commit").exit_code, 2) << "not today";
  const std::string on_the_day = "--clock-date 2025-03-10 --database " + ShellQuote(db.url());
  CommandOutput commit = RunCredflow(on_the_day + " verification plan --date 2025-03-10 --commit");
  ASSERT_EQ(commit.exit_code, 0) << commit.output;
  EXPECT_NE(commit.output.find("committed: 1 draw(s)"), std::string::npos) << commit.output;
  CommandOutput after = RunCredflow(dbarg + " verification plan --date 2025-03-10");
  EXPECT_NE(after.output.find("0 awaiting a draw"), std::string::npos) << after.output;
  EXPECT_EQ(RunCredflow(dbarg + " audit verify").exit_code, 0);
  EXPECT_EQ(RunCredflow(dbarg + " audit replay").exit_code, 0);
}

// `commitment object` records an objection (ordinary procedure, no longer
// open); `commitment apply` files the application after the publication;
// `case list --state open` lists what is not final; a deregistered subject's
// filing is refused with its reason.
TEST(CliLifecycleTest, ObjectionApplicationAndOpenCasesFromTheCommandLine) {
  ScratchSqliteFile db;
  auto at = [&](const char* date) {
    return std::string("--clock-date ") + date + " --database " + ShellQuote(db.url());
  };
  auto id_of = [](const std::string& output) {
    const nlohmann::json j = nlohmann::json::parse(output.substr(0, output.find('\n')), nullptr, false);
    return j.is_object() ? j.value("id", "") : std::string();
  };
  const std::string letter =
      R"({"applicant_name":"苏州恒越贸易有限公司","legal_representative":"陈立","investors":["陈立"],)"
      R"("no_outstanding_debts":true,"signed_on":"2025-07-01"})";
  CommandOutput first = RunCredflow(at("2025-07-01") +
                                    " commitment file --subject 91320500UNC8626R9D --type simplified_deregistration"
                                    " --form " +
                                    ShellQuote(letter));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  CommandOutput second = RunCredflow(at("2025-07-01") +
                                     " commitment file --subject 91320500UNC8626R9D --type simplified_deregistration"
                                     " --form " +
                                     ShellQuote(letter));
  ASSERT_EQ(second.exit_code, 0) << second.output;
  const std::string objected_id = id_of(first.output), applied_id = id_of(second.output);
  ASSERT_FALSE(objected_id.empty()) << first.output;

  CommandOutput objected = RunCredflow(at("2025-07-10") + " commitment object " + objected_id + " --by " +
                                       ShellQuote("苏州银行股份有限公司") + " --grounds " + ShellQuote("贷款未清偿"));
  ASSERT_EQ(objected.exit_code, 0) << objected.output;
  EXPECT_NE(objected.output.find("\"objection_raised\""), std::string::npos) << objected.output;
  EXPECT_EQ(RunCredflow(at("2025-07-10") + " commitment object " + objected_id + " --by x").exit_code, 1)
      << "a second objection is not allowed";

  EXPECT_EQ(RunCredflow(at("2025-07-22") + " timers run").exit_code, 0);
  CommandOutput applied = RunCredflow(at("2025-07-25") + " commitment apply " + applied_id);
  ASSERT_EQ(applied.exit_code, 0) << applied.output;
  EXPECT_NE(applied.output.find("UnderVerification"), std::string::npos) << applied.output;

  CommandOutput open = RunCredflow(at("2025-07-25") + " case list --workflow commitment --state open");
  ASSERT_EQ(open.exit_code, 0) << open.output;
  EXPECT_NE(open.output.find(applied_id), std::string::npos) << open.output;
  EXPECT_EQ(open.output.find(objected_id), std::string::npos) << open.output;

  ASSERT_EQ(RunCredflow(at("2025-07-25") + " subject status 91320500UNC8626R9D deregistered").exit_code, 0);
  CommandOutput refused = RunCredflow(at("2025-07-25") +
                                      " commitment file --subject 91320500UNC8626R9D --type simplified_deregistration"
                                      " --form " +
                                      ShellQuote(letter));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("subject_deregistered"), std::string::npos) << refused.output;
}

// Neither token nor hash is ever listed; a taken name, a department user with
// no department and a token under 32 characters are refused.
TEST(CliTest, UserAddShowsANewTokenOnceAndStoresOnlyItsHash) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url());
  CommandOutput added = RunCredflow(dbarg + " user add alice --role caseworker");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(added.output, m, std::regex("token: (cf_[0-9a-f]{64})\n"))) << added.output;
  const std::string token = m[1];

  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  auto found = (*store)->FindUserByTokenHash(engine::TokenHash(token));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->name, "alice");
  EXPECT_NE((*found)->token_hash, token);

  CommandOutput listed = RunCredflow(dbarg + " user list");
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("alice  caseworker"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(token), std::string::npos);
  EXPECT_EQ(listed.output.find((*found)->token_hash), std::string::npos);

  CommandOutput again = RunCredflow(dbarg + " user add alice --role auditor");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("user_exists"), std::string::npos) << again.output;
  CommandOutput nameless = RunCredflow(dbarg + " user add fire --role department");
  EXPECT_EQ(nameless.exit_code, 1);
  EXPECT_NE(nameless.output.find("invalid_user"), std::string::npos) << nameless.output;
  CommandOutput disabled = RunCredflow(dbarg + " user disable alice");
  EXPECT_EQ(disabled.exit_code, 0) << disabled.output;
  auto after = (*store)->FindUserByTokenHash(engine::TokenHash(token));
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_TRUE((*after)->disabled);
  const std::string short_token = ::testing::TempDir() + "/credflow-short-token";
  std::ofstream(short_token) << "too-short\n";
  CommandOutput weak = RunCredflow(dbarg + " user add bob --role caseworker --token-file " + ShellQuote(short_token));
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.output.find("shorter than 32"), std::string::npos) << weak.output;
  // A token file that never ends is refused, not read until memory runs out.
  CommandOutput endless = RunShell("timeout 20 " + CredflowBinary() + " " + dbarg +
                                   " user add bob --role caseworker --token-file /dev/zero");
  EXPECT_EQ(endless.exit_code, 2) << endless.output;
  EXPECT_NE(endless.output.find("cannot read a token from /dev/zero"), std::string::npos) << endless.output;
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// `case fire` sends a person's events only: the timers' and the engine's are
// refused (exit 1, with the reason) and nothing is written.
TEST(CliLifecycleTest, CaseFireRefusesTimerAndSystemEventsWithNothingWritten) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url());
  const std::string scenario =
      credflow::testing::SourceDir() + "/tests/scenarios/19-food-permit-commitment-revoked.json";
  ASSERT_EQ(RunCredflow(dbarg + " scenario run --keep " + ShellQuote(scenario)).exit_code, 0);
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  auto only = [&](const char* workflow) {
    engine::CaseQuery q;
    q.workflow = workflow;
    auto found = (*store)->FindCases(q);
    EXPECT_EQ(found->size(), 1u) << workflow;
    return found->empty() ? std::string() : found->front().id;
  };
  const std::string verification = only("verification");
  const std::string false_commitment = only("false_commitment");
  const size_t before = (*store)->GetHistory(verification)->size() + (*store)->GetHistory(false_commitment)->size();

  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> refused = {
      {verification, "VerificationOverdue", "{}", "timer_event"},
      {verification, "DrawMade", R"({"seed":"mine","plan_date":"2025-03-03","verified_in_cycle":0})", "system_event"},
      {false_commitment, "RectificationDeadlinePassed", "{}", "timer_event"},
      {false_commitment, "CreditRecordRepaired", "{}", "system_event"},
  };
  for (const auto& [id, event, data, reason] : refused) {
    CommandOutput out = RunCredflow(dbarg + " case fire " + id + " " + event + " --data " + ShellQuote(data));
    EXPECT_EQ(out.exit_code, 1) << event << ": " << out.output;
    EXPECT_NE(out.output.find(reason), std::string::npos) << event << ": " << out.output;
  }
  CommandOutput seed = RunCredflow(dbarg + " case fire " + verification + " DrawMade --data '{\"seed\":5}'");
  EXPECT_EQ(seed.exit_code, 1) << seed.output;
  EXPECT_NE(seed.output.find("invalid_event_data"), std::string::npos) << seed.output;
  // --if-version takes a version (1 and up), nothing clamped or skipped.
  for (const char* bad : {"-1", "0", "9223372036854775808", "3x", ""}) {
    CommandOutput out =
        RunCredflow(dbarg + " case fire " + verification + " VerificationStarted --if-version " + ShellQuote(bad));
    EXPECT_EQ(out.exit_code, 2) << bad << ": " << out.output;
  }
  EXPECT_EQ((*store)->GetHistory(verification)->size() + (*store)->GetHistory(false_commitment)->size(), before);
}

// `audit verify` re-derives what the store keeps beside the histories: a
// deleted or edited subject record is named; `audit rebuild` puts it back
// in one transaction (--dry-run only says what it would do).
TEST(CliLifecycleTest, AuditVerifyNamesADeletedOrEditedRecordAndRebuildRestoresIt) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url());
  const std::string scenario =
      credflow::testing::SourceDir() + "/tests/scenarios/19-food-permit-commitment-revoked.json";
  ASSERT_EQ(RunCredflow(dbarg + " scenario run --keep " + ShellQuote(scenario)).exit_code, 0);
  CommandOutput clean = RunCredflow(dbarg + " audit verify");
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find(" 0 disagreement(s)"), std::string::npos) << clean.output;

  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  auto records = (*store)->ListSubjectRecords("", 100);
  ASSERT_TRUE(records.ok());
  std::string record;
  for (const engine::SubjectRecord& r : *records) {
    if (r.kind == "false_commitment") record = r.id;
  }
  ASSERT_FALSE(record.empty());

  // Deleted: the route would reopen; audit verify says which record is gone.
  ASSERT_TRUE((*store)->ExecuteForTesting("DELETE FROM subject_records WHERE id = '" + record + "'").ok());
  CommandOutput deleted = RunCredflow(dbarg + " audit verify");
  EXPECT_EQ(deleted.exit_code, 1) << deleted.output;
  EXPECT_NE(deleted.output.find("DIFFERS subject_records " + record + ": missing"), std::string::npos)
      << deleted.output;
  CommandOutput dry = RunCredflow(dbarg + " audit rebuild --dry-run");
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("WOULD REWRITE subject_records " + record), std::string::npos) << dry.output;
  EXPECT_EQ(RunCredflow(dbarg + " audit verify").exit_code, 1) << "a dry run writes nothing";
  CommandOutput rebuilt = RunCredflow(dbarg + " audit rebuild");
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
  EXPECT_EQ(RunCredflow(dbarg + " audit verify").exit_code, 0);

  // Edited: marked repaired without any repair.
  ASSERT_TRUE(
      (*store)->ExecuteForTesting("UPDATE subject_records SET status = 'repaired' WHERE id = '" + record + "'").ok());
  CommandOutput edited = RunCredflow(dbarg + " audit verify");
  EXPECT_EQ(edited.exit_code, 1) << edited.output;
  EXPECT_NE(edited.output.find("DIFFERS subject_records " + record + ": row is "), std::string::npos) << edited.output;
  EXPECT_EQ(RunCredflow(dbarg + " audit rebuild").exit_code, 0);
  auto facts = (*store)->GetSubjectFacts((*records)[0].subject);
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->HasActive("false_commitment")) << "the rebuild restored the active record";
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// The command line as people type it: the global options also after the
// subcommand (the README's `credflow serve --database ...`).
TEST(CliTypedTest, GlobalOptionsWorkAfterTheSubcommand) {
  ScratchSqliteFile db;
  ScratchHome home;
  CommandOutput listed = RunCredflow("case list --database " + ShellQuote(db.url()) +
                                     " --clock-date 2025-03-03 --home " + ShellQuote(home.home()));
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  CommandOutput nested = RunCredflow("subject show 91320500L968FMY61Q --database " + ShellQuote(db.url()));
  EXPECT_EQ(nested.output.find("not expected"), std::string::npos) << nested.output;
  // serve parses its --database and then stops at the bad --listen.
  CommandOutput serve = RunCredflow("serve --database " + ShellQuote(db.url()) + " --listen nowhere");
  EXPECT_EQ(serve.exit_code, 2) << serve.output;
  EXPECT_NE(serve.output.find("--listen must be HOST:PORT"), std::string::npos) << serve.output;
  // --home after the subcommand is the home the rule book comes from.
  home.Edit(Catalogue(), "effective-from=\"2019-01-01\"", "effective-from=\"2019-02-30\"");
  CommandOutput broken =
      RunCredflow("timers run --database " + ShellQuote(db.url()) + " --home " + ShellQuote(home.home()));
  EXPECT_EQ(broken.exit_code, 2) << broken.output;
  EXPECT_NE(broken.output.find("refusing to start"), std::string::npos) << broken.output;
}

// A folder without policy files is a wrong path, not an empty policy set.
TEST(CliTypedTest, PolicyCheckRefusesAFolderWithoutPolicyFiles) {
  const fs::path empty = fs::temp_directory_path() / ("credflow-empty-" + engine::NewRandomId());
  fs::create_directories(empty);
  CommandOutput out = RunCredflow("policy check " + ShellQuote(empty.string()));
  fs::remove_all(empty);
  EXPECT_EQ(out.exit_code, 1) << out.output;
  EXPECT_NE(out.output.find("holds no policy files"), std::string::npos) << out.output;
}

// A date that does not exist is a usage error that says so, before or after
// the subcommand.
TEST(CliTypedTest, ClockDateThatDoesNotExistSaysSo) {
  ScratchSqliteFile db;
  for (const std::string& args : {"--clock-date 2026-02-30 case list --database " + ShellQuote(db.url()),
                                  "case list --clock-date 2026-02-30 --database " + ShellQuote(db.url())}) {
    CommandOutput out = RunCredflow(args);
    EXPECT_EQ(out.exit_code, 2) << out.output;
    EXPECT_NE(out.output.find("2026-02-30 does not exist: February 2026 has 28 days"), std::string::npos) << out.output;
  }
  CommandOutput shape = RunCredflow("--clock-date 30/02/2026 case list --database " + ShellQuote(db.url()));
  EXPECT_EQ(shape.exit_code, 2) << shape.output;
  EXPECT_NE(shape.output.find("expected YYYY-MM-DD"), std::string::npos) << shape.output;
}

// A clock far off (a year typed wrong) is refused before anything runs.
TEST(CliTypedTest, ClockDateOutsideTheClocksYearsIsRefused) {
  ScratchSqliteFile db;
  CommandOutput out = RunCredflow("--clock-date 9687-05-06 case list --database " + ShellQuote(db.url()));
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("outside the years a clock may be set to (1970-2199)"), std::string::npos) << out.output;
}

// An unknown workflow in a filter is a usage error naming the known ones,
// not an empty list.
TEST(CliTypedTest, CaseListNamesTheKnownWorkflows) {
  ScratchSqliteFile db;
  CommandOutput out = RunCredflow("case list --workflow nosuch --database " + ShellQuote(db.url()));
  EXPECT_EQ(out.exit_code, 2) << out.output;
  EXPECT_NE(out.output.find("no workflow named 'nosuch'; known: commitment"), std::string::npos) << out.output;
  EXPECT_NE(out.output.find("verification"), std::string::npos) << out.output;
}

// The catalogue in force, with its Chinese names, as text and as JSON.
TEST(CliTypedTest, CommitmentTypesListsTheCatalogue) {
  CommandOutput out = RunCredflow("commitment types --clock-date 2025-03-03");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_NE(out.output.find("food_business_permit  食品经营许可  permit  form food_business_permit"), std::string::npos)
      << out.output;
  EXPECT_NE(out.output.find("simplified_deregistration  简易注销全体投资人承诺  declaration"), std::string::npos)
      << out.output;
  CommandOutput json = RunCredflow("commitment types --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  const engine::Json j = engine::Json::parse(json.output);
  ASSERT_GE(j["types"].size(), 10u);
  for (const engine::Json& t : j["types"]) {
    EXPECT_FALSE(t.value("name", "").empty()) << t.dump();
    EXPECT_FALSE(t.value("form", "").empty()) << t.dump();
  }
}

// User names may be Chinese; spaces, slashes, control characters, malformed
// UTF-8 and names over 64 code points are still refused.
TEST(CliTypedTest, UserNamesMayBeChinese) {
  ScratchSqliteFile db;
  const std::string dbarg = " --role caseworker --database " + ShellQuote(db.url());
  std::string longest;
  for (int i = 0; i < 64; ++i) longest += "张";
  for (const std::string& name :
       {std::string("张三"), std::string("阿依古丽·买买提"), std::string("li.wei-2"), longest}) {
    CommandOutput out = RunCredflow("user add " + ShellQuote(name) + dbarg);
    EXPECT_EQ(out.exit_code, 0) << name << ": " << out.output;
  }
  CommandOutput listed = RunCredflow("user list --database " + ShellQuote(db.url()));
  EXPECT_NE(listed.output.find("张三  caseworker"), std::string::npos) << listed.output;
  for (const std::string& name : {std::string("张 三"), std::string("张/三"), std::string("张\x01三"), longest + "三",
                                  std::string("张三／"), std::string("")}) {
    CommandOutput out = RunCredflow("user add " + ShellQuote(name) + dbarg);
    EXPECT_EQ(out.exit_code, 1) << name << ": " << out.output;
    EXPECT_NE(out.output.find("invalid_user"), std::string::npos) << out.output;
  }
  // Bytes that are not UTF-8 are refused with every other argument, before
  // the command runs (a usage error).
  CommandOutput broken = RunCredflow("user add " + ShellQuote("张\xe5三") + dbarg);
  EXPECT_EQ(broken.exit_code, 2) << broken.output;
  EXPECT_NE(broken.output.find("invalid_utf8: argument 3 is not valid UTF-8"), std::string::npos) << broken.output;
}

// The plan shows each grade's quota and who was drawn; the committed plan
// replays from the histories.
TEST(CliTypedTest, VerificationPlanShowsTheQuotaAndReplays) {
  ScratchSqliteFile db;
  const std::string dbarg = " --clock-date 2025-03-03 --database " + ShellQuote(db.url());
  ASSERT_EQ(RunCredflow("subject register 91350100M000100Y43 --name 测试 --grade D --reason test" + dbarg).exit_code,
            0);
  const std::string form =
      R"({"applicant_name":"测试","legal_representative":"张三","report_year":2024,"signed_on":"2025-03-03"})";
  ASSERT_EQ(RunCredflow("commitment file --subject 91350100M000100Y43 --type annual_report_truthfulness --form " +
                        ShellQuote(form) + dbarg)
                .exit_code,
            0);
  const std::string on_the_day = " --clock-date 2025-03-10 --database " + ShellQuote(db.url());
  CommandOutput plan = RunCredflow("verification plan --date 2025-03-10 --commit" + on_the_day);
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  EXPECT_NE(plan.output.find("grade D (policy 2024.1): quota 1 = round(0.80 x 1)"), std::string::npos) << plan.output;
  EXPECT_NE(plan.output.find(" quota "), std::string::npos) << plan.output;
  EXPECT_NE(plan.output.find("1/1"), std::string::npos) << plan.output;
  CommandOutput replay = RunCredflow("verification replay --date 2025-03-10" + on_the_day);
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("grade D: 1 drawn of quota 1"), std::string::npos) << replay.output;
  EXPECT_NE(replay.output.find("reproduced from the histories"), std::string::npos) << replay.output;
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// The CLI shows Beijing time too: a case opened on --clock-date starts its
// history at 00:00+08:00 of that day; the store keeps UTC.
TEST(CliTypedTest, TimesAreShownInBeijingTime) {
  ScratchSqliteFile db;
  const std::string dbarg = " --clock-date 2025-03-03 --database " + ShellQuote(db.url());
  ASSERT_EQ(RunCredflow("subject register 91350100M000100Y43 --name 测试 --grade D --reason test" + dbarg).exit_code,
            0);
  auto store = adapters::SociCaseStore::Open(db.url());
  ASSERT_TRUE(store.ok());
  const std::string id = (*store)->ListCaseIds()->front();
  CommandOutput history = RunCredflow("case history " + id + dbarg);
  ASSERT_EQ(history.exit_code, 0) << history.output;
  EXPECT_NE(history.output.find("1  2025-03-03T00:00:00+08:00  CaseOpened"), std::string::npos) << history.output;
  CommandOutput show = RunCredflow("case show " + id + dbarg);
  EXPECT_NE(show.output.find("opened    2025-03-03T00:00:00+08:00"), std::string::npos) << show.output;
  CommandOutput users = RunCredflow("user add 张三 --role caseworker" + dbarg);
  ASSERT_EQ(users.exit_code, 0) << users.output;
  CommandOutput listed = RunCredflow("user list" + dbarg);
  EXPECT_NE(listed.output.find("added 2025-03-03T00:00:00+08:00"), std::string::npos) << listed.output;
  auto stored = (*store)->GetHistory(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(engine::FormatTimestamp(stored->front().at), "2025-03-02T16:00:00Z");
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// On the real date of this issue, 2026-12-06, a food-business-permit filing
// has a 30-working-day verification window ending in 2027, whose State
// Council notice is not out: the window is counted on the provisional 2027
// (statutory holidays only) and ends on Monday 2027-01-18, marked
// provisional. Importing an official 2027 notice that differs (a made-up
// make-up working day on Saturday 2027-01-09) moves it to Friday 2027-01-15:
// the view, the timer and a history event say so, and the audit replays it.
void ProvisionalDeadlineMovesOnImport(const std::string& url) {
  ScratchHome home;
  const std::string args =
      "--home " + ShellQuote(home.home()) + " --database " + ShellQuote(url) + " --clock-date 2026-12-06 ";
  const fs::path letter = fs::path(home.home()) / "letter.json";
  std::ofstream(letter) << R"({"applicant_name":"苏州禾丰餐饮管理有限公司","legal_representative":"周建华",)"
                           R"("premises_address":"苏州市姑苏区人民路1288号",)"
                           R"("business_items":["prepackaged_food_sales"],"signed_on":"2026-12-06"})";
  CommandOutput filed = RunCredflow(args +
                                    "commitment file --subject 91320500L968FMY61Q --type food_business_permit"
                                    " --form @" +
                                    ShellQuote(letter.string()));
  ASSERT_EQ(filed.exit_code, 0) << filed.output;

  CommandOutput listed = RunCredflow(args + "case list --workflow verification");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_NE(listed.output.find("due 2027-01-18 (provisional)"), std::string::npos) << listed.output;
  const std::string verification = listed.output.substr(0, listed.output.find(' '));
  CommandOutput shown = RunCredflow(args + "case show --json " + verification);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  const engine::Json before = engine::Json::parse(shown.output);
  ASSERT_EQ(before["deadlines"].size(), 1u) << shown.output;
  EXPECT_EQ(before["deadlines"][0]["due_on"], "2027-01-18");
  EXPECT_EQ(before["deadlines"][0]["provisional"], true);
  EXPECT_EQ(before["data"]["due_on"], "2027-01-18");
  const std::string fires_before = before["deadlines"][0]["fires_at"];

  // Beyond the policy's horizon (next year only) a year stays refused.
  CommandOutput show_2028 = RunCredflow(args + "calendar show 2028");
  EXPECT_EQ(show_2028.exit_code, 0) << show_2028.output;
  EXPECT_NE(show_2028.output.find("refused today"), std::string::npos) << show_2028.output;

  const fs::path notice = fs::path(home.home()) / "notice-2027.xml";
  std::ofstream(notice) << R"(<?xml version="1.0" encoding="UTF-8"?>
<calendar id="cn" name="test notice">
  <year value="2027" source="a made-up notice for this test">
    <holiday name="元旦" from="2027-01-01" to="2027-01-03"/>
    <holiday name="春节" from="2027-02-05" to="2027-02-12"/>
    <workday date="2027-01-09" reason="made-up make-up day"/>
  </year>
</calendar>
)";
  CommandOutput imported = RunCredflow(args + "calendar import " + ShellQuote(notice.string()));
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_NE(imported.output.find("moved 1"), std::string::npos) << imported.output;
  EXPECT_TRUE(fs::exists(fs::path(home.home()) / "policies/calendars/cn-2027.xml"));

  shown = RunCredflow(args + "case show --json " + verification);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  const engine::Json after = engine::Json::parse(shown.output);
  EXPECT_EQ(after["deadlines"][0]["due_on"], "2027-01-15");
  EXPECT_EQ(after["deadlines"][0]["provisional"], false);
  EXPECT_EQ(after["data"]["due_on"], "2027-01-15");
  EXPECT_NE(after["deadlines"][0]["fires_at"], fires_before) << "the timer moved";
  EXPECT_EQ(after["version"].get<int64_t>(), before["version"].get<int64_t>() + 1);

  auto store = adapters::SociCaseStore::Open(url);
  ASSERT_TRUE(store.ok());
  auto history = (*store)->GetHistory(verification);
  ASSERT_TRUE(history.ok());
  const engine::HistoryEvent& last = history->back();
  EXPECT_EQ(last.event, "DeadlineRecomputed");
  EXPECT_EQ(last.payload["old_due_on"], "2027-01-18");
  EXPECT_EQ(last.payload["new_due_on"], "2027-01-15");
  EXPECT_EQ(last.payload["old_calendar"]["version"], "cn@2026");
  EXPECT_EQ(last.payload["new_calendar"]["version"], "cn@2027");
  EXPECT_NE(last.payload["old_calendar"]["hash"], last.payload["new_calendar"]["hash"]);

  // Importing it again changes nothing; the audit replays every case.
  CommandOutput again = RunCredflow(args + "calendar import " + ShellQuote(notice.string()));
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("already imported"), std::string::npos) << again.output;
  EXPECT_EQ((*store)->GetHistory(verification)->size(), history->size());
  CommandOutput audit = RunCredflow(args + "audit verify");
  EXPECT_EQ(audit.exit_code, 0) << audit.output;
  CommandOutput show_2027 = RunCredflow(args + "calendar show 2027");
  EXPECT_NE(show_2027.output.find("2027  official"), std::string::npos) << show_2027.output;
  EXPECT_NE(show_2027.output.find("2027-01-09  made-up make-up day"), std::string::npos) << show_2027.output;
}

TEST(CalendarImportTest, AProvisionalDeadlineMovesWhenTheNoticeIsImportedOnSqlite) {
  ScratchSqliteFile db;
  ProvisionalDeadlineMovesOnImport(db.url());
}

TEST(CalendarImportTest, AProvisionalDeadlineMovesWhenTheNoticeIsImportedOnPostgresql) {
  ScratchPgDatabase db;
  ASSERT_OK(db);
  ProvisionalDeadlineMovesOnImport(db.url());
}

// `calendar show` on the provisional year: the statute's days, no make-up
// days, and where the lunar dates come from; a year outside the table is
// unknown (exit 1). This one runs on the system clock.
TEST(CalendarImportTest, CalendarShowPrintsAProvisionalYearOnTheSystemClock) {
  CommandOutput shown = RunCredflow("calendar show 2030 --json");
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  const engine::Json year = engine::Json::parse(shown.output);
  EXPECT_EQ(year["status"], "provisional");
  EXPECT_TRUE(year["make_up_days"].empty());
  ASSERT_EQ(year["holidays"].size(), 7u) << shown.output;
  EXPECT_EQ(year["holidays"][1]["name"], "春节");
  EXPECT_EQ(year["holidays"][1]["from"], "2030-02-02");
  EXPECT_EQ(year["holidays"][1]["to"], "2030-02-05");
  EXPECT_NE(year["source"].get<std::string>().find("全国年节及纪念日放假办法"), std::string::npos);
  EXPECT_EQ(RunCredflow("calendar show 2040").exit_code, 1);
}

}  // namespace
}  // namespace credflow::testing

namespace credflow::testing {
namespace {

// `enforcement report` at the command line: a violation with no leniency
// ground is an ordinary penalty that opens its dishonesty record; an unknown
// code and an unknown harm are refused, and nothing is opened for them.
TEST(CliEnforcementTest, AReportedPenaltyOpensItsRecordAndBadInputIsRefused) {
  ScratchSqliteFile db;
  const std::string dbarg = "--database " + ShellQuote(db.url()) + " --clock-date 2026-03-02";
  CommandOutput penalty = RunCredflow(dbarg +
                                      " enforcement report 91320500MA1ENF0138 --violation false_advertising"
                                      " --harm serious --penalty fine --amount 200000 --findings " +
                                      ShellQuote("发布“全市第一”等虚假宣传"));
  ASSERT_EQ(penalty.exit_code, 0) << penalty.output;
  const nlohmann::json answer = nlohmann::json::parse(penalty.output.substr(penalty.output.find('{')));
  EXPECT_EQ(answer.value("outcome", ""), "ordinary_penalty");
  ASSERT_EQ(answer["opened"].size(), 1u) << penalty.output;
  EXPECT_EQ(answer["opened"][0].value("workflow", ""), "dishonesty_record");

  CommandOutput unknown = RunCredflow(dbarg + " enforcement report 91320500MA1ENF0138 --violation " +
                                      ShellQuote("虚假广告") + " --harm slight");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("unknown_violation"), std::string::npos) << unknown.output;
  EXPECT_EQ(RunCredflow(dbarg + " enforcement report 91320500MA1ENF0138 --violation false_advertising --harm grave")
                .exit_code,
            2);
  CommandOutput records = RunCredflow(dbarg + " record list 91320500MA1ENF0138 --json");
  ASSERT_EQ(records.exit_code, 0) << records.output;
  EXPECT_EQ(nlohmann::json::parse(records.output).value("records", nlohmann::json::array()).size(), 1u)
      << records.output;
}

}  // namespace
}  // namespace credflow::testing
