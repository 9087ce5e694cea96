#include "core/calendar/lunar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "common/check.hpp"

namespace motcua::calendar {
namespace {

// Julian Day Number of 1970-01-01, the epoch of sys_days.
constexpr int kUnixEpochJdn = 2440588;
// Fraction of a day by which UTC+7 is ahead of UT.
constexpr double kZoneDays = 7.0 / 24.0;
constexpr double kDegree = std::numbers::pi / 180.0;

double SinDeg(double degrees) { return std::sin(degrees * kDegree); }

// Julian date (UT) of the k-th new moon after the one of 1900-01-01, from the
// truncated series in Meeus, "Astronomical Algorithms" (1998): the mean
// lunation plus the largest periodic terms from the sun's and moon's
// anomalies and the moon's argument of latitude, then ΔT. These are the
// coefficients the Vietnamese calendar is published with; a better ephemeris
// would move a few month starts across midnight and disagree with printed
// calendars.
double NewMoonJulianDate(int k) {
  const double t = k / 1236.85;  // Julian centuries since 1900-01-00.5 (lunations per century)
  const double t2 = t * t;
  const double t3 = t2 * t;
  double jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3 +
              0.00033 * SinDeg(166.56 + 132.87 * t - 0.009173 * t2);
  const double sun_anomaly = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
  const double moon_anomaly = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
  const double latitude_arg = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
  const double m = sun_anomaly, mp = moon_anomaly, f = latitude_arg;
  double correction = (0.1734 - 0.000393 * t) * SinDeg(m) + 0.0021 * SinDeg(2 * m) -
                      0.4068 * SinDeg(mp) + 0.0161 * SinDeg(2 * mp) - 0.0004 * SinDeg(3 * mp) +
                      0.0104 * SinDeg(2 * f) - 0.0051 * SinDeg(m + mp) - 0.0074 * SinDeg(m - mp) +
                      0.0004 * SinDeg(2 * f + m) - 0.0004 * SinDeg(2 * f - m) -
                      0.0006 * SinDeg(2 * f + mp) + 0.0010 * SinDeg(2 * f - mp) +
                      0.0005 * SinDeg(2 * mp + m);
  // ΔT (TT - UT) in days: two polynomial fits, before and after about 1800.
  double delta_t =
      t < -11 ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
              : -0.000278 + 0.000265 * t + 0.000262 * t2;
  return jd + correction - delta_t;
}

// Apparent longitude of the sun in degrees [0, 360) at Julian date `jd`:
// mean longitude plus the equation of the centre (Meeus ch. 25, low accuracy).
double SunLongitude(double jd) {
  const double t = (jd - 2451545.0) / 36525;  // Julian centuries since J2000.0
  const double t2 = t * t;
  const double anomaly = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double mean_longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  const double centre = (1.914600 - 0.004817 * t - 0.000014 * t2) * SinDeg(anomaly) +
                        (0.019993 - 0.000101 * t) * SinDeg(2 * anomaly) +
                        0.000290 * SinDeg(3 * anomaly);
  double longitude = mean_longitude + centre;
  return longitude - 360.0 * std::floor(longitude / 360.0);
}

// The local day (UTC+7) of the k-th new moon, as a Julian Day Number. The
// algorithm's INT is floor: days before the epoch must not round up.
int NewMoonDay(int k) {
  return static_cast<int>(std::floor(NewMoonJulianDate(k) + 0.5 + kZoneDays));
}

// Which 30° sector (0 = from the March equinox) the sun is in at the local
// midnight that begins day `jdn`. A change of sector is a major solar term.
int SunSector(int jdn) {
  const double midnight = jdn - 0.5 - kZoneDays;
  return static_cast<int>(std::floor(SunLongitude(midnight) / 30.0));
}

struct Month {
  int32_t start;  // days since 1970-01-01
  int16_t year;
  int8_t month;
  bool leap;

