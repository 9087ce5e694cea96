#include "core/calendar/cli.hpp"

#include <cstdio>
#include <map>
#include <optional>
#include <string_view>

#include "core/calendar/date.hpp"
#include "core/calendar/internal/text.hpp"
#include "core/calendar/lunar.hpp"
#include "core/calendar/working_time.hpp"

namespace motcua::calendar {
namespace {

using internal::Quoted;

constexpr int kExitOk = 0;
constexpr int kExitData = 1;
constexpr int kExitUsage = 2;

constexpr const char* kUsage =
    "usage: motcua calendar <command> [options]\n"
    "\n"
    "commands:\n"
    "  to-lunar YYYY-MM-DD            solar date -> Vietnamese lunar date\n"
    "  to-solar YYYY-MM-DD [--leap]   lunar date -> solar date\n"
    "  holidays YYYY                  days off of public offices in a year\n"
    "  add-working-days MOMENT N      deadline N working days after MOMENT\n"
    "  add-working-hours MOMENT H     deadline H working hours after MOMENT\n"
    "  working-time-between A B       working time from A to B\n"
    "  is-working-time MOMENT         whether MOMENT is inside office hours\n"
    "\n"
    "options:\n"
    "  --json               print JSON\n"
    "  --data-dir DIR       holiday tables in DIR/holidays/YYYY.toml (default: data)\n"
    "  --office-hours SPEC  e.g. 07:30-11:30,13:30-17:00 (the default)\n"
    "  --help               this text, or a command's with the command\n"
    "\n"
    "MOMENT is RFC 3339, e.g. 2027-02-03T16:00+07:00; results are printed at +07:00.\n";

struct Command {
  const char* name;
  std::vector<const char*> operands;
  const char* help;
  bool needs_calendar;
};

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"to-lunar",
       {"DATE"},
       "usage: motcua calendar to-lunar YYYY-MM-DD [--json]\n"
       "Converts a solar date (1900-01-01..2100-12-31) to the Vietnamese lunar calendar (UTC+7).\n",
       false},
      {"to-solar",
       {"LUNAR_DATE"},
       "usage: motcua calendar to-solar YYYY-MM-DD [--leap] [--json]\n"
       "Converts a lunar date (year-month-day) to the solar date; --leap for the leap month.\n"
       "Fails when the lunar date does not exist.\n",
       false},
      {"holidays",
       {"YEAR"},
       "usage: motcua calendar holidays YYYY [--json] [--data-dir DIR]\n"
       "Lists the days off of public offices (Labour Code 2019 art. 112 and the yearly table).\n",
       true},
      {"add-working-days",
       {"MOMENT", "N"},
       "usage: motcua calendar add-working-days MOMENT N [--json] [--data-dir DIR] "
       "[--office-hours SPEC]\n"
       "The moment N working days after MOMENT, at the same time of the working day. A moment\n"
       "outside office hours counts from the next working moment; after closing, as the close.\n",
       true},
      {"add-working-hours",
       {"MOMENT", "H"},
       "usage: motcua calendar add-working-hours MOMENT H [--json] [--data-dir DIR] "
       "[--office-hours SPEC]\n"
       "The earliest moment by which H working hours (e.g. 4 or 1.5) have passed since MOMENT.\n",
       true},
      {"working-time-between",
       {"A", "B"},
       "usage: motcua calendar working-time-between A B [--json] [--data-dir DIR] "
       "[--office-hours SPEC]\n"
       "Working time from moment A to moment B (negative when B is earlier).\n",
       true},
      {"is-working-time",
       {"MOMENT"},
       "usage: motcua calendar is-working-time MOMENT [--json] [--data-dir DIR] "
       "[--office-hours SPEC]\n"
       "Whether MOMENT falls inside office hours of a working day.\n",
       true},
  };
  return commands;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {  // other control characters
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;  // UTF-8 passes through unchanged
        }
    }
  }
  return out + "\"";
}

