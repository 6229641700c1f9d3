// `credflow record ...`: dishonesty records (失信信息) as their deciding
// departments made them: add one, list a subject's, record that a subject
// performed a decision's obligations, import many from CSV (UTF-8 or the
// GB 18030 Excel writes in China). Each record is a dishonesty_record case
// (workflows/record); the list is the view GET /v1/subjects/{code}/records
// returns.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/app/views.h"
#include "adapters/cli/commands.h"
#include "adapters/import/record_import.h"
#include "engine/form_data.h"
#include "workflows/record/record_workflow.h"

namespace credflow::adapters::cli {
namespace {

using engine::Json;

// What the record commands parse into; shared by their callbacks, so it
// lives as long as the App.
struct RecordOptions {
  std::string code, id, user = "cli", key, data;
  // record add: RecordDecided's members.
  std::string department, department_name, platform, kind, tier, sector, violation, decided_on, published_on,
      restriction_until, decision_number;
  std::vector<std::string> penalties;
  std::optional<double> amount;
  bool simple_procedure = false, specific_serious = false;
  // record fulfil.
  std::string fulfilled_on, note;
  // record import.
  std::string file, encoding = "auto";
  int batch = 200;
  bool progress = false;
  bool json = false;
};

engine::Actor ActorOf(const RecordOptions& o) { return engine::Actor{o.user, "caseworker", ""}; }

// The record as the options give it, over --data's object when given.
std::optional<Json> RecordData(const RecordOptions& o) {
  std::string data = o.data;
  // --data FILE.json as well as --data @FILE or --data '{...}'.
  if (!data.empty() && data[0] != '@' && data[0] != '{') data = "@" + data;
  std::optional<Json> record = ParseJsonArgument(data, "--data");
  if (!record) return std::nullopt;
  record->erase("subject");
  const auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) (*record)[key] = value;
  };
  set("department", o.department);
  set("department_name", o.department_name);
  set("platform", o.platform);
  set("kind", o.kind);
  set("tier", o.tier);
  set("sector", o.sector);
  set("violation", o.violation);
  set("decided_on", o.decided_on);
  set("published_on", o.published_on);
  set("restriction_until", o.restriction_until);
  set("decision_number", o.decision_number);
  if (!o.penalties.empty()) (*record)["penalties"] = o.penalties;
  if (o.amount) (*record)["amount"] = *o.amount;
  if (o.simple_procedure) (*record)["simple_procedure"] = true;
  if (o.specific_serious) (*record)["specific_serious"] = true;
  return record;
}

int Add(const GlobalOptions& g, const RecordOptions& o) {
  std::optional<Json> record = RecordData(o);
  if (!record) return kExitUnusable;
  workflows::record::RecordDishonestyRequest request;
  request.subject = o.code;
  request.record = *std::move(record);
  request.actor = ActorOf(o);
  request.idempotency_key = CliKey(o.user, o.key);
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  return PrintResult(workflows::record::RecordDishonesty(*e->service, request));
}

// The Chinese name of a code, for the text listing.
const char* Chinese(const std::string& code) {
  static const std::vector<std::pair<const char*, const char*>> kNames = {{"credit_china", "信用中国"},
                                                                          {"gsxt", "国家企业信用信息公示系统"},
                                                                          {"penalty", "行政处罚"},
                                                                          {"abnormal_list", "经营异常名录"},
                                                                          {"serious_list", "严重违法失信名单"},
                                                                          {"light", "轻微"},
                                                                          {"general", "一般"},
                                                                          {"serious", "严重"},
                                                                          {"published", "公示中"},
                                                                          {"not_published", "未公示"},
                                                                          {"repaired", "已修复"},
                                                                          {"expired", "公示期满"}};
  for (const auto& [c, name] : kNames) {
    if (code == c) return name;
  }
  return "";
}

std::string Coded(const Json& item, const char* key) {
  const std::string code = item.value(key, "");
  if (code.empty()) return "-";
  const std::string name = Chinese(code);
  return name.empty() ? code : name + " " + code;
}

