// CaseService: the commands (Open, Fire, Raise) and the one path every
// command takes (RunCommand). Opening and firing are in transition.cc,
// effects and the join in effects.cc, the timers in timer_firing.cc.
#include "engine/case_service.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "engine/idempotency.h"

namespace credflow::engine {
namespace {

// How often a command that lost a race is run again.
constexpr int kMaxLostRaces = 5;

Json Describe(const OpenCaseRequest& r) {
  Json events = Json::array();
  for (const EventInput& e : r.events) events.push_back({{"event", e.name}, {"data", e.data}});
  return {{"op", "open"},          {"workflow", r.workflow},
          {"subject", r.subject},  {"data", r.data},
          {"parent", r.parent_id}, {"relevant_date", r.relevant_date ? r.relevant_date->ToString() : ""},
          {"events", events}};
}

Json Describe(const FireEventRequest& r) {
  return {{"op", "fire"},
          {"case", r.case_id},
          {"event", r.event.name},
          {"data", r.event.data},
          {"expected_version", r.expected_version ? *r.expected_version : -1}};
}

// A race lost to a concurrent write on the same case or key: running the
// command again may succeed.
bool LostRace(const Status& st) {
  return st.IsConflict() || st.reason() == "idempotency_key_exists" || st.reason() == "case_exists";
}

// The command's own result, or the first answer under its key.
Result<CommandResult> ResultOf(Result<CommandAnswer> answer, CommandResult fresh) {
  if (!answer.ok()) return answer.status();
  if (!answer->replayed) return fresh;
  CommandResult replayed = CommandResult::FromJson(answer->body);
  replayed.replayed = true;
  return replayed;
}

}  // namespace

std::string NewRandomId() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string NewId(Timestamp at) {
  thread_local boost::uuids::random_generator generator;
  boost::uuids::uuid id = generator();  // version 4: random, variant 10
  const auto ms = static_cast<uint64_t>(
      std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count()));
  for (int i = 0; i < 6; ++i) id.data[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  id.data[6] = static_cast<uint8_t>((id.data[6] & 0x0F) | 0x70);  // version 7
  return boost::uuids::to_string(id);
}

CaseService::CaseService(CaseStore* store, const WorkflowRegistry* workflows, RuleBook rules, const Clock* clock)
    : store_(store), workflows_(workflows), rules_(rules), clock_(clock) {}

Status CaseService::RunObserved(const std::function<Status(UnitOfWork&)>& fn) {
  std::vector<std::string> written;
  std::optional<Timestamp> earliest_timer;
  Status st = store_->RunOptimistic([&](StoreTransaction& tx) -> Status {
    UnitOfWork work(&tx);  // anew on every attempt the store makes
    CREDFLOW_RETURN_IF_ERROR(fn(work));
    CREDFLOW_RETURN_IF_ERROR(work.Flush());
    written = work.HistoryWorkflows();
    earliest_timer = work.EarliestTimer();
    return Status::Ok();
  });
  if (st.ok() && commit_observer_ && !written.empty()) commit_observer_(written);
  if (st.ok() && due_timer_observer_ && earliest_timer && *earliest_timer <= clock_->Now()) due_timer_observer_();
  return st;
}

Result<CommandAnswer> CaseService::RunCommand(const CommandOptions& options,
                                              const std::function<Status(UnitOfWork&, Json* body)>& command) {
  const std::string& key = options.idempotency_key;
  const std::string hash = RequestHash(key, options.describe);
  CommandAnswer answer;
  auto answer_from_store = [&](StoreTransaction& tx, bool* found) -> Status {
    *found = false;
    Result<std::optional<Json>> stored = FindAnswer(tx, key, hash);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return Status::Ok();
    answer = CommandAnswer{std::move(**stored), true};
    *found = true;
    return Status::Ok();
  };

  Status st;
  for (int attempt = 0; attempt <= kMaxLostRaces; ++attempt) {
    st = RunObserved([&](UnitOfWork& tx) -> Status {
      answer = CommandAnswer{};
      if (!key.empty()) {
        bool found = false;
        CREDFLOW_RETURN_IF_ERROR(answer_from_store(tx, &found));
        if (found) return Status::Ok();  // nothing written
      }
      CREDFLOW_RETURN_IF_ERROR(command(tx, &answer.body));
      if (!key.empty()) {
        const std::string case_id = answer.body.is_object() && answer.body.value("id", Json()).is_string()
                                        ? answer.body["id"].get<std::string>()
                                        : std::string();
        CREDFLOW_RETURN_IF_ERROR(KeepAnswer(tx, key, hash, case_id, answer.body));
      }
      return Status::Ok();
    });
    if (st.ok()) return answer;
    if (st.reason() == "idempotency_key_reused") return st;
    if (!key.empty()) {
      // A keyed command that failed may have lost a race to the same
      // command under the same key (a version conflict, a duplicate key,
      // or, under READ COMMITTED, the winner's new state refusing the
      // event): then answer with the winner's result. Never apply the
      // command twice.
      bool found = false;
      Status lookup = store_->RunInTransaction([&](StoreTransaction& tx) { return answer_from_store(tx, &found); });
      if (!lookup.ok()) return lookup;
      if (found) return answer;
    }
    if (!options.retry_lost_races || !LostRace(st)) break;
  }
  return st;
}

Result<CommandResult> CaseService::OpenCommand(const OpenCaseRequest& request, Channel channel) {
  CommandOptions options;
  options.idempotency_key = request.idempotency_key;
  if (!request.idempotency_key.empty()) options.describe = Describe(request);
  CommandResult result;
  Result<CommandAnswer> answer = RunCommand(options, [&](UnitOfWork& tx, Json* body) {
    result = CommandResult{};
    CREDFLOW_RETURN_IF_ERROR(OpenInTransaction(tx, request, channel, &result));
    for (auto& [id, workflow] : tx.InsertedCases()) {
      if (id != result.case_id) result.opened.emplace_back(id, workflow);
    }
    if (!options.idempotency_key.empty()) *body = result.ToJson();  // kept for a retry
    return Status::Ok();
  });
  return ResultOf(std::move(answer), std::move(result));
}

Result<CommandResult> CaseService::FireCommand(const FireEventRequest& request, Channel channel) {
  CommandOptions options;
  options.idempotency_key = request.idempotency_key;
  if (!request.idempotency_key.empty()) options.describe = Describe(request);
  // Without an expected version the event is for the case as it is: a race
  // lost to another write on the case is run again on the new version (which
  // may then refuse the event, and says so).
  options.retry_lost_races = !request.expected_version;
  CommandResult result;
  Result<CommandAnswer> answer = RunCommand(options, [&](UnitOfWork& tx, Json* body) {
    result = CommandResult{};
    CREDFLOW_RETURN_IF_ERROR(FireInTransaction(tx, request, channel, &result));
    for (auto& [id, workflow] : tx.InsertedCases()) result.opened.emplace_back(id, workflow);
    if (!options.idempotency_key.empty()) *body = result.ToJson();  // kept for a retry
    return Status::Ok();
  });
  return ResultOf(std::move(answer), std::move(result));
}

Result<CommandResult> CaseService::Open(const OpenCaseRequest& request) {
  return OpenCommand(request, Channel::kPerson);
}

Result<CommandResult> CaseService::Fire(const FireEventRequest& request) {
  return FireCommand(request, Channel::kPerson);
}

Result<CommandResult> CaseService::Raise(const FireEventRequest& request) {
  return FireCommand(request, Channel::kEngine);
}

}  // namespace credflow::engine
