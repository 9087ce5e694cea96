#include "app/integration_routes.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <map>

#include "core/dossier/applicant.hpp"
#include "http/auth.hpp"
#include "http/json_body.hpp"
#include "http/message.hpp"
#include "http/params.hpp"
#include "integrations/notify/digest.hpp"
#include "integrations/notify/notices.hpp"
#include "integrations/outbox.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/dossiers_repo.hpp"

namespace motcua::app {
namespace {

namespace json = boost::json;
using accounts::Role;
using http::ErrorResponse;
using http::JsonResponse;
using http::Request;
using http::Responder;
using integrations::Message;
using storage::accounts::FormatTime;

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;
// What an administrator writes of a discard: a sentence or two, kept with
// the message.
constexpr http::StringRules kReasonRules{.min_length = 1, .max_length = 1000};

json::value Time(const std::optional<TimePoint>& t) {
  return t ? json::value(FormatTime(*t)) : json::value(nullptr);
}

json::object MessageJson(const Message& m, const std::map<std::int64_t, std::string>& numbers) {
  json::object o;
  o["id"] = m.id;
  o["destination"] = m.destination;
  o["kind"] = m.kind;
  o["dossier_id"] = m.dossier_id ? json::value(*m.dossier_id) : json::value(nullptr);
  const auto number = m.dossier_id ? numbers.find(*m.dossier_id) : numbers.end();
  o["dossier_number"] =
      number != numbers.end() ? json::value(number->second) : json::value(nullptr);
  o["state"] = integrations::StateName(m.state);
  o["attempts"] = m.attempts;
  o["created_at"] = FormatTime(m.created_at);
  o["next_attempt_at"] =
      m.state == integrations::MessageState::kPending ? Time(m.next_attempt_at) : nullptr;
  o["last_attempt_at"] = Time(m.last_attempt_at);
  o["finished_at"] = Time(m.finished_at);
  o["last_error"] = m.last_error ? json::value(*m.last_error) : json::value(nullptr);
  o["covered_by"] = m.covered_by ? json::value(*m.covered_by) : json::value(nullptr);
  return o;
}

Result<integrations::ListQuery> ReadQuery(const Request& req) {
  integrations::ListQuery q;
  q.limit = kDefaultLimit;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "destination") {
      if (value.empty() || value.size() > 32)
        error.With(name, "must be a destination's name (dvcqg)");
      else
        q.destination = value;
    } else if (name == "state") {
      q.state = integrations::ParseState(value);
      if (!q.state) error.With(name, "must be pending, delivered, dead or discarded");
    } else if (name == "dossier" || name == "before") {
      auto id = http::ParsePositiveId(value);
      if (!id) error.With(name, "must be a positive integer");
      (name == "dossier" ? q.dossier_id : q.before_id) = id;
    } else if (name == "limit") {
      auto n = http::ParsePositiveId(value);
      if (!n || *n > kMaxLimit)
        error.With(name, "must be 1 to " + std::to_string(kMaxLimit));
      else
        q.limit = static_cast<int>(*n);
    } else {
      error.With(name, "unknown parameter");
    }
  }
  if (!error.fields.empty()) return Fail(std::move(error));
  return q;
}

class Routes {
 public:
  Routes(storage::Store& store, const Clock& clock, integrations::DeliveryService& delivery)
      : store_(store), clock_(clock), delivery_(delivery) {}

  void List(Request& req, const Responder& respond) {
    if (auto ok = http::RequireAnyRole(req, {Role::kSystemAdmin}); !ok)
      return respond(ErrorResponse(ok.error()));
    auto query = ReadQuery(req);
    if (!query) return respond(ErrorResponse(query.error()));
    std::vector<integrations::DestinationSummary> owed;
    std::vector<Message> items;
    std::map<std::int64_t, std::string> numbers;
    Status read = store_.Read([&](storage::Tx& tx) -> Status {
      owed = MOTCUA_TRY(integrations::Summarize(tx));
      items = MOTCUA_TRY(integrations::List(tx, *query));
      numbers = MOTCUA_TRY(integrations::DossierNumbers(tx, items));
      return {};
    });
    if (!read) return respond(ErrorResponse(read.error()));
    // Every destination this server delivers to, owing something or not,
    // and any other that still has rows (one turned off since).
    json::array destinations;
    auto stats = delivery_.Stats();
    std::vector<std::string> names = delivery_.destinations();
    for (const auto& s : owed)
      if (std::find(names.begin(), names.end(), s.destination) == names.end())
        names.push_back(s.destination);
    for (const std::string& name : names) {
      json::object d{{"destination", name},
                     {"pending", 0},
                     {"retrying", 0},
                     {"dead", 0},
                     {"oldest_pending_at", nullptr},
                     {"delivered_since_start", nullptr},
                     {"lag_p99_seconds", nullptr},
                     {"active", false}};
      for (const auto& s : owed) {
        if (s.destination != name) continue;
        d["pending"] = s.pending;
        d["retrying"] = s.retrying;
        d["dead"] = s.dead;
        d["oldest_pending_at"] = Time(s.oldest_pending_at);
      }
      for (const auto& s : stats) {
        if (s.destination != name) continue;
        d["active"] = true;
        d["delivered_since_start"] = s.delivered;
        // Nothing acknowledged yet: no delay to tell (null, not 0 s).
        const double p99 = s.LagQuantile(0.99);
        d["lag_p99_seconds"] =
            s.delivered > 0 && std::isfinite(p99) ? json::value(p99) : json::value(nullptr);
      }
      destinations.push_back(std::move(d));
    }
    json::array list;
    for (const Message& m : items) list.push_back(MessageJson(m, numbers));
    json::object out{{"destinations", std::move(destinations)}, {"items", std::move(list)}};
    out["next_before"] = static_cast<int>(items.size()) == query->limit && !items.empty()
                             ? json::value(items.back().id)
                             : json::value(nullptr);
    respond(JsonResponse(200, std::move(out)));
  }

