#include "engine/deadlines.h"

#include <utility>

#include "engine/authorization.h"
#include "engine/history.h"
#include "engine/json_fields.h"
#include "policies/calendar_rules.h"

namespace credflow::engine {
namespace {

// How many provisional timers are read per page.
constexpr int kPage = 200;

Json CalendarJson(const std::string& version, const std::string& hash) {
  return {{"version", version}, {"hash", hash}};
}

// The recount of one deadline, in one transaction.
enum class Outcome { kMoved, kConfirmed, kStillProvisional, kUnchanged };

Status RecountOne(StoreTransaction& tx, const Timer& stored, const Deadline& before, const std::string& field,
                  const Deadline& after, Timestamp now, Outcome* outcome) {
  Timer t = stored;
  t.provisional = after.provisional;
  t.payload["deadline"] = DeadlinePayload(after, field)["deadline"];
  if (after.last == before.last) {
    *outcome = after.provisional ? Outcome::kStillProvisional : Outcome::kConfirmed;
    return tx.UpdateTimer(t);
  }
  *outcome = Outcome::kMoved;
  Result<Case> loaded = tx.LoadCase(stored.case_id);
  if (!loaded.ok()) return loaded.status();
  Case c = std::move(*loaded);
  const int64_t expected = c.version;

  HistoryEvent h;
  h.case_id = c.id;
  h.seq = c.version + 1;
  h.event = kDeadlineRecomputedEvent;
  h.from_state = c.state;
  h.to_state = c.state;
  h.actor = SystemActor();
  h.at = now;
  h.payload = {{"timer", stored.name},
               {"event", stored.event},
               {"field", field},
               {"old_due_on", before.last.ToString()},
               {"new_due_on", after.last.ToString()},
               {"provisional", after.provisional},
               {"old_calendar", CalendarJson(before.calendar_version, before.calendar_hash)},
               {"new_calendar", CalendarJson(after.calendar_version, after.calendar_hash)},
               {"channel", "engine"}};
  h.policy = c.policy;
  h.prev_hash = c.history_head;
  h.hash = ComputeHash(h);

  if (!field.empty()) CREDFLOW_RETURN_IF_ERROR(SetDeadlineField(&c.data, field, after.last));
  c.version = h.seq;
  c.history_head = h.hash;
  c.updated_at = now;

  // The timer keeps its distance from the last day (the start of the next
  // day, for every deadline the workflows arm).
  const int64_t shift = after.last.days_since_epoch() - before.last.days_since_epoch();
  t.due_on = after.last;
  t.fire_at = t.fire_at + std::chrono::hours(24 * shift);

  CREDFLOW_RETURN_IF_ERROR(tx.UpdateCase(c, expected));
  CREDFLOW_RETURN_IF_ERROR(tx.AppendHistory(h));
  CREDFLOW_RETURN_IF_ERROR(tx.UpdateTimer(t));
  const Json notice = {{"timer", stored.name},
                       {"old_due_on", before.last.ToString()},
                       {"new_due_on", after.last.ToString()},
                       {"provisional", after.provisional}};
  CREDFLOW_RETURN_IF_ERROR(tx.PutNotice(Notice{NewId(now), c.id, "caseworker", "deadline.recomputed", notice, now}));
  if (!c.department.empty()) {
    CREDFLOW_RETURN_IF_ERROR(
        tx.PutNotice(Notice{NewId(now), c.id, "department:" + c.department, "deadline.recomputed", notice, now}));
  }
  return Status::Ok();
}

}  // namespace

Status SetDeadlineField(Json* data, const std::string& field, policies::Date last) {
  try {
    (*data)[Json::json_pointer(field)] = last.ToString();
  } catch (const Json::exception& e) {
    return Status::Internal("deadline field '" + field + "' cannot be written: " + e.what());
  }
  return Status::Ok();
}

SetTimer ArmDeadline(std::string name, std::string event, const Deadline& deadline, std::string field) {
  SetTimer timer{std::move(name),     std::move(event), deadline.last, std::nullopt, DeadlinePayload(deadline, field),
                 deadline.provisional};
  return timer;
}

Json DeadlinePayload(const Deadline& d, const std::string& field) {
  return {{"deadline",
           {{"field", field},
            {"start", d.start.ToString()},
            {"count", d.rule.period.count},
            {"unit", policies::Period::UnitName(d.rule.period.unit)},
            {"extend_over_rest_days", d.rule.extend_over_rest_days},
            {"source", d.rule.source},
            {"last", d.last.ToString()},
            {"provisional", d.provisional},
            {"calendar", CalendarJson(d.calendar_version, d.calendar_hash)}}}};
}

std::optional<Deadline> DeadlineOf(const Json& timer_payload, std::string* field) {
  const Json d = ObjectOf(timer_payload, "deadline");
  const std::optional<policies::Date> start = policies::Date::Parse(TextOf(d, "start"));
  const std::optional<policies::Date> last = policies::Date::Parse(TextOf(d, "last"));
  const std::optional<policies::Period::Unit> unit = policies::Period::ParseUnit(TextOf(d, "unit"));
  auto count = d.find("count");
  if (!start || !last || !unit || count == d.end() || !count->is_number_integer() || count->get<int>() < 0) {
    return std::nullopt;
  }
  Deadline out;
  out.start = *start;
  out.last = *last;
  out.rule.period = policies::Period{count->get<int>(), *unit};
  auto extend = d.find("extend_over_rest_days");
  out.rule.extend_over_rest_days = extend != d.end() && extend->is_boolean() && extend->get<bool>();
  out.rule.source = TextOf(d, "source");
  auto provisional = d.find("provisional");
  out.provisional = provisional != d.end() && provisional->is_boolean() && provisional->get<bool>();
  const Json calendar = ObjectOf(d, "calendar");
  out.calendar_version = TextOf(calendar, "version");
  out.calendar_hash = TextOf(calendar, "hash");
  if (field != nullptr) *field = TextOf(d, "field");
  return out;
}

Result<RecountReport> RecountProvisionalDeadlines(CaseStore& store, const RuleBook& rules, const Clock& clock) {
  RecountReport report;
  const policies::WorkingCalendar& calendar = *rules.calendar;
  const int through = policies::ProvisionalThroughYear(*rules.policies, clock.Today());
  std::string after_id;
  for (;;) {
    Result<std::vector<Timer>> page = store.ListProvisionalTimers(after_id, kPage);
    if (!page.ok()) return page.status();
    for (const Timer& timer : *page) {
      std::string field;
      const std::optional<Deadline> before = DeadlineOf(timer.payload, &field);
      if (!before) {
        report.problems.push_back("timer " + timer.id + " of case " + timer.case_id +
                                  " is provisional but does not say how it was counted");
        ++report.left;
        continue;
      }
      if (before->calendar_hash == calendar.content_hash()) continue;  // counted on this calendar already
      ++report.examined;
      const std::optional<policies::CalendarDay> day =
          calendar.LastDay(before->start, before->rule.period, before->rule.extend_over_rest_days, through);
      if (!day) {
        report.problems.push_back("case " + timer.case_id + ", deadline " + timer.name +
                                  ": the calendar no longer covers it (left as it was)");
        ++report.left;
        continue;
      }
      Deadline after = *before;
      after.last = day->date;
      after.provisional = day->provisional;
      after.calendar_version = calendar.version();
      after.calendar_hash = calendar.content_hash();
      Outcome outcome = Outcome::kUnchanged;
      const Status st = store.RunInTransaction(
          [&](StoreTransaction& tx) { return RecountOne(tx, timer, *before, field, after, clock.Now(), &outcome); });
      if (!st.ok()) {
        report.problems.push_back("case " + timer.case_id + ", deadline " + timer.name + ": " + st.ToString());
        ++report.left;
        continue;
      }
      switch (outcome) {
        case Outcome::kMoved: ++report.moved; break;
        case Outcome::kConfirmed: ++report.confirmed; break;
        case Outcome::kStillProvisional: ++report.still_provisional; break;
        case Outcome::kUnchanged: break;
      }
    }
    if (static_cast<int>(page->size()) < kPage) break;
    after_id = page->back().id;
  }
  return report;
}

}  // namespace credflow::engine
