// `motcua seed-statistics`: fills a demo database with the history of a
// province for the statistics benchmark (bench/stats_bench.sh, issue 7):
// N dossiers received over the last Y years, written straight into the
// tables the statistics read (dossiers, their digitised files, signed
// results and ratings), at some hundred thousand rows a second.
//
// These are rows for counting, not dossiers to work on: no personal data
// (empty applicant fields), no steps and no events, numbers of their own
// shape (AGENCY-YYMMDD-Bn). `motcua seed` walks dossiers through their
// workflows for the other benchmarks, at a thousand a second; ten million
// that way would take three hours.
//
// The province: the demo's, plus C generated communes since the two-level
// reform (1 July 2025), each the successor of three generated communes of
// ten generated districts before it, so that the figures by the units of
// the time and by today's units differ as they do in a real province.
//
// Distributions (fixed by --random-seed): working days (Saturdays a little,
// Sundays and holidays almost never), +12 % a year, more before Tết and
// fewer after; 62 % at communes (by a Zipf law of their size), 28 % at the
// provincial centre, 10 % at the departments; procedures of the unit's
// level by a Zipf law; online 15 % of the dossiers of procedures that allow
// it five years ago to 60 % now, by post 2 %; refused at intake 3 %,
// withdrawn 1.5 %; late 10 % falling to 3 %, on time 20 %, the rest early;
// one in ten paused for supplements; returned 92 %; documents digitised
// from 30 % to 85 %, electronic results from 10 % to 60 %; one returned
// dossier in eight rated (70 % very satisfied, 22 % satisfied). Whatever is
// not finished by now stays open, and 0.3 % of the last quarter's are stuck
// past their appointment.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <sstream>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/stats_repo.hpp"

namespace motcua::app {
namespace {

using calendar::Date;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using storage::accounts::FormatTime;

constexpr int kRowsPerStatement = 100;
constexpr int kDossiersPerTransaction = 20'000;

// Cumulative weights, drawn from by binary search.
class Weighted {
 public:
  void Add(double w) { sums_.push_back((sums_.empty() ? 0.0 : sums_.back()) + w); }
  std::size_t Draw(std::mt19937_64& g) const {
    const double x = std::uniform_real_distribution<double>(0.0, sums_.back())(g);
    return static_cast<std::size_t>(std::upper_bound(sums_.begin(), sums_.end(), x) -
                                    sums_.begin());
  }
  bool empty() const { return sums_.empty(); }

 private:
  std::vector<double> sums_;
};

// Units: `communes` new communes under the province, each the successor of
// three old ones under ten old districts.
std::string UnitsCsv(const std::string& province_code, int communes) {
  std::ostringstream csv;
  csv << "agency_code,stats_code,name,name_en,kind,parent_agency_code,valid_from,valid_to,"
         "successor_agency_codes\n";
  char code[32];
  auto new_code = [&](int i) {
    std::snprintf(code, sizeof code, "%03d.%02d.00.H55", 100 + i / 90, 10 + i % 90);
    return std::string(code);
  };
  for (int d = 0; d < 10; ++d) {
    std::snprintf(code, sizeof code, "300.00.%02d.H55", 50 + d);
    csv << code << ',' << 900 + d << ",Huyện Mẫu " << d + 1 << ",Sample District " << d + 1
        << ",district," << province_code << ",2015-01-01,2025-07-01,\n";
  }
  for (int i = 0; i < communes; ++i) {
    csv << new_code(i) << ',' << 90000 + i << ",Xã Mẫu " << i + 1 << ",Sample Commune " << i + 1
        << ",commune," << province_code << ",2025-07-01,,\n";
  }
  for (int i = 0; i < communes; ++i) {
    for (int k = 0; k < 3; ++k) {
      char district[32];
      std::snprintf(district, sizeof district, "300.00.%02d.H55", 50 + i % 10);
      std::snprintf(code, sizeof code, "%03d.%02d.%02d.H55", 200 + i / 90, 10 + i % 90, 10 + k);
      csv << code << ',' << 80000 + i * 3 + k << ",Xã Cũ " << i + 1 << '-' << k + 1
          << ",Former Commune " << i + 1 << '-' << k + 1 << ",commune," << district
          << ",2015-01-01,2025-07-01," << new_code(i) << '\n';
    }
  }
  return csv.str();
}

std::string Hex32(std::int64_t kind, std::int64_t id) {
  char out[40];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(kind),
                static_cast<unsigned long long>(id));
  return out;
}

std::string Base32Code(std::int64_t id) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out(16, 'a');
  for (std::size_t i = 16; i-- > 1 && id > 0; id /= 32) out[i] = kAlphabet[id % 32];
  out[0] =
      'z';  // generated codes begin with z: none of motcua's own (random) will collide in practice
  return out;
}

