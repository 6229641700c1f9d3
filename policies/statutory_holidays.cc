// Provisional calendar years from the statute (see statutory_holidays.h).
#include "policies/statutory_holidays.h"

#include <algorithm>

namespace credflow::policies {
namespace {

struct AnchorName {
  HolidayAnchor anchor;
  const char* name;
};

constexpr AnchorName kAnchorNames[] = {
    {HolidayAnchor::kFixed, "fixed"},   {HolidayAnchor::kChuxi, "chuxi"},       {HolidayAnchor::kQingming, "qingming"},
    {HolidayAnchor::kDuanwu, "duanwu"}, {HolidayAnchor::kZhongqiu, "zhongqiu"},
};

Date StartOf(const StatutoryHoliday& h, const LunarDates& lunar) {
  switch (h.anchor) {
    case HolidayAnchor::kFixed: return Date::FromYmd(lunar.year, h.month, h.day);
    case HolidayAnchor::kChuxi: return lunar.chuxi;
    case HolidayAnchor::kQingming: return lunar.qingming;
    case HolidayAnchor::kDuanwu: return lunar.duanwu;
    case HolidayAnchor::kZhongqiu: return lunar.zhongqiu;
  }
  return lunar.chuxi;
}

}  // namespace

std::optional<HolidayAnchor> ParseHolidayAnchor(const std::string& text) {
  for (const AnchorName& a : kAnchorNames) {
    if (text == a.name) return a.anchor;
  }
  return std::nullopt;
}

const char* HolidayAnchorName(HolidayAnchor anchor) {
  for (const AnchorName& a : kAnchorNames) {
    if (a.anchor == anchor) return a.name;
  }
  return "unknown";
}

std::vector<HolidayBlock> ProvisionalHolidays(const StatutoryHolidays& statute, const LunarDates& lunar) {
  std::vector<HolidayBlock> blocks;
  for (const StatutoryHoliday& h : statute.holidays) {
    const Date from = StartOf(h, lunar);
    blocks.push_back(HolidayBlock{h.name, from, from.AddDays(h.days - 1)});
  }
  std::sort(blocks.begin(), blocks.end(), [](const HolidayBlock& a, const HolidayBlock& b) { return a.from < b.from; });
  return blocks;
}

void AddProvisionalYears(const StatutoryHolidays& statute, WorkingCalendar* calendar) {
  for (const auto& [year, lunar] : statute.lunar) {
    if (calendar->Knows(Date::FromYmd(year, 1, 1))) continue;
    calendar->AddProvisionalYear(year, "provisional: " + statute.source + "; lunar dates: " + statute.lunar_source,
                                 ProvisionalHolidays(statute, lunar));
  }
}

}  // namespace credflow::policies
