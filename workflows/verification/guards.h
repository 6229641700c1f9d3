// Guards of the verification lifecycle. Competing guards are complements.
#pragma once

#include "workflows/common/machine_parts.h"
#include "workflows/verification/events.h"

namespace credflow::workflows::verification {

bool IsEveryCommitmentVerified(const MachineBase& m);
bool IsDrawSelecting(const EventBase& e, const MachineBase& m);
bool IsReportConforming(const EventBase& e);
bool IsReportNonconforming(const EventBase& e);

// The item's rule verifies every commitment (mode "all")...
CREDFLOW_GUARD(EveryCommitmentVerified, IsEveryCommitmentVerified(m));
// ...or a sample drawn by risk grade (mode "sampled").
CREDFLOW_GUARD(SamplingRequired, !IsEveryCommitmentVerified(m));
// The seeded draw selects this commitment...
CREDFLOW_GUARD(DrawSelects, IsDrawSelecting(e, m));
// ...or exempts it (not sampled, or the grade's per-cycle limit is used up).
CREDFLOW_GUARD(DrawExempts, !IsDrawSelecting(e, m));
// The report's result; any other value satisfies neither.
CREDFLOW_GUARD(ReportConforming, IsReportConforming(e));
CREDFLOW_GUARD(ReportNonconforming, IsReportNonconforming(e));

}  // namespace credflow::workflows::verification
