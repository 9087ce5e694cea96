#include "http/handlers/dossiers.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/json_writer.hpp"
#include "core/calendar/date.hpp"
#include "core/dossier/deadline.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "core/workflow/workflow.hpp"
#include "http/auth.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"
#include "services/accounts/rate_limiter.hpp"

namespace motcua::http {
namespace {

namespace json = boost::json;
using accounts::Role;
using calendar::FormatMoment;
using dossiers::DossierService;
using dossiers::DossierView;

constexpr StringRules kReasonRules{.min_length = 0, .max_length = 2000};
constexpr StringRules kCodeRules{.min_length = 1, .max_length = 64};
constexpr StringRules kIdRules{.min_length = 1, .max_length = 64};
constexpr std::size_t kMaxListItems = 200;

// The bodies below are written with JsonWriter, not built as json::value:
// they are the answers of the frequent requests (json_writer.hpp).

void Moment(JsonWriter& w, std::string_view key, const std::optional<TimePoint>& t) {
  w.Key(key);
  if (t)
    w.String(FormatMoment(*t));
  else
    w.Null();
}

void Urgency(JsonWriter& w, const DossierView& v) {
  w.Key("urgency");
  if (v.urgency)
    w.String(dossier::UrgencyName(*v.urgency));
  else
    w.Null();
  w.Key("working_seconds_left");
  if (v.working_time_left)
    w.Int(v.working_time_left->count() / 1'000'000);
  else
    w.Null();
  // The office day those seconds are counted in: the page says "2 days 3 hours" with it.
  w.Key("working_day_seconds").Int(v.working_day.count() / 1'000'000);
}

// {"id", "name"} of a unit, at `key`.
void UnitObject(JsonWriter& w, std::string_view key, std::int64_t id, const std::string& name) {
  w.Key(key).Object().Key("id").Int(id).Key("name").String(name).End();
}

// The dossier's state; the full document also spells the national status.
void StateObject(JsonWriter& w, const DossierView& v, bool with_label) {
  const auto& r = v.row;
  w.Key("state")
      .Object()
      .Key("id")
      .String(r.state)
      .Key("name")
      .String(v.state_name)
      .Key("name_en")
      .String(v.state_name_en)
      .Key("national_status")
      .Int(r.national_status);
  if (with_label)
    w.Key("national_status_label").String(workflow::NationalStatusLabel(r.national_status));
  w.Key("clock").String(r.clock).Key("terminal").Bool(r.terminal).End();
}

// The members of a dossier's document, inside an object the caller opened.
void ViewFields(JsonWriter& w, const DossierView& v) {
  const auto& r = v.row;
  w.Key("id").Int(r.id);
  w.Key("number").String(r.number);
  w.Key("version").Int(r.version);
  w.Key("procedure")
      .Object()
      .Key("code")
      .String(r.procedure_code)
      .Key("version")
      .Int(v.procedure_version)
      .Key("name")
      .String(v.procedure_name)
      .Key("name_en")
      .String(v.procedure_name_en)
      .End();
  w.Key("workflow")
      .Object()
      .Key("code")
      .String(r.workflow_code)
      .Key("version")
      .Int(r.workflow_version)
      .End();
  StateObject(w, v, true);
  w.Key("channel").Int(r.channel);
  w.Key("applicant")
      .Object()
      .Key("full_name")
      .String(r.applicant_name)
      .Key("id_number")
      .String(r.applicant_id_number)
      .Key("phone")
      .String(r.applicant_phone)
      .Key("email")
      .String(r.applicant_email)
      .Key("address")
      .String(r.applicant_address)
      .Key("masked")
      .Bool(!v.unmasked)
      .End();
  w.Key("citizen_user_id").Int(r.citizen_user_id);
  UnitObject(w, "receiving_unit", r.receiving_unit_id, v.receiving_unit_name);
  UnitObject(w, "current_unit", r.current_unit_id, v.current_unit_name);
  w.Key("submitted_at").String(FormatMoment(r.submitted_at));
  Moment(w, "accepted_at", r.accepted_at);
  Moment(w, "clock_start", r.clock_start);
  Moment(w, "due_at", r.due_at);
  Moment(w, "apology_due_at", r.apology_due_at);
  w.Key("apologies").Int(r.apologies);
  Moment(w, "paused_at", r.paused_at);
  w.Key("paused_working_seconds").Int(r.paused_micros / 1'000'000);
  w.Key("supplement_count").Int(r.supplement_count);
  Moment(w, "step_due_at", r.step_due_at);
  Moment(w, "finished_at", r.finished_at);
  Moment(w, "returned_at", r.returned_at);
  w.Key("timeliness").String(r.timeliness);
  w.Key("fee_vnd").Int(r.fee_vnd);
  Moment(w, "paid_at", r.paid_at);
  w.Key("pending_request").JsonOrNull(r.pending_request);
  w.Key("updated_at").String(FormatMoment(r.updated_at));
  Urgency(w, v);
  w.Key("actions").Array();
  for (const auto& a : v.actions) {
    w.Object()
        .Key("id")
        .String(a.id)
        .Key("name")
        .String(a.name)
        .Key("name_en")
        .String(a.name_en)
        .Key("requires_reason")
        .Bool(a.requires_reason)
        .Key("requests_supplements")
        .Bool(a.requests_supplements)
        .Key("requests_payment")
        .Bool(a.requests_payment)
        .Key("transfer")
        .String(a.transfer);
    Moment(w, "due_at", a.due_at);
    w.End();
  }
  w.End();
}

std::string ViewBody(const DossierView& v) {
  std::string out;
  out.reserve(2048);
  JsonWriter w(out);
  w.Object();
  ViewFields(w, v);
  w.End();
  return out;
}

// A row of a list (inbox, my dossiers): what a screen of rows shows, so that
// a page of twenty stays a few kilobytes on a slow line.
void SummaryFields(JsonWriter& w, const DossierView& v) {
  const auto& r = v.row;
  w.Key("id").Int(r.id);
  w.Key("number").String(r.number);
  w.Key("version").Int(r.version);
  w.Key("procedure")
      .Object()
      .Key("code")
      .String(r.procedure_code)
      .Key("name")
      .String(v.procedure_name)
      .Key("name_en")
      .String(v.procedure_name_en)
      .End();
  StateObject(w, v, false);
  w.Key("channel").Int(r.channel);
  w.Key("applicant")
      .Object()
      .Key("full_name")
      .String(r.applicant_name)
      .Key("masked")
      .Bool(!v.unmasked)
      .End();
  UnitObject(w, "current_unit", r.current_unit_id, v.current_unit_name);
  w.Key("submitted_at").String(FormatMoment(r.submitted_at));
  Moment(w, "due_at", r.due_at);
  Moment(w, "apology_due_at", r.apology_due_at);
  w.Key("supplement_count").Int(r.supplement_count);
  w.Key("timeliness").String(r.timeliness);
  w.Key("waiting_for_citizen").Bool(r.clock == "paused");
  Urgency(w, v);
}

void Summary(JsonWriter& w, const DossierView& v) {
  w.Object();
  SummaryFields(w, v);
  w.End();
}

void RatingObject(JsonWriter& w, const dossiers::Rating& g) {
  w.Object()
      .Key("level")
      .Int(g.level)
      .Key("comment")
      .String(g.comment)
      .Key("rated_at")
      .String(FormatMoment(g.rated_at))
      .End();
}

std::string DetailBody(const dossiers::DossierDetail& d) {
  std::string out;
  out.reserve(8192);
  JsonWriter w(out);
  w.Object();
  ViewFields(w, d.view);
  w.Key("steps").Array();
  for (const auto& s : d.steps) {
    w.Object()
        .Key("step")
        .Int(s.step)
        .Key("action")
        .String(s.action)
        .Key("state")
        .String(s.state)
        .Key("from_unit_id")
        .Int(s.from_unit_id)
        .Key("unit_id")
        .Int(s.unit_id)
        .Key("handed_by")
        .Int(s.handed_by);
    w.Key("started_at").String(FormatMoment(s.started_at));
    Moment(w, "due_at", s.due_at);
    Moment(w, "finished_at", s.finished_at);
    w.Key("finished_by")
        .Int(s.finished_by)
        .Key("finish_action")
        .String(s.finish_action)
        .Key("timeliness")
        .String(s.timeliness)
        .End();
  }
  w.End();
  w.Key("history").Array();
  for (const auto& h : d.history) {
    w.Object()
        .Key("seq")
        .Int(h.seq)
        .Key("at")
        .String(FormatMoment(h.at))
        .Key("actor_id")
        .Int(h.actor_id)
        .Key("actor_name")
        .String(h.actor_name)
        .Key("action")
        .String(h.action)
        .Key("from_state")
        .String(h.from_state)
        .Key("to_state")
        .String(h.to_state)
        .Key("details")
        .JsonText(h.payload)
        .End();
  }
  w.End();
  w.Key("rating");
  if (d.rating)
    RatingObject(w, *d.rating);
  else
    w.Null();
  w.Key("can_rate").Bool(d.can_rate);
  w.Key("forms").Array();
  for (const auto& f : d.forms) w.String("0" + std::to_string(f.form));
  w.End();
  w.Key("files").Array();
  for (const auto& f : d.files) {
    w.Object()
        .Key("id")
        .String(f.id)
        .Key("component_code")
        .String(f.component_code)
        .Key("name")
        .String(f.name)
        .Key("media_type")
        .String(f.media_type)
        .Key("size")
        .Int(f.size)
        .Key("sha256")
        .String(f.sha256)
        .Key("uploaded_at")
        .String(FormatMoment(f.uploaded_at))
        .End();
  }
  w.End();
  w.End();
  return out;
}

Response Private(Response res) {
  res.SetHeader("Cache-Control", "private, no-store");
  return res;
}

Response Err(const motcua::Error& e) { return Private(ErrorResponse(e)); }

// Reads [{attachment_id, component_code}, ...] at `name`.
std::vector<dossiers::FileRef> ReadFiles(ObjectReader& r, std::string_view name) {
  std::vector<dossiers::FileRef> out;
  const json::value* v = r.Raw(name);
  if (v == nullptr) return out;
  if (!v->is_array() || v->as_array().size() > kMaxListItems) {
    r.Problem(name, "must be an array of at most " + std::to_string(kMaxListItems) + " files");
    return out;
  }
  const auto& arr = v->as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) {
      r.Problem(at, "must be an object {attachment_id, component_code}");
      continue;
    }
    ObjectReader f(arr[i].as_object());
    dossiers::FileRef ref{f.RequiredString("attachment_id", kIdRules),
                          f.RequiredString("component_code", kCodeRules)};
    if (auto st = f.Finish(); !st) {
      for (const auto& [k, p] : st.error().fields) r.Problem(at + "." + k, p);
      continue;
    }
    out.push_back(std::move(ref));
  }
  return out;
}

void SubmitDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::SubmitRequest s;
  s.procedure_code = r.RequiredString("procedure_code", {.min_length = 1, .max_length = 40});
  s.unit_id = r.RequiredInt("unit_id", 1, INT64_MAX);
  if (auto ch = r.OptionalInt("channel", 1, 3)) s.channel = static_cast<dossiers::Channel>(*ch);
  auto consent = r.OptionalBool("consent");
  s.consent = consent.value_or(false);
  const json::value* a = r.Raw("applicant");
  if (a == nullptr) {
    r.Problem("applicant", "is required");
  } else if (!a->is_object()) {
    r.Problem("applicant", "must be an object");
  } else {
    ObjectReader ar(a->as_object());
    s.applicant.full_name = ar.RequiredString("full_name", {.min_length = 1, .max_length = 100});
    s.applicant.id_number = ar.RequiredString("id_number", {.min_length = 1, .max_length = 20});
    s.applicant.phone = ar.RequiredString("phone", {.min_length = 1, .max_length = 20});
    s.applicant.email = ar.OptionalString("email", {.max_length = 254}).value_or("");
    s.applicant.address = ar.OptionalString("address", {.max_length = 300}).value_or("");
    if (auto st = ar.Finish(); !st)
      for (const auto& [k, p] : st.error().fields) r.Problem("applicant." + k, p);
  }
  s.files = ReadFiles(r, "files");
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Submit(*req.principal, std::move(s), [respond](Result<dossiers::Submitted> out) {
    if (!out) return respond(Err(out.error()));
    std::string body;
    JsonWriter w(body);
    w.Object().Key("dossier").Object();
    ViewFields(w, out->view);
    w.End().Key("lookup_secret").String(out->lookup_secret).End();
    Response res = Private(JsonTextResponse(201, std::move(body)));
    res.SetHeader("Location", "/api/v1/dossiers/" + std::to_string(out->view.row.id));
    respond(std::move(res));
  });
}

void GetDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  dossiers::ReadContext ctx = ReadContextOf(req);
  service.Get(*req.principal, *id, std::move(ctx), [respond](Result<dossiers::DossierDetail> d) {
    if (!d) return respond(Err(d.error()));
    respond(Private(JsonTextResponse(200, DetailBody(*d))));
  });
}

void ActOnDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  dossiers::ActRequest a;
  a.action = req.path_params["action"];
  if (a.action.empty() || a.action.size() > 64)
    return respond(
        Err(InvalidField("action", "must be an action id of the dossier's workflow").error()));
  // An action may have no body at all ("accept").
  if (!req.body.empty()) {
    auto body = ParseJsonObject(req);
    if (!body) return respond(Err(body.error()));
    ObjectReader r(*body);
    a.expected_version = r.OptionalInt("version", 1, INT64_MAX);
    a.reason = r.OptionalString("reason", kReasonRules).value_or("");
    a.to_unit_id = r.OptionalInt("to_unit_id", 1, INT64_MAX);
    a.fee_vnd = r.OptionalInt("fee_vnd", 1, 1'000'000'000'000);
    if (const json::value* items = r.Raw("items")) {
      if (!items->is_array() || items->as_array().size() > 100) {
        r.Problem("items", "must be an array of at most 100 items");
      } else {
        const auto& arr = items->as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
          std::string at = "items[" + std::to_string(i) + "]";
          if (!arr[i].is_object()) {
            r.Problem(at, "must be an object {component_code?, description}");
            continue;
          }
          ObjectReader ir(arr[i].as_object());
          dossiers::MissingItem item;
          item.component_code = ir.OptionalString("component_code", kCodeRules);
          item.description = ir.OptionalString("description", {.max_length = 1000}).value_or("");
          if (auto st = ir.Finish(); !st) {
            for (const auto& [k, p] : st.error().fields) r.Problem(at + "." + k, p);
            continue;
          }
          a.items.push_back(std::move(item));
        }
      }
    }
    a.files = ReadFiles(r, "files");
    if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  }
  service.Act(*req.principal, *id, std::move(a), [respond](Result<DossierView> v) {
    if (!v) return respond(Err(v.error()));
    respond(Private(JsonTextResponse(200, ViewBody(*v))));
  });
}

