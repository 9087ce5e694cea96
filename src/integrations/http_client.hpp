// Outbound HTTP for the adapters, over libcurl (TLS through OpenSSL, proxies
// from the usual environment variables when the deployment sets them).
//
// One HttpClient keeps one libcurl handle, so connections to a partner are
// reused from one call to the next. A transport failure (no connection, a
// timeout, a dropped connection) is an answer with status 0 and the error
// text, never an exception: the delivery worker decides what it means.
//
// Thread safety: one HttpClient per thread (a delivery worker owns one).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace motcua::integrations {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // A partner that takes longer than this is treated as down for this
  // attempt; the DVCQG adapters of other vendors wait 60 s, ours less so
  // that one slow partner does not hold a whole queue for a minute.
  std::chrono::milliseconds timeout{20000};
  std::chrono::milliseconds connect_timeout{5000};
};

struct HttpAnswer {
  int status = 0;     // 0: no HTTP answer (see error)
  std::string body;   // at most kMaxAnswerBytes
  std::string error;  // libcurl's words for a transport failure
  std::optional<std::chrono::seconds> retry_after;
  Micros duration{0};
};

// A partner's answer is read up to this size: an acknowledgement is small,
// and a runaway answer must not fill the worker's memory.
inline constexpr std::size_t kMaxAnswerBytes = 1 << 20;

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpAnswer Send(const HttpRequest& request);

  // When set and true, a call in progress gives up within about a second
  // (libcurl's progress callback): a stopping worker does not wait out a
  // partner's timeout.
  void AbortWhen(const std::atomic<bool>* flag) { abort_ = flag; }

 private:
  void* curl_;  // CURL*
  const std::atomic<bool>* abort_ = nullptr;
};

}  // namespace motcua::integrations