std::string Pad2(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

// A non-negative decimal integer of at most `max_digits` digits.
std::optional<long long> ParseCount(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "YYYY-MM-DD" read as lunar year, month and day: the shape only, since
// whether the day exists is the lunar calendar's question.
Result<LunarDate> ParseLunar(std::string_view s, bool leap) {
  auto y = ParseCount(s.substr(0, 4), 4);
  auto m = s.size() == 10 ? ParseCount(s.substr(5, 2), 2) : std::nullopt;
  auto d = s.size() == 10 ? ParseCount(s.substr(8, 2), 2) : std::nullopt;
  if (!y || !m || !d || s[4] != '-' || s[7] != '-') {
    return InvalidField("lunar_date", Quoted(s) + " is not of the form YYYY-MM-DD");
  }
  constexpr int kLongestLunarMonth = 30;
  if (*d < 1 || *d > kLongestLunarMonth) {
    return InvalidField("lunar_date", Quoted(s) + ": a lunar month has 29 or 30 days");
  }
  return LunarDate{static_cast<int>(*y), static_cast<int>(*m), static_cast<int>(*d), leap};
}

// Hours as a decimal ("4", "1.5", "0.25") to exact microseconds.
Result<Micros> ParseHours(std::string_view s) {
  auto bad = InvalidField("hours", Quoted(s) + " is not a non-negative number of hours");
  size_t dot = s.find('.');
  // Up to six integer digits: a million hours is far past 2100 already.
  auto whole = ParseCount(s.substr(0, dot), 6);
  if (!whole) return bad;
  long long micros = *whole * 3'600'000'000LL;  // microseconds per hour
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    // Nine decimals of an hour are finer than a microsecond (3.6 µs per 1e-9 h).
    auto digits = ParseCount(frac, 9);
    if (!digits) return bad;
    long long scale = 1;
    for (size_t i = 0; i < frac.size(); ++i) scale *= 10;
    micros += *digits * 3'600'000'000LL / scale;
  }
  return Micros(micros);
}

std::string FormatDuration(Micros d) {
  std::string sign = d < Micros(0) ? "-" : "";
  if (d < Micros(0)) d = -d;
  auto total_seconds = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  std::string out = sign + std::to_string(total_seconds / 3600) + "h" +
                    Pad2(static_cast<int>(total_seconds / 60 % 60)) + "m";
  if (total_seconds % 60 != 0) out += Pad2(static_cast<int>(total_seconds % 60)) + "s";
  return out;
}

struct Options {
  bool json = false;
  bool leap = false;
  bool help = false;
  std::string data_dir = "data";
  std::optional<std::string> office_hours;
  std::vector<std::string> operands;
};

Result<Options> ParseOptions(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view name) -> Result<std::string> {
      if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=') {
        return a.substr(name.size() + 1);
      }
      // "--office-hours --json" forgot the value; it does not mean the value "--json".
      if (i + 1 >= args.size() || args[i + 1].starts_with("--")) {
        return Fail(Code::kInvalidArgument, "option " + std::string(name) + " needs a value");
      }
      return args[++i];
    };
    auto is = [&](std::string_view name) {
      return a == name || (a.starts_with(name) && a.size() > name.size() && a[name.size()] == '=');
    };
    if (a == "--json") {
      o.json = true;
    } else if (a == "--leap") {
      o.leap = true;
    } else if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (is("--data-dir")) {
      o.data_dir = MOTCUA_TRY(value("--data-dir"));
    } else if (is("--office-hours")) {
      o.office_hours = MOTCUA_TRY(value("--office-hours"));
    } else if (a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9')) {
      return Fail(Code::kInvalidArgument, "unknown option '" + a + "'");
    } else {
      o.operands.push_back(a);
    }
  }
  return o;
}

class Runner {
 public:
  Runner(const Options& o, const TableSource& tables, std::ostream& out, std::ostream& err)
      : o_(o), tables_(tables), out_(out), err_(err) {}