int List(const GlobalOptions& g, const RecordOptions& o) {
  if (engine::Status st = engine::CheckCreditCode(o.code, "code"); !st.ok()) return PrintStatus(st), kExitUnusable;
  std::unique_ptr<SociCaseStore> store = OpenStoreOrExplain(g);
  if (!store) return kExitUnusable;
  engine::Result<Json> view = SubjectRecordsView(*store, o.code);
  if (!view.ok()) return PrintStatus(view.status()), kExitFailed;
  if (o.json) {
    std::cout << view->dump(2) << "\n";
    return kExitOk;
  }
  const Json& records = (*view)["records"];
  std::cout << "失信信息 dishonesty records of " << o.code << ": " << records.size() << "\n";
  for (const Json& r : records) {
    std::cout << "\n" << r.value("id", "") << "  " << Coded(r, "kind") << "  " << Coded(r, "outcome") << "\n";
    std::cout << "  认定单位 department   " << r.value("department", "")
              << (r.value("department_name", "").empty() ? "" : "  " + r.value("department_name", "")) << "\n";
    std::cout << "  公示平台 platform     " << Coded(r, "platform") << "\n";
    if (r.contains("tier")) std::cout << "  失信等级 tier         " << Coded(r, "tier") << "\n";
    if (r.contains("violation")) std::cout << "  违法类型 violation    " << r.value("violation", "") << "\n";
    std::cout << "  决定日期 decided_on   " << r.value("decided_on", "")
              << (r.contains("published_on") ? "  公示日期 published_on " + r.value("published_on", "") : "") << "\n";
    if (r.contains("regime")) {
      std::cout << "  修复规则 regime       " << r.value("regime", "") << "  " << r.value("regime_title", "") << "\n";
    }
    if (r.value("repairable", true)) {
      if (r.contains("earliest_repair")) {
        std::cout << "  可申请修复 earliest_repair  " << r.value("earliest_repair", "") << "\n";
      }
    } else {
      std::cout << "  不可修复 not repairable  " << r.value("refusal", "") << "\n";
    }
    if (r.contains("publication_ends")) {
      std::cout << "  公示截止 publication_ends  " << r.value("publication_ends", "") << "\n";
    }
    if (r.value("obligations_fulfilled", false)) {
      std::cout << "  已履行义务 obligations fulfilled  " << r.value("obligations_fulfilled_on", "") << "\n";
    }
    if (r.contains("repaired_on")) {
      std::cout << "  已修复 repaired_on    " << r.value("repaired_on", "") << "  (" << r.value("repair_case", "")
                << ")\n";
    }
  }
  return kExitOk;
}

int Fulfil(const GlobalOptions& g, const RecordOptions& o) {
  Json data = Json::object();
  if (!o.fulfilled_on.empty()) data["fulfilled_on"] = o.fulfilled_on;
  if (!o.note.empty()) data["note"] = o.note;
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  engine::FireEventRequest request;
  request.case_id = o.id;
  request.event = engine::EventInput{"ObligationsFulfilled", std::move(data), ActorOf(o)};
  request.idempotency_key = CliKey(o.user, o.key);
  return PrintResult(e->service->Fire(request));
}

int Import(const GlobalOptions& g, const RecordOptions& o) {
  std::optional<importer::TextEncoding> encoding = importer::ParseTextEncoding(o.encoding);
  if (!encoding) {
    std::cerr << "credflow: --encoding '" << o.encoding << "': expected auto, utf-8 or gb18030\n";
    return kExitUnusable;
  }
  std::unique_ptr<Engine> e = StartEngine(g);
  if (!e) return kExitUnusable;
  importer::RecordImportOptions options;
  options.batch_size = o.batch;
  options.actor = ActorOf(o);
  options.encoding = *encoding;
  options.progress = (o.progress || isatty(STDERR_FILENO) == 1) ? &std::cerr : nullptr;
  engine::Result<importer::RecordImportReport> report = importer::ImportRecordsFile(*e->service, o.file, options);
  if (!report.ok()) return PrintStatus(report.status()), kExitFailed;
  for (const importer::RejectedRow& r : report->rejected) {
    std::cout << o.file << ":" << r.line << ": " << (r.code.empty() ? "" : r.code + ": ") << r.reason << ": "
              << r.message << "\n";
  }
  const double rate = report->seconds > 0 ? report->rows / report->seconds : 0;
  std::printf(
      "%d row(s) read as %s: %d recorded, %d already recorded, %zu rejected (%.2f s, %.0f rows/s, %d "
      "transactions)\n",
      report->rows, importer::TextEncodingName(report->encoding), report->recorded, report->already_recorded,
      report->rejected.size(), report->seconds, rate, report->transactions);
  return report->rejected.empty() ? kExitOk : kExitFailed;
}

}  // namespace

