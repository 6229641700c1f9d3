// Statistics for heads of office (GET /v1/statistics): one year's commitment
// filings by month (Beijing time) and catalogue item, repair applications by
// outcome, department tasks open and overdue now, and the remediation
// ledger's exit rate against its targets (the ledger's own report). As JSON,
// or one chart's numbers as CSV that Excel opens (UTF-8 with a BOM, Chinese
// headers).
//
// Threading: stateless functions; they read the store through the service.
#pragma once

#include <optional>
#include <string>

#include "engine/case_service.h"
#include "engine/status.h"

namespace credflow::adapters::http {

// The years a statistics request may ask for.
inline constexpr int kFirstStatisticsYear = 2000;
inline constexpr int kLastStatisticsYear = 2100;

// The statistics of `year` (Beijing time), counted at the service clock's
// now: {"year", "filings_by_month": [{month, item, item_name, count}],
// "repairs_by_outcome": [{outcome, count}], "overdue_tasks_by_department":
// [{department, open, overdue}], "ledger": the ledger report on the year's
// last day (today for this year), or null when no ledger policy is in force
// then}. The counts are read from `reads` (the service's store, or a read
// replica); the ledger report from the service's store. Fails as the
// store's reads fail.
engine::Result<engine::Json> ComputeStatistics(engine::CaseService& service, engine::CaseStore& reads, int year);

// The names of the charts StatisticsCsv knows, in the order they are shown.
inline constexpr const char* kStatisticsCharts[] = {"filings_by_month", "repairs_by_outcome",
                                                    "overdue_tasks_by_department", "verification_coverage", "ledger"};

// The numbers of `chart` of `statistics` (ComputeStatistics' answer) as CSV
// text: a UTF-8 BOM, a header row in Chinese, one row per number, CRLF line
// ends (RFC 4180). nullopt for a chart that is not one of kStatisticsCharts.
std::optional<std::string> StatisticsCsv(const engine::Json& statistics, const std::string& chart);

}  // namespace credflow::adapters::http
