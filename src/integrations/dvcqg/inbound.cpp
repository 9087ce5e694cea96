#include "integrations/dvcqg/inbound.hpp"

#include <openssl/crypto.h>

#include <boost/json.hpp>

#include "core/events/sha256.hpp"
#include "core/files/base64.hpp"
#include "storage/accounts_repo.hpp"

namespace motcua::integrations::dvcqg {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::string_view kPartner = "dvcqg";
// The portal's code for a dossier: an agency code, a date and a sequence
// (INTEGRATIONS.md 1.3), well under this.
constexpr std::size_t kMaxCode = 64;
// What the portal's record may hold of a field; longer is a broken record.
constexpr std::size_t kMaxText = 1000;
// A dossier's documents: the same bounds as an online submission's (the
// attachment store refuses a file over its own limit, naming "body").
constexpr std::size_t kMaxFiles = 50;

struct Parsed {
  std::string code;
  dossiers::SubmitRequest request;
  struct File {
    std::string component, name, bytes;
  };
  std::vector<File> files;
};

// The field's text: a string (numbers as the portal sometimes sends them
// are taken as their digits), trimmed; "" when absent.
std::string Text(const json::object& o, std::string_view key, Error& error, bool required) {
  const json::value* v = o.if_contains(key);
  std::string out;
  if (v != nullptr && v->is_string())
    out = std::string(v->as_string());
  else if (v != nullptr && v->is_int64())
    out = std::to_string(v->as_int64());
  else if (v != nullptr && !v->is_null())
    error.With(std::string(key), "must be text");
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  while (!out.empty() && (out.front() == ' ' || out.front() == '\t')) out.erase(0, 1);
  if (required && out.empty() && !error.fields.contains(std::string(key)))
    error.With(std::string(key), "is required");
  if (out.size() > kMaxText) error.With(std::string(key), "is longer than 1,000 characters");
  return out;
}

Result<Parsed> Parse(std::string_view body, const units::UnitTree& tree) {
  boost::system::error_code ec;
  json::value root = json::parse(body, ec);
  if (ec || !root.is_object())
    return Fail(Error{
        Code::kInvalidArgument, "the body must be a JSON object", {{"body", "not a JSON object"}}});
  const json::object& o = root.as_object();
  Error error{Code::kInvalidArgument, "invalid dossier from the national portal", {}};
  Parsed p;
  p.code = Text(o, "MaHoSo", error, true);
  if (p.code.size() > kMaxCode) error.With("MaHoSo", "is longer than 64 characters");
  for (char c : p.code)
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      error.With("MaHoSo", "must be printable, without spaces");
      break;
    }
  p.request.procedure_code = Text(o, "MaTTHC", error, true);
  const std::string agency = Text(o, "MaCoQuanTiepNhan", error, true);
  if (!agency.empty()) {
    const units::Unit* unit = nullptr;
    for (const auto& u : tree.units())
      if (u.agency_code == agency) unit = &u;
    if (unit == nullptr)
      error.With("MaCoQuanTiepNhan", "no unit of this province has that agency code");
    else
      p.request.unit_id = unit->id;
  }
  p.request.applicant.full_name = Text(o, "ChuHoSo", error, true);
  p.request.applicant.id_number = Text(o, "SoGiayToChuHoSo", error, false);
  p.request.applicant.phone = Text(o, "SoDienThoai", error, false);
  p.request.applicant.email = Text(o, "Email", error, false);
  p.request.applicant.address = Text(o, "DiaChi", error, false);
  (void)Text(o, "NgayNopHoSo", error, false);  // the portal's moment; motcua's intake is its own
  // The citizen consented on the portal, before filing (its identity
  // server's flow): the portal hands the dossier on their behalf.
  p.request.consent = true;
  if (const json::value* files = o.if_contains("TaiLieuNop")) {
    if (!files->is_array() || files->as_array().size() > kMaxFiles) {
      error.With("TaiLieuNop", "must be a list of at most 50 files");
    } else {
      std::size_t i = 0;
      for (const json::value& f : files->as_array()) {
        const std::string at = "TaiLieuNop[" + std::to_string(i++) + "]";
        if (!f.is_object()) {
          error.With(at, "must be an object");
          continue;
        }
        Error inner{Code::kInvalidArgument, "", {}};
        Parsed::File file;
        file.component = Text(f.as_object(), "MaThanhPhanHoSo", inner, true);
        file.name = Text(f.as_object(), "TenTep", inner, false);
        const std::string content = Text(f.as_object(), "NoiDung", inner, true);
        if (!content.empty()) {
          auto bytes = files::DecodeBase64(content);
          if (!bytes)
            inner.With("NoiDung", "must be base64");
          else
            file.bytes = std::move(*bytes);
        }
        for (auto& [k, v] : inner.fields) error.With(at + "." + k, v);
        p.files.push_back(std::move(file));
      }
    }
  }
  if (!error.fields.empty()) return Fail(std::move(error));
  return p;
}

