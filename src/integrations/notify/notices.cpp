#include "integrations/notify/notices.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/calendar/date.hpp"
#include "core/dossier/applicant.hpp"
#include "core/dossier/event_payloads.hpp"
#include "integrations/outbox.hpp"
#include "services/accounts/secrets.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::integrations::notify {

namespace json = boost::json;
using storage::accounts::FormatTime;
using storage::accounts::ParseTime;
using storage::dossiers::DossierRow;

namespace {

// Text messages and Zalo messages are not sent at night (INTEGRATIONS.md 5:
// "no pushes at night unless the law requires them"): from `from` o'clock
// they wait for `to` o'clock, Vietnam's time.
std::optional<TimePoint> AfterQuietHours(TimePoint t, int from, int to) {
  using namespace std::chrono;
  if (from == to) return std::nullopt;
  const auto local = t + calendar::kVietnamOffset;
  const auto day = floor<days>(local);
  const auto hour = duration_cast<hours>(local - day).count();
  const bool quiet = from > to ? (hour >= from || hour < to) : (hour >= from && hour < to);
  if (!quiet) return std::nullopt;
  const auto end = (hour >= to ? day + days(1) : day) + hours(to);
  return TimePoint(end - calendar::kVietnamOffset);
}

std::string Lines(const std::vector<dossier::AskedItem>& items, bool inline_form) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += inline_form ? "; " : "\n";
    if (!inline_form) out += "- ";
    out += item.description;
  }
  return out;
}

}  // namespace

Result<Preferences> ReadPreferences(storage::Tx& tx, std::int64_t dossier_id) {
  auto rows =
      MOTCUA_TRY(tx.Query("SELECT email, phone, language, stopped_at, updated_at, updated_by "
                          "FROM notification_preferences WHERE dossier_id = $1",
                          {dossier_id}));
  Preferences p;
  if (rows.empty()) return p;
  const auto& r = rows.front();
  p.email = r.Int(0) != 0;
  p.phone = r.Int(1) != 0;
  p.language = r.Text(2);
  if (!r.IsNull(3)) p.stopped_at = ParseTime(r.Text(3));
  p.updated_at = ParseTime(r.Text(4));
  p.updated_by = r.Text(5);
  return p;
}