  int Run(const Command& c) {
    std::optional<WorkingCalendar> calendar;
    if (c.needs_calendar) {
      // Office hours are a usage question, checked before any file is read.
      OfficeHours hours;
      if (o_.office_hours) {
        auto parsed = OfficeHours::Parse(*o_.office_hours);
        if (!parsed) return Usage(parsed.error().message);
        hours = *parsed;
      }
      auto files = tables_(o_.data_dir + "/holidays");
      if (!files) return DataError(files.error().message);
      auto holidays = HolidayCalendar::Load(*files);
      if (!holidays) return DataError(holidays.error().message);
      calendar.emplace(std::move(*holidays), std::move(hours));
    }
    const std::string name = c.name;
    const auto& args = o_.operands;  // args[0] is the command
    if (name == "to-lunar") return ToLunarCmd(args[1]);
    if (name == "to-solar") return ToSolarCmd(args[1]);
    if (name == "holidays") return HolidaysCmd(calendar->holidays(), args[1]);
    if (name == "add-working-days") return AddDaysCmd(*calendar, args[1], args[2]);
    if (name == "add-working-hours") return AddHoursCmd(*calendar, args[1], args[2]);
    if (name == "working-time-between") return BetweenCmd(*calendar, args[1], args[2]);
    return IsWorkingCmd(*calendar, args[1]);
  }

  int Usage(const std::string& message) {
    err_ << "motcua calendar: " << message << "\n";
    return kExitUsage;
  }

 private:
  int DataError(const std::string& message) {
    err_ << "motcua calendar: " << message << "\n";
    return kExitData;
  }

  int ToLunarCmd(const std::string& arg) {
    auto date = ParseDate(arg);
    if (!date) return Usage(date.error().message);
    auto lunar = ToLunar(*date);
    if (!lunar) return Usage(lunar.error().message);
    if (o_.json) {
      out_ << "{\"solar\":\"" << FormatDate(*date) << "\",\"lunar\":{\"year\":" << lunar->year
           << ",\"month\":" << lunar->month << ",\"day\":" << lunar->day
           << ",\"leap\":" << (lunar->leap ? "true" : "false") << "}}\n";
    } else {
      out_ << FormatDate(*date) << " -> lunar " << lunar->year << "-" << Pad2(lunar->month) << "-"
           << Pad2(lunar->day) << (lunar->leap ? " (leap month)" : "") << "\n";
    }
    return kExitOk;
  }

  int ToSolarCmd(const std::string& arg) {
    auto lunar = ParseLunar(arg, o_.leap);
    if (!lunar) return Usage(lunar.error().message);
    auto date = ToSolar(*lunar);
    if (!date) return Usage(date.error().message);
    if (o_.json) {
      out_ << "{\"solar\":\"" << FormatDate(*date) << "\"}\n";
    } else {
      out_ << "lunar " << arg << (o_.leap ? " (leap month)" : "") << " -> " << FormatDate(*date)
           << "\n";
    }
    return kExitOk;
  }

  int HolidaysCmd(const HolidayCalendar& calendar, const std::string& arg) {
    auto year = ParseCount(arg, 4);
    if (!year || arg.size() != 4 || *year < HolidayCalendar::kFirstYear ||
        *year > HolidayCalendar::kLastYear) {
      return Usage("invalid year '" + arg + "': expected YYYY in 1900..2100");
    }
    const auto holidays = calendar.Holidays(static_cast<int>(*year));
    if (o_.json) {
      out_ << "[";
      for (size_t i = 0; i < holidays.size(); ++i) {
        const auto& h = holidays[i];
        out_ << (i ? "," : "") << "{\"date\":\"" << FormatDate(h.date)
             << "\",\"name\":" << JsonString(h.name_vi) << ",\"name_en\":" << JsonString(h.name_en)
             << "}";
      }
      out_ << "]\n";
      return kExitOk;
    }
    for (const auto& h : holidays) {
      out_ << FormatDate(h.date) << "  " << h.name_vi << " (" << h.name_en << ")\n";
    }
    for (Date d : calendar.MakeUpWorkingDays(static_cast<int>(*year))) {
      out_ << FormatDate(d) << "  Làm bù (make-up working day)\n";
    }
    return kExitOk;
  }