// The intake's field names, in the portal's words.
Error InPortalTerms(Error e) {
  static const std::map<std::string, std::string> names = {
      {"procedure_code", "MaTTHC"},
      {"unit_id", "MaCoQuanTiepNhan"},
      {"applicant.full_name", "ChuHoSo"},
      {"applicant.id_number", "SoGiayToChuHoSo"},
      {"applicant.phone", "SoDienThoai"},
      {"applicant.email", "Email"},
      {"applicant.address", "DiaChi"},
      {"files", "TaiLieuNop"},
      {"source_ref", "MaHoSo"}};
  std::map<std::string, std::string> fields;
  for (auto& [k, v] : e.fields) {
    auto it = names.find(k);
    fields.emplace(it != names.end() ? it->second : k, v);
  }
  e.fields = std::move(fields);
  return e;
}

// The receipt, in the portal's convention; a push sent again gets this same
// text (kept in inbound_messages).
std::string Answer(const std::string& code, const std::string& number) {
  return json::serialize(json::object{
      {"error_code", "0"},
      {"message", "Thành công"},
      {"result", json::array{json::object{
                     {"MaHoSo", code}, {"SoHoSoTinh", number}, {"TrangThaiHoSo", "1"}}}}});
}

}  // namespace

Result<std::int64_t> EnsureSystemAccount(storage::Store& store, const Clock& clock) {
  std::int64_t id = 0;
  MOTCUA_TRY_VOID(store.WriteSync([&](Tx& tx) -> Status {
    if (auto u = MOTCUA_TRY(storage::accounts::FindUserByUsername(tx, kSystemUsername))) {
      id = u->id;
      return {};
    }
    storage::accounts::UserRow row;
    row.username = std::string(kSystemUsername);
    row.display_name = "Cổng Dịch vụ công quốc gia";
    // Not an argon2id hash: no password matches it, and the account is
    // disabled besides.
    row.password_hash = "!system";
    row.disabled = true;
    row.created_at = row.updated_at = row.password_changed_at = clock.Now();
    id = MOTCUA_TRY(storage::accounts::InsertUser(tx, row));
    return {};
  }));
  return id;
}

Inbound::Inbound(storage::Store& store, const Clock& clock, const ExchangeKey& key,
                 dossiers::DossierService& dossiers, attachments::AttachmentStore& attachments,
                 const units::UnitService& units, std::string token, std::int64_t system_user_id)
    : store_(store),
      clock_(clock),
      key_(key),
      dossiers_(dossiers),
      attachments_(attachments),
      units_(units),
      token_sha256_(token.empty() ? "" : events::Sha256Hex(token)),
      system_user_id_(system_user_id) {}

void Inbound::Log(std::string_view key, std::string_view request, int status,
                  std::string_view answer, std::string_view outcome,
                  std::optional<std::int64_t> dossier, Micros took) {
  const TimePoint now = clock_.Now();
  ExchangeEntry entry{now,
                      "in",
                      std::string(kPartner),
                      "submit",
                      std::string(key),
                      std::nullopt,
                      dossier,
                      std::string(request),
                      status,
                      std::string(answer),
                      std::string(outcome),
                      took.count()};
  // Written on its own: a refused push commits nothing else.
  store_.Write(
      [this, entry](Tx& tx) -> Status {
        MOTCUA_TRY(AppendExchange(tx, key_, entry));
        return {};
      },
      [](Status) {});
}