void Apologize(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::ApologyRequest a;
  a.expected_version = r.OptionalInt("version", 1, INT64_MAX);
  a.reason = r.RequiredString("reason", {.min_length = 1, .max_length = 2000});
  std::string due = r.RequiredString("new_due_at", {.min_length = 1, .max_length = 40});
  if (!due.empty()) {
    auto t = calendar::ParseMoment(due);
    if (!t)
      r.Problem("new_due_at", "must be a moment such as 2027-03-10T16:00+07:00");
    else
      a.new_due_at = *t;
  }
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Apologize(*req.principal, *id, std::move(a), [respond](Result<DossierView> v) {
    if (!v) return respond(Err(v.error()));
    respond(Private(JsonTextResponse(200, ViewBody(*v))));
  });
}

void AccessLogOf(DossierService& service, audit::AccessLog& log, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto visible = service.CanSee(*req.principal, *id);
  if (!visible) return respond(Err(visible.error()));
  if (!*visible)
    return respond(Err(Error{Code::kNotFound, "no dossier " + std::to_string(*id), {}}));
  auto entries = log.List("dossier", *id);
  if (!entries) return respond(Err(entries.error()));
  json::array items;
  for (const auto& e : *entries) {
    items.push_back(json::object{{"user_id", e.record.user_id},
                                 {"at", FormatMoment(e.at)},
                                 {"purpose", e.record.purpose},
                                 {"route", e.record.route},
                                 {"request_id", e.record.request_id}});
  }
  respond(Private(JsonResponse(200, json::object{{"items", std::move(items)}})));
}

std::optional<int> ParseLimit(const Request& req, Error& error) {
  auto it = req.query.find("limit");
  if (it == req.query.end()) return std::nullopt;
  auto n = ParsePositiveId(it->second);
  if (!n || *n > 100) {
    error.With("limit", "must be 1 to 100");
    return std::nullopt;
  }
  return static_cast<int>(*n);
}

// A list's counts (the inbox, a leader's watch).
void Counts(JsonWriter& w, const storage::dossiers::InboxCounts& c) {
  w.Key("counts")
      .Object()
      .Key("total")
      .Int(c.total)
      .Key("overdue")
      .Int(c.overdue)
      .Key("nearing")
      .Int(c.nearing)
      .Key("waiting_for_citizen")
      .Int(c.paused)
      .End();
}

