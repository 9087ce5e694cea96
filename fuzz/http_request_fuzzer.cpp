// The bytes a client sends on a connection, through the code a session runs
// on them before any handler: Beast's request parser under the server's
// limits, the Request built from it, ParseTarget (http::ReadRequests). The
// first byte picks whether the peer is a trusted proxy, so that the
// X-Forwarded-* walk is reached too; every request that reaches the
// application then has its cookies read, as the authentication middleware
// does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  motcua::http::ServerOptions options;  // the server's defaults: the limits it runs with
  options.trusted_proxies = {"127.0.0.1", "10.0.0.1", "::1"};
  const std::string remote_ip = (data[0] & 1) != 0 ? "127.0.0.1" : "203.0.113.7";
  std::string_view wire(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (const auto& wr : motcua::http::ReadRequests(wire, options, remote_ip)) {
    if (wr.status != 0) continue;
    // kSessionCookieName (http/auth.hpp, which would pull in the services).
    (void)wr.request.Cookie("motcua_session");
    (void)wr.request.Header("authorization");
  }
  return 0;
}
