// The subject lifecycle as a Boost.MSM transition table: a market entity is
// registered once, then every change to its risk grade (企业信用风险分类,
// 国市监信发〔2022〕6号), its status or its name is an event of its case.
// Monthly recomputation of grades from records is one more GradeSet, with
// grade source "recompute". Rules: 国市监信发〔2022〕6号 (risk classes);
// vocabulary: policies/definitions/risk-classification.xml.
#pragma once

#include <boost/mpl/vector.hpp>
#include <boost/msm/front/state_machine_def.hpp>

#include "workflows/common/machine_parts.h"
#include "workflows/subject/actions.h"
#include "workflows/subject/events.h"
#include "workflows/subject/guards.h"
#include "workflows/subject/names.h"

namespace credflow::workflows::subject {

// The case is open but the subject is not registered yet (only ever seen
// inside the transaction that registers it).
CREDFLOW_STATE(Unregistered, engine::kOutcomePending);
// The office knows the subject; grade, status and name may change. Final:
// the registration is concluded, and a change amends the record without
// making the subject case an open matter.
CREDFLOW_FINAL_STATE(Registered, kRegistered);

struct SubjectMachine : Machine<SubjectMachine> {
  using initial_state = Unregistered;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //    From           Event              To           Action              Guard
    //  +--------------+------------------+------------+-------------------+-------------------+
    Row < Unregistered , SubjectRegistered, Registered , RecordRegistration, RegistrationValid >,
    //  +--------------+------------------+------------+-------------------+-------------------+
    Row < Registered   , GradeSet         , Registered , RecordGrade       , GradeInPolicy     >,
    Row < Registered   , StatusChanged    , Registered , RecordStatus      , StatusInPolicy    >,
    Row < Registered   , NameChanged      , Registered , RecordName        , NameGiven         >
    //  +--------------+------------------+------------+-------------------+-------------------+
  > {};
  // clang-format on
};

}  // namespace credflow::workflows::subject
