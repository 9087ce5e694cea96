#include "core/dossier/action_plan.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/calendar/date.hpp"
#include "core/catalog/text.hpp"

namespace motcua::dossier {
namespace {

namespace json = boost::json;
using workflow::Clock;
using workflow::NationalStatus;

bool IsComponent(const catalog::Procedure& p, std::string_view code) {
  return std::any_of(p.components.begin(), p.components.end(),
                     [&](const catalog::Component& c) { return c.code == code; });
}

units::Kind KindOf(workflow::UnitKind k) {
  switch (k) {
    case workflow::UnitKind::kDepartment:
      return units::Kind::kDepartment;
    case workflow::UnitKind::kCommune:
      return units::Kind::kCommune;
    default:
      return units::Kind::kCenter;
  }
}

// Where a transfer takes the dossier, or the problem with `to_unit_id`.
std::int64_t Destination(const PlanContext& ctx, const DossierFacts& d,
                         const workflow::Transition& t, const ActionInput& in,
                         const std::string& action, Error& bad) {
  using workflow::UnitKind;
  if (!t.transfer) {
    if (in.to_unit_id) bad.With("to_unit_id", "'" + action + "' does not transfer the dossier");
    return d.current_unit_id;
  }
  if (*t.transfer == UnitKind::kReceivingUnit) {
    if (in.to_unit_id && *in.to_unit_id != d.receiving_unit_id)
      bad.With("to_unit_id", "this transfer goes back to the receiving unit");
    return d.receiving_unit_id;
  }
  const std::string kind(workflow::UnitKindName(*t.transfer));
  if (!in.to_unit_id) {
    bad.With("to_unit_id", "choose the " + kind + " to send the dossier to");
    return d.current_unit_id;
  }
  const units::Unit* u = ctx.units.Find(*in.to_unit_id);
  if (u == nullptr) {
    bad.With("to_unit_id", "no such unit");
  } else if (u->kind != KindOf(*t.transfer)) {
    bad.With("to_unit_id", "'" + u->name + "' is not a " + kind);
  } else if (!u->ActiveOn(catalog::Date{calendar::LocalDate(ctx.now)})) {
    bad.With("to_unit_id", "'" + u->name + "' no longer exists");
  } else {
    return u->id;
  }
  return d.current_unit_id;
}

}  // namespace

ProcedureTime TimeOf(const catalog::Procedure& p) {
  ProcedureTime t;
  t.limit.value = p.time_limit.value;
  t.limit.unit = p.time_limit.unit == catalog::TimeUnit::kWorkingHours
                     ? TimeLimit::Unit::kWorkingHours
                     : TimeLimit::Unit::kWorkingDays;
  t.cut_off = p.cutoff_1500;
  return t;
}

std::string PendingRequestJson(const PendingRequest& r) {
  const bool supplement = r.kind == PendingRequest::Kind::kSupplement;
  json::object o{{"kind", supplement ? "supplement" : "payment"},
                 {"requested_at", calendar::FormatMoment(r.requested_at)}};
  if (r.reason) o["reason"] = *r.reason;
  if (supplement) {
    json::array items;
    for (const auto& i : r.items) {
      json::object item{{"description", i.description}};
      if (i.component_code) item["component_code"] = *i.component_code;
      items.push_back(std::move(item));
    }
    o["items"] = std::move(items);
  } else {
    o["fee_vnd"] = r.fee_vnd;
  }
  return json::serialize(o);
}

void CheckFiles(const std::vector<HandedFile>& files, const catalog::Procedure& procedure,
                std::string_view field, Error& error) {
  if (files.size() > kMaxFiles)
    error.With(std::string(field), "at most " + std::to_string(kMaxFiles) + " files");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    if (!IsComponent(procedure, files[i].component_code))
      error.With(at + ".component_code", "'" + files[i].component_code +
                                             "' is not a component of procedure " + procedure.code);
    if (!seen.insert(files[i].attachment_id).second)
      error.With(at + ".attachment_id", "is named twice");
  }
}