  void Retry(Request& req, const Responder& respond) { Decide(req, respond, false); }
  void Discard(Request& req, const Responder& respond) { Decide(req, respond, true); }

 private:
  void Decide(Request& req, const Responder& respond, bool discard) {
    if (auto ok = http::RequireAnyRole(req, {Role::kSystemAdmin}); !ok)
      return respond(ErrorResponse(ok.error()));
    auto id = http::PathId(req);
    if (!id) return respond(ErrorResponse(id.error()));
    auto body = http::ParseJsonObject(req);
    if (!body) return respond(ErrorResponse(body.error()));
    http::ObjectReader reader(*body);
    std::string reason;
    if (discard) reason = reader.RequiredString("reason", kReasonRules);
    if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
    Message decided;
    std::map<std::int64_t, std::string> numbers;
    const TimePoint now = clock_.Now();
    Status written = store_.WriteSync([&](storage::Tx& tx) -> Status {
      decided = discard ? MOTCUA_TRY(integrations::Discard(tx, *id, now, reason))
                        : MOTCUA_TRY(integrations::Retry(tx, *id, now));
      numbers = MOTCUA_TRY(integrations::DossierNumbers(tx, {decided}));
      return {};
    });
    if (!written) return respond(ErrorResponse(written.error()));
    if (!discard) delivery_.Kick();
    respond(JsonResponse(200, MessageJson(decided, numbers)));
  }

  storage::Store& store_;
  const Clock& clock_;
  integrations::DeliveryService& delivery_;
};

}  // namespace

void RegisterIntegrationRoutes(http::Router& router, storage::Store& store, const Clock& clock,
                               integrations::DeliveryService& delivery,
                               integrations::dvcqg::Inbound& inbound) {
  auto routes = std::make_shared<Routes>(store, clock, delivery);
  auto bind = [routes](void (Routes::*f)(Request&, const Responder&)) {
    return [routes, f](Request& req, Responder respond) { ((*routes).*f)(req, respond); };
  };
  router.Add("GET", "/api/v1/integrations/outbox", bind(&Routes::List));
  router.Add("POST", "/api/v1/integrations/outbox/{id}/retry", bind(&Routes::Retry));
  router.Add("POST", "/api/v1/integrations/outbox/{id}/discard", bind(&Routes::Discard));
  router.Add("POST", "/api/v1/integrations/dvcqg/dossiers",
             [&inbound, &delivery](Request& req, Responder respond) {
               const std::string authorization(req.Header("authorization").value_or(""));
               inbound.Receive(authorization, std::move(req.body),
                               [respond = std::move(respond),
                                &delivery](Result<integrations::dvcqg::InboundAnswer> r) {
                                 if (!r) return respond(ErrorResponse(r.error()));
                                 // Its receipt goes back to the portal now.
                                 if (r->status == 201) delivery.Kick();
                                 respond(JsonResponse(r->status, json::parse(r->body)));
                               });
             });
}

namespace {

namespace notify = integrations::notify;

json::value OptTime(const std::optional<TimePoint>& t) { return Time(t); }

std::optional<std::string> LanguageOf(http::ObjectReader& reader, bool required) {
  auto lang = required ? std::optional(reader.RequiredString("language", {.max_length = 2}))
                       : reader.OptionalString("language", {.max_length = 2});
  if (lang && *lang != "vi" && *lang != "en") {
    reader.Problem("language", "must be \"vi\" or \"en\"");
    return std::nullopt;
  }
  return lang;
}

class NotificationRoutes {
 public:
  NotificationRoutes(storage::Store& store, const Clock& clock,
                     const dossiers::DossierService& dossiers, NotificationSetup setup)
      : store_(store), clock_(clock), dossiers_(dossiers), setup_(std::move(setup)) {}