void Inbound::Receive(std::string_view authorization, std::string body, Done done) {
  const auto started = std::chrono::steady_clock::now();
  auto took = [started] {
    return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - started);
  };
  // The token, compared as digests in constant time.
  constexpr std::string_view kScheme = "Bearer ";
  const bool bearer =
      authorization.size() > kScheme.size() && authorization.substr(0, kScheme.size()) == kScheme;
  const std::string given =
      bearer ? events::Sha256Hex(authorization.substr(kScheme.size())) : std::string();
  if (token_sha256_.empty() || given.size() != token_sha256_.size() ||
      CRYPTO_memcmp(given.data(), token_sha256_.data(), given.size()) != 0) {
    return done(
        Fail(Error{Code::kUnauthenticated,
                   token_sha256_.empty() ? "this server takes no dossiers from the national portal"
                                         : "the national portal's token is missing or wrong",
                   {{"authorization", "must be \"Bearer <the portal's token>\""}}}));
  }
  auto tree = units_.Tree();
  auto parsed = Parse(body, *tree);
  if (!parsed) {
    Log("", body, 400, parsed.error().message, "refused", std::nullopt, took());
    return done(Fail(parsed.error()));
  }
  const std::string code = parsed->code;
  // Received before: the first answer again, nothing received twice.
  std::optional<std::string> first;
  Status read = store_.Read([&](Tx& tx) -> Status {
    auto rows = MOTCUA_TRY(
        tx.Query("SELECT answer FROM inbound_messages WHERE partner = $1 AND message_key = $2",
                 {std::string(kPartner), code}));
    if (!rows.empty()) first = rows[0].Text(0);
    return {};
  });
  if (!read) return done(Fail(read.error()));
  if (first) {
    Log(code, body, 200, *first, "duplicate", std::nullopt, took());
    return done(InboundAnswer{200, *first});
  }
  // The documents, staged under the system account (encrypted at rest,
  // their type judged from their bytes), then named in the submission.
  for (std::size_t i = 0; i < parsed->files.size(); ++i) {
    auto& f = parsed->files[i];
    auto put = attachments_.Put(system_user_id_, f.bytes, f.name, "");
    if (!put) {
      Error e = put.error();
      std::map<std::string, std::string> fields;
      for (auto& [k, v] : e.fields)
        fields.emplace("TaiLieuNop[" + std::to_string(i) + "]." + (k == "body" ? "NoiDung" : k), v);
      e.fields = std::move(fields);
      Log(code, body, 400, e.message, "refused", std::nullopt, took());
      return done(Fail(std::move(e)));
    }
    parsed->request.files.push_back({put->id, f.component});
  }
  accounts::Principal system;
  system.user_id = system_user_id_;
  system.username = std::string(kSystemUsername);
  const std::string request_body = body;
  dossiers_.ReceiveFromPartner(
      system, std::move(parsed->request), dossiers::PartnerOrigin{std::string(kPartner), code},
      // With the dossier, in its transaction: the answer kept for a push
      // sent again, and the exchange log's entry.
      [this, code, request_body, took](Tx& tx, const dossiers::DossierRow& row) -> Status {
        const std::string answer = Answer(code, row.number);
        const TimePoint now = clock_.Now();
        MOTCUA_TRY(tx.Exec(
            "INSERT INTO inbound_messages (partner, message_key, received_at, dossier_id, answer) "
            "VALUES ($1, $2, $3, $4, $5)",
            {std::string(kPartner), code, storage::accounts::FormatTime(now), row.id, answer}));
        MOTCUA_TRY(AppendExchange(
            tx, key_,
            ExchangeEntry{now, "in", std::string(kPartner), "submit", code, std::nullopt, row.id,
                          request_body, 201, answer, "accepted", took().count()}));
        return {};
      },
      [this, code, request_body, took, done = std::move(done)](Result<dossiers::Submitted> r) {
        if (r) return done(InboundAnswer{201, Answer(code, r->view.row.number)});
        if (r.error().code == Code::kAlreadyExists) {
          // Another push of the same code won the race: its answer.
          std::optional<std::string> won;
          (void)store_.Read([&](Tx& tx) -> Status {
            auto rows = MOTCUA_TRY(tx.Query(
                "SELECT answer FROM inbound_messages WHERE partner = $1 AND message_key = $2",
                {std::string(kPartner), code}));
            if (!rows.empty()) won = rows[0].Text(0);
            return {};
          });
          if (won) return done(InboundAnswer{200, *won});
        }
        Error e = InPortalTerms(r.error());
        Log(code, request_body, 400, e.message, "refused", std::nullopt, took());
        done(Fail(std::move(e)));
      });
}

}  // namespace motcua::integrations::dvcqg
