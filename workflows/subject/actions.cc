#include "workflows/subject/actions.h"

#include <optional>
#include <string>

#include "policies/subject_vocabulary.h"
#include "workflows/common/action_helpers.h"
#include "workflows/subject/guards.h"
#include "workflows/subject/subject_workflow.h"

namespace credflow::workflows::subject {
namespace {

using engine::Json;

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// Where an event's data keep the parts of a grade.
struct GradeKeys {
  const char* grade;
  const char* reason;
  const char* set_on;
  const char* source;
};
constexpr GradeKeys kGradeSetKeys{"grade", "reason", "set_on", "source"};
constexpr GradeKeys kRegistrationKeys{"grade", "grade_reason", "grade_set_on", "grade_source"};

// A grade the pinned policy lists, a known source, text for a reason, and a
// date (if given) that is real and not after today.
bool IsValidGrade(const Json& data, const GradeKeys& keys, const MachineBase& m) {
  const std::optional<std::string> grade = TextField(data, keys.grade);
  const std::optional<std::string> reason = TextField(data, keys.reason);
  const std::optional<std::string> set_on = TextField(data, keys.set_on);
  const std::optional<std::string> source = TextField(data, keys.source);
  if (!grade || !reason || !set_on || !source) return false;
  if (policies::FindRiskGrade(*m.context->policy, *grade) == nullptr || !IsGradeSource(*source)) return false;
  // The monthly recomputation is the engine's: a person may not claim it.
  if (*source == kGradeSourceRecompute && m.context->channel == engine::Channel::kPerson) return false;
  if (set_on->empty()) return true;
  const std::optional<policies::Date> date = policies::Date::Parse(*set_on);
  return date.has_value() && *date <= m.context->today;
}

// Publishes the subject as the case data now describe it.
void PublishProfile(MachineBase& m) {
  const engine::Case& c = *m.context->current;
  m.output->effects.push_back(engine::PublishProfile(ProfileFromCaseData(c.subject, c.id, m.output->data)));
}

// Writes grade, date (given or today), reason and source into the case data.
void WriteGrade(MachineBase& m, const std::string& grade, const std::string& set_on, const std::string& reason,
                const std::string& source) {
  Json& data = m.output->data;
  data["grade"] = grade;
  data["grade_set_on"] = set_on.empty() ? Today(m) : set_on;
  data["grade_reason"] = reason;
  data["grade_source"] = source;
}

}  // namespace

bool IsRegistrationValid(const EventBase& e, const MachineBase& m) {
  const Json& data = e.data();
  const std::optional<std::string> name = TextField(data, "name");
  const std::optional<std::string> status = TextField(data, "status");
  const std::optional<std::string> grade = TextField(data, "grade");
  if (!name || !status || !grade || IsBlank(*name)) return false;
  if (policies::FindSubjectStatus(*m.context->policy, *status) == nullptr) return false;
  if (!grade->empty()) return IsValidGrade(data, kRegistrationKeys, m);
  // No grade: then no grade reason or date either.
  const std::optional<std::string> reason = TextField(data, kRegistrationKeys.reason);
  const std::optional<std::string> set_on = TextField(data, kRegistrationKeys.set_on);
  return reason && set_on && reason->empty() && set_on->empty();
}

bool IsGradeInPolicy(const EventBase& e, const MachineBase& m) { return IsValidGrade(e.data(), kGradeSetKeys, m); }

bool IsStatusInPolicy(const EventBase& e, const MachineBase& m) {
  const std::optional<std::string> status = TextField(e.data(), "status");
  const std::optional<std::string> reason = TextField(e.data(), "reason");
  return status && reason && policies::FindSubjectStatus(*m.context->policy, *status) != nullptr;
}

bool IsNameGiven(const EventBase& e) {
  const std::optional<std::string> name = TextField(e.data(), "name");
  return name && !IsBlank(*name);
}

void RecordRegistrationOf(const EventBase& e, MachineBase& m) {
  const Json& in = e.data();
  Json& data = m.output->data;
  data["name"] = *TextField(in, "name");
  data["status"] = *TextField(in, "status");
  data["registered_on"] = Today(m);
  const std::string grade = *TextField(in, "grade");
  if (!grade.empty()) {
    WriteGrade(m, grade, *TextField(in, kRegistrationKeys.set_on), *TextField(in, kRegistrationKeys.reason),
               *TextField(in, kRegistrationKeys.source));
  }
  PublishProfile(m);
}

void RecordGradeOf(const EventBase& e, MachineBase& m) {
  const Json& in = e.data();
  WriteGrade(m, *TextField(in, kGradeSetKeys.grade), *TextField(in, kGradeSetKeys.set_on),
             *TextField(in, kGradeSetKeys.reason), *TextField(in, kGradeSetKeys.source));
  PublishProfile(m);
}

void RecordStatusOf(const EventBase& e, MachineBase& m) {
  Json& data = m.output->data;
  data["status"] = *TextField(e.data(), "status");
  data["status_changed_on"] = Today(m);
  data["status_reason"] = *TextField(e.data(), "reason");
  PublishProfile(m);
}

void RecordNameOf(const EventBase& e, MachineBase& m) {
  m.output->data["name"] = *TextField(e.data(), "name");
  PublishProfile(m);
}

}  // namespace credflow::workflows::subject
