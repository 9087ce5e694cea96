// The lists: an officer's inbox, a leader's watch, a citizen's own dossiers.
#include "core/catalog/text.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

Result<InboxPage> DossierService::Inbox(const Principal& who, const InboxQuery& q) const {
  if (q.limit < 1 || q.limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  auto tree = units_.Tree();
  repo::InboxFilter f;
  f.scopes = ScopesOf(who, *tree);
  if (f.scopes.empty())
    return Fail(Code::kPermissionDenied, "an inbox is for officers, specialists and leaders");
  const TimePoint now = clock_.Now();
  TimePoint nearing_before = MOTCUA_TRY(cal_.AddWorkingHours(now, *options_.nearing));
  f.state = q.state;
  f.procedure_code = q.procedure_code;
  if (q.due == InboxQuery::Due::kOverdue) f.due_before = now;
  if (q.due == InboxQuery::Due::kNearing) {
    f.due_from = now;
    f.due_before = nearing_before;
  }
  if (q.search) {
    std::string s(catalog::TrimSpaces(*q.search));
    if (!s.empty()) {
      // A dossier number starts with an agency code ("000.00.21.H12-...").
      bool looks_like_number = s.size() >= 3 && std::isdigit(static_cast<unsigned char>(s[0])) &&
                               s.find('.') != std::string::npos;
      if (looks_like_number)
        f.number_prefix = s;
      else
        f.name_key = catalog::FoldText(s);
    }
  }
  if (q.cursor) {
    f.after = DecodeCursor(*q.cursor);
    if (!f.after) return InvalidField("cursor", "is not a cursor from a previous page");
  }
  f.limit = q.limit + 1;  // one more tells whether there is a next page
  InboxPage page;
  std::vector<DossierRow> rows;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::Inbox(tx, f));
    page.counts = MOTCUA_TRY(repo::CountInbox(tx, f.scopes, now, nearing_before));
    return {};
  }));
  if (rows.size() > static_cast<std::size_t>(q.limit)) {
    rows.resize(q.limit);
    page.next_cursor = EncodeCursor(rows.back().queue_at, rows.back().id);
  }
  page.items.reserve(rows.size());
  // No actions in lists: they are worked out when a dossier is opened.
  for (auto& r : rows)
    page.items.push_back(MOTCUA_TRY(MakeView(nullptr, std::move(r), false, now)));
  return page;
}

Result<WatchPage> DossierService::Watch(const Principal& who, const WatchQuery& q) const {
  if (q.limit < 1 || q.limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  auto tree = units_.Tree();
  if (tree->Find(q.unit_id) == nullptr)
    return Fail(Code::kNotFound, "no unit " + std::to_string(q.unit_id));
  if (!who.IsStaffAt(q.unit_id, *tree))
    return Fail(Code::kPermissionDenied,
                "the dossiers of a unit are for its staff and those above it");
  const TimePoint now = clock_.Now();
  const TimePoint nearing_before = MOTCUA_TRY(cal_.AddWorkingHours(now, *options_.nearing));
  repo::WatchFilter f;
  f.units = tree->Subtree(q.unit_id);
  f.procedure_code = q.procedure_code;
  if (q.due == InboxQuery::Due::kOverdue) f.due_before = now;
  if (q.due == InboxQuery::Due::kNearing) {
    f.due_from = now;
    f.due_before = nearing_before;
  }
  if (q.cursor) {
    f.after = DecodeCursor(*q.cursor);
    if (!f.after) return InvalidField("cursor", "is not a cursor from a previous page");
  }
  f.limit = q.limit + 1;
  WatchPage page;
  std::vector<DossierRow> rows;
  std::vector<std::optional<repo::StepInfo>> steps;
  bool more = false;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::Watch(tx, f));
    more = rows.size() > static_cast<std::size_t>(q.limit);
    if (more) rows.resize(q.limit);
    page.counts = MOTCUA_TRY(repo::CountWatch(tx, f, now, nearing_before));
    steps.clear();
    for (const auto& r : rows)
      steps.push_back(r.step > 0 ? MOTCUA_TRY(repo::FindStep(tx, r.id, r.step)) : std::nullopt);
    return {};
  }));
  if (more && rows.back().due_at)
    page.next_cursor = EncodeCursor(*rows.back().due_at, rows.back().id);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    WatchItem item;
    item.step = steps[i];
    if (item.step) {
      if (const auto* wf = workflows_.Find(rows[i].workflow_code, rows[i].workflow_version)) {
        if (const auto* st = wf->FindState(item.step->state)) {
          item.step_state_name = st->name;
          item.step_state_name_en = st->name_en;
        }
      }
      if (item.step_state_name.empty()) item.step_state_name = item.step->state;
      if (const auto* u = tree->Find(item.step->unit_id)) item.step_unit_name = u->name;
    }
    item.view = MOTCUA_TRY(MakeView(nullptr, std::move(rows[i]), false, now));
    page.items.push_back(std::move(item));
  }
  return page;
}

Result<CitizenPage> DossierService::Mine(const Principal& who, std::int64_t before_id,
                                         int limit) const {
  if (!who.HasRole(Role::kCitizen))
    return Fail(Code::kPermissionDenied, "'my dossiers' is for citizen accounts");
  if (limit < 1 || limit > options_.max_limit)
    return InvalidField("limit", "must be 1 to " + std::to_string(options_.max_limit));
  std::vector<DossierRow> rows;
  MOTCUA_TRY_VOID(store_.Read([&](Tx& tx) -> Status {
    rows = MOTCUA_TRY(repo::ListForCitizen(tx, who.user_id, before_id, limit + 1));
    return {};
  }));
  CitizenPage page;
  if (rows.size() > static_cast<std::size_t>(limit)) {
    rows.resize(limit);
    page.next_before = rows.back().id;
  }
  const TimePoint now = clock_.Now();
  // Lists are masked, the citizen's own included: a list is what shows on
  // a screen others may glance at; the dossier page shows the rest.
  // No actions in lists: they are worked out when a dossier is opened.
  for (auto& r : rows)
    page.items.push_back(MOTCUA_TRY(MakeView(nullptr, std::move(r), false, now)));
  return page;
}

}  // namespace motcua::dossiers
