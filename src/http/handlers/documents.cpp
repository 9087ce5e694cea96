#include "http/handlers/documents.hpp"

#include <map>
#include <string>

#include "core/calendar/date.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "documents/notice.hpp"
#include "http/auth.hpp"
#include "http/handlers/dossiers.hpp"
#include "http/json_body.hpp"
#include "http/params.hpp"

namespace motcua::http {
namespace {

// "10 ngày làm việc", "4 giờ làm việc", "Trong ngày" (0 working days), in
// the words of the forms file.
std::string TimeLimitText(const documents::FormLayout& layout, const catalog::TimeLimit& t) {
  if (t.value == 0) return layout.Word("same_day");
  std::string out =
      layout.Word(t.unit == catalog::TimeUnit::kWorkingHours ? "working_hours" : "working_days");
  if (auto at = out.find("{n}"); at != std::string::npos)
    out.replace(at, 3, std::to_string(t.value));
  return out;
}

Response Pdf(std::string body, const std::string& file_name) {
  Response res;
  res.status = 200;
  res.SetHeader("content-type", "application/pdf");
  res.SetHeader("content-disposition", "inline; filename=\"" + file_name + "\"");
  res.SetHeader("cache-control", "private, no-store");
  res.body = std::move(body);
  return res;
}

void ControlSheet(dossiers::DossierService& service, const units::UnitService& units,
                  const workflow::Registry& workflows,
                  const std::shared_ptr<const documents::Fonts>& fonts,
                  const documents::FormLayout& layout, const Clock& clock, Request& req,
                  Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  dossiers::ReadContext ctx = ReadContextOf(req);
  service.Get(
      *req.principal, *id, std::move(ctx),
      [&units, &workflows, fonts, &layout, &clock, respond](Result<dossiers::DossierDetail> got) {
        if (!got) return respond(ErrorResponse(got.error()));
        const auto& row = got->view.row;
        documents::ControlSheetData d;
        UnitAgencies(units, layout, row.receiving_unit_id, d.parent_agency, d.agency);
        d.number = row.number;
        d.applicant_name = row.applicant_name;
        d.procedure_name = got->view.procedure_name;
        d.printed_at = clock.Now();
        std::map<std::int64_t, std::string> names;
        for (const auto& h : got->history)
          if (h.actor_id) names[*h.actor_id] = h.actor_name;
        const workflow::Workflow* wf = workflows.Find(row.workflow_code, row.workflow_version);
        auto tree = units.Tree();
        for (const auto& s : got->steps) {
          documents::ControlSheetRow r;
          const auto* state = wf ? wf->FindState(s.state) : nullptr;
          r.state_name = state ? state->name : s.state;
          if (const auto* u = tree->Find(s.unit_id)) r.unit_name = u->name;
          if (s.handed_by)
            if (auto it = names.find(*s.handed_by); it != names.end()) r.handed_by = it->second;
          r.started_at = s.started_at;
          r.due_at = s.due_at;
          r.finished_at = s.finished_at;
          r.timeliness = s.timeliness.value_or("");
          d.rows.push_back(std::move(r));
        }
        auto pdf = documents::RenderControlSheet(fonts, layout, d);
        if (!pdf) return respond(ErrorResponse(pdf.error()));
        respond(Pdf(std::move(*pdf), "phieu-kiem-soat-" + row.number + ".pdf"));
      });
}

// Forms 02 to 05, each from the last event that decided it
// (DossierDetail::forms).
void Notice(dossiers::DossierService& service, const units::UnitService& units,
            const std::shared_ptr<const documents::Fonts>& fonts,
            const documents::FormLayout& layout, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  const std::string form = req.path_params["form"];
  auto kind = documents::ParseNoticeKind(form);
  if (!kind)
    return respond(ErrorResponse(InvalidField("form", "must be 02, 03, 04 or 05").error()));
  dossiers::ReadContext ctx = ReadContextOf(req);
  service.Get(
      *req.principal, *id, std::move(ctx),
      [&units, fonts, &layout, kind = *kind, form, respond](Result<dossiers::DossierDetail> got) {
        if (!got) return respond(ErrorResponse(got.error()));
        const auto& row = got->view.row;
        const dossiers::HistoryEntry* decided = nullptr;
        for (const auto& f : got->forms)
          if (f.form == static_cast<int>(kind)) decided = &got->history[f.event];
        if (decided == nullptr)
          return respond(ErrorResponse(Error{
              Code::kNotFound, "this dossier has no form " + form + " (nothing decided it)", {}}));
        documents::NoticeData d;
        d.kind = kind;
        UnitAgencies(units, layout, row.receiving_unit_id, d.parent_agency, d.agency);
        if (const auto* u = units.Tree()->Find(row.receiving_unit_id)) d.unit_name = u->name;
        d.number = row.number;
        d.applicant_name = row.applicant_name;
        d.procedure_name = got->view.procedure_name;
        d.received_at = row.submitted_at;
        d.decided_at = decided->at;
        d.signer = decided->actor_name;
        // The letter's words come from the event that decided it, typed.
        const dossier::EventPayload* details = &decided->details;
        if (const auto* a = std::get_if<dossier::ActionPayload>(details)) {
          if (a->reason) d.reason = *a->reason;
          for (const auto& item : a->items) d.items.push_back(item.description);
        } else if (const auto* apology = std::get_if<dossier::ApologyPayload>(details)) {
          d.reason = apology->reason;
          d.new_due_at = apology->new_due_at;
        }
        auto pdf = documents::RenderNotice(fonts, layout, d);
        if (!pdf) return respond(ErrorResponse(pdf.error()));
        respond(Pdf(std::move(*pdf), "mau-" + form + "-" + row.number + ".pdf"));
      });
}

void Receipt(dossiers::DossierService& service, const catalog::CatalogService& catalog,
             const units::UnitService& units, const std::shared_ptr<const documents::Fonts>& fonts,
             const documents::FormLayout& layout, Request& req, Responder respond) {
  if (auto st = RequireAuthenticated(req); !st) return respond(ErrorResponse(st.error()));
  auto id = PathId(req);
  if (!id) return respond(ErrorResponse(id.error()));
  auto body = ParseJsonObject(req);
  if (!body) return respond(ErrorResponse(body.error()));
  ObjectReader r(*body);
  std::string secret = r.RequiredString("secret", {.min_length = 1, .max_length = 64});
  if (auto st = r.Finish(); !st) return respond(ErrorResponse(st.error()));
  std::string portal = PortalAddress(layout);
  auto matches = service.IsLookupSecret(*id, secret);
  if (!matches) return respond(ErrorResponse(matches.error()));
  dossiers::ReadContext ctx = ReadContextOf(req);
  // Whether the code is right is told only to those who may read the dossier.
  service.Get(
      *req.principal, *id, std::move(ctx),
      [&catalog, &units, fonts, &layout,
       normal = dossier::NormalizeLookupSecret(secret).value_or(""), matches = *matches,
       portal = std::move(portal), respond](Result<dossiers::DossierDetail> got) {
        if (!got) return respond(ErrorResponse(got.error()));
        const auto& row = got->view.row;
        if (!matches)
          return respond(ErrorResponse(InvalidField("secret",
                                                    "is not this dossier's lookup code (it is on "
                                                    "the receipt shown when it was submitted)")
                                           .error()));
        documents::ReceiptData d;
        UnitAgencies(units, layout, row.receiving_unit_id, d.parent_agency, d.agency);
        if (const auto* u = units.Tree()->Find(row.receiving_unit_id)) {
          d.unit_name = u->name;
          d.return_place = u->name;
        }
        d.number = row.number;
        d.secret = normal;
        d.lookup_url = portal + "/tra-cuu?so=" + row.number + "&ma=" + normal;
        d.applicant_name = row.applicant_name;
        d.applicant_address = row.applicant_address;
        d.applicant_phone = row.applicant_phone;
        d.applicant_email = row.applicant_email;
        d.procedure_name = got->view.procedure_name;
        d.received_at = row.accepted_at.value_or(row.submitted_at);
        d.due_at = row.apology_due_at ? row.apology_due_at : row.due_at;
        auto snapshot = catalog.Snapshot();
        for (const auto& p : snapshot->Versions(row.procedure_code)) {
          if (p.id != row.procedure_id) continue;
          d.time_limit = TimeLimitText(layout, p.time_limit);
          // The documents handed in: those with a file, or, for a
          // dossier on paper, every required one (the officer checked them).
          for (const auto& c : p.components) {
            bool has_file = false;
            for (const auto& f : got->files) has_file = has_file || f.component_code == c.code;
            if (has_file || (got->files.empty() && c.required))
              d.components.push_back({c.name, c.originals, c.copies});
          }
        }
        // The officer who received it at a counter.
        if (row.channel != 2 && !got->history.empty())
          d.officer_name = got->history.front().actor_name;
        auto pdf = documents::RenderReceipt(fonts, layout, d);
        if (!pdf) return respond(ErrorResponse(pdf.error()));
        respond(Pdf(std::move(*pdf), "giay-tiep-nhan-" + row.number + ".pdf"));
      });
}

}  // namespace

// The header lines of a dossier's receiving unit: its superior's agency and its own.
void UnitAgencies(const units::UnitService& units, const documents::FormLayout& layout,
                  std::int64_t unit_id, std::string& parent_agency, std::string& agency) {
  auto tree = units.Tree();
  if (const auto* u = tree->Find(unit_id)) {
    agency = layout.AgencyOf(units::KindName(u->kind), u->name);
    if (u->parent_id)
      if (const auto* parent = tree->Find(*u->parent_id))
        parent_agency = layout.AgencyOf(units::KindName(parent->kind), parent->name);
  }
}

std::string PortalAddress(const documents::FormLayout& layout) { return layout.portal; }

void RegisterDocumentRoutes(Router& router, dossiers::DossierService& dossiers,
                            const catalog::CatalogService& catalog, const units::UnitService& units,
                            const workflow::Registry& workflows,
                            std::shared_ptr<const documents::Fonts> fonts,
                            const documents::FormLayout& layout, const Clock& clock) {
  router.Add("GET", "/api/v1/dossiers/{id}/forms/{form}",
             [&dossiers, &units, fonts, &layout](Request& req, Responder respond) {
               Notice(dossiers, units, fonts, layout, req, std::move(respond));
             });
  router.Add(
      "GET", "/api/v1/dossiers/{id}/control-sheet",
      [&dossiers, &units, &workflows, fonts, &layout, &clock](Request& req, Responder respond) {
        ControlSheet(dossiers, units, workflows, fonts, layout, clock, req, std::move(respond));
      });
  router.Add("POST", "/api/v1/dossiers/{id}/receipt",
             [&dossiers, &catalog, &units, fonts, &layout](Request& req, Responder respond) {
               Receipt(dossiers, catalog, units, fonts, layout, req, std::move(respond));
             });
}

}  // namespace motcua::http
