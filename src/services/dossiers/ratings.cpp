// The citizen's rating of the handling, by their account or by the receipt.
#include "core/catalog/text.hpp"
#include "core/dossier/dossier_number.hpp"
#include "core/dossier/event_payloads.hpp"
#include "core/dossier/lookup_secret.hpp"
#include "core/events/event.hpp"
#include "services/dossiers/dossier_service.hpp"
#include "services/dossiers/internal/helpers.hpp"
#include "storage/events_repo.hpp"

namespace motcua::dossiers {

// The use cases share the helpers of internal/ (a namespace private to services/dossiers).
using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

constexpr std::size_t kMaxRatingComment = 1000;

}  // namespace

void DossierService::Rate(const Principal& who, std::int64_t id, RateRequest req, RatingDone done) {
  const TimePoint now = clock_.Now();
  auto number = std::make_shared<std::string>();
  WriteThenAnswer<Rating>(
      store_,
      [this, id, req = std::move(req), who, now, number](Tx& tx) -> Result<Rating> {
        auto found = MOTCUA_TRY(repo::Find(tx, id));
        if (!found) return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
        const bool own = found->citizen_user_id && *found->citizen_user_id == who.user_id;
        if (!own) {
          if (!Sees(who, *found, MOTCUA_TRY(repo::ListSteps(tx, id))))
            return Fail(Code::kNotFound, "no dossier " + std::to_string(id));
          return Fail(Code::kPermissionDenied,
                      "only the citizen whose dossier it is may rate its handling");
        }
        *number = found->number;
        return RateIn(tx, &who, *found, req, now);
      },
      std::move(done), [this, id, number](const Rating&) { Notify(id, *number); });
}

void DossierService::RateByLookup(std::string number, std::string secret, RateRequest req,
                                  RatingDone done) {
  if (!dossier::ParseDossierNumber(number))
    return done(
        InvalidField("number", "is not a dossier number such as 000.00.21.H12-250314-0007"));
  auto normal = dossier::NormalizeLookupSecret(secret);
  if (!normal)
    return done(InvalidField("secret", "is the " + std::to_string(dossier::kLookupSecretLength) +
                                           "-character code printed on the receipt"));
  const TimePoint now = clock_.Now();
  auto id = std::make_shared<std::int64_t>(0);
  WriteThenAnswer<Rating>(
      store_,
      [this, number, secret = std::move(*normal), req = std::move(req), now,
       id](Tx& tx) -> Result<Rating> {
        auto found = MOTCUA_TRY(repo::FindByNumber(tx, number));
        // One answer for an unknown number and a wrong code, as the lookup.
        if (!found || !dossier::LookupSecretMatches(found->number, secret, found->lookup_hash))
          return Fail(Error{Code::kNotFound, "no dossier with this number and code", {}});
        *id = found->id;
        return RateIn(tx, nullptr, *found, req, now);
      },
      std::move(done), [this, id, number](const Rating&) { Notify(*id, number); });
}

Result<Rating> DossierService::RateIn(Tx& tx, const Principal* who, const DossierRow& row,
                                      const RateRequest& req, TimePoint now) const {
  Error bad{Code::kInvalidArgument, "invalid rating", {}};
  if (req.level < 1 || req.level > 3)
    bad.With("level", "must be 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)");
  std::string comment(catalog::TrimSpaces(req.comment));
  if (catalog::CodePointCount(comment) > kMaxRatingComment)
    bad.With("comment", "must be at most " + std::to_string(kMaxRatingComment) + " characters");
  if (!bad.fields.empty()) return Fail(std::move(bad));
  if (!Rateable(row.terminal, row.national_status))
    return Fail(Error{
        Code::kFailedPrecondition,
        row.national_status == workflow::NationalCode(NationalStatus::kWithdrawn)
            ? "a withdrawn dossier is not rated"
            : "a dossier is rated once its handling has ended (its result returned or a refusal)",
        {{"state", row.state}}});
  if (MOTCUA_TRY(repo::FindRating(tx, row.id)))
    return Fail(Error{
        Code::kAlreadyExists, "this dossier has been rated already", {{"level", "rated already"}}});
  repo::RatingRow rating{row.id, req.level, comment,
                         who ? std::optional<std::int64_t>(who->user_id) : std::nullopt, now};
  MOTCUA_TRY_VOID(repo::InsertRating(tx, rating));
  const dossier::RatingPayload payload{req.level, who ? "account" : "receipt"};
  MOTCUA_TRY(AppendDossierEvent(
      tx, row,
      events::NewEvent{std::string(kAggregate), row.id, now,
                       who ? std::optional<std::int64_t>(who->user_id) : std::nullopt, "rated",
                       row.state, row.state, dossier::ToJson(payload)}));
  return Rating{req.level, std::move(comment), now};
}

}  // namespace motcua::dossiers