// Rows of one table, sent as multi-row INSERTs.
class Inserter {
 public:
  Inserter(std::string table, std::vector<std::string> columns)
      : table_(std::move(table)), columns_(std::move(columns)) {}
  void Add(storage::Params row) {
    for (auto& v : row) pending_.push_back(std::move(v));
    ++rows_;
  }
  Status Flush(storage::Tx& tx) {
    while (rows_ > 0) {
      const int n = std::min(rows_, kRowsPerStatement);
      storage::Params params(
          std::make_move_iterator(pending_.begin()),
          std::make_move_iterator(pending_.begin() + n * static_cast<long>(columns_.size())));
      pending_.erase(pending_.begin(), pending_.begin() + n * static_cast<long>(columns_.size()));
      rows_ -= n;
      MOTCUA_TRY_VOID(tx.Send(Sql(n), params, {.rows = n}));
    }
    return {};
  }

 private:
  std::string Sql(int n) {
    std::string sql = "INSERT INTO " + table_ + " (";
    for (std::size_t c = 0; c < columns_.size(); ++c) sql += (c ? ", " : "") + columns_[c];
    sql += ") VALUES ";
    int p = 1;
    for (int r = 0; r < n; ++r) {
      sql += r ? ",(" : "(";
      for (std::size_t c = 0; c < columns_.size(); ++c)
        sql += (c ? ",$" : "$") + std::to_string(p++);
      sql += ')';
    }
    return sql;
  }
  std::string table_;
  std::vector<std::string> columns_;
  storage::Params pending_;
  int rows_ = 0;
};

storage::Value Opt(const std::optional<TimePoint>& t) {
  if (!t) return storage::Null{};
  return FormatTime(*t);
}

}  // namespace

