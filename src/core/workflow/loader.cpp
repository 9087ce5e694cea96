// Workflow::Parse: reading a definition and checking it as a whole. Every
// problem is collected (a province administrator fixing a file wants the full
// list, not one error per attempt), keyed by the JSON path of the value at
// fault.
#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <deque>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/workflow/workflow.hpp"

namespace motcua::workflow {
namespace {

namespace json = boost::json;

// A definition is a few kilobytes; a megabyte is no workflow of ours, and the
// bound keeps a pasted file from costing much before it is rejected.
constexpr std::size_t kMaxDefinitionBytes = 1 << 20;
// Nesting in a definition is at most four levels (actions[i].budget.value).
constexpr std::size_t kMaxDepth = 16;
// Ids appear in URLs, events and logs: short and plain.
constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxNameBytes = 300;
// A step longer than a working year (or its 8-hour working days as hours) is
// a typo, not a plan: the longest procedure limits are a few months.
constexpr int kMaxBudgetDays = 250;
constexpr int kMaxBudgetHours = 8 * 250;
constexpr int kMaxVersion = 1'000'000;

std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

std::string Join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

std::string Indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string Member(const std::string& path, std::string_view key) {
  std::string out = path;
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

// A SAX pass before the DOM is built, for what the DOM cannot tell: Boost.JSON
// keeps the last of two equal keys silently, and a second "roles" must not
// quietly replace the first. It also tracks the JSON path of each key.
struct DuplicateKeys {
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  struct Frame {
    bool array = false;
    std::size_t index = 0;       // arrays: position of the next element
    std::set<std::string> keys;  // objects: keys seen so far
    std::string key;             // objects: the current key
  };
  std::vector<Frame> frames;
  std::string partial_key;
  std::vector<std::string> duplicates;  // JSON paths

  std::string Path() const {
    std::string out;
    for (const Frame& f : frames) {
      out = f.array ? Indexed(out, f.index) : Member(out, f.key);
    }
    return out;
  }
  void ValueDone() {
    if (!frames.empty() && frames.back().array) ++frames.back().index;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    frames.push_back({});
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    frames.pop_back();
    ValueDone();
    return true;
  }
  bool on_array_begin(json::error_code&) {
    frames.push_back({.array = true});
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) {
    frames.pop_back();
    ValueDone();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    partial_key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    partial_key.append(s.data(), s.size());
    Frame& f = frames.back();
    f.key = std::move(partial_key);
    partial_key.clear();
    if (!f.keys.insert(f.key).second) duplicates.push_back(Path());
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_double(double, json::string_view, json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_bool(bool, json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_null(json::error_code&) {
    ValueDone();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

// "line 3, column 7" of a byte offset (columns count bytes, from 1).
std::string Position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

bool IsId(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdLength || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Lower-case words joined by single hyphens: "commune-simple".
bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdLength || s.front() == '-' || s.back() == '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && s[i - 1] != '-');
    if (!ok) return false;
  }
  return true;
}

bool IsWaitingStatus(NationalStatus status) {
  return status == NationalStatus::kSupplementRequested ||
         status == NationalStatus::kFinancialObligation;
}

std::string StatusPhrase(NationalStatus status) {
  return std::to_string(NationalCode(status)) + " (" + std::string(NationalStatusLabel(status)) +
         ")";
}

}  // namespace

class Loader {
 public:
  Result<Workflow> Load(std::string_view text) {
    if (text.size() > kMaxDefinitionBytes) {
      Problem("$", "larger than " + std::to_string(kMaxDefinitionBytes) + " bytes");
      return Finish();
    }
    json::parse_options options;
    options.max_depth = kMaxDepth;
    json::basic_parser<DuplicateKeys> sax(options);
    json::error_code ec;
    std::size_t used = sax.write_some(false, text.data(), text.size(), ec);
    if (ec) {
      Problem("$", "invalid JSON at " + Position(text, used) + ": " + ec.message());
      return Finish();
    }
    for (const auto& path : sax.handler().duplicates) Problem(path, "key given twice");
    json::value doc = json::parse(text, ec, {}, options);
    if (ec) {
      Problem("$", "invalid JSON: " + ec.message());
      return Finish();
    }
    ReadTop(doc);
    // The graph checks need every state and the initial one; an action whose
    // target is unknown is left out of the graph (and reported already).
    bool states_ok =
        states_read_ && std::all_of(state_ok_.begin(), state_ok_.end(), [](bool ok) { return ok; });
    if (states_ok && initial_known_) CheckGraph();
    if (fields_.empty()) ComputeActing();
    return Finish();
  }

 private:
  void Problem(const std::string& path, std::string what) {
    auto [it, inserted] = fields_.emplace(path, what);
    if (!inserted) it->second += "; " + what;
  }

  Result<Workflow> Finish() {
    if (fields_.empty()) return std::move(wf_);
    std::string subject = wf_.code_.empty() ? "workflow" : "workflow " + Quoted(wf_.code_);
    std::size_t n = fields_.size();
    Error e{Code::kInvalidArgument,
            subject + " is invalid: " + std::to_string(n) + (n == 1 ? " problem" : " problems"),
            std::move(fields_)};
    return Fail(std::move(e));
  }

  // Reports keys outside `allowed` (a typo must not pass silently).
  void CheckKeys(const json::object& o, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      std::string_view key(kv.key().data(), kv.key().size());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        Problem(Member(path, key), "unknown key; expected one of: " + Join(allowed));
      }
    }
  }

  // The member `key`, reporting it when missing and `required`.
  const json::value* Get(const json::object& o, const std::string& path, std::string_view key,
                         bool required) {
    auto it = o.find(key);
    if (it == o.end()) {
      if (required) Problem(Member(path, key), "missing");
      return nullptr;
    }
    return &it->value();
  }

  std::optional<std::string> String(const json::object& o, const std::string& path,
                                    std::string_view key, bool required = true) {
    const json::value* v = Get(o, path, key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      Problem(Member(path, key), "must be a string");
      return std::nullopt;
    }
    return std::string(v->get_string().data(), v->get_string().size());
  }

  std::optional<std::string> Id(const json::object& o, const std::string& path) {
    auto id = String(o, path, "id");
    if (id && !IsId(*id)) {
      Problem(Member(path, "id"), Quoted(*id) + " is not an id: a lower-case letter, then " +
                                      "letters, digits or '_', at most 64 characters");
      return std::nullopt;
    }
    return id;
  }

  std::string Name(const json::object& o, const std::string& path, std::string_view key) {
    auto name = String(o, path, key);
    if (!name) return {};
    if (name->find_first_not_of(" \t") == std::string::npos) {
      Problem(Member(path, key), "must not be empty");
    } else if (name->size() > kMaxNameBytes) {
      Problem(Member(path, key), "longer than " + std::to_string(kMaxNameBytes) + " bytes");
    }
    return *name;
  }

  bool Bool(const json::object& o, const std::string& path, std::string_view key) {
    const json::value* v = Get(o, path, key, false);
    if (!v) return false;
    if (!v->is_bool()) {
      Problem(Member(path, key), "must be true or false");
      return false;
    }
    return v->get_bool();
  }

  // A whole number in [lo, hi]; `what` completes "must be ...".
  std::optional<int> Int(const json::object& o, const std::string& path, std::string_view key,
                         int lo, int hi, const std::string& what) {
    const json::value* v = Get(o, path, key, true);
    if (!v) return std::nullopt;
    std::string at = Member(path, key);
    if (v->is_int64() || v->is_uint64()) {
      bool in_range = v->is_int64() && v->get_int64() >= lo && v->get_int64() <= hi;
      if (in_range) return static_cast<int>(v->get_int64());
      Problem(at, "must be " + what + ", got " + json::serialize(*v));
      return std::nullopt;
    }
    std::string got;
    if (v->is_double()) {
      // Shortest form ("2.5"), where serialize would say "2.5E0".
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v->get_double());
      if (ec == std::errc()) got = ", got " + std::string(buf, end);
    }
    Problem(at, "must be " + what + got);
    return std::nullopt;
  }

  const json::array* Array(const json::object& o, const std::string& path, std::string_view key,
                           std::size_t max) {
    const json::value* v = Get(o, path, key, true);
    if (!v) return nullptr;
    if (!v->is_array()) {
      Problem(Member(path, key), "must be an array");
      return nullptr;
    }
    if (v->get_array().empty()) {
      Problem(Member(path, key), "must not be empty");
      return nullptr;
    }
    if (v->get_array().size() > max) {
      Problem(Member(path, key), "more than " + std::to_string(max) + " entries");
      return nullptr;
    }
    return &v->get_array();
  }

  void ReadTop(const json::value& doc) {
    if (!doc.is_object()) {
      Problem("$", "a workflow definition is a JSON object");
      return;
    }
    const json::object& o = doc.get_object();
    CheckKeys(
        o, "",
        {"code", "version", "name", "name_en", "description", "initial", "states", "actions"});
    if (auto code = String(o, "", "code")) {
      if (IsCode(*code)) {
        wf_.code_ = *code;
      } else {
        Problem("code", Quoted(*code) + " is not a code: lower-case letters and digits in " +
                            "words joined by '-', at most 64 characters");
      }
    }
    wf_.version_ = Int(o, "", "version", 1, kMaxVersion, "a whole number from 1").value_or(0);
    wf_.name_ = Name(o, "", "name");
    wf_.name_en_ = Name(o, "", "name_en");
    String(o, "", "description", false);
    ReadStates(o);
    if (auto initial = String(o, "", "initial")) {
      if (auto i = wf_.FindStateIndex(*initial)) {
        wf_.initial_ = *i;
        initial_known_ = true;
        if (wf_.states_[*i].terminal) Problem("initial", Quoted(*initial) + " is terminal");
      } else if (states_read_) {
        Problem("initial", "unknown state " + Quoted(*initial));
      }
    }
    ReadActions(o);
  }

  void ReadStates(const json::object& top) {
    const json::array* states = Array(top, "", "states", kMaxStates);
    if (!states) return;
    states_read_ = true;
    for (std::size_t i = 0; i < states->size(); ++i) {
      std::string path = Indexed("states", i);
      const json::value& v = (*states)[i];
      // Keep positions aligned with the file even for a broken entry, so
      // that later messages name the same index the author sees.
      State s;
      state_ok_.push_back(false);
      if (!v.is_object()) {
        Problem(path, "must be an object");
        wf_.states_.push_back(std::move(s));
        continue;
      }
      const json::object& o = v.get_object();
      CheckKeys(o, path, {"id", "name", "name_en", "national_status", "terminal", "clock"});
      auto id = Id(o, path);
      s.name = Name(o, path, "name");
      s.name_en = Name(o, path, "name_en");
      auto status = Int(o, path, "national_status", 1, 10, "a national status code 1..10");
      s.terminal = Bool(o, path, "terminal");
      auto clock_name = String(o, path, "clock");
      std::optional<Clock> clock;
      if (clock_name) {
        clock = ParseClock(*clock_name);
        if (!clock) {
          Problem(Member(path, "clock"),
                  "unknown clock " + Quoted(*clock_name) + "; expected running, paused or stopped");
        }
      }
      if (id) {
        s.id = *id;
        auto [it, inserted] =
            wf_.state_index_.emplace(*id, static_cast<StateIndex>(wf_.states_.size()));
        if (!inserted) {
          Problem(Member(path, "id"), "duplicate state id " + Quoted(*id) + " (first at " +
                                          Indexed("states", it->second) + ")");
          duplicate_states_.insert(wf_.states_.size());
        }
      }
      if (status && clock) {
        s.national_status = *ParseNationalStatus(*status);  // Int checked 1..10
        s.clock = *clock;
        CheckStateMeaning(s, path);
      }
      state_ok_.back() = id && status && clock;
      wf_.states_.push_back(std::move(s));
    }
  }

  // What the national status code implies for the state (DOMAIN.md section 2).
  void CheckStateMeaning(const State& s, const std::string& path) {
    const NationalStatus status = s.national_status;
    if (s.terminal && !IsFinal(status)) {
      Problem(Member(path, "national_status"),
              "a terminal state reports a final status: 3 (not accepted), 7 (withdrawn), "
              "8 (processing stopped) or 10 (result returned), not " +
                  StatusPhrase(status));
    }
    if (!s.terminal && IsFinal(status)) {
      Problem(Member(path, "terminal"),
              "status " + StatusPhrase(status) + " is final: the state must be terminal");
    }
    if (s.terminal && s.clock != Clock::kStopped) {
      Problem(Member(path, "clock"), "a terminal state's clock must be stopped");
    }
    if (s.clock == Clock::kPaused && !IsWaitingStatus(status)) {
      Problem(Member(path, "clock"),
              "only a state waiting for the citizen (status 5 or 6) pauses the clock, not " +
                  StatusPhrase(status));
    }
    if (IsWaitingStatus(status) && s.clock == Clock::kRunning) {
      Problem(Member(path, "clock"), "status " + StatusPhrase(status) +
                                         " waits for the citizen: the clock is paused (or " +
                                         "stopped, before acceptance), not running");
    }
  }

  // A state reference; reports and returns nullopt when unknown.
  std::optional<StateIndex> StateRef(const json::value& v, const std::string& path) {
    if (!v.is_string()) {
      Problem(path, "must be a state id (a string)");
      return std::nullopt;
    }
    std::string_view id(v.get_string().data(), v.get_string().size());
    auto i = wf_.FindStateIndex(id);
    if (!i) {
      if (states_read_) Problem(path, "unknown state " + Quoted(id));
      return std::nullopt;
    }
    return i;
  }

  void ReadActions(const json::object& top) {
    const json::array* actions = Array(top, "", "actions", kMaxActions);
    if (!actions) return;
    for (std::size_t i = 0; i < actions->size(); ++i) {
      std::string path = Indexed("actions", i);
      const json::value& v = (*actions)[i];
      Action a;
      bool to_ok = false;
      if (!v.is_object()) {
        Problem(path, "must be an object");
        wf_.actions_.push_back(std::move(a));
        to_ok_.push_back(false);
        continue;
      }
      const json::object& o = v.get_object();
      CheckKeys(o, path,
                {"id", "name", "name_en", "from", "to", "roles", "budget", "transfer",
                 "to_unit_kind", "requires_reason", "optional"});
      if (auto id = Id(o, path)) {
        a.id = *id;
        auto [it, inserted] =
            wf_.action_index_.emplace(*id, static_cast<ActionIndex>(wf_.actions_.size()));
        if (!inserted) {
          Problem(Member(path, "id"), "duplicate action id " + Quoted(*id) + " (first at " +
                                          Indexed("actions", it->second) + ")");
        }
      }
      a.name = Name(o, path, "name");
      a.name_en = Name(o, path, "name_en");
      ReadFrom(o, path, a);
      if (const json::value* to = Get(o, path, "to", true)) {
        if (auto t = StateRef(*to, Member(path, "to"))) {
          a.to = *t;
          to_ok = true;
        }
      }
      ReadRoles(o, path, a);
      ReadBudget(o, path, a);
      ReadTransfer(o, path, a);
      a.requires_reason = Bool(o, path, "requires_reason");
      a.optional = Bool(o, path, "optional");
      wf_.actions_.push_back(std::move(a));
      to_ok_.push_back(to_ok);
    }
  }

  // "from": one state id or an array of them.
  void ReadFrom(const json::object& o, const std::string& path, Action& a) {
    const json::value* v = Get(o, path, "from", true);
    if (!v) return;
    std::string at = Member(path, "from");
    auto add = [&](const json::value& item, const std::string& item_path) {
      auto s = StateRef(item, item_path);
      if (!s) return;
      std::uint64_t bit = std::uint64_t{1} << *s;
      if (a.from_mask & bit) {
        Problem(item_path, Quoted(wf_.states_[*s].id) + " is listed twice");
        return;
      }
      if (wf_.states_[*s].terminal) {
        Problem(item_path, Quoted(wf_.states_[*s].id) + " is terminal: no action may leave it");
      }
      a.from.push_back(*s);
      a.from_mask |= bit;
    };
    if (v->is_array()) {
      if (v->get_array().empty()) Problem(at, "must name at least one state");
      for (std::size_t i = 0; i < v->get_array().size(); ++i) {
        add(v->get_array()[i], Indexed(at, i));
      }
    } else {
      add(*v, at);
    }
  }

  void ReadRoles(const json::object& o, const std::string& path, Action& a) {
    const json::array* roles = Array(o, path, "roles", 16);
    if (!roles) return;
    std::string at = Member(path, "roles");
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const json::value& r = (*roles)[i];
      std::string item = Indexed(at, i);
      if (!r.is_string()) {
        Problem(item, "must be a role name (a string)");
        continue;
      }
      std::string_view name(r.get_string().data(), r.get_string().size());
      auto role = accounts::ParseRole(name);
      if (!role) {
        Problem(item, "unknown role " + Quoted(name) + "; expected citizen, officer, " +
                          "specialist, unit_leader, province_admin or system_admin");
      } else if (a.roles.Has(*role)) {
        Problem(item, Quoted(name) + " is listed twice");
      } else {
        a.roles.Add(*role);
      }
    }
  }

  void ReadBudget(const json::object& o, const std::string& path, Action& a) {
    const json::value* v = Get(o, path, "budget", false);
    if (!v) return;
    std::string at = Member(path, "budget");
    if (!v->is_object()) {
      Problem(at, "must be an object {\"value\": N, \"unit\": \"working_days\"}");
      return;
    }
    const json::object& b = v->get_object();
    CheckKeys(b, at, {"value", "unit"});
    auto unit_name = String(b, at, "unit");
    std::optional<BudgetUnit> unit;
    if (unit_name) {
      unit = ParseBudgetUnit(*unit_name);
      if (!unit) {
        Problem(Member(at, "unit"),
                "unknown unit " + Quoted(*unit_name) + "; expected working_days or working_hours");
      }
    }
    // The range depends on the unit; with an unknown unit, check the value
    // against the wider one so that a bad value is still reported.
    bool hours = !unit || *unit == BudgetUnit::kWorkingHours;
    int max = hours ? kMaxBudgetHours : kMaxBudgetDays;
    std::string what = "a whole number of " +
                       std::string(unit == BudgetUnit::kWorkingDays    ? "working days"
                                   : unit == BudgetUnit::kWorkingHours ? "working hours"
                                                                       : "working days or hours") +
                       " from 1 to " + std::to_string(max);
    auto value = Int(b, at, "value", 1, max, what);
    if (value && unit) a.budget = Budget{*value, *unit};
  }

  void ReadTransfer(const json::object& o, const std::string& path, Action& a) {
    bool transfer = Bool(o, path, "transfer");
    auto kind_name = String(o, path, "to_unit_kind", false);
    if (!transfer) {
      if (kind_name) {
        Problem(Member(path, "to_unit_kind"), "only a transfer has a target unit kind");
      }
      return;
    }
    if (!kind_name) {
      if (o.contains("to_unit_kind")) return;  // reported as not a string
      Problem(Member(path, "to_unit_kind"),
              "missing: a transfer names the kind of unit it goes to (department, commune, "
              "center or receiving_unit)");
      return;
    }
    a.transfer = ParseUnitKind(*kind_name);
    if (!a.transfer) {
      Problem(Member(path, "to_unit_kind"),
              "unknown unit kind " + Quoted(*kind_name) +
                  "; expected department, commune, center or receiving_unit");
    }
  }

  // Runs once every reference is known to be good: reachability, ways out,
  // optional steps and clock moves.
  void CheckGraph() {
    const std::size_t n = wf_.states_.size();
    std::vector<std::vector<StateIndex>> out(n), in(n);
    for (std::size_t i = 0; i < wf_.actions_.size(); ++i) {
      const Action& a = wf_.actions_[i];
      if (!to_ok_[i]) continue;
      for (StateIndex f : a.from) {
        out[f].push_back(a.to);
        in[a.to].push_back(f);
        if (wf_.states_[f].clock == Clock::kStopped && wf_.states_[a.to].clock == Clock::kPaused) {
          Problem(Member(Indexed("actions", i), "to"),
                  Quoted(wf_.states_[a.to].id) + " pauses the clock, which is stopped in " +
                      Quoted(wf_.states_[f].id) + ": only a running clock can pause");
        }
      }
      if (a.optional) CheckOptional(a, i);
    }
    auto reachable = Walk(wf_.initial_, out);
    std::vector<bool> finishing(n, false);
    bool any_terminal = false;
    std::deque<StateIndex> queue;
    for (std::size_t s = 0; s < n; ++s) {
      if (wf_.states_[s].terminal) {
        any_terminal = true;
        finishing[s] = true;
        queue.push_back(static_cast<StateIndex>(s));
      }
    }
    while (!queue.empty()) {
      StateIndex s = queue.front();
      queue.pop_front();
      for (StateIndex p : in[s]) {
        if (!finishing[p]) {
          finishing[p] = true;
          queue.push_back(p);
        }
      }
    }
    if (!any_terminal) Problem("states", "no state is terminal: a dossier could never finish");
    for (std::size_t s = 0; s < n; ++s) {
      // A duplicate is never the target of an action (ids resolve to the
      // first): saying it is unreachable would only repeat the duplicate.
      if (duplicate_states_.contains(s)) continue;
      const State& st = wf_.states_[s];
      std::string path = Indexed("states", s);
      if (!reachable[s]) Problem(path, Quoted(st.id) + " is unreachable from the initial state");
      if (st.terminal) continue;
      if (out[s].empty()) {
        Problem(path, Quoted(st.id) + " is not terminal and has no action out of it (dead end)");
      } else if (any_terminal && !finishing[s]) {
        Problem(path, "no path from " + Quoted(st.id) + " reaches a terminal state");
      }
    }
  }

  // An optional step may be skipped: each state it leaves from offers a
  // mandatory action too.
  void CheckOptional(const Action& a, std::size_t index) {
    for (StateIndex f : a.from) {
      bool skippable = false;
      for (std::size_t j = 0; j < wf_.actions_.size(); ++j) {
        const Action& b = wf_.actions_[j];
        skippable |= to_ok_[j] && !b.optional && (b.from_mask & (std::uint64_t{1} << f)) != 0 &&
                     b.to != a.to;
      }
      if (!skippable) {
        Problem(Member(Indexed("actions", index), "optional"),
                Quoted(a.id) + " is optional but " + Quoted(wf_.states_[f].id) +
                    " has no other way on to skip it");
      }
    }
  }

  std::vector<bool> Walk(StateIndex start, const std::vector<std::vector<StateIndex>>& edges) {
    std::vector<bool> seen(edges.size(), false);
    std::vector<StateIndex> stack{start};
    seen[start] = true;
    while (!stack.empty()) {
      StateIndex s = stack.back();
      stack.pop_back();
      for (StateIndex t : edges[s]) {
        if (!seen[t]) {
          seen[t] = true;
          stack.push_back(t);
        }
      }
    }
    return seen;
  }

  void ComputeActing() {
    wf_.acting_.assign(wf_.states_.size(), RoleSet());
    for (const Action& a : wf_.actions_) {
      for (StateIndex f : a.from) {
        for (auto r : a.roles.Roles()) wf_.acting_[f].Add(r);
      }
    }
  }

  Workflow wf_;
  std::map<std::string, std::string> fields_;
  std::vector<bool> state_ok_;
  std::set<std::size_t> duplicate_states_;
  std::vector<bool> to_ok_;  // per action: its "to" names a known state
  bool states_read_ = false;
  bool initial_known_ = false;
};

Result<Workflow> Workflow::Parse(std::string_view json) {
  auto wf = Loader().Load(json);
  if (wf) wf->source_ = std::string(json);
  return wf;
}

}  // namespace motcua::workflow
