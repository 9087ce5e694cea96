// A blocking HTTP/1.1 client for tests of this and other modules: talks to a
// real Server (usually on port 0) over one keep-alive connection, which it
// opens on first use and again after the server closed it.
//
// Every operation has a timeout (default 10 s) so a broken server fails a
// test instead of hanging it. Transport failures (cannot connect, timeout,
// the server closed the connection without answering) throw
// std::runtime_error. Not thread safe: one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace motcua::http {

class TestClient {
 public:
  explicit TestClient(std::uint16_t port, std::string host = "127.0.0.1",
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends one request (Host and Content-Length are added) and reads the
  // response; header names in the Response are lower-case. A request on a
  // reused connection that the server had closed is retried once on a new
  // connection, as browsers do.
  Response Send(std::string_view method, std::string_view target, std::string body = {},
                Headers headers = {});
  // Writes `bytes` as they are (for malformed requests) and reads one response.
  Response SendRaw(std::string_view bytes);

  // True if the server closes the connection within `timeout`; false if it
  // stays open (or sends data).
  bool WaitForClose(std::chrono::milliseconds timeout);
  // TCP connections opened so far: 1 after any number of keep-alive requests.
  int connections_opened() const;
  bool connected() const;
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
