// The base every credflow machine is built on, and the declaration of its
// events. A machine is its transition table, its states, guards and actions,
// and its events; everything else comes from here and from MsmWorkflow.
//
//   CREDFLOW_EVENT(LetterSigned, Declare::Person(kWindowStaff).Form("form"));
//
//   struct CommitmentMachine : Machine<CommitmentMachine> {
//     using initial_state = CatalogueCheck;
//     struct transition_table : boost::mpl::vector< Row<...>, ... > {};
//   };
//
// Guards and actions reach the context (policy, calendar, facts, children,
// today) through MachineBase and append to the output; they never throw
// into MSM on purpose, and when one does the command fails and writes
// nothing (exception_caught below).
//
// Thread safety: a machine object lives inside one Fire() call.
#pragma once

#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include <exception>
#include <string>
#include <vector>

#include "engine/event_spec.h"
#include "engine/workflow.h"

namespace credflow::workflows {

using engine::Declare;

// Roles of engine/user.h, for event declarations.
inline constexpr const char* kCaseworker = "caseworker";
inline constexpr const char* kDepartment = "department";
inline constexpr const char* kAdmin = "admin";
// Who acts at the window on an office's own cases.
inline const std::vector<std::string> kWindowStaff = {kCaseworker, kAdmin};

// What every event carries: the input as it arrived (already checked
// against the event's declaration).
struct EventBase {
  const engine::EventInput* input = nullptr;
  const engine::Json& data() const { return input->data; }
};

// Mixed into every front-end: where guards and actions find their inputs and
// put their outputs. Set by MsmWorkflow::Fire before the event is processed.
struct MachineBase {
  const engine::TransitionContext* context = nullptr;
  engine::TransitionOutput* output = nullptr;
  // No row accepted the event (MSM called no_transition).
  bool refused = false;
  // A guard or action threw; MSM 1.74 swallows the exception and reports
  // the event handled, so Fire checks this instead.
  bool threw = false;
  std::string exception_text;
};

// The front-end base: MSM's state_machine_def, the context, the table's
// vocabulary, and the two hooks MSM would otherwise leave at their
// defaults (an assert, a no-op under NDEBUG).
template <class Derived>
struct Machine : boost::msm::front::state_machine_def<Derived>, MachineBase {
  using none = boost::msm::front::none;
  template <class... T>
  using Row = boost::msm::front::Row<T...>;

  // MSM calls this when no row accepts the event.
  template <class Fsm, class Event>
  void no_transition(Event const&, Fsm&, int) {
    refused = true;
  }
  // MSM calls this when a guard or action throws a std::exception.
  template <class Fsm, class Event>
  void exception_caught(Event const&, Fsm&, std::exception& e) {
    threw = true;
    exception_text = e.what();
  }
};

}  // namespace credflow::workflows

// Declares an event: its struct, its name and its declaration (an
// engine::Declare expression: origin, roles, schema).
#define CREDFLOW_EVENT(Name, ...)                                                      \
  struct Name : ::credflow::workflows::EventBase {                                     \
    static constexpr const char* kName = #Name;                                        \
    static ::credflow::engine::EventSpec Spec() { return (__VA_ARGS__).Named(kName); } \
  }