Status WritePreferences(storage::Tx& tx, std::int64_t dossier_id, const Preferences& p,
                        std::string_view by, TimePoint now) {
  const storage::Value stopped =
      p.stopped_at ? storage::Value(FormatTime(*p.stopped_at)) : storage::Value(storage::Null{});
  const storage::Params params{dossier_id,
                               std::int64_t{p.email ? 1 : 0},
                               std::int64_t{p.phone ? 1 : 0},
                               p.language,
                               stopped,
                               FormatTime(now),
                               std::string(by)};
  const auto changed = MOTCUA_TRY(
      tx.Exec("UPDATE notification_preferences SET email = $2, phone = $3, language = $4, "
              "stopped_at = $5, updated_at = $6, updated_by = $7 WHERE dossier_id = $1",
              params));
  if (changed == 0)
    MOTCUA_TRY(tx.Exec(
        "INSERT INTO notification_preferences (dossier_id, email, phone, language, stopped_at, "
        "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params));
  return {};
}

std::string LocalDay(TimePoint t) {
  const std::chrono::year_month_day d{calendar::LocalDate(t)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
  return buf;
}

std::string LocalMoment(TimePoint t) {
  using namespace std::chrono;
  const auto local = floor<minutes>(t + calendar::kVietnamOffset);
  const hh_mm_ss hms{local - floor<days>(local)};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d ", static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()));
  return buf + LocalDay(t);
}

std::string FormatFee(std::int64_t vnd, std::string_view language) {
  const bool vi = language != "en";
  std::string digits = std::to_string(vnd < 0 ? -vnd : vnd);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += vi ? '.' : ',';
    out += digits[i];
  }
  if (vnd < 0) out.insert(out.begin(), '-');
  return out + (vi ? " đồng" : " VND");
}

std::optional<std::string> InternationalMobile(std::string_view phone) {
  std::string digits;
  for (char c : phone)
    if (c >= '0' && c <= '9') digits += c;
  if (digits.starts_with("84") && digits.size() == 11) digits = "0" + digits.substr(2);
  if (digits.size() != 10 || digits[0] != '0') return std::nullopt;
  if (std::string_view("35789").find(digits[1]) == std::string_view::npos) return std::nullopt;
  return "84" + digits.substr(1);
}

Result<std::string> LoadOrCreateStopKey(const std::string& file) {
  if (std::ifstream in(file, std::ios::binary); in) {
    std::stringstream b;
    b << in.rdbuf();
    std::string key = b.str();
    if (key.size() != 32) return Fail(Code::kInternal, file + " is not a 32-byte key");
    return key;
  }
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1)
    return Fail(Code::kUnavailable, "no random bytes for the stop links' key");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(key.data(), static_cast<std::streamsize>(key.size()));
    if (!out.flush()) return Fail(Code::kInternal, "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, file, ec);
  if (ec) return Fail(Code::kInternal, "cannot write " + file + ": " + ec.message());
  return key;
}

std::string StopToken(std::string_view key, std::string_view number) {
  const std::string data = "stop\n" + std::string(number);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return accounts::Base64Url(std::string_view(reinterpret_cast<const char*>(mac), len))
      .substr(0, 22);
}

bool StopTokenMatches(std::string_view key, std::string_view number, std::string_view token) {
  return accounts::ConstantTimeEquals(StopToken(key, number), token);
}

bool MayOwe(const DossierRow& row, const events::Event& event) {
  if (event.action == "apology") return true;
  if (row.accepted_at && *row.accepted_at == event.occurred_at) return true;  // acceptance
  if (!event.to_state || event.from_state == event.to_state) return false;
  switch (row.national_status) {
    case 3:
    case 5:
    case 6:
    case 8:
      return true;
    case 9:
      return row.current_unit_id == row.receiving_unit_id;
    default:
      return false;
  }
}

std::optional<Owed> NoticeFor(const DossierRow& row, const events::Event& event,
                              std::string_view language) {
  if (!MayOwe(row, event)) return std::nullopt;
  Owed owed;
  if (event.action == "apology") {
    auto p = dossier::ParsePayloadAs<dossier::ApologyPayload>(event.action, event.payload);
    if (!p) return std::nullopt;
    owed.notice = "new_appointment";
    owed.vars = {{"old_due_date", LocalMoment(p->previous_due_at)},
                 {"new_due_date", LocalMoment(p->new_due_at)},
                 {"reason", p->reason}};
    return owed;
  }
  auto parsed = dossier::ParsePayload(event.action, event.payload);
  const auto* p = parsed ? std::get_if<dossier::ActionPayload>(&*parsed) : nullptr;
  if (p == nullptr) return std::nullopt;  // a submission, a rating, a result's draft, ...
  const std::string reason = p->reason.value_or("");
  if (p->clock_start && row.accepted_at == event.occurred_at) {
    owed.notice = "receipt";
    owed.vars = {{"received_date", LocalMoment(*p->clock_start)},
                 {"due_date", p->due_at ? LocalMoment(*p->due_at) : ""}};
    owed.unit_id = row.receiving_unit_id;
    return owed;
  }
  switch (row.national_status) {
    case 3:
      owed = {"refused", {{"reason", reason}}, std::nullopt};
      return owed;
    case 5:
      owed = {"supplement_request",
              {{"items", Lines(p->items, false)},
               {"items_inline", Lines(p->items, true)},
               {"reason", reason}},
              std::nullopt};
      return owed;
    case 6:
      owed = {"payment_request",
              {{"fee", FormatFee(p->fee_vnd.value_or(row.fee_vnd), language)}, {"reason", reason}},
              std::nullopt};
      return owed;
    case 8:
      owed = {"processing_stopped", {{"reason", reason}}, std::nullopt};
      return owed;
    case 9:
      if (row.current_unit_id != row.receiving_unit_id) return std::nullopt;
      owed = {"result_ready", {}, row.receiving_unit_id};
      return owed;
    default:
      return std::nullopt;
  }
}

std::string ToJson(const NoticePayload& p) {
  json::object vars;
  for (const auto& [k, v] : p.vars) vars[k] = v;
  return json::serialize(json::object{
      {"notice", p.notice}, {"to", p.to}, {"language", p.language}, {"vars", std::move(vars)}});
}

Result<NoticePayload> ParseNoticePayload(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  auto bad = [] { return Fail(Code::kInvalidArgument, "not a notice's payload"); };
  if (ec || !v.is_object()) return bad();
  const auto& o = v.as_object();
  NoticePayload p;
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"notice", &p.notice},
                          {"to", &p.to},
                          {"language", &p.language}}) {
    const json::value* f = o.if_contains(key);
    if (f == nullptr || !f->is_string()) return bad();
    *out = std::string(f->as_string());
  }
  const json::value* vars = o.if_contains("vars");
  if (vars == nullptr || !vars->is_object()) return bad();
  for (const auto& [k, val] : vars->as_object())
    if (val.is_string()) p.vars.emplace(std::string(k), std::string(val.as_string()));
  return p;
}

