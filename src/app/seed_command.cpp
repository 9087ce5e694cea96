// `motcua seed`: fills a demo database with dossiers of realistic shape for
// benchmarks (bench/dossier_bench.sh): received at counters and by post
// across the communes and the provincial centre, spread over the working
// days since the two-level reform, each walked through its workflow by the
// dossier service's own rules (numbers, deadlines, steps, hash-chained
// events), in time order across all dossiers.
//
// Generated dossiers are counter (channel 1) and postal (channel 3) intake:
// their papers are checked at the counter, so they need no uploaded files.
// Online submission with files is measured by the HTTP benchmark.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <queue>
#include <random>

#include "app/commands.hpp"
#include "app/settings.hpp"
#include "app/wiring.hpp"
#include "core/calendar/date.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::app {
namespace {

using accounts::Principal;
using accounts::Role;

// One dossier's plan: the workflow path to follow, and its fate.
struct Plan {
  std::int64_t id = 0;
  const workflow::Workflow* wf = nullptr;
  const std::vector<const workflow::Action*>* path = nullptr;
  std::size_t next = 0;         // index into path
  int supplements = 0;          // requests for supplements still to make
  bool refuse = false;          // refused at intake
  std::size_t withdraw_at = 0;  // withdrawn before this path index (0: never)
  bool parked = false;          // stays in processing for the transition benchmark
  bool stalls = false;          // left in an inbox after its acceptance (becomes overdue)
  std::string state;            // where the dossier is now
  std::int64_t unit = 0;        // the unit it is at now
};

struct Due {
  TimePoint at;
  std::size_t plan;
  bool operator>(const Due& o) const { return at > o.at; }
};

// The shortest way from the initial state to the result returned (national
// status 10), avoiding pauses, optional steps and endings that are not a
// result: the main path a dossier usually takes.
std::vector<const workflow::Action*> MainPath(const workflow::Workflow& wf) {
  std::size_t n = wf.states().size();
  std::vector<int> via(n, -1);   // the action that first reached a state
  std::vector<int> prev(n, -1);  // and the state it left
  std::vector<bool> seen(n, false);
  std::queue<std::size_t> q;
  std::size_t start = *wf.FindStateIndex(wf.initial().id);
  q.push(start);
  seen[start] = true;
  std::optional<std::size_t> goal;
  while (!q.empty() && !goal) {
    std::size_t s = q.front();
    q.pop();
    for (std::size_t a = 0; a < wf.actions().size(); ++a) {
      const auto& act = wf.actions()[a];
      if ((act.from_mask & (std::uint64_t{1} << s)) == 0 || act.optional) continue;
      const auto& to = wf.states()[act.to];
      if (to.clock == workflow::Clock::kPaused || seen[act.to]) continue;
      if (to.terminal && to.national_status != workflow::NationalStatus::kReturned) continue;
      seen[act.to] = true;
      via[act.to] = static_cast<int>(a);
      prev[act.to] = static_cast<int>(s);
      if (to.national_status == workflow::NationalStatus::kReturned) {
        goal = act.to;
        break;
      }
      q.push(act.to);
    }
  }
  std::vector<const workflow::Action*> path;
  if (!goal) return path;
  for (std::size_t s = *goal; s != start; s = static_cast<std::size_t>(prev[s]))
    path.push_back(&wf.actions()[via[s]]);
  std::reverse(path.begin(), path.end());
  return path;
}

// The action of `wf` from `state` into a paused supplement state, if any.
const workflow::Action* SupplementAction(const workflow::Workflow& wf, std::string_view state,
                                         bool request) {
  auto index = wf.FindStateIndex(state);
  if (!index) return nullptr;
  for (const auto& a : wf.actions()) {
    const auto& to = wf.states()[a.to];
    if (request && (a.from_mask & (std::uint64_t{1} << *index)) &&
        to.clock == workflow::Clock::kPaused &&
        to.national_status == workflow::NationalStatus::kSupplementRequested)
      return &a;
    if (!request && (a.from_mask & (std::uint64_t{1} << *index)) &&
        to.clock == workflow::Clock::kRunning)
      return &a;
  }
  return nullptr;
}

const char* kFamily[] = {"Nguyễn", "Trần", "Lê",  "Phạm",  "Hoàng", "Vũ", "Đặng", "Bùi",
                         "Đỗ",     "Hồ",   "Ngô", "Dương", "Lý",    "Ma", "Hà",   "Nông"};
const char* kMiddle[] = {"Văn",   "Thị",  "Đức", "Minh",  "Thu",
                         "Quang", "Ngọc", "Hữu", "Thanh", "Kim"};
const char* kGiven[] = {"An",    "Bình", "Chi",  "Dũng",  "Giang", "Hà",  "Hải", "Hòa",  "Hương",
                        "Khánh", "Lan",  "Linh", "Long",  "Mai",   "Nam", "Nga", "Phúc", "Quân",
                        "Sơn",   "Tâm",  "Thảo", "Trang", "Tuấn",  "Vân", "Yến"};

}  // namespace

