#include "http/handlers/dossier_json.hpp"

#include <utility>

#include "core/calendar/date.hpp"
#include "core/dossier/deadline.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/workflow/workflow.hpp"

namespace motcua::http::dossier_json {
namespace {

using calendar::FormatMoment;
using dossiers::DossierView;

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

}  // namespace

void Moment(JsonWriter& w, std::string_view key, const std::optional<TimePoint>& t) {
  w.Key(key);
  if (t)
    w.String(FormatMoment(*t));
  else
    w.Null();
}

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
        .JsonText(dossier::ToJson(h.details))
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

void Counts(JsonWriter& w, const dossiers::InboxCounts& c) {
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

void WatchRow(JsonWriter& w, const dossiers::WatchItem& item) {
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

Response Private(Response res) {
  res.SetHeader("Cache-Control", "private, no-store");
  return res;
}

Response Err(const motcua::Error& e) { return Private(ErrorResponse(e)); }

Response RatingResponse(const Result<dossiers::Rating>& g) {
  if (!g) return Err(g.error());
  std::string body;
  JsonWriter w(body);
  RatingObject(w, *g);
  return Private(JsonTextResponse(201, std::move(body)));
}

dossiers::RateRequest ReadRating(ObjectReader& r) {
  dossiers::RateRequest g;
  g.level = static_cast<int>(r.RequiredInt("level", 1, 3));
  g.comment = r.OptionalString("comment", {.max_length = 4000}).value_or("");
  return g;
}

}  // namespace motcua::http::dossier_json
