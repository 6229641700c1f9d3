// The XML policy loader: reads policy definitions and the working-day
// calendar from files (pugixml) into the standard-library model of
// policies/. Nothing throws: every problem comes back as a PolicyError with
// the file and the 1-based line of the offending element.
//
// Stateless free functions; safe to call from several threads at once.
#pragma once

#include <string>
#include <vector>

#include "policies/calendar.h"
#include "policies/policy.h"

namespace credflow::adapters {

struct PolicyLoadResult {
  policies::PolicySet set;
  std::vector<policies::PolicyError> errors;
};

// Loads every regular *.xml file directly in `dir` (sorted by name, not
// recursive, so the calendars/ subfolder is skipped), then appends the
// errors of PolicySet::Validate(). A file with a parse error or a broken
// <policy> root is left out of the set; an element with an error (missing
// or empty attribute, missing `source`, bad date or period) is left out of
// its policy. Each policy carries its file path and the SHA-256 hex of the
// file's bytes. A folder without *.xml files is an error (a wrong path).
// Callers must treat a non-empty `errors` as a failed load.
PolicyLoadResult LoadPolicyDirectory(const std::string& dir);

struct CalendarLoadResult {
  policies::WorkingCalendar calendar;
  std::vector<policies::PolicyError> errors;
};

// Loads the working-day calendar from a file, or from every *.xml file of a
// folder (policies/calendars/), in name order:
//  - <calendar><year value source><holiday name from to/><workday date
//    reason/></year>...</calendar>: State Council notices. Every <year> makes
//    its year official; holidays and make-up working days are the union of
//    all sections (a section may hold dates of the previous calendar year); a
//    year defined twice, in one file or two, is an error.
//  - <statutory-holidays source><holiday name anchor [month day] days/>
//    <lunar-dates source><year value chuxi qingming duanwu zhongqiu/>
//    </lunar-dates></statutory-holidays>: at most one; every year of its
//    lunar table that no notice covers becomes provisional.
// The calendar's identity is "cn@<last official year>" and the SHA-256 of
// the files' names and bytes.
CalendarLoadResult LoadCalendar(const std::string& path);

}  // namespace credflow::adapters