int RunSeed(const Args& args, std::ostream& out, std::ostream& err) {
  auto options = CommonOptions();
  options.push_back({"dossiers", "N", "dossiers to generate", "10000"});
  options.push_back({"parked", "K",
                     "extra dossiers left in processing today, for the transition benchmark", "0"});
  options.push_back(
      {"from", "YYYY-MM-DD", "first day of receipt (default: the two-level reform)", "2025-07-01"});
  options.push_back(
      {"random-seed", "S", "seed of the generator: the same seed gives the same data", "20260701"});
  options.push_back(
      {"out", "DIR", "write lookups.tsv (number, secret) and parked.txt (ids) here", ""});
  options.push_back({"actors", "WHO",
                     "who takes the steps: admin (fastest) or staff (the demo's own officers,\n"
                     "specialists and leaders, at the units they staff)",
                     "admin", false});
  options.push_back({"if-empty", "",
                     "do nothing (and succeed) if the database holds dossiers already", "", false});
  Command cmd(
      "motcua seed [options]",
      "Fills a database that holds the demo province with generated dossiers for benchmarks:\n"
      "counter and postal intake across the communes and the provincial centre, each walked\n"
      "through its workflow by the dossier service's rules, in time order, up to now.",
      options);
  auto parsed = ParseCommand(cmd, args);
  if (!parsed) return ReportError(err, "seed", parsed.error(), 2);
  if (parsed->help) {
    out << cmd.Help();
    return 0;
  }
  auto number = [&](const char* name, long long max) -> std::optional<long long> {
    char* end = nullptr;
    std::string text = parsed->Get(name);
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v < 0 || v > max) return std::nullopt;
    return v;
  };
  auto total = number("dossiers", 100'000'000);
  auto parked_count = number("parked", 1'000'000);
  auto seed = number("random-seed", INT64_MAX);
  auto from = calendar::ParseDate(parsed->Get("from"));
  if (!total || !parked_count || !seed || !from)
    return ReportError(
        err, "seed",
        InvalidField("options",
                     "--dossiers, --parked and --random-seed are whole numbers, --from a date")
            .error(),
        2);

  const std::string actors = parsed->Get("actors");
  if (actors != "admin" && actors != "staff")
    return ReportError(err, "seed", InvalidField("actors", "must be admin or staff").error(), 2);
  auto store = OpenStore(*parsed);
  if (!store) return ReportError(err, "seed", store.error(), 1);
  if (parsed->Has("if-empty")) {
    std::int64_t held = 0;
    Status counted = (*store)->Read([&](storage::Tx& tx) -> Status {
      held = MOTCUA_TRY(tx.Query("SELECT count(*) FROM (SELECT 1 FROM dossiers LIMIT 1)"))
                 .at(0)
                 .Int(0);
      return {};
    });
    if (!counted) return ReportError(err, "seed", counted.error(), 1);
    if (held > 0) {
      out << "the database holds dossiers already; nothing seeded\n";
      return 0;
    }
  }
  SystemClock clock;
  auto created = App::Create(
      **store, clock,
      AppOptions{.data_dir = parsed->Get("data-dir"), .office_hours = parsed->Get("office-hours")});
  if (!created) return ReportError(err, "seed", created.error(), 1);
  App& app = **created;
  const TimePoint now = clock.Now();
  const TimePoint start = std::chrono::time_point_cast<Micros>(std::chrono::sys_days(*from) -
                                                               calendar::kVietnamOffset) +
                          std::chrono::hours(8);
  if (start >= now)
    return ReportError(err, "seed", InvalidField("from", "must be in the past").error(), 2);

  // Who acts: the demo's system administrator holds every staff role
  // everywhere, so one principal can take every step.
  std::optional<storage::accounts::UserRow> admin;
  Status read = (*store)->Read([&](storage::Tx& tx) -> Status {
    admin = MOTCUA_TRY(storage::accounts::FindUserByUsername(tx, "admin"));
    return {};
  });
  if (!read) return ReportError(err, "seed", read.error(), 1);
  if (!admin)
    return ReportError(
        err, "seed",
        Error{Code::kFailedPrecondition, "run 'motcua demo' first: no user 'admin'", {}}, 1);
  Principal actor{admin->id,
                  admin->username,
                  admin->display_name,
                  admin->roles,
                  accounts::AuthMethod::kSession,
                  0,
                  ""};
  // --actors staff: every enabled officer, specialist and leader, so that
  // the process control sheets name the people a province would see.
  std::vector<Principal> staff;
  if (actors == "staff") {
    Status listed = (*store)->Read([&](storage::Tx& tx) -> Status {
      for (auto& u : MOTCUA_TRY(storage::accounts::ListUsers(tx, 0, 10'000))) {
        if (u.disabled) continue;
        bool works = false;
        for (const auto& b : u.roles)
          works = works || b.role == Role::kOfficer || b.role == Role::kSpecialist ||
                  b.role == Role::kUnitLeader;
        if (works)
          staff.push_back(Principal{u.id, u.username, u.display_name, u.roles,
                                    accounts::AuthMethod::kSession, 0, ""});
      }
      return {};
    });
    if (!listed) return ReportError(err, "seed", listed.error(), 1);
  }
  const auto& hierarchy = app.hierarchy();
  auto staffed = [&](std::int64_t unit, std::initializer_list<Role> roles) {
    for (Role r : roles) {
      bool someone = std::any_of(staff.begin(), staff.end(), [&](const Principal& p) {
        return p.HasRoleAt(r, unit, hierarchy);
      });
      if (!someone) return false;
    }
    return true;
  };

  // Where dossiers are received: communes take commune procedures, the
  // provincial centre takes the province's.
  auto tree = app.units().Tree();
  const catalog::Date today{calendar::LocalDate(now)};
  std::vector<std::int64_t> communes, departments;
  std::int64_t centre = 0;
  const bool by_staff = actors == "staff";
  for (const auto& u : tree->units()) {
    if (!u.ActiveOn(today)) continue;
    // With the demo's staff acting, dossiers go only where someone can take
    // every step: a commune's officer, specialist and leader; a department's
    // specialist and leader; the centre's officer.
    if (u.kind == units::Kind::kCommune &&
        (!by_staff || staffed(u.id, {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader})))
      communes.push_back(u.id);
    if (u.kind == units::Kind::kDepartment &&
        (!by_staff || staffed(u.id, {Role::kSpecialist, Role::kUnitLeader})))
      departments.push_back(u.id);
    if (u.kind == units::Kind::kCenter && (!by_staff || staffed(u.id, {Role::kOfficer})))
      centre = u.id;
  }
  auto catalog = app.catalog().Snapshot();
  std::vector<catalog::Procedure> procedures;
  for (const auto& p : catalog->AllInForce(today))
    if (catalog->InForce(p.code, catalog::Date{calendar::LocalDate(start)}) != nullptr)
      procedures.push_back(p);
  if (communes.empty() || procedures.empty() || centre == 0)
    return ReportError(
        err, "seed",
        Error{Code::kFailedPrecondition, "run 'motcua demo' first: no units or procedures", {}}, 1);
  std::map<std::string, std::vector<const workflow::Action*>> paths;
  for (const auto* wf : app.workflows().Latest()) paths[wf->code()] = MainPath(*wf);

  std::mt19937_64 rng(static_cast<std::uint64_t>(*seed));
  auto uniform = [&](double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(rng);
  };
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const calendar::WorkingCalendar& cal = app.calendar();
  const Micros day = cal.office_hours().DayLength();
  auto later = [&](TimePoint from_t, double working_days) {
    auto t =
        cal.AddWorkingHours(from_t, Micros(static_cast<std::int64_t>(working_days * day.count())));
    return t ? *t : from_t;
  };

  // Submission moments, in order: working time spread evenly over the
  // period. Parked dossiers arrive in the last working day.
  std::vector<std::pair<TimePoint, bool>> arrivals;  // moment, parked
  auto span = cal.WorkingTimeBetween(start, now);
  if (!span) return ReportError(err, "seed", span.error(), 1);
  for (long long i = 0; i < *total; ++i)
    arrivals.emplace_back(
        *cal.AddWorkingHours(start,
                             Micros(static_cast<std::int64_t>(uniform(0, 1) * span->count()))),
        false);
  const TimePoint recent = std::max(start, now - std::chrono::hours(24));
  for (long long i = 0; i < *parked_count; ++i) arrivals.emplace_back(recent, true);
  std::sort(arrivals.begin(), arrivals.end());

  std::vector<Plan> plans;
  plans.reserve(arrivals.size());
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due;
  std::ofstream lookups, parked_ids;
  const std::string out_dir = parsed->Get("out");
  if (!out_dir.empty()) {
    std::filesystem::create_directories(out_dir);
    lookups.open(out_dir + "/lookups.tsv");
    parked_ids.open(out_dir + "/parked.txt");
  }
  std::size_t next_arrival = 0, actions = 0, open = 0, stalled = 0;
  auto started = std::chrono::steady_clock::now();

  // One transaction per batch of steps: durable in big groups, as an import would be.
  constexpr std::size_t kBatch = 2000;
  while (next_arrival < arrivals.size() || !due.empty()) {
    Status st = (*store)->WriteSync([&](storage::Tx& tx) -> Status {
      for (std::size_t n = 0; n < kBatch; ++n) {
        bool take_arrival = next_arrival < arrivals.size() &&
                            (due.empty() || arrivals[next_arrival].first <= due.top().at);
        if (!take_arrival && due.empty()) break;
        if (take_arrival) {
          const auto [at, parked] = arrivals[next_arrival];
          ++next_arrival;
          Plan plan;
          plan.parked = parked;
          const catalog::Procedure* proc = nullptr;
          for (int tries = 0; tries < 50 && proc == nullptr; ++tries) {
            const auto& p = procedures[pick(procedures.size())];
            if (parked && p.workflow_code != "commune-simple") continue;
            proc = &p;
          }
          if (proc == nullptr)
            return Fail(Code::kFailedPrecondition,
                        "no commune-simple procedure to park dossiers in");
          bool commune_level = std::find(proc->levels.begin(), proc->levels.end(),
                                         catalog::Level::kCommune) != proc->levels.end();
          dossiers::SubmitRequest req;
          req.procedure_code = proc->code;
          req.unit_id = commune_level ? communes[pick(communes.size())] : centre;
          req.channel =
              uniform(0, 1) < 0.85 ? dossiers::Channel::kCounter : dossiers::Channel::kPost;
          req.consent = true;
          req.applicant.full_name = std::string(kFamily[pick(std::size(kFamily))]) + " " +
                                    kMiddle[pick(std::size(kMiddle))] + " " +
                                    kGiven[pick(std::size(kGiven))];
          char id_number[16];
          std::snprintf(id_number, sizeof id_number, "0%02d%09llu", static_cast<int>(1 + pick(96)),
                        static_cast<unsigned long long>(rng() % 1'000'000'000ULL));
          req.applicant.id_number = id_number;
          char phone[16];
          std::snprintf(phone, sizeof phone, "09%08llu",
                        static_cast<unsigned long long>(rng() % 100'000'000ULL));
          req.applicant.phone = phone;
          std::string secret;
          for (int i = 0; i < 8; ++i)
            secret += dossier::kLookupAlphabet[pick(dossier::kLookupAlphabet.size())];
          const Principal* intake = &actor;
          for (const Principal& p : staff)
            if (p.HasRoleAt(Role::kOfficer, req.unit_id, hierarchy)) intake = &p;
          auto made = app.dossiers().SubmitIn(tx, *intake, req, at, secret);
          if (!made) return std::unexpected(made.error());
          plan.id = made->view.row.id;
          plan.wf =
              app.workflows().Find(made->view.row.workflow_code, made->view.row.workflow_version);
          plan.path = &paths[plan.wf->code()];
          plan.state = made->view.row.state;
          plan.unit = made->view.row.current_unit_id;
          double fate = uniform(0, 1);
          if (!parked) {
            plan.refuse = fate < 0.03;
            if (fate >= 0.03 && fate < 0.05 && plan.path->size() > 2)
              plan.withdraw_at = 1 + pick(plan.path->size() - 2);
            if (fate >= 0.05 && fate < 0.14) plan.supplements = 1;
            if (fate >= 0.14 && fate < 0.15) plan.supplements = 2;
            // A few dossiers are forgotten in an inbox after their acceptance,
            // as happens in every province: open, and overdue once their
            // appointment passes, whatever day the six weeks end on.
            if (fate >= 0.15 && fate < 0.17 && plan.path->size() > 2) plan.stalls = true;
          }
          if (lookups && (plans.size() % 10 == 0 || parked))
            lookups << made->view.row.number << '\t' << secret << '\n';
          plans.push_back(plan);
          // Parked dossiers move on at once, so that they reach processing before now.
          due.push({parked ? at + std::chrono::seconds(1) : later(at, uniform(0.02, 0.5)),
                    plans.size() - 1});
          continue;
        }
        Due next = due.top();
        if (next.at > now) break;  // the future has not happened: the rest stay open
        due.pop();
        Plan& plan = plans[next.plan];
        const std::string row_state = plan.state;
        dossiers::ActRequest act;
        const workflow::Action* action = nullptr;
        double wait_days = 0.5;
        if (plan.refuse) {
          act.action = "refuse";
          act.reason = "Hồ sơ không thuộc thẩm quyền giải quyết";
          plan.refuse = false;
          plan.next = plan.path->size();
        } else if (plan.withdraw_at != 0 && plan.next == plan.withdraw_at &&
                   plan.wf->Decide(row_state, "withdraw", workflow::RoleSet{Role::kOfficer})) {
          act.action = "withdraw";
          plan.next = plan.path->size();
        } else if (const auto* resume = SupplementAction(*plan.wf, row_state, false);
                   resume != nullptr &&
                   plan.wf->FindState(row_state)->clock == workflow::Clock::kPaused) {
          act.action = resume->id;
          action = resume;
        } else if (const auto* ask = SupplementAction(*plan.wf, row_state, true);
                   ask != nullptr && plan.supplements > 0 && plan.next > 1) {
          act.action = ask->id;
          act.reason = "Hồ sơ chưa đầy đủ";
          act.items.push_back({std::nullopt, "Bổ sung bản sao giấy tờ tùy thân rõ nét"});
          --plan.supplements;
          wait_days = uniform(0.5, 4);  // the citizen's time
          action = ask;
        } else if (plan.next < plan.path->size()) {
          action = (*plan.path)[plan.next++];
          act.action = action->id;
          if (action->transfer == workflow::UnitKind::kDepartment)
            act.to_unit_id = departments[pick(departments.size())];
          if (action->transfer == workflow::UnitKind::kCommune)
            act.to_unit_id = communes[pick(communes.size())];
        } else {
          continue;  // finished
        }
        if (plan.parked && row_state == "processing") continue;  // parked: stays here
        if (plan.stalls && plan.next > 2) {  // accepted and passed on, then forgotten
          ++stalled;
          continue;
        }
        // The first of the unit's staff the workflow lets take this step (its
        // permission check comes before any write), else the administrator.
        std::optional<decltype(app.dossiers().ActIn(tx, actor, plan.id, act, next.at))> acted;
        for (const Principal& p : staff) {
          bool here = false;
          for (Role r : {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader})
            here = here || p.HasRoleAt(r, plan.unit, hierarchy);
          if (!here) continue;
          auto tried = app.dossiers().ActIn(tx, p, plan.id, act, next.at);
          if (!tried && tried.error().code == Code::kPermissionDenied) continue;
          acted = std::move(tried);
          break;
        }
        if (!acted) acted = app.dossiers().ActIn(tx, actor, plan.id, act, next.at);
        auto& done = *acted;
        if (!done) {
          Error e = done.error();
          e.message = "dossier " + std::to_string(plan.id) + " '" + act.action + "': " + e.message;
          return std::unexpected(e);
        }
        ++actions;
        plan.state = done->row.state;
        plan.unit = done->row.current_unit_id;
        if (done->row.terminal) continue;
        // The next step takes part of the step's budget (sometimes more: late).
        if (action && action->budget) {
          double days = action->budget->unit == workflow::BudgetUnit::kWorkingDays
                            ? action->budget->value
                            : action->budget->value / (day.count() / 3.6e9);
          // Most steps take well under their budget; a few run over it
          // (provinces report a few percent of dossiers late).
          wait_days = days * (uniform(0, 1) < 0.95 ? uniform(0.05, 0.6) : uniform(0.8, 1.8));
        }
        due.push({plan.parked ? next.at + std::chrono::seconds(1) : later(next.at, wait_days),
                  next.plan});
      }
      return {};
    });
    if (!st) return ReportError(err, "seed", st.error(), 1);
    if (!due.empty() && due.top().at > now && next_arrival >= arrivals.size()) break;
  }
  for (const auto& p : plans) {
    if (p.parked && parked_ids) parked_ids << p.id << '\n';
  }
  open = due.size() + stalled;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  (*store)->Close();
  out << "seeded " << plans.size() << " dossiers (" << open << " still open, " << *parked_count
      << " parked in processing) with " << actions << " actions in " << static_cast<int>(seconds)
      << " s\n";
  return 0;
}

}  // namespace motcua::app