Result<ActionPlan> PlanAction(const PlanContext& ctx, const DossierFacts& d,
                              const workflow::Transition& t, const catalog::Procedure& proc,
                              const ActionInput& in) {
  const std::string action = t.action ? t.action->id : std::string();
  if (in.reason.size() > kMaxReason * 4) return InvalidField("reason", "is too long");
  if (in.items.size() > kMaxItems)
    return InvalidField("items", "at most " + std::to_string(kMaxItems) + " items");

  const bool asks_supplements = t.to->clock == Clock::kPaused &&
                                t.to->national_status == NationalStatus::kSupplementRequested;
  const bool asks_payment = t.to->clock == Clock::kPaused &&
                            t.to->national_status == NationalStatus::kFinancialObligation;
  Error bad{Code::kInvalidArgument, "invalid action", {}};
  const std::string reason(catalog::TrimSpaces(in.reason));
  if (t.requires_reason && reason.empty()) bad.With("reason", "is required for '" + action + "'");
  if (catalog::CodePointCount(reason) > kMaxReason)
    bad.With("reason", "must be at most " + std::to_string(kMaxReason) + " characters");
  if (asks_supplements && in.items.empty())
    bad.With("items", "list everything the citizen must supply, all at once");
  if (!asks_supplements && !in.items.empty())
    bad.With("items", "only a request for supplements lists items");
  std::vector<AskedItem> items;
  for (std::size_t i = 0; i < in.items.size(); ++i) {
    const AskedItem& item = in.items[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (item.component_code && !IsComponent(proc, *item.component_code))
      bad.With(at + ".component_code", "is not a component of this procedure");
    if (!item.component_code && catalog::TrimSpaces(item.description).empty())
      bad.With(at + ".description", "say what is missing");
    items.push_back({std::string(catalog::TrimSpaces(item.description)), item.component_code});
  }
  std::int64_t fee = 0;
  if (asks_payment) {
    fee = in.fee_vnd.value_or(catalog::TotalFee(proc));
    if (fee <= 0) bad.With("fee_vnd", "the procedure has no fee: give the amount to pay");
  } else if (in.fee_vnd) {
    bad.With("fee_vnd", "only a request for payment names an amount");
  }
  const std::int64_t to_unit = Destination(ctx, d, t, in, action, bad);
  CheckFiles(in.files, proc, "files", bad);
  if (!bad.fields.empty()) return Fail(std::move(bad));

  auto adv = MOTCUA_TRY(AdvanceClock(ctx.calendar, d.progress, t, TimeOf(proc), ctx.now));
  ActionPlan plan;
  plan.progress = adv.progress;
  plan.current_unit_id = to_unit;
  plan.closed_step = adv.closed_step;
  plan.opens_step = adv.opens_step;
  plan.step_due_at = adv.step_due_at;

  ActionPayload& payload = plan.payload;
  if (!reason.empty()) payload.reason = reason;
  if (asks_supplements || asks_payment) {
    PendingRequest request;
    request.kind =
        asks_supplements ? PendingRequest::Kind::kSupplement : PendingRequest::Kind::kPayment;
    request.requested_at = ctx.now;
    if (!reason.empty()) request.reason = reason;
    if (asks_supplements) {
      request.items = items;
      payload.items = std::move(items);
    } else {
      request.fee_vnd = fee;
      payload.fee_vnd = fee;
      plan.fee_vnd = fee;
    }
    plan.pending = ActionPlan::Pending::kSet;
    plan.request = std::move(request);
  } else if (t.from->clock == Clock::kPaused) {
    if (t.from->national_status == NationalStatus::kFinancialObligation &&
        t.to->clock == Clock::kRunning)
      plan.paid_at = ctx.now;
    plan.pending = ActionPlan::Pending::kClear;
  }
  if (to_unit != d.current_unit_id) payload.to_unit_id = to_unit;
  payload.files = in.files;
  const Progress& p = plan.progress;
  if (t.clock == workflow::ClockEffect::kStart && p.due_at) {
    payload.clock_start = p.clock_start;
    payload.due_at = p.due_at;
  }
  if (t.clock == workflow::ClockEffect::kResume && p.due_at) payload.due_at = p.due_at;
  payload.step_due_at = adv.step_due_at;
  payload.closed_step_timeliness = adv.closed_step;
  if (p.timeliness && !d.progress.timeliness) payload.timeliness = p.timeliness;
  return plan;
}

std::vector<DecidedForm> DecidedForms(const std::vector<HistoryStep>& history,
                                      const workflow::Workflow* wf) {
  std::vector<DecidedForm> out;
  auto decided = [&](int form, std::size_t event) {
    for (auto& f : out)
      if (f.form == form) return void(f.event = event);
    out.push_back({form, event});
  };
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& h = history[i];
    if (h.action == "apology") {
      decided(4, i);
      continue;
    }
    // A rating, a result's draft or signature and the national portal's
    // acknowledgement keep the state they were given in (to_state is the
    // state then): they decide nothing, and the letter stays the action's.
    if (h.action == "rated" || h.action == "result_drafted" || h.action == "result_signed" ||
        h.action == "national_synced" || !wf || !h.to_state)
      continue;
    const workflow::State* state = wf->FindState(*h.to_state);
    if (state == nullptr) continue;
    if (state->national_status == NationalStatus::kSupplementRequested)
      decided(2, i);
    else if (state->national_status == NationalStatus::kNotAccepted)
      decided(3, i);
    else if (state->national_status == NationalStatus::kStopped)
      decided(5, i);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.form < b.form; });
  return out;
}

bool Rateable(bool terminal, workflow::NationalStatus status) {
  return terminal && status != NationalStatus::kWithdrawn;
}

}  // namespace motcua::dossier