std::optional<dossiers::InboxQuery::Due> ParseDue(std::string_view value) {
  if (value == "overdue") return dossiers::InboxQuery::Due::kOverdue;
  if (value == "nearing") return dossiers::InboxQuery::Due::kNearing;
  if (value == "any") return dossiers::InboxQuery::Due::kAny;
  return std::nullopt;
}

void Inbox(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  dossiers::InboxQuery q;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  for (const auto& [name, value] : req.query) {
    if (name == "state") {
      if (value.empty() || value.size() > 64)
        error.With(name, "must be a state id");
      else
        q.state = value;
    } else if (name == "procedure_code") {
      if (value.empty() || value.size() > 40)
        error.With(name, "must be a procedure code");
      else
        q.procedure_code = value;
    } else if (name == "due") {
      if (auto due = ParseDue(value))
        q.due = *due;
      else
        error.With(name, "must be overdue, nearing or any");
    } else if (name == "q") {
      if (value.size() > 100)
        error.With(name, "must be at most 100 characters");
      else
        q.search = value;
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (auto limit = ParseLimit(req, error)) q.limit = *limit;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Inbox(*req.principal, q);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1024 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object();
  Counts(w, page->counts);
  w.Key("items").Array();
  for (const auto& v : page->items) Summary(w, v);
  w.End().Key("next_cursor").String(page->next_cursor).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

// GET /api/v1/dossiers?unit=: a leader's watch over the units below them.
void WatchList(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  dossiers::WatchQuery q;
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  bool unit = false;
  for (const auto& [name, value] : req.query) {
    if (name == "unit") {
      auto id = ParsePositiveId(value);
      if (!id)
        error.With(name, "must be the id of a unit");
      else
        q.unit_id = *id;
      unit = true;
    } else if (name == "procedure_code") {
      if (value.empty() || value.size() > 40)
        error.With(name, "must be a procedure code");
      else
        q.procedure_code = value;
    } else if (name == "due") {
      if (auto due = ParseDue(value))
        q.due = *due;
      else
        error.With(name, "must be overdue, nearing or any");
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (!unit) error.With("unit", "is required: the id of a unit");
  if (auto limit = ParseLimit(req, error)) q.limit = *limit;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Watch(*req.principal, q);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1200 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object();
  Counts(w, page->counts);
  w.Key("items").Array();
  for (const auto& item : page->items) {
    w.Object();
    SummaryFields(w, item.view);
    w.Key("step");
    if (!item.step) {
      w.Null();
    } else {
      w.Object()
          .Key("state")
          .String(item.step->state)
          .Key("name")
          .String(item.step_state_name)
          .Key("name_en")
          .String(item.step_state_name_en);
      UnitObject(w, "unit", item.step->unit_id, item.step_unit_name);
      w.Key("started_at").String(FormatMoment(item.step->started_at));
      Moment(w, "due_at", item.step->due_at);
      w.Key("handed_by");
      if (item.step->handed_by)
        w.Object()
            .Key("id")
            .Int(*item.step->handed_by)
            .Key("name")
            .String(item.step->handed_by_name)
            .End();
      else
        w.Null();
      w.End();
    }
    w.End();
  }
  w.End().Key("next_cursor").String(page->next_cursor).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

void MyDossiers(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  std::int64_t before = 0;
  int limit = 20;
  for (const auto& [name, value] : req.query) {
    if (name == "before") {
      auto n = ParsePositiveId(value);
      if (!n)
        error.With(name, "must be a dossier id");
      else
        before = *n;
    } else if (name != "limit") {
      error.With(name, "unknown parameter");
    }
  }
  if (auto l = ParseLimit(req, error)) limit = *l;
  if (!error.fields.empty()) return respond(Err(error));
  auto page = service.Mine(*req.principal, before, limit);
  if (!page) return respond(Err(page.error()));
  std::string body;
  body.reserve(1024 * (page->items.size() + 1));
  JsonWriter w(body);
  w.Object().Key("items").Array();
  for (const auto& v : page->items) Summary(w, v);
  w.End().Key("next_before").Int(page->next_before).End();
  respond(Private(JsonTextResponse(200, std::move(body))));
}

// Failed lookups per address: a person mistyping a code from paper gets
// thirty tries a quarter hour; a guesser gets 2,880 a day per address
// against 31^8 (8.5e11) codes per dossier number. Successful lookups are
// not limited: a QR code scanned at a counter all day is fine.
const accounts::SlidingWindowLimiter::Options kLookupLimit{30, std::chrono::minutes(15), 50'000};

// The lookup limit's answer (429), with the seconds until a try is free again.
Response TooManyFailedLookups(Micros wait) {
  Response res = Err(
      Error{Code::kResourceExhausted, "too many failed lookups from this address; try later", {}});
  res.SetHeader("Retry-After",
                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(wait).count() + 1));
  return res;
}

std::string LookupBody(const dossiers::LookupResult& found) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  w.Object()
      .Key("number")
      .String(found.number)
      .Key("procedure_name")
      .String(found.procedure_name)
      .Key("procedure_name_en")
      .String(found.procedure_name_en)
      .Key("state_name")
      .String(found.state_name)
      .Key("state_name_en")
      .String(found.state_name_en)
      .Key("national_status")
      .Int(found.national_status)
      .Key("national_status_label")
      .String(workflow::NationalStatusLabel(found.national_status))
      .Key("applicant")
      .String(found.masked_name)
      .Key("receiving_unit")
      .String(found.receiving_unit_name)
      .Key("submitted_at")
      .String(FormatMoment(found.submitted_at));
  Moment(w, "accepted_at", found.accepted_at);
  Moment(w, "due_at", found.due_at);
  Moment(w, "finished_at", found.finished_at);
  Moment(w, "returned_at", found.returned_at);
  w.Key("pending_request").JsonOrNull(found.pending_request);
  w.Key("rating");
  if (found.rating_level)
    w.Object().Key("level").Int(*found.rating_level).End();
  else
    w.Null();
  w.Key("can_rate").Bool(found.can_rate);
  w.Key("steps").Array();
  for (const auto& st : found.steps) {
    w.Object()
        .Key("state_name")
        .String(st.state_name)
        .Key("state_name_en")
        .String(st.state_name_en)
        .Key("started_at")
        .String(FormatMoment(st.started_at));
    Moment(w, "finished_at", st.finished_at);
    w.End();
  }
  w.End().End();
  return out;
}

// The answers of recent public lookups, ready to send: the lookup is the most
// frequent request (receipts' QR codes, citizens checking again and again),
// and a dossier changes a few times in its life. An entry is dropped when
// its dossier changes (DossierService's change listener, after the commit),
// so an answer is never staler than the database this process writes.
// Another server writing the same database (PostgreSQL, several processes)
// cannot drop it: an entry lives kTtl at most, so an answer is never more
// than that behind a change made elsewhere. A lookup that read the database
// while its shard saw a change does not store its answer (it may predate
// the change). Bounded: each shard drops an arbitrary entry when full.
class LookupCache {
 public:
  // A receipt's QR code scanned again and again at a counter stays in the
  // cache; a citizen's next visit minutes later reads the database.
  static constexpr std::chrono::seconds kTtl{2};
  // 32,768 answers of about 1.5 KB: some 50 MB, the open dossiers of a
  // merged province and the ones finished lately.
  static constexpr std::size_t kShards = 64;
  static constexpr std::size_t kPerShard = 512;

  struct Entry {
    std::string lookup_hash;
    std::string body;
    TimePoint stored_at{};
  };

  // The cached answer, if `secret` (normalised) is the dossier's and the
  // entry is younger than kTtl at `now`.
  std::optional<std::string> Find(const std::string& number, std::string_view secret,
                                  TimePoint now) {
    Shard& s = ShardOf(number);
    std::lock_guard lock(s.mu);
    auto it = s.entries.find(number);
    if (it == s.entries.end()) return std::nullopt;
    if (now - it->second.stored_at >= kTtl || now < it->second.stored_at) {
      s.entries.erase(it);
      return std::nullopt;
    }
    if (!dossier::LookupSecretMatches(number, secret, it->second.lookup_hash)) return std::nullopt;
    return it->second.body;
  }
  std::uint64_t Epoch(const std::string& number) {
    Shard& s = ShardOf(number);
    std::lock_guard lock(s.mu);
    return s.epoch;
  }
  void Put(const std::string& number, std::uint64_t epoch, Entry entry) {
    Shard& s = ShardOf(number);
    std::lock_guard lock(s.mu);
    if (s.epoch != epoch) return;
    if (s.entries.size() >= kPerShard && !s.entries.contains(number))
      s.entries.erase(s.entries.begin());
    s.entries.insert_or_assign(number, std::move(entry));
  }
  void Invalidate(const std::string& number) {
    Shard& s = ShardOf(number);
    std::lock_guard lock(s.mu);
    s.entries.erase(number);
    ++s.epoch;
  }

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
    std::uint64_t epoch = 0;
  };
  Shard& ShardOf(const std::string& number) {
    return shards_[std::hash<std::string>{}(number) % kShards];
  }
  std::array<Shard, kShards> shards_;
};

Response LookupResponse(std::string body) {
  return Private(JsonTextResponse(200, std::move(body)));
}

void Lookup(DossierService& service, accounts::SlidingWindowLimiter& limiter, LookupCache& cache,
            const Clock& clock, Request& req, Responder respond) {
  Error error{Code::kInvalidArgument, "invalid query parameters", {}};
  std::string number, secret;
  for (const auto& [name, value] : req.query) {
    if (name == "number")
      number = value;
    else if (name == "secret")
      secret = value;
    else
      error.With(name, "unknown parameter");
  }
  if (number.empty()) error.With("number", "is required");
  if (secret.empty()) error.With("secret", "is required");
  if (!error.fields.empty()) return respond(Err(error));
  const TimePoint now = clock.Now();
  if (auto wait = limiter.TryAcquire(req.remote_ip, now))
    return respond(TooManyFailedLookups(*wait));
  if (auto normal = dossier::NormalizeLookupSecret(secret)) {
    if (auto body = cache.Find(number, *normal, now)) {
      limiter.Release(req.remote_ip, now);
      return respond(LookupResponse(std::move(*body)));
    }
  }
  const std::uint64_t epoch = cache.Epoch(number);
  auto found = service.Lookup(number, secret);
  if (!found) return respond(Err(found.error()));
  limiter.Release(req.remote_ip, now);
  std::string body = LookupBody(*found);
  cache.Put(found->number, epoch, {found->lookup_hash, body, now});
  respond(LookupResponse(std::move(body)));
}

// {level, comment?} of a rating, from an object the caller parsed.
dossiers::RateRequest ReadRating(ObjectReader& r) {
  dossiers::RateRequest g;
  g.level = static_cast<int>(r.RequiredInt("level", 1, 3));
  g.comment = r.OptionalString("comment", {.max_length = 4000}).value_or("");
  return g;
}

void RespondRating(Responder& respond, Result<dossiers::Rating> g) {
  if (!g) return respond(Err(g.error()));
  std::string body;
  JsonWriter w(body);
  RatingObject(w, *g);
  respond(Private(JsonTextResponse(201, std::move(body))));
}

void RateDossier(DossierService& service, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(Err(st.error()));
  auto id = PathId(req);
  if (!id) return respond(Err(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  dossiers::RateRequest g = ReadRating(r);
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  service.Rate(*req.principal, *id, std::move(g), [respond](Result<dossiers::Rating> out) mutable {
    RespondRating(respond, std::move(out));
  });
}

// The rating of whoever holds the receipt: its number and code, as the
// lookup, and under the lookup's limit of failed tries per address.
void RateByLookup(DossierService& service, std::shared_ptr<accounts::SlidingWindowLimiter> limiter,
                  const Clock& clock, Request& req, Responder respond) {
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  std::string number = r.RequiredString("number", {.min_length = 1, .max_length = 64});
  std::string secret = r.RequiredString("secret", {.min_length = 1, .max_length = 64});
  dossiers::RateRequest g = ReadRating(r);
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  const TimePoint now = clock.Now();
  if (auto wait = limiter->TryAcquire(req.remote_ip, now))
    return respond(TooManyFailedLookups(*wait));
  service.RateByLookup(
      std::move(number), std::move(secret), std::move(g),
      [respond, limiter, ip = req.remote_ip, now](Result<dossiers::Rating> out) mutable {
        // Only a wrong number or code counts as a failed try.
        if (out || out.error().code != Code::kNotFound) limiter->Release(ip, now);
        RespondRating(respond, std::move(out));
      });
}

}  // namespace

void RegisterDossierRoutes(Router& router, DossierService& service,
                           const workflow::Registry& workflows, audit::AccessLog& access_log,
                           const Clock& clock) {
  router.Add("POST", "/api/v1/dossiers", [&service](Request& req, Responder respond) {
    SubmitDossier(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers/{id}", [&service](Request& req, Responder respond) {
    GetDossier(service, req, std::move(respond));
  });
  router.Add("POST", "/api/v1/dossiers/{id}/actions/{action}",
             [&service](Request& req, Responder respond) {
               ActOnDossier(service, req, std::move(respond));
             });
  router.Add("POST", "/api/v1/dossiers/{id}/apology", [&service](Request& req, Responder respond) {
    Apologize(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers/{id}/access-log",
             [&service, &access_log](Request& req, Responder respond) {
               AccessLogOf(service, access_log, req, std::move(respond));
             });
  router.Add("GET", "/api/v1/inbox", [&service](Request& req, Responder respond) {
    Inbox(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/dossiers", [&service](Request& req, Responder respond) {
    WatchList(service, req, std::move(respond));
  });
  router.Add("GET", "/api/v1/me/dossiers", [&service](Request& req, Responder respond) {
    MyDossiers(service, req, std::move(respond));
  });
  auto limiter = std::make_shared<accounts::SlidingWindowLimiter>(kLookupLimit);
  auto cache = std::make_shared<LookupCache>();
  service.AddChangeListener(
      [cache](std::int64_t, const std::string& number) { cache->Invalidate(number); });
  router.Add("GET", "/api/v1/lookup",
             [&service, limiter, cache, &clock](Request& req, Responder respond) {
               Lookup(service, *limiter, *cache, clock, req, std::move(respond));
             });
  router.Add("POST", "/api/v1/dossiers/{id}/rating", [&service](Request& req, Responder respond) {
    RateDossier(service, req, std::move(respond));
  });
  router.Add("POST", "/api/v1/lookup/rating",
             [&service, limiter, &clock](Request& req, Responder respond) {
               RateByLookup(service, limiter, clock, req, std::move(respond));
             });
  router.Add("GET", "/api/v1/workflows", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
    json::array items;
    for (const auto* wf : workflows.Latest()) items.push_back(json::parse(wf->Describe()));
    respond(JsonResponse(200, json::object{{"items", std::move(items)}}));
  });
  router.Add("GET", "/api/v1/workflows/{code}", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
    const auto* wf = workflows.Latest(req.path_params["code"]);
    if (wf == nullptr)
      return respond(ErrorResponse(
          Error{Code::kNotFound, "no workflow '" + req.path_params["code"] + "'", {}}));
    respond(JsonResponse(200, json::parse(wf->Describe())));
  });
  // The definition file of a loaded workflow, as written, for administrators
  // who edit it (and check it below) before deploying a new version.
  router.Add("GET", "/api/v1/workflows/{code}/definition",
             [&workflows](Request& req, Responder respond) {
               if (auto st = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !st)
                 return respond(ErrorResponse(st.error()));
               const auto* wf = workflows.Latest(req.path_params["code"]);
               if (wf == nullptr)
                 return respond(ErrorResponse(
                     Error{Code::kNotFound, "no workflow '" + req.path_params["code"] + "'", {}}));
               Response res;
               res.status = 200;
               res.SetHeader("content-type", "application/json");
               res.body = wf->source();
               respond(std::move(res));
             });
  // Checks a workflow definition as `motcua serve` would load it, without
  // loading it: workflows are data files (data/workflows), reviewed and
  // deployed like the law they encode. Administrators edit one in the
  // browser and see every problem at its JSON path.
  router.Add("POST", "/api/v1/workflows/check", [&workflows](Request& req, Responder respond) {
    if (auto st = RequireAnyRole(req, {Role::kProvinceAdmin, Role::kSystemAdmin}); !st)
      return respond(ErrorResponse(st.error()));
    constexpr std::size_t kMaxDefinition = 256 * 1024;
    if (req.body.size() > kMaxDefinition)
      return respond(ErrorResponse(Error{Code::kPayloadTooLarge,
                                         "a workflow definition is at most 256 KiB",
                                         {{"body", "at most 256 KiB"}}}));
    auto wf = workflow::Workflow::Parse(req.body);
    if (!wf) return respond(ErrorResponse(wf.error()));
    json::object out{{"valid", true}, {"workflow", json::parse(wf->Describe())}};
    const auto* loaded = workflows.Latest(wf->code());
    out["loaded_version"] = loaded ? json::value(loaded->version()) : json::value(nullptr);
    respond(JsonResponse(200, std::move(out)));
  });
}

dossiers::ReadContext ReadContextOf(const Request& req) {
  return {req.method + " " + (req.route ? req.route->pattern : req.path), req.request_id};
}

}  // namespace motcua::http