  void GetDossier(Request& req, const Responder& respond) { Dossier(req, respond, false); }
  void PutDossier(Request& req, const Responder& respond) { Dossier(req, respond, true); }

  void Stop(Request& req, const Responder& respond) {
    auto body = http::ParseJsonObject(req);
    if (!body) return respond(ErrorResponse(body.error()));
    http::ObjectReader reader(*body);
    const std::string number = reader.RequiredString("number", {.min_length = 1, .max_length = 64});
    const std::string token = reader.RequiredString("token", {.min_length = 1, .max_length = 64});
    if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
    const Error unknown{Code::kNotFound, "no dossier with this number and link", {}};
    if (!notify::StopTokenMatches(setup_.stop_key, number, token))
      return respond(ErrorResponse(unknown));
    const TimePoint now = clock_.Now();
    std::optional<TimePoint> stopped;
    Status written = store_.WriteSync([&](storage::Tx& tx) -> Status {
      auto row = MOTCUA_TRY(storage::dossiers::FindByNumber(tx, number));
      if (!row) return Fail(unknown);
      auto prefs = MOTCUA_TRY(notify::ReadPreferences(tx, row->id));
      if (!prefs.stopped_at) {  // a second click keeps the first moment
        prefs.stopped_at = now;
        MOTCUA_TRY_VOID(notify::WritePreferences(tx, row->id, prefs, "link", now));
      }
      stopped = prefs.stopped_at;
      return {};
    });
    if (!written) return respond(ErrorResponse(written.error()));
    respond(JsonResponse(200, json::object{{"number", number}, {"stopped_at", OptTime(stopped)}}));
  }

  void Account(Request& req, const Responder& respond) {
    if (auto ok = http::RequireAnyRole(req, {Role::kOfficer, Role::kSpecialist, Role::kUnitLeader,
                                             Role::kProvinceAdmin, Role::kSystemAdmin});
        !ok)
      return respond(ErrorResponse(ok.error()));
    const std::int64_t user = req.principal->user_id;
    notify::StaffSettings settings;
    if (req.method == "PUT") {
      auto body = http::ParseJsonObject(req);
      if (!body) return respond(ErrorResponse(body.error()));
      http::ObjectReader reader(*body);
      settings.email = reader.RequiredString("email", {.max_length = 254});
      const auto digest = reader.OptionalBool("daily_digest");
      if (!digest) reader.Problem("daily_digest", "is required");
      settings.daily_digest = digest.value_or(false);
      settings.language = LanguageOf(reader, true).value_or("vi");
      if (!settings.email.empty() && !dossier::IsEmailAddress(settings.email))
        reader.Problem("email", "is not an email address");
      if (settings.daily_digest && settings.email.empty())
        reader.Problem("email", "is required for a daily digest");
      if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
    }
    const TimePoint now = clock_.Now();
    Status done = req.method == "PUT"
                      ? store_.WriteSync([&](storage::Tx& tx) -> Status {
                          MOTCUA_TRY_VOID(notify::WriteStaffSettings(tx, user, settings, now));
                          settings.updated_at = now;
                          return {};
                        })
                      : store_.Read([&](storage::Tx& tx) -> Status {
                          settings = MOTCUA_TRY(notify::ReadStaffSettings(tx, user));
                          return {};
                        });
    if (!done) return respond(ErrorResponse(done.error()));
    respond(JsonResponse(200, json::object{{"email", settings.email},
                                           {"daily_digest", settings.daily_digest},
                                           {"language", settings.language},
                                           {"updated_at", OptTime(settings.updated_at)}}));
  }

