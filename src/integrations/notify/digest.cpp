#include "integrations/notify/digest.hpp"

#include <cstdio>

#include "common/log.hpp"
#include "core/calendar/date.hpp"
#include "integrations/notify/notices.hpp"
#include "integrations/outbox.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::integrations::notify {

using storage::accounts::FormatTime;
using storage::accounts::ParseTime;

namespace {

constexpr int kListed = 10;  // dossiers named per part; the counts tell the rest

std::string Line(const dossiers::DossierView& v, bool vi) {
  std::string line = "- " + v.row.number + " · " +
                     (vi                            ? v.procedure_name
                      : v.procedure_name_en.empty() ? v.procedure_name
                                                    : v.procedure_name_en);
  if (v.row.due_at) line += (vi ? " · hẹn " : " · due ") + LocalMoment(*v.row.due_at);
  return line;
}

}  // namespace

Result<StaffSettings> ReadStaffSettings(storage::Tx& tx, std::int64_t user_id) {
  auto rows = MOTCUA_TRY(
      tx.Query("SELECT email, daily_digest, language, updated_at FROM staff_notification_settings "
               "WHERE user_id = $1",
               {user_id}));
  StaffSettings s;
  if (rows.empty()) return s;
  s.email = rows[0].Text(0);
  s.daily_digest = rows[0].Int(1) != 0;
  s.language = rows[0].Text(2);
  s.updated_at = ParseTime(rows[0].Text(3));
  return s;
}

Status WriteStaffSettings(storage::Tx& tx, std::int64_t user_id, const StaffSettings& s,
                          TimePoint now) {
  const storage::Params p{user_id, s.email, std::int64_t{s.daily_digest ? 1 : 0}, s.language,
                          FormatTime(now)};
  const auto changed =
      MOTCUA_TRY(tx.Exec("UPDATE staff_notification_settings SET email = $2, daily_digest = $3, "
                         "language = $4, updated_at = $5 WHERE user_id = $1",
                         p));
  if (changed == 0)
    MOTCUA_TRY(
        tx.Exec("INSERT INTO staff_notification_settings (user_id, email, daily_digest, language, "
                "updated_at) VALUES ($1, $2, $3, $4, $5)",
                p));
  return {};
}

Result<int> EnqueueDigests(storage::Store& store, const dossiers::DossierService& dossiers,
                           TimePoint now, std::string_view public_url) {
  const std::string day = calendar::FormatDate(calendar::LocalDate(now));
  struct Officer {
    storage::accounts::UserRow user;
    StaffSettings settings;
  };
  std::vector<Officer> officers;
  MOTCUA_TRY_VOID(store.Read([&](storage::Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(tx.Query(
        "SELECT s.user_id, s.email, s.language FROM staff_notification_settings s WHERE "
        "s.daily_digest = 1 AND NOT "
        "EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'email:officer_digest:' || "
        "CAST(s.user_id AS TEXT) || ':' || $1) ORDER BY s.user_id",
        {day}));
    for (const auto& r : rows) {
      auto user = MOTCUA_TRY(storage::accounts::FindUserById(tx, r.Int(0)));
      if (!user || user->disabled) continue;
      officers.push_back(
          {std::move(*user),
           StaffSettings{.email = r.Text(1), .daily_digest = true, .language = r.Text(2)}});
    }
    return {};
  }));
  int written = 0;
  for (const Officer& o : officers) {
    accounts::Principal who{.user_id = o.user.id,
                            .username = o.user.username,
                            .display_name = o.user.display_name,
                            .roles = o.user.roles};
    const bool vi = o.settings.language != "en";
    dossiers::InboxQuery query{.limit = kListed};
    query.due = dossiers::InboxQuery::Due::kOverdue;
    auto overdue = dossiers.Inbox(who, query);
    if (!overdue) continue;  // no staff role any more: nothing to tell
    query.due = dossiers::InboxQuery::Due::kNearing;
    auto nearing = MOTCUA_TRY(dossiers.Inbox(who, query));
    const auto& counts = overdue->counts;
    if (counts.overdue == 0 && counts.nearing == 0) continue;
    std::string list;
    auto part = [&](const char* vi_title, const char* en_title, std::int64_t count,
                    const std::vector<dossiers::DossierView>& items) {
      if (count == 0) return;
      if (!list.empty()) list += "\n\n";
      list += std::string(vi ? vi_title : en_title) + " (" + std::to_string(count) + "):";
      for (const auto& v : items) list += "\n" + Line(v, vi);
      if (count > static_cast<std::int64_t>(items.size()))
        list += vi ? "\n- …và " + std::to_string(count - items.size()) + " hồ sơ khác"
                   : "\n- …and " + std::to_string(count - items.size()) + " more";
    };
    part("Quá hạn", "Overdue", counts.overdue, overdue->items);
    part("Sắp đến hạn", "Nearing", counts.nearing, nearing.items);
    NoticePayload payload{"officer_digest",
                          o.settings.email,
                          o.settings.language,
                          {{"date", LocalDay(now)},
                           {"overdue_count", std::to_string(counts.overdue)},
                           {"nearing_count", std::to_string(counts.nearing)},
                           {"list", list},
                           {"inbox_url", std::string(public_url) + "/can-bo"},
                           {"settings_url", std::string(public_url) + "/can-bo/thong-bao"}}};
    const std::string key = "email:officer_digest:" + std::to_string(o.user.id) + ":" + day;
    MOTCUA_TRY_VOID(store.WriteSync([&](storage::Tx& tx) -> Status {
      const bool wrote =
          MOTCUA_TRY(EnqueueOnce(tx,
                                 NewMessage{.destination = std::string(kEmail),
                                            .kind = "officer_digest",
                                            .ordering_key = "user:" + std::to_string(o.user.id),
                                            .payload = ToJson(payload),
                                            .idempotency_key = key},
                                 now));
      written += wrote ? 1 : 0;
      return {};
    }));
  }
  return written;
}

DigestScheduler::DigestScheduler(storage::Store& store, const Clock& clock,
                                 const calendar::WorkingCalendar& cal,
                                 const dossiers::DossierService& dossiers, std::string public_url,
                                 std::function<void()> written, Micros every)
    : store_(store),
      clock_(clock),
      cal_(cal),
      dossiers_(dossiers),
      public_url_(std::move(public_url)),
      written_(std::move(written)),
      every_(every) {}

void DigestScheduler::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void DigestScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DigestScheduler::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const TimePoint now = clock_.Now();
    const auto local = now + calendar::kVietnamOffset;
    const auto midnight = std::chrono::floor<std::chrono::days>(local);
    // A working day: its office hours' middle is working time.
    const TimePoint noon = TimePoint(midnight + std::chrono::hours(10) - calendar::kVietnamOffset);
    if (local - midnight >= std::chrono::hours(7) && cal_.IsWorkingTime(noon)) {
      auto n = EnqueueDigests(store_, dossiers_, now, public_url_);
      if (!n)
        log::Warn("the officers' digests were not written", {{"error", n.error().message}});
      else if (*n > 0 && written_)
        written_();
    }
    lock.lock();
    cv_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace motcua::integrations::notify
