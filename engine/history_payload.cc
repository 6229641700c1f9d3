#include "engine/history_payload.h"

#include "engine/json_fields.h"

namespace credflow::engine {

Json FactsToJson(const SubjectFacts& facts) {
  Json records = Json::array();
  for (const SubjectRecord& r : facts.records) {
    Json one = {{"id", r.id}, {"kind", r.kind}, {"status", r.status}};
    // What a guard may read of a record beyond its kind and status (repair
    // intake reads a dishonesty record's window), so that replay sees it.
    if (!r.case_id.empty()) one["case_id"] = r.case_id;
    if (r.data.is_object() && !r.data.empty()) one["data"] = r.data;
    records.push_back(std::move(one));
  }
  Json j = {{"records", records}};
  if (facts.profile) {
    const SubjectProfile& p = *facts.profile;
    j["profile"] = {{"status", p.status}, {"grade", p.grade}};
  }
  return j;
}

SubjectFacts FactsFromJson(const std::string& subject, const Json& j) {
  SubjectFacts facts;
  facts.subject = subject;
  if (!j.is_object()) return facts;
  if (auto records = j.find("records"); records != j.end() && records->is_array()) {
    for (const Json& r : *records) {
      if (!r.is_object()) continue;
      SubjectRecord rec;
      rec.id = TextOf(r, "id");
      rec.subject = subject;
      rec.kind = TextOf(r, "kind");
      rec.status = TextOf(r, "status");
      rec.case_id = TextOf(r, "case_id");
      if (auto data = r.find("data"); data != r.end() && data->is_object()) rec.data = *data;
      facts.records.push_back(std::move(rec));
    }
  }
  if (auto profile = j.find("profile"); profile != j.end() && profile->is_object()) {
    SubjectProfile p;
    p.code = subject;
    p.status = TextOf(*profile, "status");
    p.grade = TextOf(*profile, "grade");
    facts.profile = std::move(p);
  }
  return facts;
}

Json ChildrenToJson(const std::vector<ChildCase>& children) {
  Json out = Json::array();
  for (const ChildCase& c : children) {
    out.push_back({{"id", c.id},
                   {"workflow", c.workflow},
                   {"state", c.state},
                   {"outcome", c.outcome},
                   {"reason", c.reason},
                   {"department", c.department}});
  }
  return out;
}

std::vector<ChildCase> ChildrenFromJson(const Json& j) {
  std::vector<ChildCase> out;
  if (!j.is_array()) return out;
  for (const Json& c : j) {
    if (!c.is_object()) continue;
    out.push_back({TextOf(c, "id"), TextOf(c, "workflow"), TextOf(c, "state"), TextOf(c, "outcome"),
                   TextOf(c, "reason"), TextOf(c, "department")});
  }
  return out;
}

}  // namespace credflow::engine