 private:
  void Dossier(Request& req, const Responder& respond, bool put) {
    if (auto ok = http::RequireAuthenticated(req); !ok) return respond(ErrorResponse(ok.error()));
    auto id = http::PathId(req);
    if (!id) return respond(ErrorResponse(id.error()));
    auto visible = dossiers_.CanSee(*req.principal, *id);
    if (!visible) return respond(ErrorResponse(visible.error()));
    if (!*visible) return respond(ErrorResponse(Error{Code::kNotFound, "no such dossier", {}}));
    std::optional<bool> email, phone, stopped;
    std::optional<std::string> language;
    if (put) {
      auto body = http::ParseJsonObject(req);
      if (!body) return respond(ErrorResponse(body.error()));
      http::ObjectReader reader(*body);
      email = reader.OptionalBool("email");
      phone = reader.OptionalBool("phone");
      stopped = reader.OptionalBool("stopped");
      language = LanguageOf(reader, false);
      if (auto ok = reader.Finish(); !ok) return respond(ErrorResponse(ok.error()));
    }
    const accounts::Principal& who = *req.principal;
    const TimePoint now = clock_.Now();
    notify::Preferences prefs;
    storage::dossiers::DossierRow row;
    std::vector<Message> notices;
    auto work = [&](storage::Tx& tx) -> Status {
      auto found = MOTCUA_TRY(storage::dossiers::Find(tx, *id));
      if (!found) return Fail(Code::kNotFound, "no such dossier");
      row = std::move(*found);
      prefs = MOTCUA_TRY(notify::ReadPreferences(tx, row.id));
      if (put) {
        if (email) prefs.email = *email;
        if (phone) prefs.phone = *phone;
        if (language) prefs.language = *language;
        if (stopped)
          prefs.stopped_at = *stopped ? prefs.stopped_at.value_or(now) : std::optional<TimePoint>();
        const std::string by = row.citizen_user_id && *row.citizen_user_id == who.user_id
                                   ? "citizen"
                                   : "staff:" + std::to_string(who.user_id);
        MOTCUA_TRY_VOID(notify::WritePreferences(tx, row.id, prefs, by, now));
        prefs.updated_at = now;
        prefs.updated_by = by;
      }
      integrations::ListQuery q{.dossier_id = row.id, .limit = kMaxLimit};
      for (Message& m : MOTCUA_TRY(integrations::List(tx, q)))
        if (m.destination != "dvcqg") notices.push_back(std::move(m));
      return {};
    };
    Status done = put ? store_.WriteSync(work) : store_.Read(work);
    if (!done) return respond(ErrorResponse(done.error()));

    json::array list;
    for (const Message& m : notices) {
      auto payload = notify::ParseNoticePayload(m.payload);
      list.push_back(json::object{
          {"id", m.id},
          {"destination", m.destination},
          {"notice", m.kind},
          {"to", payload ? json::value(notify::MaskRecipient(payload->to)) : json::value(nullptr)},
          {"state", integrations::StateName(m.state)},
          {"attempts", m.attempts},
          {"created_at", FormatTime(m.created_at)},
          {"finished_at", OptTime(m.finished_at)},
          {"last_error", m.last_error ? json::value(*m.last_error) : json::value(nullptr)}});
    }
    json::array channels;
    for (const std::string& c : setup_.channels) channels.push_back(json::value(c));
    json::object out{
        {"preferences", json::object{{"email", prefs.email},
                                     {"phone", prefs.phone},
                                     {"language", prefs.language},
                                     {"stopped_at", OptTime(prefs.stopped_at)},
                                     {"chosen", prefs.updated_at.has_value()},
                                     {"updated_at", OptTime(prefs.updated_at)},
                                     {"updated_by", prefs.updated_at ? json::value(prefs.updated_by)
                                                                     : json::value(nullptr)}}},
        {"contacts",
         json::object{{"email", row.applicant_email.empty()
                                    ? json::value(nullptr)
                                    : json::value(notify::MaskRecipient(row.applicant_email))},
                      {"phone", row.applicant_phone.empty()
                                    ? json::value(nullptr)
                                    : json::value(dossier::MaskPhone(row.applicant_phone))}}},
        {"channels", std::move(channels)},
        {"notices", std::move(list)}};
    respond(JsonResponse(200, std::move(out)));
  }

  storage::Store& store_;
  const Clock& clock_;
  const dossiers::DossierService& dossiers_;
  NotificationSetup setup_;
};

}  // namespace

void RegisterNotificationRoutes(http::Router& router, storage::Store& store, const Clock& clock,
                                const dossiers::DossierService& dossiers, NotificationSetup setup) {
  auto routes = std::make_shared<NotificationRoutes>(store, clock, dossiers, std::move(setup));
  auto bind = [routes](void (NotificationRoutes::*f)(Request&, const Responder&)) {
    return [routes, f](Request& req, Responder respond) { ((*routes).*f)(req, respond); };
  };
  router.Add("GET", "/api/v1/dossiers/{id}/notifications", bind(&NotificationRoutes::GetDossier));
  router.Add("PUT", "/api/v1/dossiers/{id}/notifications", bind(&NotificationRoutes::PutDossier));
  router.Add("POST", "/api/v1/notifications/stop", bind(&NotificationRoutes::Stop));
  router.Add("GET", "/api/v1/account/notifications", bind(&NotificationRoutes::Account));
  router.Add("PUT", "/api/v1/account/notifications", bind(&NotificationRoutes::Account));
}

}  // namespace motcua::app
