// Expected failures as values: Result<T> = std::expected<T, Error>.
//
// The code set is small and canonical (after Abseil's status codes); one
// function in http/ maps each code to an HTTP status. Error messages are meant
// for the person who sent the request: say what is wrong and, where a field is
// to blame, name it in `fields` (field -> what is wrong with it).
#pragma once

#include <chrono>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace motcua {

enum class Code {
  kInvalidArgument,     // the request itself is wrong (400)
  kUnauthenticated,     // no valid credentials (401)
  kPermissionDenied,    // credentials fine, not allowed (403)
  kNotFound,            // (404)
  kAlreadyExists,       // a unique key is taken (409)
  kFailedPrecondition,  // not allowed in the current state (409)
  kAborted,             // lost a race with a concurrent change; retry may work (409)
  kPayloadTooLarge,     // (413)
  kResourceExhausted,   // rate limited or a quota is used up (429)
  kUnavailable,         // a dependency is down; retry later (503)
  kInternal,            // a bug or an unexpected failure (500)
};

// Stable machine-readable name, as in the JSON error body ("invalid_argument").
std::string_view CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;
  std::map<std::string, std::string> fields;  // field name -> problem
  // With kResourceExhausted or kUnavailable: when trying again may work
  // (the HTTP answer's Retry-After).
  std::optional<std::chrono::seconds> retry_after;

  Error& With(std::string field, std::string problem) & {
    fields.emplace(std::move(field), std::move(problem));
    return *this;
  }
  Error&& With(std::string field, std::string problem) && {
    fields.emplace(std::move(field), std::move(problem));
    return std::move(*this);
  }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> Fail(Code code, std::string message) {
  return std::unexpected(Error{code, std::move(message), {}});
}
inline std::unexpected<Error> Fail(Error error) { return std::unexpected(std::move(error)); }

// Shorthand for the common case of one bad field.
inline std::unexpected<Error> InvalidField(std::string field, std::string problem) {
  Error e{Code::kInvalidArgument, "invalid " + field + ": " + problem, {}};
  e.fields.emplace(std::move(field), std::move(problem));
  return std::unexpected(std::move(e));
}

}  // namespace motcua

// Propagate the error of a Result-returning expression, else yield its value.
// GCC statement expressions keep call sites flat without exceptions.
#define MOTCUA_TRY(expr)                                                          \
  ({                                                                              \
    auto motcua_try_r_ = (expr);                                                  \
    if (!motcua_try_r_) return std::unexpected(std::move(motcua_try_r_.error())); \
    std::move(*motcua_try_r_);                                                    \
  })

#define MOTCUA_TRY_VOID(expr)                                                     \
  do {                                                                            \
    auto motcua_try_r_ = (expr);                                                  \
    if (!motcua_try_r_) return std::unexpected(std::move(motcua_try_r_.error())); \
  } while (0)