  // Months in time order are also in (year, month, leap) order.
  int32_t Key() const { return Key(year, month, leap); }
  static int32_t Key(int year, int month, bool leap) {
    return year * 32 + month * 2 + (leap ? 1 : 0);
  }
};

// New moons are numbered from the one of 1900-01-01 (k = 0). Month 11 of
// lunar 1899 starts in December 1899 (k ≈ -1); month 11 of 2101 starts near
// k = 2498 and the year after it is needed to label December 2100. The margin
// on both sides costs a few entries.
constexpr int kFirstLunation = -3;
constexpr int kLastLunation = 2540;

// Sun sectors around the December solstice (270°): 8 = 240°..270°, 9 = 270°..300°.
constexpr int kSectorBeforeSolstice = 8;
constexpr int kSectorAfterSolstice = 9;
// A month starting earlier than one full sector before the solstice cannot contain it.
constexpr int kSectorAutumn = 6;

std::vector<Month> BuildTable() {
  std::vector<int> start;
  std::vector<int> sector;
  for (int k = kFirstLunation; k <= kLastLunation; ++k) {
    start.push_back(NewMoonDay(k));
    sector.push_back(SunSector(start.back()));
  }
  const int n = static_cast<int>(start.size());
  // Month 11 of each year: it begins before the sun reaches 270° and the next
  // month begins after.
  std::vector<int> month11;
  for (int i = 0; i + 1 < n; ++i) {
    if (sector[i] >= kSectorAutumn && sector[i] <= kSectorBeforeSolstice &&
        sector[i + 1] >= kSectorAfterSolstice) {
      month11.push_back(i);
    }
  }
  std::vector<Month> months;
  for (size_t y = 0; y + 1 < month11.size(); ++y) {
    const int a = month11[y], b = month11[y + 1];
    const int count = b - a;
    MOTCUA_CHECK(count == 12 || count == 13);
    const int year = static_cast<int>(
        std::chrono::year_month_day{Date(std::chrono::days(start[b] - kUnixEpochJdn))}.year());
    // Thirteen months: the leap month is the first after month 11 during which
    // the sun enters no new sector. No sector is needed past b, so b + 1 exists.
    int leap_offset = count;
    if (count == 13) {
      for (int i = 1; i < count; ++i) {
        if (sector[a + i] == sector[a + i + 1]) {
          leap_offset = i;
          break;
        }
      }
      MOTCUA_CHECK(leap_offset < count);
    }
    for (int d = 0; d < count; ++d) {
      int number = d < leap_offset ? 11 + d : 10 + d;
      number = (number - 1) % 12 + 1;
      // Months 11 and 12 at the start of the span belong to the previous lunar year.
      const int label_year = number >= 11 && d < 4 ? year - 1 : year;
      months.push_back(Month{start[a + d] - kUnixEpochJdn, static_cast<int16_t>(label_year),
                             static_cast<int8_t>(number), d == leap_offset});
    }
  }
  // A sentinel so that every real month has a successor and hence a length.
  months.push_back(Month{start[month11.back()] - kUnixEpochJdn, 0, 0, false});
  MOTCUA_CHECK(months.front().start <= kFirstDate.time_since_epoch().count());
  MOTCUA_CHECK(months.back().start > kLastDate.time_since_epoch().count());
  return months;
}

const std::vector<Month>& Table() {
  static const std::vector<Month> table = BuildTable();
  return table;
}

// Index into Table() of a lunar month, or an error saying why it does not exist.
Result<size_t> FindMonth(int year, int month, bool leap) {
  if (month < 1 || month > 12) {
    return InvalidField("lunar_date", "month " + std::to_string(month) + " does not exist");
  }
  const auto& table = Table();
  const auto last = table.end() - 1;  // the sentinel
  const int32_t key = Month::Key(year, month, leap);
  auto it = std::lower_bound(table.begin(), last, key,
                             [](const Month& m, int32_t k) { return m.Key() < k; });
  if (it == last || it->Key() != key) {
    if (table.front().Key() > key || (last - 1)->Key() < key) {
      return InvalidField("lunar_date", "lunar year " + std::to_string(year) + " month " +
                                            std::to_string(month) +
                                            " is outside the supported range 1900..2100");
    }
    return InvalidField("lunar_date", "lunar year " + std::to_string(year) + " has no leap month " +
                                          std::to_string(month));
  }
  return static_cast<size_t>(it - table.begin());
}

}  // namespace

Result<LunarDate> ToLunar(Date date) {
  if (date < kFirstDate || date > kLastDate) {
    return InvalidField("date", FormatDate(date) + " is outside the supported range " +
                                    FormatDate(kFirstDate) + ".." + FormatDate(kLastDate));
  }
  const auto& table = Table();
  const int32_t day = static_cast<int32_t>(date.time_since_epoch().count());
  auto it = std::upper_bound(table.begin(), table.end(), day,
                             [](int32_t d, const Month& m) { return d < m.start; });
  const Month& m = *(it - 1);
  return LunarDate{m.year, m.month, day - m.start + 1, m.leap};
}

Result<int> LunarMonthLength(int year, int month, bool leap) {
  size_t i = MOTCUA_TRY(FindMonth(year, month, leap));
  const auto& table = Table();
  return table[i + 1].start - table[i].start;
}

Result<Date> ToSolar(const LunarDate& lunar) {
  size_t i = MOTCUA_TRY(FindMonth(lunar.year, lunar.month, lunar.leap));
  const auto& table = Table();
  const int length = table[i + 1].start - table[i].start;
  if (lunar.day < 1 || lunar.day > length) {
    return InvalidField("lunar_date", "day " + std::to_string(lunar.day) +
                                          " does not exist: " + (lunar.leap ? "leap " : "") +
                                          "month " + std::to_string(lunar.month) +
                                          " of lunar year " + std::to_string(lunar.year) + " has " +
                                          std::to_string(length) + " days");
  }
  Date date{std::chrono::days(table[i].start + lunar.day - 1)};
  if (date < kFirstDate || date > kLastDate) {
    return InvalidField("lunar_date", "the date falls outside the supported range " +
                                          FormatDate(kFirstDate) + ".." + FormatDate(kLastDate));
  }
  return date;
}

Result<int> LeapMonth(int year) {
  // Month 1 is looked up only to check the range.
  size_t first = MOTCUA_TRY(FindMonth(year, 1, false));
  const auto& table = Table();
  for (size_t i = first; i + 1 < table.size() && table[i].year == year; ++i) {
    if (table[i].leap) return static_cast<int>(table[i].month);
  }
  return 0;
}

}  // namespace motcua::calendar
