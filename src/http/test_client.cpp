#include "http/test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Responses in tests are small, but /metrics or a static file may not be;
// the cap only guards against a runaway server filling memory.
constexpr std::uint64_t kMaxResponseBody = 256 * 1024 * 1024;

}  // namespace

struct TestClient::Impl {
  std::string host;
  std::uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  int connections = 0;
  bool reused = false;  // the current connection already carried a response

  // Runs the pending asynchronous operation to completion.
  void Run() {
    ioc.restart();
    ioc.run();
  }

  void Connect() {
    stream.emplace(ioc);
    buffer.clear();
    beast::error_code result;
    tcp::endpoint endpoint(net::ip::make_address(host), port);
    stream->expires_after(timeout);
    stream->async_connect(endpoint, [&](beast::error_code ec) { result = ec; });
    Run();
    if (result) {
      stream.reset();
      throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                               result.message());
    }
    ++connections;
    reused = false;
  }

  void Disconnect() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->close();
    stream.reset();
  }

  // Writes `bytes`, reads one response. Returns nullopt (no throw) when the
  // connection turned out to be closed before any response byte arrived.
  std::optional<Response> Exchange(std::string_view bytes, bool head) {
    beast::error_code result;
    stream->expires_after(timeout);
    net::async_write(*stream, net::buffer(bytes.data(), bytes.size()),
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    Run();
    if (result == beast::error::timeout) throw std::runtime_error("timed out writing the request");
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    parser.skip(head);
    // A write error can still leave a response to read (the server answered
    // 413 and stopped reading), so read regardless.
    stream->expires_after(timeout);
    beast::error_code read_result;
    bhttp::async_read(*stream, buffer, parser,
                      [&](beast::error_code ec, std::size_t) { read_result = ec; });
    Run();
    if (read_result) {
      Disconnect();
      if (read_result == beast::error::timeout)
        throw std::runtime_error("timed out reading the response");
      return std::nullopt;
    }
    bhttp::response<bhttp::string_body> msg = parser.release();
    Response res;
    res.status = static_cast<int>(msg.result_int());
    for (const auto& field : msg) {
      res.headers.emplace_back(internal::AsciiLower(field.name_string()),
                               std::string(field.value()));
    }
    res.body = std::move(msg.body());
    if (!msg.keep_alive()) {
      Disconnect();
    } else {
      reused = true;
    }
    return res;
  }

  Response Perform(std::string_view bytes, bool head) {
    if (!stream) Connect();
    bool was_reused = reused;
    if (auto res = Exchange(bytes, head)) return std::move(*res);
    if (!was_reused) throw std::runtime_error("the server closed the connection without answering");
    Connect();
    if (auto res = Exchange(bytes, head)) return std::move(*res);
    throw std::runtime_error("the server closed the connection without answering");
  }
};

TestClient::TestClient(std::uint16_t port, std::string host, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

TestClient::~TestClient() { impl_->Disconnect(); }

Response TestClient::Send(std::string_view method, std::string_view target, std::string body,
                          Headers headers) {
  bhttp::request<bhttp::string_body> req;
  req.version(11);
  req.method_string(method);
  req.target(target);
  req.set(bhttp::field::host, impl_->host + ":" + std::to_string(impl_->port));
  for (const auto& [name, value] : headers) req.insert(name, value);
  bool has_body = !body.empty();
  req.body() = std::move(body);
  if (has_body || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();
  std::string bytes;
  {
    std::ostringstream out;
    out << req;
    bytes = out.str();
  }
  return impl_->Perform(bytes, method == "HEAD");
}

Response TestClient::SendRaw(std::string_view bytes) { return impl_->Perform(bytes, false); }

bool TestClient::WaitForClose(std::chrono::milliseconds timeout) {
  if (!impl_->stream) return true;
  char byte = 0;
  beast::error_code result;
  impl_->stream->expires_after(timeout);
  impl_->stream->async_read_some(net::buffer(&byte, 1),
                                 [&](beast::error_code ec, std::size_t) { result = ec; });
  impl_->Run();
  if (!result) return false;  // data arrived: not closed
  if (result == beast::error::timeout) {
    impl_->Disconnect();  // a timed-out tcp_stream is closed; start afresh next time
    return false;
  }
  impl_->Disconnect();
  return true;
}

int TestClient::connections_opened() const { return impl_->connections; }
bool TestClient::connected() const { return impl_->stream.has_value(); }
void TestClient::Close() { impl_->Disconnect(); }

}  // namespace motcua::http