int RunSeedStatistics(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back({"dossiers", "N", "dossiers to generate", "1000000"});
  options.push_back({"years", "Y", "years of history, up to yesterday", "5"});
  options.push_back({"communes", "C",
                     "communes to add to the demo province (each with three former ones)", "90"});
  options.push_back(
      {"random-seed", "S", "seed of the generator: the same seed gives the same data", "766"});
  options.push_back({"now", "MOMENT",
                     "the moment the history ends (2026-12-02T08:00+07:00; default: now):\n"
                     "the same seed and moment give the same rows on any engine",
                     ""});
  Command cmd(
      "motcua seed-statistics [options]",
      "Fills a database that holds the demo province with the history of a province for the\n"
      "statistics benchmark: N dossiers over Y years, written straight into the tables the\n"
      "statistics read (rows for counting: no personal data, steps or events).",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "seed-statistics", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  auto number = [&](const char* name, long long min, long long max) -> std::optional<long long> {
    char* end = nullptr;
    std::string text = parsed->Get(name);
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < min || v > max) return std::nullopt;
    return v;
  };
  auto total = number("dossiers", 1, 100'000'000);
  auto years = number("years", 1, 20);
  auto communes = number("communes", 0, 900);
  auto seed = number("random-seed", 0, INT64_MAX);
  std::optional<TimePoint> until;
  if (!parsed->Get("now").empty()) {
    auto moment = calendar::ParseMoment(parsed->Get("now"));
    if (!moment)
      return ReportError(
          err, "seed-statistics",
          InvalidField("now", "must be a moment such as 2026-12-02T08:00+07:00").error(), 2);
    until = *moment;
  }
  if (!total || !years || !communes || !seed)
    return ReportError(
        err, "seed-statistics",
        InvalidField(
            "options",
            "--dossiers 1-100000000, --years 1-20, --communes 0-900, --random-seed a whole number")
            .error(),
        2);
  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "seed-statistics", store.error(), 1);
  SystemClock clock;
  auto created = App::Create(
      **store, clock,
      AppOptions{.data_dir = parsed->Get("data-dir"), .office_hours = parsed->Get("office-hours")});
  if (!created) return ReportError(err, "seed-statistics", created.error(), 1);
  App& app = **created;
  std::optional<storage::accounts::UserRow> admin;
  std::int64_t first_id = 1;
  Status read = (*store)->Read([&](storage::Tx& tx) -> Status {
    admin = MOTCUA_TRY(storage::accounts::FindUserByUsername(tx, "admin"));
    first_id = MOTCUA_TRY(tx.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers")).at(0).Int(0);
    return {};
  });
  if (!read) return ReportError(err, "seed-statistics", read.error(), 1);
  if (!admin)
    return ReportError(
        err, "seed-statistics",
        Error{Code::kFailedPrecondition, "run 'motcua demo' first: no user 'admin'", {}}, 1);

  // Rows without events are what a statistics snapshot cannot see change:
  // the next start counts from scratch (services/stats/stats_service.hpp).
  if (auto st = (*store)->WriteSync(
          [](storage::Tx& tx) -> Status { return storage::stats::DeleteSnapshots(tx); });
      !st)
    return ReportError(err, "seed-statistics", st.error(), 1);

  // The province's units.
  auto tree = app.units().Tree();
  // By value: the tree is replaced when the communes are added.
  std::optional<units::Unit> province;
  for (const auto& u : tree->units())
    if (u.kind == units::Kind::kProvince && !u.valid_to) province = u;
  if (!province)
    return ReportError(err, "seed-statistics",
                       Error{Code::kFailedPrecondition, "no province in the database", {}}, 1);
  if (*communes > 0) {
    bool added = false;
    for (const auto& u : tree->units()) added = added || u.name == "Xã Mẫu 1";
    if (!added) {
      auto imported =
          app.units().ImportCsv(UnitsCsv(province->agency_code, static_cast<int>(*communes)));
      if (!imported) return ReportError(err, "seed-statistics", imported.error(), 1);
      tree = app.units().Tree();
    }
  }
  struct Place {
    std::int64_t id;
    std::string agency_code;
  };
  std::vector<Place> communes_before, communes_after, departments;
  std::optional<Place> centre;
  for (const auto& u : tree->units()) {
    if (!tree->IsSameOrBelow(u.id, province->id) && u.successors.empty()) continue;
    Place p{u.id, u.agency_code};
    if (u.kind == units::Kind::kCommune)
      (u.valid_to ? communes_before : communes_after).push_back(p);
    if (u.kind == units::Kind::kDepartment && !u.valid_to) departments.push_back(p);
    if (u.kind == units::Kind::kCenter && !u.valid_to) centre = p;
  }
  if (communes_before.empty() || communes_after.empty() || departments.empty() || !centre)
    return ReportError(
        err, "seed-statistics",
        Error{Code::kFailedPrecondition,
              "the province needs communes before and after the reform, departments and a centre",
              {}},
        1);

  // Procedures of each level, in Zipf order (a shuffled order of the catalogue).
  std::mt19937_64 g(static_cast<std::uint64_t>(*seed));
  auto catalog = app.catalog().Snapshot();
  std::vector<const catalog::Procedure*> commune_procedures, province_procedures;
  const std::vector<catalog::Procedure> in_force =
      catalog->AllInForce(calendar::LocalDate(until.value_or(clock.Now())));
  for (const catalog::Procedure& p : in_force) {
    for (auto level : p.levels) {
      if (level == catalog::Level::kCommune) commune_procedures.push_back(&p);
      if (level == catalog::Level::kProvince) province_procedures.push_back(&p);
    }
  }
  if (commune_procedures.empty() || province_procedures.empty())
    return ReportError(err, "seed-statistics",
                       Error{Code::kFailedPrecondition,
                             "the catalogue needs procedures of communes and of the province",
                             {}},
                       1);
  std::shuffle(commune_procedures.begin(), commune_procedures.end(), g);
  std::shuffle(province_procedures.begin(), province_procedures.end(), g);
  auto zipf = [](std::size_t n, double s) {
    Weighted w;
    for (std::size_t i = 0; i < n; ++i) w.Add(1.0 / std::pow(static_cast<double>(i + 1), s));
    return w;
  };
  const Weighted commune_procedure = zipf(commune_procedures.size(), 1.1);
  const Weighted province_procedure = zipf(province_procedures.size(), 0.9);
  std::shuffle(communes_before.begin(), communes_before.end(), g);
  std::shuffle(communes_after.begin(), communes_after.end(), g);
  const Weighted commune_before = zipf(communes_before.size(), 0.7);
  const Weighted commune_after = zipf(communes_after.size(), 0.7);
  const Weighted department = zipf(departments.size(), 0.8);

  // Days: the last Y years up to yesterday, weighted.
  const calendar::WorkingCalendar& cal = app.calendar();
  const TimePoint now = until.value_or(clock.Now());
  const Date today = calendar::LocalDate(now);
  const Date first_day = today - days(365 * *years);
  Weighted day_weight;
  std::vector<double> weights;
  for (Date d = first_day; d < today; d += days(1)) {
    const std::chrono::weekday wd{d};
    const std::chrono::year_month_day ymd{d};
    const TimePoint noon =
        std::chrono::time_point_cast<Micros>(std::chrono::sys_days(d) - calendar::kVietnamOffset) +
        hours(9);
    double w = cal.IsWorkingTime(noon) ? 1.0 : (wd == std::chrono::Saturday ? 0.08 : 0.005);
    w *= std::pow(1.12, static_cast<double>((d - first_day).count()) / 365.0);
    const unsigned month = static_cast<unsigned>(ymd.month());
    if (month == 1) w *= 1.25;  // before Tết
    if (month == 2) w *= 0.75;  // after it
    if (month == 8) w *= 1.1;   // school enrolment
    weights.push_back(w);
  }
  double sum = 0;
  for (double w : weights) sum += w;
  // Dossiers per day, in time order, so that ids grow with time as they do.
  std::vector<std::int64_t> per_day(weights.size());
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    per_day[i] = static_cast<std::int64_t>(static_cast<double>(*total) * weights[i] / sum);
    assigned += per_day[i];
  }
  for (std::int64_t i = 0; assigned < *total; ++i, ++assigned)
    ++per_day[static_cast<std::size_t>(i * 7919) % per_day.size()];

  Inserter dossiers("dossiers", {"id",
                                 "number",
                                 "lookup_hash",
                                 "procedure_id",
                                 "procedure_code",
                                 "workflow_code",
                                 "workflow_version",
                                 "state",
                                 "national_status",
                                 "clock",
                                 "terminal",
                                 "acting_roles",
                                 "channel",
                                 "applicant_name",
                                 "applicant_name_key",
                                 "applicant_id_number",
                                 "applicant_phone",
                                 "applicant_email",
                                 "applicant_address",
                                 "created_by",
                                 "receiving_unit_id",
                                 "current_unit_id",
                                 "submitted_at",
                                 "accepted_at",
                                 "clock_start",
                                 "due_at",
                                 "paused_micros",
                                 "supplement_count",
                                 "finished_at",
                                 "returned_at",
                                 "timeliness",
                                 "queue_at",
                                 "updated_at"});
  Inserter files("attachments", {"id", "owner_user_id", "dossier_id", "component_code", "sha256",
                                 "size", "media_type", "original_name", "key_id", "created_at"});
  Inserter results("dossier_results",
                   {"dossier_id", "code", "draft_attachment_id", "generated", "drafted_by",
                    "drafted_at", "signed_attachment_id", "signed_sha256", "signed_by", "signed_at",
                    "signer_name", "signer_organization"});
  Inserter ratings("dossier_ratings", {"dossier_id", "level", "comment", "rated_by", "rated_at"});
  const std::string sha(64, 'b');
  const std::int64_t by = admin->id;
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  std::int64_t id = first_id, written = 0, open = 0;
  std::int64_t counts[4] = {0, 0, 0, 0};  // files, results, ratings, stuck
  const auto started = std::chrono::steady_clock::now();
  auto commit = [&]() -> Status {
    return (*store)->WriteSync([&](storage::Tx& tx) -> Status {
      MOTCUA_TRY_VOID(dossiers.Flush(tx));
      MOTCUA_TRY_VOID(files.Flush(tx));
      MOTCUA_TRY_VOID(results.Flush(tx));
      MOTCUA_TRY_VOID(ratings.Flush(tx));
      return {};
    });
  };
  int pending = 0;
  for (std::size_t di = 0; di < per_day.size(); ++di) {
    const Date day = first_day + days(static_cast<std::int64_t>(di));
    const double age =
        static_cast<double>(di) / 365.0 / static_cast<double>(*years);  // 0 five years ago, 1 now
    const bool reformed = day >= units::kDistrictsAbolished;
    const std::chrono::year_month_day ymd{day};
    char yymmdd[16];
    std::snprintf(yymmdd, sizeof yymmdd, "%02d%02u%02u", static_cast<int>(ymd.year()) % 100,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const TimePoint midnight =
        std::chrono::time_point_cast<Micros>(std::chrono::sys_days(day) - calendar::kVietnamOffset);
    for (std::int64_t k = 0; k < per_day[di]; ++k, ++id) {
      // Where and what.
      const double where = u01(g);
      const Place& unit = where < 0.62   ? (reformed ? communes_after[commune_after.Draw(g)]
                                                     : communes_before[commune_before.Draw(g)])
                          : where < 0.90 ? *centre
                                         : departments[department.Draw(g)];
      const catalog::Procedure& proc = where < 0.62
                                           ? *commune_procedures[commune_procedure.Draw(g)]
                                           : *province_procedures[province_procedure.Draw(g)];
      const bool online_allowed = proc.online_mode != catalog::OnlineMode::kNone;
      const double c = u01(g);
      const int channel = online_allowed && c < 0.15 + 0.45 * age ? 2 : (c > 0.98 ? 3 : 1);
      // When: office hours, 07:30-11:30 and 13:30-17:00.
      const int minute = std::uniform_int_distribution<int>(0, 449)(g);
      const TimePoint received =
          midnight + minutes(minute < 240 ? 450 + minute : 810 + (minute - 240));
      // What became of it.
      const double fate = u01(g);
      std::optional<TimePoint> accepted, due, finished, returned;
      std::optional<std::string> timeliness;
      std::int64_t paused = 0;
      int supplements = 0;
      int status = 4;
      if (fate < 0.03) {  // refused at intake, within the hour
        finished = received + minutes(std::uniform_int_distribution<int>(5, 60)(g));
        status = 3;
      } else {
        accepted = received;
        const int limit = proc.time_limit.value;
        auto d = proc.time_limit.unit == catalog::TimeUnit::kWorkingHours
                     ? cal.AddWorkingHours(received, std::chrono::hours(limit))
                     : cal.AddWorkingDays(received, std::max(limit, 1));
        due = d ? *d : received + days(limit + 2);
        if (u01(g) < 0.10) {
          supplements = 1;
          paused = 2LL * 8 * 3600 * 1'000'000;  // two working days with the citizen
          *due += days(2);
        }
        const Date due_day = calendar::LocalDate(*due);
        const double span =
            std::max<double>(3600.0, std::chrono::duration<double>(*due - received).count());
        if (fate < 0.045) {  // withdrawn by the citizen, before it was done
          finished =
              received + std::chrono::seconds(static_cast<std::int64_t>(span * u01(g) * 0.8));
          status = 7;
        } else {
          const double late_share = 0.10 - 0.07 * age, on_time_share = 0.20;
          const double o = u01(g);
          TimePoint done;
          if (o < late_share) {
            done = *due + days(std::uniform_int_distribution<int>(1, 20)(g));
            timeliness = "late";
          } else if (o < late_share + on_time_share) {
            // On the appointment's day, before its time.
            const TimePoint day_start =
                std::chrono::time_point_cast<Micros>(std::chrono::sys_days(due_day) -
                                                     calendar::kVietnamOffset) +
                minutes(450);
            done = std::max(
                received,
                std::min(*due, day_start + minutes(std::uniform_int_distribution<int>(0, 400)(g))));
            timeliness = calendar::LocalDate(done) < due_day ? "early" : "on_time";
          } else {
            done = received +
                   std::chrono::seconds(static_cast<std::int64_t>(span * (0.2 + 0.7 * u01(g))));
            timeliness = calendar::LocalDate(done) < due_day ? "early" : "on_time";
          }
          const bool stuck = day >= today - days(90) && u01(g) < 0.003;
          if (done <= now && !stuck) {
            finished = done;
            status = 9;
            if (u01(g) < 0.92) {
              const TimePoint back = done + hours(std::uniform_int_distribution<int>(1, 72)(g));
              if (back <= now) {
                returned = back;
                status = 10;
              }
            }
          } else {
            timeliness.reset();
            counts[3] += stuck;
          }
        }
      }
      const bool terminal = finished.has_value();
      open += !terminal;
      storage::Params row = {
          id,
          unit.agency_code + "-" + yymmdd + "-B" + std::to_string(id),
          std::string("generated"),
          proc.id,
          proc.code,
          proc.workflow_code,
          std::int64_t{1},
          std::string(terminal ? "generated-finished" : "generated-open"),
          std::int64_t{status},
          std::string(terminal ? "stopped" : "running"),
          std::int64_t{terminal ? 1 : 0},
          std::int64_t{0},
          std::int64_t{channel},
          std::string(),
          std::string(),
          std::string(),
          std::string(),
          std::string(),
          std::string(),
          by,
          unit.id,
          unit.id,
          FormatTime(received),
          Opt(accepted),
          Opt(accepted),
          Opt(due),
          paused,
          std::int64_t{supplements},
          Opt(finished),
          Opt(returned),
          timeliness ? storage::Value(*timeliness) : storage::Value(storage::Null{}),
          FormatTime(due.value_or(received)),
          FormatTime(finished.value_or(received))};
      dossiers.Add(std::move(row));
      // Its documents as files, its signed result, its rating.
      if (channel == 2 || u01(g) < 0.30 + 0.55 * age) {
        const std::string component =
            proc.components.empty() ? std::string("TP1") : proc.components.front().code;
        files.Add({Hex32(1, id), by, id, component, sha, std::int64_t{120'000},
                   std::string("application/pdf"), std::string("ho-so.pdf"),
                   std::string("generated"), FormatTime(received)});
        ++counts[0];
      }
      if (finished && status >= 9 && u01(g) < 0.10 + 0.50 * age) {
        const std::string file = Hex32(2, id);
        files.Add({file, by, id, storage::Null{}, sha, std::int64_t{80'000},
                   std::string("application/pdf"), std::string("ket-qua.pdf"),
                   std::string("generated"), FormatTime(*finished)});
        results.Add({id, Base32Code(id), file, std::int64_t{1}, by, FormatTime(*finished), file,
                     sha, by, FormatTime(*finished), std::string("Lãnh đạo"),
                     std::string("Đơn vị")});
        ++counts[1];
      }
      if (returned && u01(g) < 0.125) {
        const TimePoint at = *returned + hours(std::uniform_int_distribution<int>(1, 120)(g));
        if (at <= now) {
          const double r = u01(g);
          ratings.Add({id,
                       std::int64_t{r < 0.70   ? 3
                                    : r < 0.92 ? 2
                                               : 1},
                       std::string(), storage::Null{}, FormatTime(at)});
          ++counts[2];
        }
      }
      if (++pending == kDossiersPerTransaction) {
        if (Status st = commit(); !st) return ReportError(err, "seed-statistics", st.error(), 1);
        written += pending;
        pending = 0;
        if (written % 1'000'000 == 0) {
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          out << written << " dossiers in " << static_cast<long long>(s) << " s\n" << std::flush;
        }
      }
    }
  }
  if (Status st = commit(); !st) return ReportError(err, "seed-statistics", st.error(), 1);
  written += pending;
  if ((*store)->engine() == "postgresql") {
    // Later dossiers take ids after these.
    Status st = (*store)->WriteSync([](storage::Tx& tx) -> Status {
      MOTCUA_TRY(
          tx.Query("SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT MAX(id) FROM "
                   "dossiers))"));
      MOTCUA_TRY(tx.Exec("ANALYZE"));
      return {};
    });
    if (!st) return ReportError(err, "seed-statistics", st.error(), 1);
  } else {
    Status st = (*store)->WriteSync([](storage::Tx& tx) -> Status {
      MOTCUA_TRY(tx.Exec("ANALYZE"));
      return {};
    });
    if (!st) return ReportError(err, "seed-statistics", st.error(), 1);
  }
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << written << " dossiers from " << calendar::FormatDate(first_day) << " to "
      << calendar::FormatDate(today - days(1)) << " (" << open << " open, " << counts[3]
      << " stuck past their appointment), " << counts[0] << " digitised, " << counts[1]
      << " signed results, " << counts[2] << " ratings, in " << static_cast<long long>(s) << " s\n";
  return 0;
}

}  // namespace motcua::app
