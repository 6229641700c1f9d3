#include "adapters/documents/documents.h"

#include <algorithm>
#include <map>
#include <optional>

#include "forms/form.h"
#include "policies/catalogue.h"
#include "policies/documents.h"
#include "policies/repair_rules.h"
#include "policies/verification_rules.h"
#include "workflows/commitment/names.h"
#include "workflows/false_commitment/names.h"
#include "workflows/record/record_workflow.h"
#include "workflows/repair/names.h"
#include "workflows/verification/names.h"

namespace credflow::adapters::documents {
namespace {

using engine::Case;
using engine::Json;
using engine::Result;
using engine::Status;
using policies::Date;

namespace commitment = workflows::commitment;
namespace verification = workflows::verification;
namespace false_commitment = workflows::false_commitment;
namespace repair = workflows::repair;

// ---- reading case data ------------------------------------------------------

// The member as text: a string as it is, a number in decimal; else "".
std::string Str(const Json& data, const char* key) {
  if (!data.is_object()) return "";
  auto it = data.find(key);
  if (it == data.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number()) return it->dump();
  return "";
}

std::optional<Date> DateOf(const Json& data, const char* key) { return Date::Parse(Str(data, key)); }

// The workflow whose cases own the document.
const char* OwnerWorkflow(const std::string& kind) {
  if (kind == kNotice || kind == kCommitmentLetter) return commitment::kWorkflowName;
  if (kind == kVerificationReport) return verification::kWorkflowName;
  if (kind == kRepairNotice) return repair::kWorkflowName;
  return false_commitment::kWorkflowName;
}

// Whether case `c` (of the owner workflow) has reached the document.
bool Has(const Case& c, const std::string& kind) {
  const Json& d = c.data;
  if (kind == kNotice) return DateOf(d, "notified_on").has_value();
  if (kind == kCommitmentLetter) return d.contains("letter") && d["letter"].is_object() && DateOf(d, "signed_on");
  if (kind == kVerificationReport) {
    return d.contains("report") && d["report"].is_object() && !Str(d, "result").empty() && DateOf(d, "verified_on");
  }
  if (kind == kRectificationOrder) return DateOf(d, "ordered_on") && DateOf(d, "deadline");
  if (kind == kRevocationDecision) return DateOf(d, "revoked_on").has_value();
  if (kind == kPenaltyReferral) return DateOf(d, "revoked_on") && !Str(d, "penalty_referral_id").empty();
  // The application answered (at intake, or once its tasks joined).
  if (kind == kRepairNotice) return d.contains("results") && d["results"].is_array() && !d["results"].empty();
  return false;
}

// The newest case of `workflow` below `parent_id`, if any.
Result<std::optional<Case>> NewestChild(engine::CaseStore& store, const std::string& parent_id,
                                        const std::string& workflow) {
  engine::CaseQuery query;
  query.workflow = workflow;
  query.parent_id = parent_id;
  std::optional<Case> newest;
  for (;;) {
    Result<std::vector<Case>> page = store.FindCases(query);
    if (!page.ok()) return page.status();
    for (Case& child : *page) {
      if (!newest || std::tie(child.created_at, child.id) > std::tie(newest->created_at, newest->id)) {
        newest = std::move(child);
      }
    }
    if (static_cast<int>(page->size()) < query.limit) break;
    query.after_id = page->back().id;
  }
  return newest;
}

// The commitment case of `c`'s matter: itself, or its parent; nullopt when
// `c` belongs to no commitment matter.
Result<std::optional<Case>> CommitmentOf(engine::CaseStore& store, const Case& c) {
  if (c.workflow == commitment::kWorkflowName) return std::optional<Case>(c);
  const bool child = c.workflow == verification::kWorkflowName || c.workflow == false_commitment::kWorkflowName;
  if (!child || c.parent_id.empty()) return std::optional<Case>();
  Result<Case> parent = store.GetCase(c.parent_id);
  if (!parent.ok()) return parent.status();
  if (parent->workflow != commitment::kWorkflowName) return std::optional<Case>();
  return std::optional<Case>(*std::move(parent));
}

// The case of `c`'s matter that owns documents of `kind`, if any.
Result<std::optional<Case>> OwnerOf(engine::CaseStore& store, const Case& c, const std::string& kind) {
  const std::string owner = OwnerWorkflow(kind);
  if (c.workflow == owner) return std::optional<Case>(c);
  if (owner == repair::kWorkflowName) {
    // A department task prints its application's answer.
    if (c.workflow != repair::kTaskWorkflowName || c.parent_id.empty()) return std::optional<Case>();
    Result<Case> application = store.GetCase(c.parent_id);
    if (!application.ok()) return application.status();
    if (application->workflow != owner) return std::optional<Case>();
    return std::optional<Case>(*std::move(application));
  }
  Result<std::optional<Case>> root = CommitmentOf(store, c);
  if (!root.ok() || !root->has_value()) return root;
  if (owner == commitment::kWorkflowName) return root;
  return NewestChild(store, (*root)->id, owner);
}

// ---- what documents say -----------------------------------------------------

std::string PeriodText(const policies::Period& p) {
  const std::string n = std::to_string(p.count);
  switch (p.unit) {
    case policies::Period::Unit::kWorkingDays: return n + "个工作日";
    case policies::Period::Unit::kCalendarDays: return n + "日";
    case policies::Period::Unit::kMonths: return n + "个月";
    case policies::Period::Unit::kYears: return n + "年";
  }
  return n;
}

// The label of an option of `field` in `form`, or the value itself.
std::string OptionLabel(const forms::FormDefinition* form, const std::string& field, const std::string& value) {
  const forms::FieldDefinition* f = form ? form->FindField(field) : nullptr;
  if (f != nullptr) {
    for (const forms::FieldOption& o : f->options) {
      if (o.value == value) return o.label;
    }
  }
  return value;
}

std::string FieldLabel(const forms::FormDefinition* form, const std::string& field, const std::string& fallback) {
  const forms::FieldDefinition* f = form ? form->FindField(field) : nullptr;
  return f != nullptr && !f->label.empty() ? f->label : fallback;
}

// A form value as printed: option labels, lists joined with 、, dates in
// Chinese, yes/no as 是/否.
std::string DisplayValue(const forms::FieldDefinition& f, const Json& v) {
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
  if (v.is_array()) {
    std::string out;
    for (const Json& item : v) {
      const std::string text = item.is_string() ? item.get<std::string>() : item.dump();
      std::string label = text;
      for (const forms::FieldOption& o : f.options) {
        if (o.value == text) label = o.label;
      }
      out += (out.empty() ? "" : "、") + label;
    }
    return out;
  }
  if (!v.is_string()) return v.dump();
  const std::string text = v.get<std::string>();
  if (f.type == forms::FieldType::kDate) {
    if (std::optional<Date> d = Date::Parse(text)) return ChineseDate(*d);
  }
  for (const forms::FieldOption& o : f.options) {
    if (o.value == text) return o.label;
  }
  return text;
}

// What every document of a matter shares.
struct Context {
  const engine::Case* owner = nullptr;
  const policies::DocumentsSection* policy = nullptr;
  const policies::DocumentKind* kind = nullptr;
  std::string applicant;  // name, or the credit code when no name is known
  std::string type_id;
  const policies::CommitmentType* item = nullptr;  // nullptr when off the catalogue
  std::string item_name;
  std::vector<engine::Timer> timers;
};

std::string Addressee(const Context& x) {
  if (x.applicant == x.owner->subject) return "统一社会信用代码为" + x.owner->subject + "的承诺人";
  return x.applicant + "（统一社会信用代码：" + x.owner->subject + "）";
}

// The deadline `data[key]` as printed: the pending timer `timer` rules when
// there is one (it moves when a calendar is confirmed), and a deadline on a
// provisional calendar gets （暂定） and the policy's note.
std::string Deadline(const Context& x, const Json& data, const char* key, const char* timer, Document* doc) {
  std::optional<Date> due = DateOf(data, key);
  bool provisional = false;
  for (const engine::Timer& t : x.timers) {
    if (t.name != timer) continue;
    due = t.due_on;
    const Json& p = t.payload;
    provisional = p.is_object() && p.contains("deadline") && p["deadline"].is_object() &&
                  p["deadline"].value("provisional", false) == true;
  }
  if (!due) return "";
  std::string text = ChineseDate(*due);
  if (provisional) {
    text += "（暂定）";
    if (std::find(doc->notes.begin(), doc->notes.end(), x.policy->provisional_note) == doc->notes.end()) {
      doc->notes.push_back(x.policy->provisional_note);
    }
  }
  return text;
}

std::string Liability() {
  return "经核查发现实际情况与承诺内容不符的，本机关将责令限期整改，整改期间该事项中止办理；逾期不整改、拒不整改"
         "或者整改后仍不符合条件的，本机关将依法撤销已作出的决定，将虚假承诺的情况记入信用记录，并依法移送有关部门"
         "给予行政处罚；在信用记录修复前，不得再以告知承诺方式办理相关事项。";
}

std::string HowRevoked(const Json& data) {
  if (Str(data, "revocation_reason") == false_commitment::kRectificationRefused) {
    const std::string why = Str(data, "refusal_reason");
    return "你单位拒不整改" + (why.empty() ? "" : "（" + why + "）");
  }
  return "你单位逾期未完成整改";
}

// ---- the six documents --------------------------------------------------------

Status FillNotice(const Context& x, const engine::RuleBook& rules, Date on, Document* doc) {
  const forms::FormDefinition* form = rules.forms && x.item ? rules.forms->Find(x.item->form_id) : nullptr;
  doc->addressee = Addressee(x);
  doc->paragraphs.push_back("你单位申请以告知承诺方式办理“" + x.item_name + "”事项。依据" + doc->legal_basis +
                            "的规定，本机关现将有关事项书面告知如下：");
  std::string what =
      "一、承诺内容。你单位应当承诺已经符合该事项的条件、标准和要求，所填写的信息真实、准确，所提交的材料真实、合法、"
      "有效，并在承诺书上签章";
  if (form != nullptr && !form->fields.empty()) {
    std::string labels;
    for (const forms::FieldDefinition& f : form->fields) labels += (labels.empty() ? "" : "、") + f.label;
    what += "。承诺书载明：" + labels;
  }
  doc->paragraphs.push_back(what + "。");
  std::string check = "二、核查。本机关作出决定后，将对你单位的承诺内容进行核查";
  const policies::Policy* rules_policy = rules.policies ? rules.policies->Select(verification::kPolicyId, on) : nullptr;
  const policies::VerificationRule* rule =
      rules_policy ? policies::FindVerificationRule(*rules_policy, x.type_id) : nullptr;
  if (rule != nullptr) {
    const forms::FormDefinition* report = rules.forms ? rules.forms->Find(verification::kReportForm) : nullptr;
    check += "，核查方式为" + OptionLabel(report, "method", rule->method) + "，核查期限为作出决定之日起" +
             PeriodText(rule->window.period);
  }
  doc->paragraphs.push_back(check + "。你单位应当予以配合。");
  int n = 3;
  if (x.item != nullptr && x.item->publication) {
    doc->paragraphs.push_back("三、公示。你单位的承诺将予以公示，公示期为" + PeriodText(x.item->publication->period) +
                              "；公示期内，有关部门、债权人及其他利害关系人可以提出异议。");
    n = 4;
  }
  const char* numerals[] = {"", "一", "二", "三", "四", "五"};
  doc->paragraphs.push_back(std::string(numerals[n]) + "、虚假承诺的法律责任。" + Liability());
  doc->paragraphs.push_back(std::string(numerals[n + 1]) +
                            "、自愿与撤回。你单位可以自主选择是否采用告知承诺方式办理；不愿意或者无法作出承诺的，可以"
                            "按照一般程序办理。该事项办结前，你单位可以撤回承诺，改按一般程序办理。");
  return Status::Ok();
}

Status FillLetter(const Context& x, const engine::RuleBook& rules, Document* doc) {
  const std::string form_id = x.item ? x.item->form_id : x.type_id;
  const forms::FormDefinition* form = rules.forms ? rules.forms->Find(form_id) : nullptr;
  if (form == nullptr) {
    return Status::FailedPrecondition("form_not_loaded", "the rule book has no form " + form_id);
  }
  const Json& letter = x.owner->data["letter"];
  forms::FormData shown;
  for (const forms::FieldDefinition& f : form->fields) {
    if (!letter.contains(f.name)) continue;
    const std::string value = DisplayValue(f, letter[f.name]);
    shown[f.name] = value;
    if (!value.empty()) doc->fields.push_back({f.label, value});
  }
  const std::map<std::string, std::string> extra = {{"authority", doc->office},
                                                    {"subject", x.owner->subject},
                                                    {"commitment_type_name", x.item_name},
                                                    {"case_id", x.owner->id}};
  const std::string text = forms::RenderLetter(*form, shown, extra);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    const size_t first = line.find_first_not_of(" \t\r");
    const size_t last = line.find_last_not_of(" \t\r");
    if (first != std::string::npos) doc->paragraphs.push_back(line.substr(first, last - first + 1));
    start = end + 1;
  }
  doc->title = form->title;
  doc->fields.push_back({"法律依据", doc->legal_basis});
  return Status::Ok();
}

Status FillReport(const Context& x, const engine::RuleBook& rules, Document* doc) {
  const forms::FormDefinition* form = rules.forms ? rules.forms->Find(verification::kReportForm) : nullptr;
  const Json& data = x.owner->data;
  const Json& report = data["report"];
  doc->paragraphs.push_back("依据" + doc->legal_basis + "的规定，本机关对" + Addressee(x) + "以告知承诺方式办理的“" +
                            x.item_name + "”事项的承诺内容进行了核查，现报告如下：");
  doc->fields.push_back({"承诺人", x.applicant});
  doc->fields.push_back({"统一社会信用代码", x.owner->subject});
  doc->fields.push_back({"承诺事项", x.item_name});
  const std::string method = Str(report, "method").empty() ? Str(data, "method") : Str(report, "method");
  if (!method.empty())
    doc->fields.push_back({FieldLabel(form, "method", "核查方式"), OptionLabel(form, "method", method)});
  const std::string inspector = Str(report, "inspector").empty() ? Str(data, "inspector") : Str(report, "inspector");
  if (!inspector.empty()) doc->fields.push_back({FieldLabel(form, "inspector", "核查人员"), inspector});
  doc->fields.push_back({FieldLabel(form, "verified_on", "核查日期"), ChineseDate(*DateOf(data, "verified_on"))});
  const std::string due = Deadline(x, data, "due_on", verification::kDueTimer, doc);
  if (!due.empty()) doc->fields.push_back({"核查期限", due});
  const std::string result = Str(data, "result");
  doc->fields.push_back({FieldLabel(form, "result", "核查结论"), OptionLabel(form, "result", result)});
  const std::string findings = Str(report, "findings");
  if (!findings.empty()) doc->fields.push_back({FieldLabel(form, "findings", "核查发现"), findings});
  const std::string days = Str(report, "rectification_days");
  if (!days.empty()) doc->fields.push_back({FieldLabel(form, "rectification_days", "整改期限（日）"), days});
  doc->paragraphs.push_back(result == verification::kNonconforming
                                ? "经核查，承诺人的实际情况与承诺内容不符，应当责令其限期整改，整改期间该事项中止办理。"
                                : "经核查，承诺人的实际情况与承诺内容相符。");
  return Status::Ok();
}

Status FillOrder(const Context& x, Document* doc) {
  const Json& data = x.owner->data;
  doc->addressee = Addressee(x);
  doc->paragraphs.push_back("你单位以告知承诺方式办理的“" + x.item_name +
                            "”事项，经本机关核查，实际情况与你单位作出的承诺不符。核查发现的问题如下：");
  doc->paragraphs.push_back(Str(data, "findings"));
  doc->paragraphs.push_back("依据" + doc->legal_basis + "的规定，现责令你单位于" +
                            Deadline(x, data, "deadline", false_commitment::kRectificationTimer, doc) +
                            "前（含当日）按照承诺内容完成整改，并将整改情况书面报告本机关。整改期间，该事项中止办理。");
  doc->paragraphs.push_back(
      "逾期未整改、拒不整改或者整改后仍不符合承诺内容的，本机关将依法撤销已作出的决定，将你单位虚假承诺的情况记入信用"
      "记录，并依法移送有关部门给予行政处罚；在信用记录修复前，你单位不得再以告知承诺方式办理相关事项。");
  return Status::Ok();
}

Status FillRevocation(const Context& x, Document* doc) {
  const Json& data = x.owner->data;
  doc->addressee = Addressee(x);
  std::string facts = "你单位以告知承诺方式办理的“" + x.item_name + "”事项，经本机关核查，实际情况与承诺内容不符。";
  if (std::optional<Date> ordered = DateOf(data, "ordered_on")) {
    facts += "本机关于" + ChineseDate(*ordered) + "责令你单位于" +
             Deadline(x, data, "deadline", false_commitment::kRectificationTimer, doc) + "前完成整改，";
  }
  doc->paragraphs.push_back(facts + HowRevoked(data) + "。");
  doc->paragraphs.push_back("核查发现的问题：" + Str(data, "findings"));
  doc->paragraphs.push_back(
      "依据" + doc->legal_basis + "的规定，本机关决定撤销以告知承诺方式作出的“" + x.item_name +
      "”相关决定。你单位虚假承诺的情况将记入信用记录；在信用记录修复前，你单位不得再以告知承诺方式"
      "办理相关事项。");
  if (!x.kind->remedies.empty()) doc->paragraphs.push_back(x.kind->remedies);
  return Status::Ok();
}

Status FillReferral(const Context& x, Document* doc) {
  const Json& data = x.owner->data;
  doc->addressee = x.kind->addressee.empty() ? "有关部门" : x.kind->addressee;
  std::string how = HowRevoked(data);
  how.replace(0, std::string("你单位").size(), "");  // "逾期未完成整改" / "拒不整改…"
  doc->paragraphs.push_back(Addressee(x) + "以告知承诺方式办理“" + x.item_name +
                            "”事项，经本机关核查，实际情况与承诺内容不符；经责令限期整改，" + how + "。本机关已于" +
                            ChineseDate(*DateOf(data, "revoked_on")) + "依法撤销相关决定。");
  doc->paragraphs.push_back("核查发现的问题：" + Str(data, "findings"));
  doc->paragraphs.push_back("依据" + doc->legal_basis +
                            "的规定，现将该案移送你单位，请依法处理，并将处理结果告知本机关。");
  doc->paragraphs.push_back("附件：告知承诺核查报告、责令整改通知书、撤销决定书");
  return Status::Ok();
}

// ---- the repair notice (修复结果告知书) ------------------------------------------

// The reasons a record is refused, in the applicant's words. The codes are
// the workflows' (workflows/repair/names.h, the checks of
// policies/repair_rules.h, the windows' refusals) and the departments' own.
std::optional<std::string> KnownReasonText(const std::string& code) {
  static const std::map<std::string, std::string> kReasons = {
      {repair::kMinimumPeriodNotServed, "最短公示期未满"},
      {repair::kDocumentsMissing, "申请材料不齐全"},
      {repair::kOutOfScope, "该信息不属于可以申请信用修复的范围"},
      {repair::kFalseMaterials, "你单位曾因提供虚假材料被撤销信用修复"},
      {repair::kAlreadyRepaired, "该信息已经修复"},
      {repair::kNotShown, "该信息已不再公示，无需申请修复"},
      {repair::kDeniedByDepartment, "认定单位经审核不予修复"},
      {"no_repair_regime", "申请之日没有适用的信用修复规定"},
      {"not_repairable", "依照法律、法规或者国家有关规定，该信息不予修复"},
      {"no_early_stop", "该信息不适用提前停止公示"},
      {"obligations_not_performed", "未履行行政处罚决定规定的义务"},
      {"in_abnormal_list", "仍被列入经营异常名录"},
      {"in_serious_list", "仍被列入严重违法失信名单"},
      {"same_type_violation_since", "此后又因同一类违法行为受到行政处罚"},
      {"heavier_penalty_since", "此后又受到较重的行政处罚"},
      {"harm_not_removed", "未主动消除危害后果和不良影响"},
      {"commitment_missing", "未作出信用修复承诺"},
      {"materials_untrue", "申请材料与实际情况不符"},
      {repair::kBankruptcyRepairNotAvailable, "申请之日适用的信用修复规定未规定破产重整期间的临时信用修复"},
      {"reorganisation_failed", "重整计划未获执行，临时信用修复终止"},
  };
  auto it = kReasons.find(code);
  if (it != kReasons.end()) return it->second;
  return std::nullopt;
}

std::string ReasonText(const std::string& code) {
  return KnownReasonText(code).value_or("认定单位经审核不予修复（原因代码：" + code + "）");
}

std::string RecordKindText(const std::string& kind) {
  if (kind == policies::kRecordPenalty) return "行政处罚信息";
  if (kind == policies::kRecordAbnormalList) return "列入经营异常名录信息";
  if (kind == policies::kRecordSeriousList) return "列入严重违法失信名单信息";
  return "失信信息";
}

std::string OutcomeText(const std::string& outcome) {
  if (outcome == repair::kApproved) return "准予修复";
  if (outcome == repair::kPartiallyRepaired) return "部分准予修复";
  if (outcome == repair::kRejected) return "不予修复";
  if (outcome == repair::kNotAccepted) return "不予受理";
  if (outcome == repair::kRevoked) return "信用修复已撤销";
  return "办理中";
}

// 准予修复 for a record its department approved, 不予修复 for one it denied,
// 不予受理 for one the window refused at intake.
std::string ResultText(const Json& r) {
  const std::string result = Str(r, "result");
  if (result == "approved") return "准予修复";
  if (result == "denied" && !Str(r, "task").empty()) return "不予修复";
  if (result == "denied" || result == "out_of_scope") return "不予受理";
  return "办理中";
}

std::string RepairAddressee(const Context& x) {
  if (x.applicant == x.owner->subject) return "统一社会信用代码为" + x.owner->subject + "的申请人";
  return x.applicant + "（统一社会信用代码：" + x.owner->subject + "）";
}

Status FillRepairNotice(const Context& x, engine::CaseStore& store, const engine::RuleBook& rules, Date on,
                        Document* doc) {
  const Json& data = x.owner->data;
  const Json& results = data["results"];
  doc->addressee = RepairAddressee(x);
  const std::optional<Date> applied = DateOf(data, "applied_on");
  doc->paragraphs.push_back("你单位" + (applied ? "于" + ChineseDate(*applied) : std::string()) +
                            "提出的信用修复申请，共涉及失信信息" + std::to_string(results.size()) + "条。依据" +
                            doc->legal_basis +
                            "的规定，经受理窗口审核并由各认定单位依职责办理，现将办理结果告知如下：");
  int n = 0, dated = 0;
  for (const Json& r : results) {
    // The record as its department made it (its own case holds the violation).
    Json facts = r;
    Result<Case> record = store.GetCase(Str(r, "record"));
    if (record.ok()) {
      for (const char* key : {"department_name", "violation", "decided_on", "decision_number", "kind"}) {
        if (Str(facts, key).empty() && !Str(record->data, key).empty()) facts[key] = record->data[key];
      }
    } else if (!record.status().IsNotFound()) {
      return record.status();
    }
    const std::string department =
        Str(facts, "department_name").empty() ? Str(facts, "department") : Str(facts, "department_name");
    std::string what = std::to_string(++n) + "．" + department + "认定的" + RecordKindText(Str(facts, "kind"));
    std::vector<std::string> about;
    if (!Str(facts, "violation").empty()) about.push_back("违法类型：" + Str(facts, "violation"));
    if (std::optional<Date> decided = DateOf(facts, "decided_on"))
      about.push_back("决定日期：" + ChineseDate(*decided));
    if (!Str(facts, "decision_number").empty()) about.push_back("决定书文号：" + Str(facts, "decision_number"));
    if (!about.empty()) {
      what += "（";
      for (size_t i = 0; i < about.size(); ++i) what += (i == 0 ? "" : "；") + about[i];
      what += "）";
    }
    const std::string result = ResultText(r);
    what += "：" + result + "。";
    if (result != "准予修复" && !Str(r, "reason").empty()) what += "理由：" + ReasonText(Str(r, "reason")) + "。";
    // A day to apply again is told only when it is still to come: a record
    // refused for its obligations, its minimum period long served, is not
    // told a day already past (the obligation is what stands in the way).
    if (std::optional<Date> earliest = DateOf(r, "earliest_application"); earliest && on < *earliest) {
      what += "你单位可自" + ChineseDate(*earliest) + "起就该信息重新申请信用修复。";
      ++dated;
    }
    doc->paragraphs.push_back(what);
  }
  // Several records refused on time grounds: the day they all can be.
  if (std::optional<Date> earliest = DateOf(data, "earliest_application"); earliest && dated > 1 && on < *earliest) {
    doc->paragraphs.push_back("上述因最短公示期未满等时间原因不予受理的信息，你单位可自" + ChineseDate(*earliest) +
                              "起一并重新提出申请。");
  }
  doc->fields.push_back({"申请人", x.applicant});
  doc->fields.push_back({"统一社会信用代码", x.owner->subject});
  if (applied) doc->fields.push_back({"申请日期", ChineseDate(*applied)});
  doc->fields.push_back({"办理结果", OutcomeText(x.owner->outcome)});
  // Revocation: what happened, or what would.
  const policies::RepairRegimeSection* window =
      rules.policies ? workflows::record::RegimeOn(*rules.policies, policies::kPlatformCreditChina, on) : nullptr;
  if (std::optional<Date> revoked = DateOf(data, "revoked_on")) {
    const bool again = data.value("may_apply_again", false);
    doc->paragraphs.push_back(
        "你单位的信用修复已于" + ChineseDate(*revoked) + "因" +
        (Str(data, "revocation_reason") == repair::kFalseMaterials ? std::string("提供虚假材料") : "其他原因") +
        "被撤销，已修复的信息恢复公示。" +
        (again ? "你单位符合条件后，可以重新申请信用修复。" : "依照有关规定，你单位不得再次申请信用修复。"));
  } else if (window != nullptr) {
    doc->paragraphs.push_back(
        std::string(
            "你单位应当对申请材料的真实性负责。经查实提供虚假材料的，将撤销信用修复决定，已修复的信息恢复公示，") +
        (window->reapply_after_revocation ? "你单位符合条件后可以重新申请信用修复。"
                                          : "且你单位不得再次申请信用修复。"));
  }
  doc->paragraphs.push_back("对办理结果有异议的，可以向“信用中国”网站或者认定单位提出。");
  if (!x.kind->remedies.empty()) doc->paragraphs.push_back(x.kind->remedies);
  return Status::Ok();
}

// The day whose regime the document's legal basis follows.
std::optional<Date> RegimeDate(const Case& owner, const std::string& kind) {
  const Json& d = owner.data;
  if (kind == kNotice) return DateOf(d, "notified_on");
  if (kind == kCommitmentLetter) return DateOf(d, "signed_on");
  if (kind == kVerificationReport) return DateOf(d, "verified_on");
  if (kind == kRectificationOrder) return DateOf(d, "ordered_on");
  if (kind == kRepairNotice) {
    if (std::optional<Date> concluded = DateOf(d, "concluded_on")) return concluded;
    if (std::optional<Date> intake = DateOf(d, "intake_on")) return intake;
    return DateOf(d, "applied_on");
  }
  return DateOf(d, "revoked_on");
}

std::string KindsText(const std::vector<std::string>& kinds) {
  if (kinds.empty()) return "none";
  std::string out;
  for (const std::string& k : kinds) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace

const std::vector<std::string>& DocumentKinds() {
  static const std::vector<std::string> kinds = {
      kNotice,          kCommitmentLetter, kVerificationReport, kRectificationOrder, kRevocationDecision,
      kPenaltyReferral, kRepairNotice};
  return kinds;
}

std::string ChineseDate(Date date) {
  return std::to_string(date.year()) + "年" + std::to_string(date.month()) + "月" + std::to_string(date.day()) + "日";
}

Result<std::vector<std::string>> AvailableDocuments(engine::CaseStore& store, const Case& c) {
  std::vector<std::string> available;
  std::map<std::string, std::optional<Case>> owners;  // by workflow
  for (const std::string& kind : DocumentKinds()) {
    const std::string workflow = OwnerWorkflow(kind);
    if (owners.count(workflow) == 0) {
      Result<std::optional<Case>> owner = OwnerOf(store, c, kind);
      if (!owner.ok()) return owner.status();
      owners[workflow] = *std::move(owner);
    }
    const std::optional<Case>& owner = owners[workflow];
    if (owner && Has(*owner, kind)) available.push_back(kind);
  }
  return available;
}

std::string Document::NumberText() const { return preview ? "（未编号）" : number.Text(); }

Result<Document> IssueDocument(engine::CaseStore& store, const engine::RuleBook& rules, const engine::Clock& clock,
                               const Case& c, const std::string& kind, Numbering numbering) {
  const std::vector<std::string>& all = DocumentKinds();
  if (std::find(all.begin(), all.end(), kind) == all.end()) {
    return Status::NotFound("unknown_document", "no document kind '" + kind + "'; the kinds are " + KindsText(all));
  }
  Result<std::optional<Case>> found = OwnerOf(store, c, kind);
  if (!found.ok()) return found.status();
  if (!found->has_value() || !Has(**found, kind)) {
    Result<std::vector<std::string>> available = AvailableDocuments(store, c);
    if (!available.ok()) return available.status();
    return Status::NotFound("document_not_available",
                            "case " + c.id + " has no " + kind + " (yet); available: " + KindsText(*available));
  }
  const Case& owner = **found;

  const Date today = clock.Today();
  const policies::Policy* policy =
      rules.policies ? rules.policies->Select(policies::kDocumentsPolicyId, today) : nullptr;
  const policies::DocumentsSection* section = policy ? policy->Find<policies::DocumentsSection>() : nullptr;
  const policies::DocumentKind* kind_rule = section ? section->FindKind(kind) : nullptr;
  if (kind_rule == nullptr || !section->office) {
    return Status::FailedPrecondition("documents_policy_missing",
                                      "no documents policy in force on " + today.ToString() + " defines " + kind);
  }

  Context x;
  x.owner = &owner;
  x.policy = section;
  x.kind = kind_rule;
  x.type_id = Str(owner.data, "commitment_type");
  const Date regime = RegimeDate(owner, kind).value_or(today);
  for (Date d : {regime, today}) {
    const policies::Policy* catalogue = rules.policies ? rules.policies->Select(commitment::kPolicyId, d) : nullptr;
    x.item = catalogue ? policies::FindCommitmentType(*catalogue, x.type_id) : nullptr;
    if (x.item != nullptr) break;
  }
  x.item_name = x.item ? x.item->name : x.type_id;
  // The applicant's name: the case's, its commitment case's (from the
  // letter), the registered name, else only the credit code.
  x.applicant = Str(owner.data, "applicant_name");
  if (x.applicant.empty()) {
    Result<std::optional<Case>> root = CommitmentOf(store, owner);
    if (!root.ok()) return root.status();
    if (root->has_value()) x.applicant = Str((*root)->data, "applicant_name");
  }
  if (x.applicant.empty()) {
    Result<std::optional<engine::SubjectProfile>> profile = store.GetSubjectProfile(owner.subject);
    if (!profile.ok()) return profile.status();
    if (profile->has_value()) x.applicant = (*profile)->name;
  }
  if (x.applicant.empty()) x.applicant = owner.subject;
  Result<std::vector<engine::Timer>> timers = store.GetTimers(owner.id);
  if (!timers.ok()) return timers.status();
  x.timers = *std::move(timers);

  const policies::LegalBasis* basis =
      section->FindBasis(kind, x.type_id, x.item ? x.item->kind : std::string(), regime);
  if (basis == nullptr) {
    return Status::FailedPrecondition(
        "no_legal_basis",
        "the documents policy " + policy->version + " gives no legal basis for " + kind + " on " + regime.ToString());
  }

  Document doc;
  doc.kind = kind;
  doc.case_id = owner.id;
  doc.office = section->office->name;
  doc.title = kind_rule->title;
  doc.legal_basis = basis->text;
  Status filled = Status::Ok();
  if (kind == kNotice) {
    filled = FillNotice(x, rules, regime, &doc);
  } else if (kind == kCommitmentLetter) {
    filled = FillLetter(x, rules, &doc);
  } else if (kind == kVerificationReport) {
    filled = FillReport(x, rules, &doc);
  } else if (kind == kRectificationOrder) {
    filled = FillOrder(x, &doc);
  } else if (kind == kRevocationDecision) {
    filled = FillRevocation(x, &doc);
  } else if (kind == kRepairNotice) {
    filled = FillRepairNotice(x, store, rules, regime, &doc);
  } else {
    filled = FillReferral(x, &doc);
  }
  if (!filled.ok()) return filled;

  // Numbered last, so that a document that cannot be made takes no number.
  engine::DocumentNumber request;
  request.case_id = owner.id;
  request.kind = kind;
  request.office = section->office->id;
  request.prefix = kind_rule->prefix;
  request.issued_on = today;
  request.issued_at = clock.Now();
  if (numbering == Numbering::kPreview) {
    Result<std::vector<engine::DocumentNumber>> issued = store.GetDocumentNumbers(owner.id);
    if (!issued.ok()) return issued.status();
    auto it =
        std::find_if(issued->begin(), issued->end(), [&](const engine::DocumentNumber& n) { return n.kind == kind; });
    if (it == issued->end()) {
      doc.preview = true;
      request.number = 0;
      request.year = today.year();
      doc.number = request;
    } else {
      doc.number = *it;
    }
  } else {
    Result<engine::DocumentNumber> number = store.IssueDocumentNumber(request);
    if (!number.ok()) return number.status();
    doc.number = *std::move(number);
  }
  doc.date = ChineseDate(doc.number.issued_on);
  if (kind == kCommitmentLetter) {
    doc.signature = {"受理机关：" + doc.office, "收件日期：" + doc.date};
  } else {
    doc.signature = {doc.office, doc.date};
  }
  doc.notes.push_back("案件编号：" + owner.id);
  if (doc.preview) doc.notes.push_back("预览：本文书尚未出具，出具时编号并注明日期。");
  return doc;
}

std::optional<std::string> RepairReasonText(const std::string& code) { return KnownReasonText(code); }

}  // namespace credflow::adapters::documents
