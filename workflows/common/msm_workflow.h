// MsmWorkflow<Front>: turns a Boost.MSM functor-row machine into an
// engine::WorkflowDefinition.
//
// Conventions a machine follows (see workflows/commitment for the model):
//  - every state is a CREDFLOW_STATE or CREDFLOW_FINAL_STATE (a kName, the
//    outcome code of a case in it, and whether it concludes the matter);
//  - every event is a CREDFLOW_EVENT: a kName and a declaration (origin,
//    roles, schema), collected here into events();
//  - every action and guard functor has a kName (for `workflow describe`);
//  - the front-end derives from Machine<Front> (machine_base.h), so guards
//    and actions reach the context and append to the output, and a refused
//    event or a throwing guard or action is reported, never asserted.
//
// The state is persisted by *name*. To restore a machine at a stored state,
// the name is mapped to MSM's id (which follows row order and may change
// between builds) and written into the back-end through MSM's serialization
// hook with a one-field archive; no MSM internals are touched.
//
// Thread safety: an MsmWorkflow is immutable; every Fire() builds a machine
// of its own.
#pragma once

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/workflow.h"
#include "workflows/common/machine_base.h"

namespace credflow::workflows {

namespace detail {

template <class T, class = void>
struct HasName : std::false_type {};
template <class T>
struct HasName<T, std::void_t<decltype(T::kName)>> : std::true_type {};

template <class T>
struct NameOf {
  static std::string Get() {
    if constexpr (std::is_same_v<T, boost::msm::front::none>) {
      return "none";
    } else if constexpr (HasName<T>::value) {
      return T::kName;
    } else {
      return "unnamed";
    }
  }
};

template <class Sequence>
struct NameOf<boost::msm::front::ActionSequence_<Sequence>> {
  static std::string Get() {
    std::string names;
    boost::mpl::for_each<Sequence, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto wrapped) {
      using A = typename decltype(wrapped)::type;
      (void)wrapped;
      if (!names.empty()) names += ", ";
      names += NameOf<A>::Get();
    });
    return names;
  }
};

// A one-field "archive" for MSM's serialize(): it writes the active state id
// and ignores everything else (history, flags, state objects).
class StateIdWriter {
 public:
  explicit StateIdWriter(int id) : id_(id) {}
  template <class T>
  StateIdWriter& operator&(T&) {
    return *this;
  }
  template <std::size_t N>
  StateIdWriter& operator&(int (&states)[N]) {
    static_assert(N == 1, "credflow machines have one region");
    states[0] = id_;
    return *this;
  }

 private:
  int id_;
};

}  // namespace detail

// boost::msm::wrap<T> carries the type T without constructing it.
template <class Wrapped>
struct Unwrap;
template <class T>
struct Unwrap<boost::msm::wrap<T>> {
  using type = T;
};

template <class Front>
class MsmWorkflow : public engine::WorkflowDefinition {
 public:
  using Machine = boost::msm::back::state_machine<Front>;
  using Table = typename Machine::stt;