  int PrintMoment(TimePoint t) {
    if (o_.json) {
      out_ << "{\"result\":\"" << FormatMoment(t) << "\"}\n";
    } else {
      out_ << FormatMoment(t) << "\n";
    }
    return kExitOk;
  }

  int AddDaysCmd(const WorkingCalendar& c, const std::string& moment, const std::string& n) {
    auto t = ParseMoment(moment);
    if (!t) return Usage(t.error().message);
    // Five digits: 99,999 working days already reach far past 2100.
    auto count = ParseCount(n, 5);
    if (!count) return Usage("invalid N '" + n + "': expected a non-negative whole number");
    auto r = c.AddWorkingDays(*t, static_cast<int>(*count));
    if (!r) return Usage(r.error().message);
    return PrintMoment(*r);
  }

  int AddHoursCmd(const WorkingCalendar& c, const std::string& moment, const std::string& h) {
    auto t = ParseMoment(moment);
    if (!t) return Usage(t.error().message);
    auto hours = ParseHours(h);
    if (!hours) return Usage(hours.error().message);
    auto r = c.AddWorkingHours(*t, *hours);
    if (!r) return Usage(r.error().message);
    return PrintMoment(*r);
  }

  int BetweenCmd(const WorkingCalendar& c, const std::string& a, const std::string& b) {
    auto from = ParseMoment(a);
    if (!from) return Usage(from.error().message);
    auto to = ParseMoment(b);
    if (!to) return Usage(to.error().message);
    auto d = c.WorkingTimeBetween(*from, *to);
    if (!d) return Usage(d.error().message);
    if (o_.json) {
      out_ << "{\"seconds\":" << std::chrono::duration_cast<std::chrono::seconds>(*d).count()
           << "}\n";
    } else {
      out_ << FormatDuration(*d) << "\n";
    }
    return kExitOk;
  }

  int IsWorkingCmd(const WorkingCalendar& c, const std::string& moment) {
    auto t = ParseMoment(moment);
    if (!t) return Usage(t.error().message);
    bool working = c.IsWorkingTime(*t);
    if (o_.json) {
      out_ << "{\"working\":" << (working ? "true" : "false") << "}\n";
    } else {
      out_ << FormatMoment(*t) << (working ? " is" : " is not") << " working time\n";
    }
    return kExitOk;
  }

  const Options& o_;
  const TableSource& tables_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace

int RunCalendarCli(const std::vector<std::string>& args, const TableSource& tables,
                   std::ostream& out, std::ostream& err) {
  auto options = ParseOptions(args);
  if (!options) {
    err << "motcua calendar: " << options.error().message << " (see --help)\n";
    return kExitUsage;
  }
  const Options& o = *options;
  if (o.operands.empty()) {
    if (o.help) {
      out << kUsage;
      return kExitOk;
    }
    err << "motcua calendar: missing command (see --help)\n";
    return kExitUsage;
  }
  const Command* command = nullptr;
  for (const auto& c : Commands()) {
    if (o.operands[0] == c.name) command = &c;
  }
  if (!command) {
    err << "motcua calendar: unknown command '" << o.operands[0] << "' (see --help)\n";
    return kExitUsage;
  }
  if (o.help) {
    out << command->help;
    return kExitOk;
  }
  Runner runner(o, tables, out, err);
  const size_t given = o.operands.size() - 1;
  if (given < command->operands.size()) {
    return runner.Usage(std::string("missing argument ") + command->operands[given] + " for " +
                        command->name + " (see " + command->name + " --help)");
  }
  if (given > command->operands.size()) {
    return runner.Usage("unexpected argument '" + o.operands[command->operands.size() + 1] + "'");
  }
  if (o.leap && std::string_view(command->name) != "to-solar") {
    return runner.Usage("option --leap applies only to to-solar");
  }
  return runner.Run(*command);
}

}  // namespace motcua::calendar