void AddRecordCommands(CLI::App& app, const GlobalOptions& g, int& exit_code) {
  auto o = std::make_shared<RecordOptions>();
  CLI::App* group =
      app.add_subcommand("record", "dishonesty records (失信信息): add, list, fulfil obligations, import from CSV");
  group->require_subcommand(1);

  CLI::App* add = group->add_subcommand(
      "add", "record a penalty, abnormal-list or serious-list entry as its deciding department made it");
  add->add_option("CODE", o->code, "unified social credit code of the subject")->required();
  add->add_option("--data", o->data,
                  "the record as a JSON object: FILE.json, @FILE or inline; the options below override its members");
  add->add_option("--department", o->department, "the deciding department (认定单位), e.g. tax or market");
  add->add_option("--department-name", o->department_name, "its name as printed, e.g. 国家税务总局苏州市税务局");
  add->add_option("--platform", o->platform, "where it is published: credit_china (信用中国) or gsxt (公示系统)")
      ->check(CLI::IsMember({"credit_china", "gsxt"}));
  add->add_option("--kind", o->kind, "penalty, abnormal_list or serious_list")
      ->check(CLI::IsMember({"penalty", "abnormal_list", "serious_list"}));
  add->add_option("--tier", o->tier, "light, general or serious")
      ->check(CLI::IsMember({"light", "general", "serious"}));
  add->add_option("--decided-on", o->decided_on, "the decision date (YYYY-MM-DD)")->check(ExistingDate());
  add->add_option("--published-on", o->published_on, "the publication date (YYYY-MM-DD)")->check(ExistingDate());
  add->add_option("--penalty", o->penalties,
                  "a penalty imposed (repeatable): warning, criticism, fine, confiscation, suspension, "
                  "licence_revocation, practice_restriction, business_restriction");
  add->add_option("--amount", o->amount, "the fine or confiscation in yuan")->check(CLI::Range(0.0, 1e12));
  add->add_option("--sector", o->sector, "the sector (food, drug, special_equipment, ...)");
  add->add_option("--violation", o->violation, "the type of violation (for the same-type check)");
  add->add_option("--restriction-until", o->restriction_until, "the end of a restriction (YYYY-MM-DD)")
      ->check(ExistingDate());
  add->add_option("--decision-number", o->decision_number, "the decision's document number (文号)");
  add->add_flag("--simple-procedure", o->simple_procedure, "decided in the simple procedure (简易程序)");
  add->add_flag("--specific-serious", o->specific_serious, "a specific serious dishonesty (特定严重失信)");
  add->add_option("--user", o->user, "acting user recorded in the history");
  add->add_option("--idempotency-key", o->key, "apply at most once under this key");
  add->callback([&g, &exit_code, o] { exit_code = Add(g, *o); });

  CLI::App* list = group->add_subcommand(
      "list", "a subject's records, oldest decision first: window, earliest repair date, publication end, state");
  list->add_option("CODE", o->code, "unified social credit code")->required();
  list->add_flag("--json", o->json, "print JSON (the view of GET /v1/subjects/{code}/records)");
  list->callback([&g, &exit_code, o] { exit_code = List(g, *o); });

  CLI::App* fulfil = group->add_subcommand(
      "fulfil", "record that the subject performed the decision's obligations (fine paid, rectified)");
  fulfil->add_option("ID", o->id, "the record's case id")->required();
  fulfil->add_option("--fulfilled-on", o->fulfilled_on, "the day they were performed (YYYY-MM-DD)")
      ->check(ExistingDate());
  fulfil->add_option("--note", o->note, "what was performed");
  fulfil->add_option("--user", o->user, "acting user recorded in the history");
  fulfil->add_option("--idempotency-key", o->key, "apply at most once under this key");
  fulfil->callback([&g, &exit_code, o] { exit_code = Fulfil(g, *o); });

  CLI::App* import_cmd = group->add_subcommand(
      "import",
      "import records from CSV with English or Chinese headers (code/统一社会信用代码, department/认定单位, "
      "platform/公示平台, kind/类型, decided_on/决定日期, ...); importing a file again records nothing twice");
  import_cmd->add_option("FILE", o->file, "CSV file")->required()->check(CLI::ExistingFile);
  import_cmd->add_option("--encoding", o->encoding,
                         "the file's encoding: auto (valid UTF-8 is UTF-8, else GB 18030), utf-8 or gb18030");
  import_cmd->add_option("--batch", o->batch, "rows per store transaction")->check(CLI::Range(1, 10000));
  import_cmd->add_flag("--progress", o->progress, "draw the progress bar even when stderr is not a terminal");
  import_cmd->add_option("--user", o->user, "acting user recorded in the history");
  import_cmd->callback([&g, &exit_code, o] { exit_code = Import(g, *o); });
}

}  // namespace credflow::adapters::cli