  MsmWorkflow(std::string name, int version, std::string policy_id)
      : name_(std::move(name)), policy_id_(std::move(policy_id)), version_(version) {
    using States = typename boost::msm::back::generate_state_set<Table>::type;
    const int count = boost::mpl::size<States>::value;
    state_names_.resize(count);
    state_outcomes_.resize(count);
    state_final_.resize(count);
    boost::mpl::for_each<States, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto w) {
      using S = typename Unwrap<decltype(w)>::type;
      const int id = boost::msm::back::get_state_id<Table, S>::type::value;
      state_names_[id] = S::kName;
      state_outcomes_[id] = S::kOutcome;
      state_final_[id] = S::kFinal;
      state_ids_[S::kName] = id;
    });
    boost::mpl::for_each<typename Front::transition_table, boost::msm::wrap<boost::mpl::placeholders::_1>>([&](auto w) {
      using Row = typename Unwrap<decltype(w)>::type;
      using Event = typename Row::Evt;
      transitions_.push_back(engine::TransitionInfo{Row::Source::kName, Event::kName, Row::Target::kName,
                                                    detail::NameOf<typename Row::Action>::Get(),
                                                    detail::NameOf<typename Row::Guard>::Get()});
      if (std::none_of(events_.begin(), events_.end(),
                       [](const engine::EventSpec& spec) { return spec.name == Event::kName; })) {
        events_.push_back(Event::Spec());
      }
      dispatch_.emplace(Event::kName, [](Machine& m, const engine::EventInput& in) {
        Event e;
        e.input = &in;
        return m.process_event(e);
      });
    });
  }

  const std::string& name() const override { return name_; }
  int version() const override { return version_; }
  const std::string& policy_id() const override { return policy_id_; }
  std::string initial_state() const override {
    return Unwrap<boost::msm::wrap<typename Front::initial_state>>::type::kName;
  }
  std::vector<std::string> states() const override { return state_names_; }
  std::vector<engine::TransitionInfo> transitions() const override { return transitions_; }
  const std::vector<engine::EventSpec>& events() const override { return events_; }
  std::string OutcomeOf(const std::string& state) const override {
    auto it = state_ids_.find(state);
    return it == state_ids_.end() ? "unknown" : state_outcomes_[it->second];
  }
  bool IsFinal(const std::string& state) const override {
    auto it = state_ids_.find(state);
    return it != state_ids_.end() && state_final_[it->second];
  }

  engine::Status Fire(const std::string& state, const engine::EventInput& event,
                      const engine::TransitionContext& context, engine::TransitionOutput* out) const override {
    auto state_it = state_ids_.find(state);
    if (state_it == state_ids_.end()) {
      return engine::Status::Internal("workflow " + name_ + " has no state '" + state + "'");
    }
    auto event_it = dispatch_.find(event.name);
    if (event_it == dispatch_.end()) {
      return engine::Status::InvalidArgument("unknown_event",
                                             "workflow " + name_ + " has no event '" + event.name + "'");
    }
    engine::TransitionOutput scratch;
    scratch.data = out->data;
    Machine machine;
    detail::StateIdWriter writer(state_it->second);
    machine.serialize(writer, 0);
    machine.context = &context;
    machine.output = &scratch;
    // HANDLED_TRUE: a row fired. HANDLED_FALSE: no row for (state, event)
    // (MSM also calls no_transition). HANDLED_GUARD_REJECT: rows exist but
    // every guard said no; MSM does *not* call no_transition then.
    boost::msm::back::HandledEnum handled = boost::msm::back::HANDLED_FALSE;
    try {
      handled = event_it->second(machine, event);
    } catch (const std::exception& e) {  // MSM catches std::exception; this is for the rest
      machine.threw = true;
      machine.exception_text = e.what();
    } catch (...) {
      machine.threw = true;
      machine.exception_text = "an exception of unknown type";
    }
    if (machine.threw) {
      // A bug, not the caller's mistake: the command fails, nothing is
      // written, and the cause goes to the log with the case and event.
      const std::string case_id = context.current != nullptr ? context.current->id : std::string("(none)");
      return engine::Status::WorkflowFailed("workflow " + name_ + ", case " + case_id + ", event " + event.name +
                                            " in state " + state +
                                            ": a guard or action threw: " + machine.exception_text);
    }
    if (handled != boost::msm::back::HANDLED_TRUE || machine.refused) {
      std::string guards;
      for (const engine::TransitionInfo& t : transitions_) {
        if (t.from == state && t.event == event.name) guards += (guards.empty() ? "" : ", ") + t.guard;
      }
      const engine::EventSpec* spec = FindEvent(event.name);
      const bool person = spec == nullptr || spec->origin == engine::EventOrigin::kPerson;
      if (!guards.empty() && person) {
        // Rows exist, but none of their (exclusive) guards holds: the data
        // a person sent is not what any row expects.
        return engine::Status::InvalidArgument(
            "invalid_event_data", "in state " + state + ", " + event.name + " satisfies none of the guards: " + guards);
      }
      // A timer's or the engine's event that no row takes here (for a
      // delivery: an outcome this state does not act on) is not allowed.
      std::string accepted;
      for (const std::string& e : EventsAcceptedIn(state)) accepted += (accepted.empty() ? "" : ", ") + e;
      return engine::Status::FailedPrecondition(
          "event_not_allowed", "state " + state + " does not accept " + event.name +
                                   (accepted.empty() ? " (it is final)" : "; it accepts: " + accepted));
    }
    scratch.to_state = state_names_[machine.current_state()[0]];
    *out = std::move(scratch);
    return engine::Status::Ok();
  }

 private:
  std::string name_;
  std::string policy_id_;
  int version_;
  std::vector<std::string> state_names_;
  std::vector<std::string> state_outcomes_;
  std::vector<bool> state_final_;
  std::map<std::string, int> state_ids_;
  std::vector<engine::TransitionInfo> transitions_;
  std::vector<engine::EventSpec> events_;
  std::map<std::string, std::function<boost::msm::back::HandledEnum(Machine&, const engine::EventInput&)>> dispatch_;
};

}  // namespace credflow::workflows
