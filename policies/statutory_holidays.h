// The statutory holidays of 《全国年节及纪念日放假办法》, and a provisional
// calendar year built from them for a year whose State Council notice is not
// out yet (see policies/calendar.h).
//
// The statute fixes which days are holidays; the lunar-dated ones (除夕 and
// 春节, 清明, 端午, 中秋) move every year and come from a table in the
// calendar data (policies/calendars/cn-statutory-holidays.xml), never from a
// computation here: a year missing from the table stays unknown.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "policies/calendar.h"
#include "policies/date.h"

namespace credflow::policies {

// The day a holiday starts from.
enum class HolidayAnchor { kFixed, kChuxi, kQingming, kDuanwu, kZhongqiu };

std::optional<HolidayAnchor> ParseHolidayAnchor(const std::string& text);  // fixed, chuxi, qingming, ...
const char* HolidayAnchorName(HolidayAnchor anchor);

// One statutory holiday: `days` days off from its anchor (a fixed month and
// day, or a lunar date of the year).
struct StatutoryHoliday {
  std::string name;
  HolidayAnchor anchor = HolidayAnchor::kFixed;
  int month = 0;  // kFixed only
  int day = 0;    // kFixed only
  int days = 1;
};

// The lunar-dated days of one Gregorian year.
struct LunarDates {
  int year = 0;
  Date chuxi;     // 除夕, the eve of 春节 (the last day of the twelfth lunar month)
  Date qingming;  // 清明, the day the sun reaches ecliptic longitude 15° (Beijing time)
  Date duanwu;    // 端午, 5th day of the fifth lunar month
  Date zhongqiu;  // 中秋, 15th day of the eighth lunar month
};

struct StatutoryHolidays {
  std::string source;  // the statute and article
  std::vector<StatutoryHoliday> holidays;
  std::string lunar_source;
  std::map<int, LunarDates> lunar;  // by year
};

// The days off of `year` under the statute, one block per holiday, in date
// order. REQUIRES: lunar.year is the year wanted.
std::vector<HolidayBlock> ProvisionalHolidays(const StatutoryHolidays& statute, const LunarDates& lunar);

// Adds a provisional year to `calendar` for every year of the lunar table
// that the calendar does not officially know.
void AddProvisionalYears(const StatutoryHolidays& statute, WorkingCalendar* calendar);

}  // namespace credflow::policies
