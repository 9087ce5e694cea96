// Dossiers citizens file on the national portal (Cổng Dịch vụ công quốc
// gia), pushed to this province: `POST /api/v1/integrations/dvcqg/dossiers`
// (app/integration_routes.hpp). The portal authenticates with the token the
// province configured (`--dvcqg-inbound-token`, `Authorization: Bearer`);
// each dossier enters the same intake and lifecycle as an online submission
// (channel 2, its source "dvcqg" and the portal's code kept), and its
// receipt and every later status go back through the outbox's sync like any
// other dossier's, under the portal's code.
//
// The body: the portal's record, as the sync sends it (docs/integrations.md,
// "Inbound"): MaHoSo, MaTTHC, MaCoQuanTiepNhan (the receiving agency's code),
// ChuHoSo, SoGiayToChuHoSo, SoDienThoai, Email, DiaChi, NgayNopHoSo, and
// TaiLieuNop [{MaThanhPhanHoSo, TenTep, NoiDung (base64)}]. A field that is
// wrong is a 400 naming it; the consent the citizen gave on the portal is
// recorded as theirs.
//
// Once per code: a push sent again (a lost answer, a retry) gets the first
// answer again and receives nothing twice (table inbound_messages; under
// two pushes at once, the unique (source, source_ref) of dossiers). Every
// push, answered or refused, is an entry of the signed exchange log.
//
// Thread safety: Receive from any thread; `done` runs on the store's
// completion thread or the caller's.
#pragma once

#include <functional>
#include <string>

#include "common/clock.hpp"
#include "integrations/exchange_log.hpp"
#include "services/attachments/attachment_store.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/units/unit_service.hpp"
#include "storage/store.hpp"

namespace motcua::integrations::dvcqg {

// The system account dossiers pushed by the portal are created by: it holds
// no role and cannot sign in (disabled, no usable password).
inline constexpr std::string_view kSystemUsername = "he-thong.dvcqg";

// The account's id, created on first use. Errors: those of the store.
Result<std::int64_t> EnsureSystemAccount(storage::Store& store, const Clock& clock);

struct InboundAnswer {
  int status = 200;  // 201 received, 200 the same push again
  std::string body;  // JSON
};

class Inbound {
 public:
  // An empty `token` refuses every push (the province has not connected the
  // portal's push). Everything must outlive this object.
  Inbound(storage::Store& store, const Clock& clock, const ExchangeKey& key,
          dossiers::DossierService& dossiers, attachments::AttachmentStore& attachments,
          const units::UnitService& units, std::string token, std::int64_t system_user_id);

  using Done = std::function<void(Result<InboundAnswer>)>;
  // `authorization` is the request's Authorization header (empty if none).
  // Errors: kUnauthenticated (no or a wrong token); kInvalidArgument naming
  // the portal's field; those of the intake (kFailedPrecondition: a
  // procedure not offered online, a unit that does not receive it).
  void Receive(std::string_view authorization, std::string body, Done done);

 private:
  void Log(std::string_view key, std::string_view request, int status, std::string_view answer,
           std::string_view outcome, std::optional<std::int64_t> dossier, Micros took);

  storage::Store& store_;
  const Clock& clock_;
  const ExchangeKey& key_;
  dossiers::DossierService& dossiers_;
  attachments::AttachmentStore& attachments_;
  const units::UnitService& units_;
  std::string token_sha256_;  // of the configured token; empty: none
  std::int64_t system_user_id_;
};

}  // namespace motcua::integrations::dvcqg
