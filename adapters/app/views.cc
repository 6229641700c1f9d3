#include "adapters/app/views.h"

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "engine/deadlines.h"
#include "policies/catalogue.h"
#include "policies/documents.h"
#include "policies/repair_rules.h"
#include "policies/subject_vocabulary.h"
#include "policies/verification_rules.h"
#include "workflows/commitment/commitment_workflow.h"
#include "workflows/commitment/eligibility.h"

namespace credflow::adapters {
namespace {

Json SourcedPeriodJson(const policies::SourcedPeriod& p) {
  return {{"count", p.period.count},
          {"unit", policies::Period::UnitName(p.period.unit)},
          {"extend_over_rest_days", p.extend_over_rest_days},
          {"source", p.source}};
}

Json ActorJson(const engine::Actor& a) { return {{"user", a.user}, {"role", a.role}, {"department", a.department}}; }

// The subject's commitment route as of `today`, or null when no commitment
// policy is in force then.
engine::Result<Json> RouteJson(engine::CaseStore& store, const policies::PolicySet& policies, policies::Date today,
                               const std::string& subject) {
  const policies::Policy* p = policies.Select(workflows::commitment::kPolicyId, today);
  if (p == nullptr) return Json(nullptr);
  engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(subject);
  if (!facts.ok()) return facts.status();
  workflows::commitment::Route route = workflows::commitment::CommitmentRoute(*p, *facts);
  return Json{{"route", route.code()}, {"reason", route.reason}, {"source", route.source}};
}

}  // namespace

Json CaseSummaryJson(const engine::Case& c) {
  return {{"id", c.id},
          {"workflow", c.workflow},
          {"subject", c.subject},
          {"state", c.state},
          {"outcome", c.outcome},
          {"open", !c.closed},
          {"reason", c.reason},
          {"version", c.version},
          {"parent", c.parent_id},
          {"department", c.department},
          {"created_at", engine::FormatOfficeTimestamp(c.created_at)},
          {"updated_at", engine::FormatOfficeTimestamp(c.updated_at)}};
}

engine::Result<Json> DeadlinesJson(engine::CaseStore& store, const std::string& case_id, policies::Date today) {
  engine::Result<std::vector<engine::Timer>> timers = store.GetTimers(case_id);
  if (!timers.ok()) return timers.status();
  Json out = Json::array();
  for (const engine::Timer& t : *timers) {
    if (engine::IsDeliveryTimer(t.name)) continue;  // a delivery, not a deadline
    Json d = {{"name", t.name},
              {"due_on", t.due_on.ToString()},
              {"provisional", t.provisional},
              {"event", t.event},
              {"fires_at", engine::FormatOfficeTimestamp(t.fire_at)},
              {"overdue", t.due_on < today}};
    if (const std::optional<engine::Deadline> counted = engine::DeadlineOf(t.payload, nullptr)) {
      d["counted"] = {{"from", counted->start.ToString()},
                      {"period",
                       {{"count", counted->rule.period.count},
                        {"unit", policies::Period::UnitName(counted->rule.period.unit)},
                        {"extend_over_rest_days", counted->rule.extend_over_rest_days},
                        {"source", counted->rule.source}}},
                      {"calendar", {{"version", counted->calendar_version}, {"hash", counted->calendar_hash}}}};
    }
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

engine::Result<Json> BuildCaseView(engine::CaseStore& store, const engine::WorkflowRegistry& workflows,
                                   const policies::PolicySet& policies, policies::Date today, const engine::Case& c) {
  Json view = CaseSummaryJson(c);
  view["policy"] = {{"id", c.policy.id}, {"version", c.policy.version}, {"hash", c.policy.content_hash}};

  engine::Result<Json> deadlines = DeadlinesJson(store, c.id, today);
  if (!deadlines.ok()) return deadlines.status();
  view["deadlines"] = std::move(*deadlines);
  const engine::WorkflowDefinition* def = workflows.Find(c.workflow);
  view["events_allowed"] = def ? def->EventsAcceptedIn(c.state) : std::vector<std::string>{};

  engine::CaseQuery below;
  below.parent_id = c.id;
  below.limit = 1000;
  engine::Result<std::vector<engine::Case>> children = store.FindCases(below);
  if (!children.ok()) return children.status();
  view["children"] = Json::array();
  for (const engine::Case& child : *children) {
    view["children"].push_back({{"id", child.id},
                                {"workflow", child.workflow},
                                {"state", child.state},
                                {"outcome", child.outcome},
                                {"open", !child.closed}});
  }
  engine::Result<Json> route = RouteJson(store, policies, today, c.subject);
  if (!route.ok()) return route.status();
  view["commitment_route"] = std::move(*route);
  view["data"] = c.data;
  return view;
}

// How often a view is read again when a transition lands while it is read.
constexpr int kViewAttempts = 3;

}  // namespace

engine::Result<Json> CaseView(engine::CaseStore& store, const engine::WorkflowRegistry& workflows,
                              const policies::PolicySet& policies, policies::Date today, const engine::Case& loaded) {
  // The view is read in several statements. Its deadlines and the events it
  // accepts change only with the case's version, so the view is taken again
  // when the version moved while it was read (an optimistic read).
  engine::Case c = loaded;
  for (int attempt = 1;; ++attempt) {
    engine::Result<Json> view = BuildCaseView(store, workflows, policies, today, c);
    if (!view.ok()) return view;
    engine::Result<engine::Case> now = store.GetCase(c.id);
    if (!now.ok()) return now.status();
    if (now->version == c.version || attempt == kViewAttempts) return view;
    c = std::move(*now);
  }
}

Json HistoryEventJson(const engine::HistoryEvent& e) {
  return {{"seq", e.seq},
          {"event", e.event},
          {"from", e.from_state},
          {"to", e.to_state},
          {"actor", ActorJson(e.actor)},
          {"at", engine::FormatOfficeTimestamp(e.at)},
          // The form the hash covers (engine/history.h, CanonicalBytes), so
          // an auditor can recompute it from this answer.
          {"at_utc", engine::FormatTimestamp(e.at)},
          {"payload", e.payload},
          {"policy", {{"id", e.policy.id}, {"version", e.policy.version}, {"hash", e.policy.content_hash}}},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

engine::Result<Json> SubjectView(engine::CaseStore& store, const policies::PolicySet& policies, policies::Date today,
                                 const std::string& code) {
  engine::Result<engine::SubjectFacts> facts = store.GetSubjectFacts(code);
  if (!facts.ok()) return facts.status();
  engine::CaseQuery open;
  open.subject = code;
  open.open_only = true;
  open.limit = 1000;
  engine::Result<std::vector<engine::Case>> cases = store.FindCases(open);
  if (!cases.ok()) return cases.status();
  if (!facts->profile && facts->records.empty() && cases->empty()) {
    return engine::Status::NotFound("subject_not_found", "no subject, record or case for " + code);
  }
  Json view = {{"code", code}};
  if (const auto& p = facts->profile) {
    view["profile"] = {{"name", p->name},
                       {"status", p->status},
                       {"grade", p->grade},
                       {"grade_set_on", p->grade_set_on ? p->grade_set_on->ToString() : ""},
                       {"grade_reason", p->grade_reason},
                       {"grade_source", p->grade_source},
                       {"case", p->case_id},
                       {"updated_at", engine::FormatOfficeTimestamp(p->updated_at)}};
  } else {
    view["profile"] = nullptr;
  }
  // Every grade the subject has had, oldest first, from its case's history
  // (registration with a grade, then each GradeSet: who, when, source, why).
  view["grade_history"] = Json::array();
  if (facts->profile && !facts->profile->case_id.empty()) {
    engine::Result<std::vector<engine::HistoryEvent>> history = store.GetHistory(facts->profile->case_id);
    if (!history.ok()) return history.status();
    for (const engine::HistoryEvent& e : *history) {
      const bool set = e.event == "GradeSet";
      if (!set && e.event != "SubjectRegistered") continue;
      const Json data = e.payload.value("data", Json::object());
      if (!data.is_object() || !data.value("grade", Json()).is_string() || data.value("grade", "").empty()) continue;
      view["grade_history"].push_back({{"grade", data.value("grade", "")},
                                       {"set_on", data.value(set ? "set_on" : "grade_set_on", "")},
                                       {"source", data.value(set ? "source" : "grade_source", "")},
                                       {"reason", data.value(set ? "reason" : "grade_reason", "")},
                                       {"at", engine::FormatOfficeTimestamp(e.at)},
                                       {"actor", ActorJson(e.actor)},
                                       {"seq", e.seq}});
    }
  }
  view["records"] = Json::array();
  for (const engine::SubjectRecord& r : facts->records) {
    view["records"].push_back({{"id", r.id},
                               {"kind", r.kind},
                               {"status", r.status},
                               {"case", r.case_id},
                               {"data", r.data},
                               {"created_at", engine::FormatOfficeTimestamp(r.created_at)},
                               {"updated_at", engine::FormatOfficeTimestamp(r.updated_at)}});
  }
  view["open_cases"] = Json::array();
  for (const engine::Case& c : *cases) view["open_cases"].push_back(CaseSummaryJson(c));
  engine::Result<Json> route = RouteJson(store, policies, today, code);
  if (!route.ok()) return route.status();
  view["commitment_route"] = std::move(*route);
  return view;
}

Json PolicyJson(const policies::Policy& p, bool detail) {
  Json j = {{"id", p.id},
            {"version", p.version},
            {"title", p.title},
            {"authority", p.authority},
            {"source", p.source},
            {"effective_from", p.effective_from.ToString()},
            {"effective_to", p.effective_to ? Json(p.effective_to->ToString()) : Json(nullptr)},
            {"content_hash", p.content_hash}};
  if (!detail) return j;
  // Every section, under the keys the view has always had (empty when the
  // policy has no such section).
  static const policies::CatalogueSection kNoCatalogue;
  static const policies::VerificationSection kNoVerification;
  static const policies::SubjectVocabularySection kNoVocabulary;
  const policies::CatalogueSection* catalogue = p.Find<policies::CatalogueSection>();
  const policies::VerificationSection* verification = p.Find<policies::VerificationSection>();
  const policies::SubjectVocabularySection* vocabulary = p.Find<policies::SubjectVocabularySection>();
  if (catalogue == nullptr) catalogue = &kNoCatalogue;
  if (verification == nullptr) verification = &kNoVerification;
  if (vocabulary == nullptr) vocabulary = &kNoVocabulary;
  Json types = Json::array();
  for (const policies::CommitmentType& t : catalogue->types) {
    types.push_back({{"id", t.id},
                     {"name", t.name},
                     {"kind", t.kind},
                     {"form", t.form_id},
                     {"authority", t.authority},
                     {"decision", t.decision},
                     {"publication", t.publication ? SourcedPeriodJson(*t.publication) : Json(nullptr)},
                     {"legal_basis", t.legal_basis},
                     {"source", t.source}});
  }
  Json rules = Json::array();
  for (const policies::VerificationRule& r : verification->rules) {
    rules.push_back({{"commitment_type", r.commitment_type},
                     {"window", SourcedPeriodJson(r.window)},
                     {"method", r.method},
                     {"mode", r.mode},
                     {"rectification", SourcedPeriodJson(r.rectification)},
                     {"source", r.source}});
  }
  Json blocks = Json::array();
  for (const policies::EligibilityBlock& b : catalogue->eligibility_blocks) {
    Json block = {{"record_kind", b.record_kind}, {"reason", b.reason}, {"source", b.source}};
    if (!b.tier.empty()) block["tier"] = b.tier;
    blocks.push_back(std::move(block));
  }
  j["commitment_types"] = std::move(types);
  j["verification_rules"] = std::move(rules);
  j["eligibility_blocks"] = std::move(blocks);
  if (const std::optional<policies::SamplingRule>& sampling = verification->sampling) {
    Json grades = Json::array();
    for (const policies::GradeSampling& g : sampling->grades) {
      grades.push_back({{"grade", g.grade},
                        {"ratio", g.ratio},
                        {"draw", g.draw},
                        {"max_per_cycle", g.max_per_cycle ? Json(*g.max_per_cycle) : Json(nullptr)},
                        {"source", g.source}});
    }
    j["sampling"] = {{"cycle", sampling->cycle},
                     {"default_grade", sampling->default_grade},
                     {"grades", std::move(grades)},
                     {"source", sampling->source}};
  }
  if (const std::optional<policies::FalseCommitmentRule>& fc = verification->false_commitment) {
    j["false_commitment"] = {{"order_basis", fc->order_basis},
                             {"record_source", fc->record_source},
                             {"referral_source", fc->referral_source},
                             {"source", fc->source}};
  }
  Json grades = Json::array();
  for (const policies::RiskGradeDefinition& g : vocabulary->risk_grades) {
    grades.push_back({{"value", g.value}, {"name", g.name}, {"source", g.source}});
  }
  Json statuses = Json::array();
  for (const policies::SubjectStatusDefinition& s : vocabulary->subject_statuses) {
    statuses.push_back({{"value", s.value}, {"name", s.name}, {"source", s.source}});
  }
  j["risk_grades"] = std::move(grades);
  j["subject_statuses"] = std::move(statuses);
  if (const policies::DocumentsSection* documents = p.Find<policies::DocumentsSection>()) {
    Json kinds = Json::array();
    for (const policies::DocumentKind& k : documents->kinds) {
      kinds.push_back({{"kind", k.kind},
                       {"title", k.title},
                       {"prefix", k.prefix},
                       {"addressee", k.addressee},
                       {"remedies", k.remedies},
                       {"source", k.source}});
    }
    Json bases = Json::array();
    for (const policies::LegalBasis& b : documents->bases) {
      bases.push_back({{"document", b.document},
                       {"commitment_type", b.commitment_type},
                       {"commitment_kind", b.commitment_kind},
                       {"from", b.from.ToString()},
                       {"to", b.to ? Json(b.to->ToString()) : Json(nullptr)},
                       {"text", b.text},
                       {"source", b.source}});
    }
    const std::optional<policies::IssuingOffice>& office = documents->office;
    j["documents"] = {{"office", office ? Json{{"id", office->id},
                                               {"name", office->name},
                                               {"province", office->province},
                                               {"source", office->source}}
                                        : Json(nullptr)},
                      {"kinds", std::move(kinds)},
                      {"legal_bases", std::move(bases)},
                      {"provisional_note", documents->provisional_note},
                      {"provisional_note_source", documents->provisional_note_source}};
  }
  if (const policies::RepairRegimeSection* regime = p.Find<policies::RepairRegimeSection>()) {
    // What a deciding department's console offers when it denies.
    Json reasons = Json::array();
    for (const policies::DenialReason& r : regime->denial_reasons) {
      reasons.push_back({{"code", r.code}, {"label", r.label}, {"source", r.source}});
    }
    j["repair_regime"] = {{"platform", regime->platform},
                          {"regime", regime->regime},
                          {"title", regime->title},
                          {"denial_reasons", std::move(reasons)}};
  }
  return j;
}

Json EventDataSchema(const engine::EventSpec& spec) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const forms::FieldDefinition& f : spec.schema.fields) {
    Json p;
    switch (f.type) {
      case forms::FieldType::kBoolean: p["type"] = "boolean"; break;
      case forms::FieldType::kInteger: p["type"] = "integer"; break;
      case forms::FieldType::kNumber: p["type"] = "number"; break;
      case forms::FieldType::kStringList:
      case forms::FieldType::kEnumList: p["type"] = "array"; break;
      default: p["type"] = "string"; break;
    }
    if (f.type == forms::FieldType::kDate) p["format"] = "date";
    if (f.type == forms::FieldType::kCreditCode) p["pattern"] = "^[0-9A-HJ-NP-RTUWXY]{18}$";
    Json values = Json::array();
    for (const forms::FieldOption& o : f.options) values.push_back(o.value);
    if (f.type == forms::FieldType::kEnum) p["enum"] = values;
    if (f.type == forms::FieldType::kEnumList) p["items"] = {{"type", "string"}, {"enum", values}};
    if (f.type == forms::FieldType::kStringList) p["items"] = {{"type", "string"}};
    if (f.max_length) p["maxLength"] = *f.max_length;
    if (f.min) p["minimum"] = *f.min;
    if (f.max) p["maximum"] = *f.max;
    if (!f.pattern.empty()) p["pattern"] = f.pattern;
    if (f.affirmed) p["const"] = true;
    properties[f.name] = std::move(p);
    if (f.required) required.push_back(f.name);
  }
  for (const engine::NestedMember& n : spec.nested) {
    properties[n.name] = n.kind == engine::NestedMember::Kind::kForm
                             ? Json{{"type", "object"}, {"description", "the fields of the event's form"}}
                             : Json{{"type", "object"}, {"description", "built by the engine"}};
    if (n.required) required.push_back(n.name);
  }
  Json schema = {{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  return schema;
}

Json EventJson(const engine::EventSpec& spec) {
  Json j = {{"name", spec.name},
            {"origin", engine::OriginName(spec.origin)},
            {"roles", spec.roles},
            {"description", spec.description},
            {"data", EventDataSchema(spec)}};
  if (spec.reads_children) j["reads_children"] = true;
  return j;
}

Json WorkflowJson(const engine::WorkflowDefinition& def) {
  Json states = Json::array();
  for (const std::string& s : def.states()) {
    states.push_back(
        {{"name", s}, {"outcome", def.OutcomeOf(s)}, {"initial", s == def.initial_state()}, {"final", def.IsFinal(s)}});
  }
  Json transitions = Json::array();
  for (const engine::TransitionInfo& t : def.transitions()) {
    transitions.push_back(
        {{"from", t.from}, {"event", t.event}, {"to", t.to}, {"action", t.action}, {"guard", t.guard}});
  }
  Json events = Json::array();
  for (const engine::EventSpec& spec : def.events()) events.push_back(EventJson(spec));
  return {{"name", def.name()},          {"definition_version", def.version()},
          {"policy", def.policy_id()},   {"states", std::move(states)},
          {"events", std::move(events)}, {"transitions", std::move(transitions)}};
}

Json FormJson(const forms::FormDefinition& form) {
  static const std::map<forms::FieldType, const char*> kTypeNames = {
      {forms::FieldType::kString, "string"},      {forms::FieldType::kText, "text"},
      {forms::FieldType::kDate, "date"},          {forms::FieldType::kBoolean, "boolean"},
      {forms::FieldType::kInteger, "integer"},    {forms::FieldType::kNumber, "number"},
      {forms::FieldType::kEnum, "enum"},          {forms::FieldType::kStringList, "string_list"},
      {forms::FieldType::kEnumList, "enum_list"}, {forms::FieldType::kCreditCode, "credit_code"}};
  Json fields = Json::array();
  for (const forms::FieldDefinition& f : form.fields) {
    Json options = Json::array();
    for (const forms::FieldOption& o : f.options) options.push_back({{"value", o.value}, {"label", o.label}});
    fields.push_back({{"name", f.name},
                      {"label", f.label},
                      {"type", kTypeNames.at(f.type)},
                      {"required", f.required},
                      {"pattern", f.pattern.empty() ? Json(nullptr) : Json(f.pattern)},
                      {"min", f.min ? Json(*f.min) : Json(nullptr)},
                      {"max", f.max ? Json(*f.max) : Json(nullptr)},
                      {"max_length", f.max_length ? Json(*f.max_length) : Json(nullptr)},
                      {"affirmed", f.affirmed},
                      {"options", std::move(options)}});
  }
  return {{"id", form.id}, {"version", form.version}, {"title", form.title}, {"fields", std::move(fields)}};
}

std::string WorkflowDot(const engine::WorkflowDefinition& def) {
  auto quote = [](const std::string& s) { return "\"" + s + "\""; };
  std::ostringstream out;
  out << "digraph " << quote(def.name()) << " {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
  out << "  __start [shape=point];\n  __start -> " << quote(def.initial_state()) << ";\n";
  for (const std::string& s : def.states()) {
    out << "  " << quote(s) << " [label=" << quote(s + "\\n(" + def.OutcomeOf(s) + ")")
        << (def.IsFinal(s) ? ", peripheries=2" : "") << "];\n";
  }
  for (const engine::TransitionInfo& t : def.transitions()) {
    std::string label = t.event;
    if (t.guard != "none") label += "\\n[" + t.guard + "]";
    if (t.action != "none") label += "\\n/ " + t.action;
    out << "  " << quote(t.from) << " -> " << quote(t.to) << " [label=" << quote(label) << "];\n";
  }
  out << "}\n";
  return out.str();
}

namespace {

std::string TextIn(const Json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : "";
}

void CopyMembers(const Json& from, std::initializer_list<const char*> keys, Json* to) {
  for (const char* key : keys) {
    if (auto it = from.find(key); it != from.end() && !it->is_null()) (*to)[key] = *it;
  }
}

// Working days from `today` to `due`: positive while due, negative once
// passed, 0 on the due date; nullopt where the calendar does not know a day.
std::optional<int> WorkingDaysLeft(const policies::WorkingCalendar& calendar, policies::Date today,
                                   policies::Date due) {
  constexpr int kMaxSpan = 800;  // working days; a task is never this far off
  const bool ahead = today < due;
  policies::Date from = ahead ? today : due;
  const policies::Date to = ahead ? due : today;
  // The working days in (from, to], counted on the provisional calendar of
  // a year whose notice is not out yet (as the deadline itself was).
  int count = 0;
  for (; count < kMaxSpan; ++count) {
    const std::optional<policies::CalendarDay> next = calendar.AddWorkingDays(from, 1, to.year());
    if (!next) return std::nullopt;
    if (to < next->date) break;
    from = next->date;
  }
  return ahead ? count : -count;
}

}  // namespace

engine::Result<Json> SubjectRecordsView(engine::CaseStore& store, const std::string& code) {
  engine::CaseQuery q;
  q.subject = code;
  q.workflow = "dishonesty_record";
  q.limit = 1000;
  engine::Result<std::vector<engine::Case>> cases = store.FindCases(q);
  if (!cases.ok()) return cases.status();
  std::vector<engine::Case> sorted = *cases;
  std::stable_sort(sorted.begin(), sorted.end(), [](const engine::Case& a, const engine::Case& b) {
    return TextIn(a.data, "decided_on") < TextIn(b.data, "decided_on");
  });
  Json items = Json::array();
  for (const engine::Case& c : sorted) {
    Json item = {{"id", c.id}, {"state", c.state}, {"outcome", c.outcome}, {"published", c.outcome == "published"}};
    CopyMembers(c.data,
                {"kind",
                 "platform",
                 "department",
                 "department_name",
                 "tier",
                 "penalties",
                 "amount",
                 "sector",
                 "violation",
                 "decision_number",
                 "decided_on",
                 "published_on",
                 "restriction_until",
                 "regime",
                 "regime_title",
                 "window_source",
                 "earliest_repair",
                 "publication_ends",
                 "repairable",
                 "refusal",
                 "escalates_on",
                 "obligations_fulfilled",
                 "obligations_fulfilled_on",
                 "repaired_on",
                 "repair_kind",
                 "repair_case",
                 "stop_publication_due",
                 "expired_on"},
                &item);
    items.push_back(std::move(item));
  }
  return Json{{"subject", code}, {"records", std::move(items)}};
}

engine::Result<Json> RepairView(engine::CaseStore& store, const engine::Case& c,
                                const policies::WorkingCalendar* calendar, std::optional<policies::Date> today) {
  if (c.workflow != "repair") {
    return engine::Status::InvalidArgument("not_a_repair",
                                           "case " + c.id + " is a " + c.workflow + " case, not a repair application");
  }
  Json out = CaseSummaryJson(c);
  CopyMembers(
      c.data,
      {"applied_on", "applicant_name", "grounds", "records", "documents", "missing_documents", "earliest_application",
       "intake", "results", "concluded_on", "revoked_on", "revocation_reason", "may_apply_again"},
      &out);
  engine::CaseQuery q;
  q.parent_id = c.id;
  q.workflow = "repair_task";
  q.limit = 1000;
  engine::Result<std::vector<engine::Case>> tasks = store.FindCases(q);
  if (!tasks.ok()) return tasks.status();
  Json items = Json::array();
  for (const engine::Case& t : *tasks) {
    Json item = {{"id", t.id},           {"department", t.department}, {"state", t.state},
                 {"outcome", t.outcome}, {"reason", t.reason},         {"overdue", t.data.value("overdue", false)}};
    CopyMembers(t.data,
                {"record", "due_on", "accepted_on", "decided_on", "decision", "regime", "decision_limit", "extended",
                 "overdue_since"},
                &item);
    engine::Result<std::vector<engine::Timer>> timers = store.GetTimers(t.id);
    if (!timers.ok()) return timers.status();
    bool provisional = false;
    for (const engine::Timer& tm : *timers) provisional = provisional || tm.provisional;
    item["provisional"] = provisional;
    const std::optional<policies::Date> due_on = policies::Date::Parse(TextIn(t.data, "due_on"));
    if (calendar != nullptr && today && due_on && !t.closed) {
      if (std::optional<int> left = WorkingDaysLeft(*calendar, *today, *due_on)) item["working_days_left"] = *left;
    }
    items.push_back(std::move(item));
  }
  out["tasks"] = std::move(items);
  return out;
}

engine::Result<Json> DepartmentInbox(engine::CaseStore& store, const policies::WorkingCalendar& calendar,
                                     policies::Date today, const std::string& department, int limit) {
  engine::CaseQuery q;
  q.department = department;
  q.open_only = true;
  q.limit = 5000;  // an inbox is sorted as a whole; a department's open tasks are few
  engine::Result<std::vector<engine::Case>> cases = store.FindCases(q);
  if (!cases.ok()) return cases.status();
  Json items = Json::array();
  for (const engine::Case& c : *cases) {
    Json item = CaseSummaryJson(c);
    const std::string due = TextIn(c.data, "due_on");
    const std::optional<policies::Date> due_on = policies::Date::Parse(due);
    const bool overdue = c.data.value("overdue", false) || (due_on && *due_on < today);
    item["overdue"] = overdue;
    if (due_on) {
      item["due_on"] = due;
      if (std::optional<int> left = WorkingDaysLeft(calendar, today, *due_on)) item["working_days_left"] = *left;
    }
    CopyMembers(c.data,
                {"application", "record", "kind", "platform", "tier", "penalties", "decided_on", "decision_number",
                 "department_name", "regime", "decision_limit", "extended", "accepted_on", "visit", "cycle", "grounds",
                 "joint", "departments"},
                &item);
    items.push_back(std::move(item));
  }
  std::vector<Json> sorted(items.begin(), items.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const Json& a, const Json& b) {
    const bool ao = a.value("overdue", false), bo = b.value("overdue", false);
    if (ao != bo) return ao;
    const std::string ad = a.value("due_on", "9999-12-31"), bd = b.value("due_on", "9999-12-31");
    return ad < bd;
  });
  if (static_cast<int>(sorted.size()) > limit) sorted.resize(limit);
  // A due date on a year whose calendar notice is not out yet: read for the
  // page's items only (an inbox may hold thousands of open tasks).
  for (Json& item : sorted) {
    engine::Result<std::vector<engine::Timer>> timers = store.GetTimers(item.value("id", ""));
    if (!timers.ok()) return timers.status();
    bool provisional = false;
    for (const engine::Timer& tm : *timers) provisional = provisional || tm.provisional;
    item["provisional"] = provisional;
  }
  return Json{{"department", department}, {"today", today.ToString()}, {"items", sorted}};
}

}  // namespace credflow::adapters
