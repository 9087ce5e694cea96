#include "integrations/dvcqg/adapter.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "core/dossier/event_payloads.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/dossiers_repo.hpp"
#include "storage/events_repo.hpp"

namespace motcua::integrations::dvcqg {

namespace json = boost::json;
using storage::Tx;
using storage::accounts::FormatTime;
using storage::dossiers::DossierRow;
using storage::dossiers::StepRow;

namespace {

constexpr std::string_view kTimelinessVi[] = {"Trước hạn", "Đúng hạn", "Quá hạn"};

std::string Timeliness(const std::optional<std::string>& name) {
  if (!name) return "";
  if (*name == "early") return std::string(kTimelinessVi[0]);
  if (*name == "on_time") return std::string(kTimelinessVi[1]);
  if (*name == "late") return std::string(kTimelinessVi[2]);
  return "";
}

// The officer's title from their roles (the highest staff role they hold).
std::string Title(const std::vector<accounts::RoleBinding>& roles) {
  auto has = [&](accounts::Role r) {
    return std::any_of(roles.begin(), roles.end(),
                       [&](const accounts::RoleBinding& b) { return b.role == r; });
  };
  if (has(accounts::Role::kUnitLeader)) return "Lãnh đạo";
  if (has(accounts::Role::kSpecialist)) return "Chuyên viên";
  if (has(accounts::Role::kOfficer)) return "Cán bộ một cửa";
  return "Cán bộ";
}

struct Officer {
  std::string name;
  std::string title;
};

// Everything one sync needs, read in one snapshot.
struct Snapshot {
  DossierRow row;
  std::vector<StepRow> steps;
  std::map<std::int64_t, Officer> officers;
  bool known = false;  // the portal acknowledged the record before
  std::int64_t acked_steps = 0;
  std::vector<std::int64_t> covered;
};

std::string Code(const DossierRow& row) {
  return row.source && *row.source == kDestination && row.source_ref ? *row.source_ref : row.number;
}

Values DossierValues(const Snapshot& s, const Directory& d) {
  const DossierRow& r = s.row;
  Values v;
  v["dossier.code"] = Code(r);
  v["dossier.channel"] = std::to_string(r.channel);
  v["dossier.submitted_at"] = PortalTime(r.submitted_at);
  v["dossier.accepted_at"] = PortalTime(r.accepted_at);
  v["dossier.due_at"] = PortalTime(r.apology_due_at ? r.apology_due_at : r.due_at);
  const bool refused = r.national_status == 3;
  v["dossier.finished_at"] = refused ? "" : PortalTime(r.finished_at);
  v["dossier.refused_at"] = refused ? PortalTime(r.finished_at) : "";
  v["dossier.returned_at"] = PortalTime(r.returned_at);
  v["dossier.national_status"] = std::to_string(r.national_status);
  v["dossier.paid_online"] = "0";
  v["dossier.source"] = r.source.value_or("");
  v["procedure.code"] = r.procedure_code;
  std::string name = r.procedure_code, field;
  if (auto catalog = d.catalog ? d.catalog() : nullptr) {
    if (const auto* p = dossiers::FindVersionById(*catalog, r.procedure_code, r.procedure_id)) {
      name = p->name;
      field = p->field;
    }
  }
  v["procedure.name"] = name;
  v["procedure.field"] = field;
  // The portal keeps at most 1,000 characters of the summary, never empty.
  std::string summary = name;
  if (summary.size() > 1000) summary.resize(1000);
  v["dossier.summary"] = summary;
  v["applicant.name"] = r.applicant_name;
  v["applicant.kind"] = "1";
  v["applicant.id_number"] = r.applicant_id_number;
  v["applicant.phone"] = r.applicant_phone;
  v["applicant.email"] = r.applicant_email;
  json::array ids;
  if (!r.applicant_id_number.empty())
    ids.push_back(json::object{{"LoaiDinhDanh", r.applicant_id_number.size() == 12 ? "1" : "2"},
                               {"SoDinhDanh", r.applicant_id_number}});
  v["applicant.identifiers"] = std::move(ids);
  std::string current, receiving_code, receiving_name;
  if (auto tree = d.units ? d.units() : nullptr) {
    if (const auto* u = tree->Find(r.current_unit_id)) current = u->name;
    if (const auto* u = tree->Find(r.receiving_unit_id)) {
      receiving_code = u->agency_code;
      receiving_name = u->name;
    }
  }
  v["unit.current_name"] = current;
  v["unit.receiving_code"] = receiving_code;
  v["unit.receiving_name"] = receiving_name;
  v["dossier.has_files"] = "0";  // set by the caller, who knows the attachments
  return v;
}

// `led_to`: the state the closing action led to (the next step's, or the
// dossier's own when the action opened none): the row's status, as the
// portal reads a history row ("received": 2 after the intake).
Values StepValues(const Snapshot& s, const StepRow& step, std::string_view led_to,
                  const Directory& d) {
  Values v;
  v["dossier.code"] = Code(s.row);
  const Officer* who = nullptr;
  if (step.finished_by)
    if (auto it = s.officers.find(*step.finished_by); it != s.officers.end()) who = &it->second;
  // The portal wants a name; a step the system closed is the officers'.
  v["step.officer"] = who && !who->name.empty() ? who->name : "Chuyên viên";
  v["step.officer_title"] = who ? who->title : "Cán bộ";
  std::string unit_name;
  if (auto tree = d.units ? d.units() : nullptr)
    if (const auto* u = tree->Find(step.unit_id)) unit_name = u->name;
  v["step.unit_name"] = unit_name;
  std::string content = step.finish_action.value_or(step.action);
  std::string status = "4";
  if (d.workflows != nullptr) {
    if (const auto* wf = d.workflows->Find(s.row.workflow_code, s.row.workflow_version)) {
      if (step.finish_action)
        if (const auto* a = wf->FindAction(*step.finish_action)) content = a->name;
      if (auto ns = wf->NationalStatusOf(led_to))
        status = std::to_string(workflow::NationalCode(*ns));
    }
  }
  if (auto t = Timeliness(step.timeliness); !t.empty()) content += " (" + t + ")";
  v["step.content"] = content;
  v["step.national_status"] = status;
  v["step.started_at"] = PortalTime(step.started_at);
  v["step.finished_at"] = PortalTime(step.finished_at);
  v["step.due_at"] = PortalTime(step.due_at);
  return v;
}

bool Contains(const std::vector<std::string>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

struct Adapter::Answer {
  enum Kind { kOk, kExpired, kTransient, kRefused } kind = kTransient;
  std::string message;
  json::value body;
};

Adapter::Adapter(storage::Store& store, const Clock& clock, Config config, Directory directory,
                 std::function<void(std::int64_t)> on_first_ack)
    : store_(store),
      clock_(clock),
      config_(std::move(config)),
      directory_(std::move(directory)),
      on_first_ack_(std::move(on_first_ack)) {}

std::optional<std::string> Adapter::Session(HttpClient& client, Attempt& attempt, bool renew) {
  std::lock_guard lock(session_mu_);
  const auto now = std::chrono::steady_clock::now();
  if (!renew && !session_.empty() && now - session_at_ < config_.session_ttl) return session_;
  const std::string body =
      json::serialize(json::object{{"username", config_.username}, {"password", config_.password}});
  HttpAnswer a = client.Send(HttpRequest{.url = config_.url + config_.mapping.login_path,
                                         .headers = {{"Content-Type", "application/json"}},
                                         .body = body,
                                         .timeout = config_.timeout});
  // The password is in the body: the log keeps its hash only, as for every body.
  integrations::Call call{"login", body, a, "session"};
  std::optional<std::string> session;
  if (a.status == 200) {
    boost::system::error_code ec;
    json::value v = json::parse(a.body, ec);
    if (!ec && v.is_object()) {
      const json::object& o = v.as_object();
      const json::value* code = o.if_contains("error_code");
      const json::value* s = o.if_contains("session");
      if (code && code->is_string() && Contains(config_.mapping.success_codes, code->as_string()) &&
          s && s->is_string() && !s->as_string().empty())
        session = std::string(s->as_string());
    }
  }
  if (!session) {
    call.outcome = "retry";
    attempt.error = a.status == 0 ? "login: " + a.error
                                  : "login refused (HTTP " + std::to_string(a.status) +
                                        "): " + a.body.substr(0, 300);
  }
  attempt.calls.push_back(std::move(call));
  if (session) {
    session_ = *session;
    session_at_ = now;
  }
  return session;
}

Adapter::Answer Adapter::Call(HttpClient& client, Attempt& attempt, std::string_view service,
                              json::object params, const std::string& key) {
  for (int round = 0; round < 2; ++round) {
    auto session = Session(client, attempt, round > 0);
    if (!session) return Answer{Answer::kTransient, attempt.error, {}};
    json::object body = params;
    body["session"] = *session;
    body["madonvi"] = config_.madonvi;
    body["service"] = service;
    const std::string text = json::serialize(body);
    HttpAnswer a = client.Send(
        HttpRequest{.url = config_.url + config_.mapping.call_path,
                    .headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", key}},
                    .body = text,
                    .timeout = config_.timeout});
    integrations::Call call{std::string(service), text, a, "retry"};
    Answer answer;
    if (a.status == 0) {
      answer = {Answer::kTransient, "no answer: " + a.error, {}};
    } else if (a.status >= 500 || a.status == 408 || a.status == 429) {
      answer = {Answer::kTransient, "HTTP " + std::to_string(a.status), {}};
      attempt.retry_after = a.retry_after;
    } else if (a.status != 200) {
      answer = {
          Answer::kRefused, "HTTP " + std::to_string(a.status) + ": " + a.body.substr(0, 500), {}};
    } else {
      boost::system::error_code ec;
      json::value v = json::parse(a.body, ec);
      const json::value* code =
          !ec && v.is_object() ? v.as_object().if_contains("error_code") : nullptr;
      std::string code_text;
      if (code && code->is_string()) code_text = std::string(code->as_string());
      if (code && code->is_int64()) code_text = std::to_string(code->as_int64());
      const json::value* msg =
          !ec && v.is_object() ? v.as_object().if_contains("message") : nullptr;
      const std::string message =
          msg && msg->is_string() ? std::string(msg->as_string()) : std::string();
      if (code_text.empty()) {
        answer = {Answer::kTransient, "an answer that is not the adapter's JSON", {}};
      } else if (Contains(config_.mapping.success_codes, code_text)) {
        answer = {Answer::kOk, message, std::move(v)};
      } else if (Contains(config_.mapping.session_expired_codes, code_text)) {
        answer = {Answer::kExpired, "session expired", {}};
      } else {
        answer = {Answer::kRefused, "error_code " + code_text + ": " + message, {}};
      }
    }
    call.outcome = answer.kind == Answer::kOk        ? "delivered"
                   : answer.kind == Answer::kRefused ? "refused"
                   : answer.kind == Answer::kExpired ? "session"
                                                     : "retry";
    attempt.calls.push_back(std::move(call));
    if (answer.kind != Answer::kExpired) return answer;
  }
  return Answer{Answer::kTransient, "the session expired twice in a row", {}};
}

Attempt Adapter::Deliver(const Message& m, HttpClient& client) {
  Attempt attempt;
  if (!m.dossier_id) {
    attempt.verdict = Verdict::kDead;
    attempt.error = "a sync message without a dossier";
    return attempt;
  }
  Snapshot s;
  bool has_files = false;
  const Status read = store_.Read([&](Tx& tx) -> Status {
    auto row = MOTCUA_TRY(storage::dossiers::Find(tx, *m.dossier_id));
    if (!row) return Fail(Code::kNotFound, "no dossier " + std::to_string(*m.dossier_id));
    s.row = std::move(*row);
    s.steps = MOTCUA_TRY(storage::dossiers::ListSteps(tx, s.row.id));
    // Version 0: acknowledged once, then forgotten (ForgetAcknowledgements).
    auto sync = MOTCUA_TRY(tx.Query(
        "SELECT acked_steps, acked_version FROM national_sync WHERE dossier_id = $1", {s.row.id}));
    if (!sync.empty() && sync[0].Int(1) > 0) {
      s.known = true;
      s.acked_steps = sync[0].Int(0);
    }
    auto files =
        MOTCUA_TRY(tx.Query("SELECT 1 FROM attachments WHERE dossier_id = $1 LIMIT 1", {s.row.id}));
    has_files = !files.empty();
    for (const StepRow& step : s.steps) {
      if (!step.finished_by || s.officers.contains(*step.finished_by)) continue;
      if (auto u = MOTCUA_TRY(storage::accounts::FindUserById(tx, *step.finished_by)))
        s.officers[*step.finished_by] = Officer{u->display_name, Title(u->roles)};
    }
    // Everything pending for this dossier now is carried by this send.
    for (std::int64_t id : MOTCUA_TRY(PendingOfKey(tx, m.destination, m.ordering_key,
                                                   std::numeric_limits<std::int64_t>::max())))
      if (id != m.id) s.covered.push_back(id);
    return {};
  });
  if (!read) {
    attempt.verdict = read.error().code == Code::kNotFound ? Verdict::kDead : Verdict::kRetry;
    attempt.error = "cannot read the dossier: " + read.error().message;
    return attempt;
  }
  Values values = DossierValues(s, directory_);
  values["dossier.has_files"] = has_files ? "1" : "0";
  json::object record = Render(config_.mapping.dossier, values);
  const std::string code = Code(s.row);

  bool acked_record = false;
  auto sync = [&](bool updating) {
    return Call(
        client, attempt, config_.mapping.sync_service,
        json::object{{"isUpdating", updating ? "True" : "False"}, {"data", json::array{record}}},
        m.idempotency_key);
  };
  Answer a = sync(s.known);
  if (a.kind == Answer::kRefused && !s.known) {
    // Perhaps the portal has it already: an acknowledgement lost on the way.
    Answer found = Call(client, attempt, config_.mapping.lookup_service,
                        json::object{{"mahoso", code}}, m.idempotency_key + ":lookup");
    const json::value* result = found.kind == Answer::kOk && found.body.is_object()
                                    ? found.body.as_object().if_contains("result")
                                    : nullptr;
    if (result && result->is_array() && !result->as_array().empty()) {
      a = sync(true);
    } else if (found.kind != Answer::kOk && found.kind != Answer::kRefused) {
      // The lookup got no answer: whether the portal holds the record is
      // unknown, so the refusal of the create is not final. Try again later.
      a = found;
    }
  }
  std::int64_t acked_steps = s.acked_steps;
  if (a.kind == Answer::kOk) {
    acked_record = true;
    std::vector<json::value> rows;
    std::int64_t closed = 0;
    for (std::size_t k = 0; k < s.steps.size(); ++k) {
      const StepRow& step = s.steps[k];
      if (!step.finished_at) continue;
      ++closed;
      if (closed <= s.acked_steps) continue;
      const std::string& led_to = k + 1 < s.steps.size() ? s.steps[k + 1].state : s.row.state;
      rows.push_back(Render(config_.mapping.history, StepValues(s, step, led_to, directory_)));
    }
    const auto chunk = static_cast<std::size_t>(config_.mapping.history_chunk);
    for (std::size_t i = 0; i < rows.size() && a.kind == Answer::kOk; i += chunk) {
      json::array data;
      for (std::size_t j = i; j < std::min(rows.size(), i + chunk); ++j) data.push_back(rows[j]);
      const auto n = static_cast<std::int64_t>(data.size());
      a = Call(client, attempt, config_.mapping.history_service,
               json::object{{"data", std::move(data)}},
               m.idempotency_key + ":history:" + std::to_string(acked_steps));
      if (a.kind == Answer::kOk) acked_steps += n;
    }
  }
  switch (a.kind) {
    case Answer::kOk:
      attempt.verdict = Verdict::kDelivered;
      attempt.covered = std::move(s.covered);
      break;
    case Answer::kRefused:
      attempt.verdict = Verdict::kDead;
      attempt.error = a.message;
      break;
    default:
      attempt.verdict = Verdict::kRetry;
      attempt.error = a.message;
  }
  if (acked_record) {
    const std::int64_t id = s.row.id, version = s.row.version;
    const bool first = !s.known;
    attempt.record = [id, version, first, acked_steps](Tx& tx, TimePoint now) -> Status {
      const std::string at = FormatTime(now);
      MOTCUA_TRY(tx.Exec(
          "INSERT INTO national_sync (dossier_id, first_acked_at, acked_version, acked_steps, "
          "acked_at) VALUES ($1, $2, $3, $4, $2) ON CONFLICT (dossier_id) DO UPDATE SET "
          "acked_version = CASE WHEN national_sync.acked_version > excluded.acked_version "
          "THEN national_sync.acked_version ELSE excluded.acked_version END, "
          "acked_steps = CASE WHEN national_sync.acked_steps > excluded.acked_steps "
          "THEN national_sync.acked_steps ELSE excluded.acked_steps END, acked_at = $2",
          {id, at, version, acked_steps}));
      if (first) {
        // Once per dossier: a row inserted here is the first acknowledgement
        // unless another attempt recorded one meanwhile (then its event exists).
        auto events = MOTCUA_TRY(tx.Query(
            "SELECT 1 FROM events WHERE aggregate_type = 'dossier' AND aggregate_id = $1 AND "
            "action = 'national_synced' LIMIT 1",
            {id}));
        if (events.empty()) {
          // The state it is in now (an officer may have moved it since the
          // snapshot was read): the event changes nothing, so it leaves the
          // state as the last event did.
          auto now_state = MOTCUA_TRY(tx.Query("SELECT state FROM dossiers WHERE id = $1", {id}));
          if (now_state.empty()) return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
          const std::string state = now_state[0].Text(0);
          MOTCUA_TRY(storage::events::AppendEvent(
              tx,
              events::NewEvent{"dossier", id, now, std::nullopt, "national_synced", state, state,
                               dossier::ToJson(dossier::NationalSyncedPayload{
                                   std::string(kDestination), version})}));
        }
      }
      return {};
    };
  }
  return attempt;
}

Status ForgetAcknowledgements(Tx& tx, std::int64_t dossier_id) {
  MOTCUA_TRY(
      tx.Exec("UPDATE national_sync SET acked_version = 0, acked_steps = 0 WHERE dossier_id = $1",
              {dossier_id}));
  return {};
}

void Adapter::Settled(const Message& m, const Attempt& attempt) {
  if (attempt.record && m.dossier_id && on_first_ack_) on_first_ack_(*m.dossier_id);
}

}  // namespace motcua::integrations::dvcqg