std::string MaskRecipient(std::string_view to) {
  if (const auto at = to.find('@'); at != std::string_view::npos) {
    const std::size_t keep = std::min<std::size_t>(2, at);
    return std::string(to.substr(0, keep)) + "***" + std::string(to.substr(at));
  }
  return dossier::MaskPhone(to);
}

Status Derive(storage::Tx& tx, const Deployment& d, const DossierRow& row,
              const events::Event& event) {
  if (!d.email && d.phone_destination.empty()) return {};
  // The rules first: most events owe nothing, and then nothing is read or
  // parsed (this runs on the writer, inside every transition).
  if (!MayOwe(row, event)) return {};
  const Preferences prefs = MOTCUA_TRY(ReadPreferences(tx, row.id));
  if (prefs.stopped_at) return {};
  auto owed = NoticeFor(row, event, prefs.language);
  if (!owed) return {};
  Vars vars = std::move(owed->vars);
  vars["number"] = row.number;
  vars["procedure"] = d.procedure_name ? d.procedure_name(row) : row.procedure_code;
  if (owed->unit_id && d.unit_name) vars["unit"] = d.unit_name(*owed->unit_id);
  vars["lookup_url"] = d.public_url + "/tra-cuu?so=" + row.number;
  vars["stop_url"] = d.public_url + "/ngung-thong-bao?so=" + row.number +
                     "&t=" + StopToken(d.stop_key, row.number);

  auto enqueue = [&](std::string_view destination, std::string to,
                     std::optional<TimePoint> not_before) -> Status {
    NoticePayload payload{owed->notice, std::move(to), prefs.language, vars};
    return Enqueue(tx,
                   NewMessage{.destination = std::string(destination),
                              .kind = owed->notice,
                              .ordering_key = "dossier:" + std::to_string(row.id),
                              .dossier_id = row.id,
                              .event_seq = event.seq,
                              .payload = ToJson(payload),
                              .idempotency_key = std::string(destination) + ":" + owed->notice +
                                                 ":" + std::to_string(event.seq),
                              .not_before = not_before},
                   event.occurred_at);
  };
  if (d.email && prefs.email && !row.applicant_email.empty())
    MOTCUA_TRY_VOID(enqueue(kEmail, row.applicant_email, std::nullopt));
  if (!d.phone_destination.empty() && prefs.phone) {
    if (auto mobile = InternationalMobile(row.applicant_phone))
      MOTCUA_TRY_VOID(enqueue(d.phone_destination, *mobile,
                              AfterQuietHours(event.occurred_at, d.quiet_from, d.quiet_to)));
  }
  return {};
}

}  // namespace motcua::integrations::notify
