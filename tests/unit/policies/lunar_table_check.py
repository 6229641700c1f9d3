#!/usr/bin/python3
"""Checks the lunar-date table of policies/calendars/cn-statutory-holidays.xml
against an independent astronomical computation (PyEphem, Debian's
python3-ephem: VSOP87 for the Sun, ELP for the Moon).

The rules are those of GB/T 33661-2017 (《农历的编算和颁行》), in Beijing
time (UTC+8): a lunar month starts on the day of a new moon; the month that
holds the winter solstice (冬至, solar longitude 270°) is the eleventh; when
13 months lie between two eleventh months, the first of them that holds no
principal term (中气, a multiple of 30°) is a leap month and takes the number
of the month before it. 除夕 is the day before the first day of the first
month; 端午 is the 5th day of the fifth month, 中秋 the 15th of the eighth;
清明 is the day the Sun reaches longitude 15°.

Each computed instant must lie at least MARGIN from Beijing midnight, or the
check fails as undecidable at this precision (no year 2027-2035 comes near).

Usage: lunar_table_check.py FILE   (exit 0 when every row agrees)
"""
import datetime
import math
import sys
import xml.etree.ElementTree as ET

import ephem

BEIJING = datetime.timedelta(hours=8)
MARGIN = datetime.timedelta(minutes=3)


def beijing(d):
    return ephem.Date(d).datetime() + BEIJING


def day_of(d, what, problems):
    t = beijing(d)
    midnight = datetime.datetime(t.year, t.month, t.day)
    margin = min(t - midnight, midnight + datetime.timedelta(days=1) - t)
    if margin < MARGIN:
        problems.append(f"{what} falls {margin} from Beijing midnight ({t}): undecidable here")
    return t.date()


def solar_longitude(d):
    sun = ephem.Sun(ephem.Date(d))
    return math.degrees(ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ephem.Date(d)),
                                       epoch=ephem.Date(d)).lon)


def term_after(start, longitude):
    """The first instant after `start` when the Sun's apparent longitude is `longitude`."""
    def ahead(d):
        return (longitude - solar_longitude(d)) % 360.0
    lo = ephem.Date(start)
    step = 1.0
    while True:  # advance day by day until the remaining angle wraps round
        hi = ephem.Date(lo + step)
        if ahead(hi) > ahead(lo):
            break
        lo = hi
    for _ in range(60):
        mid = ephem.Date((lo + hi) / 2)
        if ahead(mid) > ahead(lo):
            hi = mid
        else:
            lo = mid
    return ephem.Date(hi)


def new_moons(first, last):
    out, d = [], ephem.next_new_moon(ephem.Date(first))
    while d < ephem.Date(last):
        out.append(d)
        d = ephem.next_new_moon(ephem.Date(d + 1))
    return out


def principal_terms(first, last):
    """Every principal term (中气) instant between the two dates."""
    out, d = [], ephem.Date(first)
    longitude = (math.floor(solar_longitude(d) / 30.0) + 1) * 30.0 % 360.0
    while True:
        d = term_after(d, longitude)
        if d >= ephem.Date(last):
            return out
        out.append(d)
        longitude = (longitude + 30.0) % 360.0


def numbered_months(y, problems):
    """{month number: first day} of the months that start from the eleventh
    month of Gregorian year y-1 up to (excluding) that of year y."""
    moons = [day_of(m, "new moon", problems) for m in new_moons(f"{y - 2}/10/1", f"{y + 1}/3/1")]
    def eleventh(year):
        solstice = day_of(term_after(f"{year}/12/1", 270.0), f"冬至 {year}", problems)
        return [s for s in moons if s <= solstice][-1]
    begin, end = eleventh(y - 1), eleventh(y)
    starts = [s for s in moons if begin <= s <= end]
    terms = [day_of(t, "中气", problems) for t in principal_terms(f"{y - 1}/11/1", f"{y + 1}/1/31")]
    leap = None
    if len(starts) - 1 == 13:
        for a, b in zip(starts, starts[1:]):
            if not any(a <= t < b for t in terms):
                leap = a
                break
    months, number = {}, 11
    for a in starts[:-1]:
        if a == leap:
            continue  # a leap month keeps the number of the month before it
        months.setdefault(number, a)
        number = number % 12 + 1
    return months


def main(path):
    root = ET.parse(path).getroot()
    table = root.find("lunar-dates")
    problems = []
    rows = 0
    for row in table.findall("year"):
        y = int(row.get("value"))
        months = numbered_months(y, problems)
        computed = {
            "chuxi": months[1] - datetime.timedelta(days=1),
            "qingming": day_of(term_after(f"{y}/3/25", 15.0), "清明 (15°)", problems),
            "duanwu": months[5] + datetime.timedelta(days=4),
            "zhongqiu": months[8] + datetime.timedelta(days=14),
        }
        for key, want in computed.items():
            have = datetime.date.fromisoformat(row.get(key))
            if have != want:
                problems.append(f"{y} {key}: table says {have}, computed {want}")
        rows += 1
    for p in problems:
        print("lunar_table_check:", p)
    print(f"lunar_table_check: {rows} years checked, {len(problems)} problems")
    return 1 if problems or rows == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
