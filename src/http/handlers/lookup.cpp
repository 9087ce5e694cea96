#include "http/handlers/lookup.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "core/dossier/lookup_secret.hpp"
#include "http/handlers/dossier_json.hpp"
#include "http/handlers/lookup_cache.hpp"
#include "http/json_body.hpp"
#include "services/accounts/rate_limiter.hpp"

namespace motcua::http {
namespace {

using dossier_json::Err;
using dossier_json::Private;
using dossiers::DossierService;

// Failed tries, counted twice. Per address and dossier number: a person
// mistyping the code of their own receipt gets ten tries a quarter hour,
// and a guesser of one dossier's code 960 a day per address against 31^8
// (8.5e11) codes. Per address, across numbers: 300 a quarter hour, so that
// the failures of others behind the same address (a commune's network, a
// counter scanning receipts all day) do not lock out a citizen looking up
// their own dossier, while spraying guesses over many numbers stays as
// hopeless. A pair or an address that is limited is refused every try,
// right or wrong: answering the right ones would tell a guesser when they
// hit. Successful tries cost nothing.
const accounts::SlidingWindowLimiter::Options kLookupLimitPerNumber{10, std::chrono::minutes(15),
                                                                    100'000};
const accounts::SlidingWindowLimiter::Options kLookupLimitPerAddress{300, std::chrono::minutes(15),
                                                                     50'000};

// The two limits of failed tries, taken and given back together.
class LookupLimits {
 public:
  // Takes a try of `ip` on `number`, or says how long to wait.
  std::optional<Micros> TryAcquire(const std::string& ip, std::string_view number, TimePoint now) {
    if (auto wait = per_address_.TryAcquire(ip, now)) return wait;
    if (auto wait = per_number_.TryAcquire(Key(ip, number), now)) {
      per_address_.Release(ip, now);
      return wait;
    }
    return std::nullopt;
  }
  // The try was not a failure.
  void Release(const std::string& ip, std::string_view number, TimePoint at) {
    per_address_.Release(ip, at);
    per_number_.Release(Key(ip, number), at);
  }

 private:
  static std::string Key(const std::string& ip, std::string_view number) {
    return ip + "|" + std::string(number.substr(0, 64));  // numbers are some 25 characters
  }
  accounts::SlidingWindowLimiter per_number_{kLookupLimitPerNumber};
  accounts::SlidingWindowLimiter per_address_{kLookupLimitPerAddress};
};

// The lookup limit's answer (429), with the seconds until a try is free again.
Response TooManyFailedLookups(Micros wait) {
  Error e{Code::kResourceExhausted, "too many failed lookups from this address; try later", {}};
  e.retry_after = std::chrono::duration_cast<std::chrono::seconds>(wait) + std::chrono::seconds(1);
  return Err(e);
}

Response LookupResponse(std::string body) {
  return Private(JsonTextResponse(200, std::move(body)));
}

void Lookup(DossierService& service, LookupLimits& limiter, LookupCache& cache, const Clock& clock,
            Request& req, Responder respond) {
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
  if (auto wait = limiter.TryAcquire(req.remote_ip, number, now))
    return respond(TooManyFailedLookups(*wait));
  if (auto normal = dossier::NormalizeLookupSecret(secret)) {
    if (auto body = cache.Find(number, *normal, now)) {
      limiter.Release(req.remote_ip, number, now);
      return respond(LookupResponse(std::move(*body)));
    }
  }
  const std::uint64_t epoch = cache.Epoch(number);
  auto found = service.Lookup(number, secret);
  if (!found) return respond(Err(found.error()));
  limiter.Release(req.remote_ip, number, now);
  std::string body = dossier_json::LookupBody(*found);
  cache.Put(found->number, epoch, {found->lookup_hash, body, now});
  respond(LookupResponse(std::move(body)));
}

// The rating of whoever holds the receipt: its number and code, as the
// lookup, and under the lookup's limit of failed tries per address.
void RateByLookup(DossierService& service, std::shared_ptr<LookupLimits> limiter,
                  const Clock& clock, Request& req, Responder respond) {
  auto body = ParseJsonObject(req);
  if (!body) return respond(Err(body.error()));
  ObjectReader r(*body);
  std::string number = r.RequiredString("number", {.min_length = 1, .max_length = 64});
  std::string secret = r.RequiredString("secret", {.min_length = 1, .max_length = 64});
  dossiers::RateRequest g = dossier_json::ReadRating(r);
  if (auto st = r.Finish(); !st) return respond(Err(st.error()));
  const TimePoint now = clock.Now();
  if (auto wait = limiter->TryAcquire(req.remote_ip, number, now))
    return respond(TooManyFailedLookups(*wait));
  std::string tried = number;
  service.RateByLookup(std::move(number), std::move(secret), std::move(g),
                       [respond, limiter, ip = req.remote_ip, tried = std::move(tried),
                        now](Result<dossiers::Rating> out) mutable {
                         // Only a wrong number or code counts as a failed try.
                         if (out || out.error().code != Code::kNotFound)
                           limiter->Release(ip, tried, now);
                         respond(dossier_json::RatingResponse(out));
                       });
}

}  // namespace

void RegisterLookupRoutes(Router& router, DossierService& service, const Clock& clock) {
  auto limiter = std::make_shared<LookupLimits>();
  auto cache = std::make_shared<LookupCache>();
  service.AddChangeListener(
      [cache](std::int64_t, const std::string& number) { cache->Invalidate(number); });
  router.Add("GET", "/api/v1/lookup",
             [&service, limiter, cache, &clock](Request& req, Responder respond) {
               Lookup(service, *limiter, *cache, clock, req, std::move(respond));
             });
  router.Add("POST", "/api/v1/lookup/rating",
             [&service, limiter, &clock](Request& req, Responder respond) {
               RateByLookup(service, limiter, clock, req, std::move(respond));
             });
}

}  // namespace motcua::http
