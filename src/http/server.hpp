// The HTTP/1.1 server: accepts connections, reads requests, hands each one to
// the root Handler and writes the response back. Beast and Asio stay inside
// server.cpp.
//
// Behaviour a client sees:
//  - keep-alive on HTTP/1.1 unless the client says "Connection: close";
//    HTTP/1.0 connections close after one response unless they ask otherwise;
//  - headers over max_header_bytes (a line of chunked trailers too): 431 and
//    close; a body over max_body_bytes: 413 (code payload_too_large, field
//    "body") and close; a request that stalls (stall_timeout) or takes longer
//    than read_timeout: closed;
//  - more connections from one address than max_connections_per_address,
//    or in all than max_connections: the new ones closed at once;
//    a request Beast cannot parse: 400 and close; a target that fails
//    ParseTarget: 400, connection kept;
//  - a handler that throws: 500, logged, the server keeps running; a handler
//    that has not answered after handler_timeout: 503 and close;
//  - every response carries Content-Length, Date, and the security headers
//    X-Content-Type-Options: nosniff, X-Frame-Options: DENY,
//    Referrer-Policy: strict-origin-when-cross-origin and
//    Content-Security-Policy: default-src 'self' (unless the handler set its
//    own); HEAD gets the headers of GET without the body.
//
// Handlers run on an I/O thread, on the strand of their connection; work
// that blocks for long should go elsewhere and answer through the Responder
// later, from any thread.
//
// Thread safety: Start, Stop and Wait may be called from any thread except
// an I/O thread of this server (Stop joins them). Stop and the destructor
// must not run while handlers still hold Responders they intend to call
// after the server is gone.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

struct ServerOptions {
  // host:port or [v6]:port; port 0 picks a free port (tests).
  std::string listen = "127.0.0.1:8080";
  // I/O threads; 0 = one per core.
  int threads = 0;
  // Far above a real header set (a session cookie, a bearer token and the
  // usual browser headers come to 2-4 KiB), yet small enough that ten
  // thousand half-open connections cannot pin much memory.
  std::size_t max_header_bytes = 16 * 1024;
  // JSON requests are a few KiB; this leaves room for scanned attachments
  // until uploads get their own streaming path.
  std::size_t max_body_bytes = 8 * 1024 * 1024;
  // Between requests on a keep-alive connection. Longer than the 60 s idle
  // timeout of common load balancers, so the balancer closes first and never
  // sends a request into a connection we are closing.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(75);
  // From the first byte of a request to its last: bounds slowloris clients.
  // A JSON request takes well under a second even over 2G; a full 8 MiB body
  // needs about 1 Mbit/s to make it.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(60);
  // Within a request, the longest wait for the next byte: a body announced
  // and never sent frees its connection after this, not after read_timeout.
  // A phone on 2G pauses for a few seconds at worst between packets.
  std::chrono::milliseconds stall_timeout = std::chrono::seconds(15);
  // Connections open at once from one client address. A browser opens at
  // most 6 to a host, so a commune office of 40 browsers behind one address
  // needs 240; a client that holds more (idle connections to exhaust the
  // file descriptors) has the next ones closed at once. Trusted proxies,
  // which carry every client, are not counted.
  std::size_t max_connections_per_address = 256;
  // Connections open at once in all; 0: the process's file descriptor limit
  // (raised to its hard limit at Start) less kReservedDescriptors for the
  // database, the attachments and the logs, so that they never starve.
  std::size_t max_connections = 0;
  static constexpr std::size_t kReservedDescriptors = 256;
  // A handler that has not answered by then is stuck (a lost Responder, a
  // hung dependency); no legitimate request takes this long, and the
  // connection must not be held forever.
  std::chrono::milliseconds handler_timeout = std::chrono::seconds(30);
  // How long Stop() lets in-flight requests finish: well inside the 30 s an
  // orchestrator (systemd, Kubernetes) waits between SIGTERM and SIGKILL.
  std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(10);
  // Addresses of reverse proxies whose X-Forwarded-For and
  // X-Forwarded-Proto headers are believed (exact IP strings, e.g.
  // "127.0.0.1"). From anyone else those headers are ignored: a client could
  // otherwise pose as another address, or as TLS. From them, the client is
  // the last X-Forwarded-For entry over every line that is not a trusted
  // proxy itself: the entries before it are the client's to forge.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // `root` handles every request that reached the application (the output
  // of BuildPipeline); it must stay callable until Stop() returns.
  Server(ServerOptions options, Handler root);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the I/O threads. Errors: kUnavailable naming
  // the address if it cannot be parsed, resolved or bound;
  // kFailedPrecondition if called twice.
  [[nodiscard]] Status Start();
  // The bound port (the real one when options.listen asked for port 0); 0
  // before Start().
  std::uint16_t port() const;
  // Open connections right now (for a gauge).
  std::size_t active_connections() const;

  // Graceful: stops accepting, closes idle keep-alive connections, lets
  // requests in flight finish (their responses say Connection: close) for up
  // to shutdown_timeout, then closes whatever is left and joins the threads.
  // Blocks until done; idempotent.
  void Stop();
  // Blocks until Stop() has finished (on whatever thread called it).
  void Wait();

  class Impl;  // server.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

// One request as ReadRequests saw it.
struct WireRequest {
  // 0 when the request reaches the application; else what the server
  // answers by itself: 400 (malformed, or a target ParseTarget refuses), 413
  // or 431.
  int status = 0;
  // What the handler would get; a 400 for its target has every field but
  // path and query, the others have nothing.
  Request request;
};

// What a connection does with the bytes `wire` before the application sees
// them, without a socket or a thread: the requests it carries, pipelined one
// after another, read by the session's own code (Beast's parser under
// max_header_bytes and max_body_bytes, its bounded read buffer, the Request
// built with lower-case header names, X-Forwarded-* believed when
// `remote_ip` is in trusted_proxies, the request id, ParseTarget). Stops
// where the session would close: after a request the server refused but a
// bad target (a 400 for that keeps the connection), after one without
// keep-alive, and at the end of the bytes (a request cut short is left
// unanswered). The fuzzer's entry point (fuzz/http_request_fuzzer.cpp);
// no I/O, thread safe.
std::vector<WireRequest> ReadRequests(std::string_view wire, const ServerOptions& options,
                                      const std::string& remote_ip);

}  // namespace motcua::http
