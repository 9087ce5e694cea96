#include "http/server.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/log.hpp"
#include "http/internal/text.hpp"

namespace motcua::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Bytes asked of the socket while waiting for the next request: a whole
// typical request in one read, without reserving much per idle connection.
constexpr std::size_t kReadChunk = 4096;
// After an error response (413, 431, 400) we close, but first read and
// discard what the client is still sending for up to this long: closing with
// unread data makes the kernel send a reset, which can destroy our response
// before the client reads it (RFC 9112, section 9.6).
constexpr std::chrono::seconds kLingerTimeout{5};
// When accept() fails (usually EMFILE: out of file descriptors), wait this
// long before trying again instead of spinning at 100% CPU while connections
// close and free descriptors.
constexpr std::chrono::milliseconds kAcceptRetry{100};
// After shutdown_timeout, connections still open are closed by force; this
// is how long their completion handlers get to run before the threads stop.
constexpr std::chrono::seconds kForceCloseGrace{1};

// Date header, formatted once per second per thread (strftime is not free).
std::string_view HttpDate() {
  thread_local std::time_t last = 0;
  thread_local char buf[40] = {};
  std::time_t now = std::time(nullptr);
  if (now != last) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    last = now;
  }
  return buf;
}

bool SafeHeaderText(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Whether X-Forwarded-* from `ip` are believed.
bool TrustedIn(const ServerOptions& options, const std::string& ip) {
  return std::find(options.trusted_proxies.begin(), options.trusted_proxies.end(), ip) !=
         options.trusted_proxies.end();
}

// What to do with the connection once a response is written.
enum class After { kKeepAlive, kClose, kLinger };

}  // namespace

class Session;

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler root)
      : options_(std::move(options)),
        root_(std::move(root)),
        ioc_(std::max(1, ThreadCount(options_))),
        acceptor_(net::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()) {}

  static int ThreadCount(const ServerOptions& o) {
    if (o.threads > 0) return o.threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  Status Start();
  void Stop();
  void Wait();
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  bool TrustsProxy(const std::string& ip) const { return TrustedIn(options_, ip); }
  void Unregister(Session* s, const std::string& ip) {
    std::lock_guard lock(mu_);
    sessions_.erase(s);
    if (auto it = per_address_.find(ip); it != per_address_.end() && --it->second == 0)
      per_address_.erase(it);
    sessions_cv_.notify_all();
  }

  const ServerOptions options_;
  const Handler root_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint16_t> port_{0};

  mutable std::mutex mu_;  // guards sessions_ and per_address_
  std::condition_variable sessions_cv_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::size_t>
      per_address_;                  // open connections, trusted proxies too
  std::size_t max_connections_ = 0;  // set by Start
  bool refusing_ = false;            // the last connection was refused (the acceptor's strand)

  std::mutex stop_mu_;  // guards the flags below
  std::condition_variable stop_cv_;
  bool started_ = false;
  bool stop_begun_ = false;
  bool stop_done_ = false;

  std::vector<std::thread> threads_;
  // Declared after the registry: destroying the io_context destroys pending
  // handlers, and with them sessions that unregister themselves.
  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_retry_;
};

// One request in the hands of the application. Owned jointly by every copy
// of its Responder, so the Request stays valid while anyone can answer.
struct Exchange {
  std::weak_ptr<Session> session;
  std::uint64_t seq = 0;
  Request request;
  std::atomic<bool> done{false};

  ~Exchange();
  static void Deliver(const std::shared_ptr<Exchange>& ex, Response res, bool quiet);
};

// Behind a trusted reverse proxy, the client is the address the proxy saw:
// the last entry of X-Forwarded-For, taken over every line of the header in
// order (a proxy may add a line of its own rather than extend the client's:
// RFC 9110 5.3 makes the lines one comma-separated list), passing over the
// entries that are trusted proxies themselves (a chain of them); everything
// before it comes from the client and can be forged. An entry that is not an
// address ends the walk: the request is then the last trusted hop's. The
// last X-Forwarded-Proto says whether the client used TLS, which decides
// whether cookies get Secure and HSTS is sent.
void ApplyForwardedHeaders(Request* req, const std::function<bool(const std::string&)>& trusted) {
  std::vector<std::string_view> hops;
  std::optional<std::string_view> proto;
  for (const auto& [name, value] : req->headers) {
    if (name == "x-forwarded-proto") {
      std::string_view v = value;
      if (auto comma = v.rfind(','); comma != std::string_view::npos) v.remove_prefix(comma + 1);
      proto = internal::TrimAscii(v);
    }
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    for (;;) {
      const std::size_t comma = rest.find(',');
      hops.push_back(internal::TrimAscii(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (proto) req->secure = beast::iequals(*proto, "https");
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    beast::error_code ec;
    auto address = net::ip::make_address(std::string(*hop), ec);
    if (ec) break;
    req->remote_ip = address.to_string();
    if (!trusted(req->remote_ip)) break;
  }
}

namespace {

using RequestParser = bhttp::request_parser<bhttp::string_body>;

void LimitParser(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
}

// What the server answers by itself to a request that failed to read: 431,
// 413 or 400; 0 when there is nobody to answer (the client went away, or was
// too slow).
int RefusalStatus(beast::error_code ec) {
  // A header line, or a line of chunked trailers (which Beast does not
  // hold to the header limit), longer than the read buffer.
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
    return 400;
  return 0;
}

// The Request the application gets from a parsed message that came from
// `remote_ip`, then ParseTarget's verdict on its target (the request id is
// set either way, for the 400's header and log).
Status BuildRequest(bhttp::request<bhttp::string_body> msg, const std::string& remote_ip,
                    const ServerOptions& options, Request* out) {
  Request& req = *out;
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  req.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
  for (const auto& field : msg) {
    req.headers.emplace_back(internal::AsciiLower(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(msg.body());
  req.remote_ip = remote_ip;
  if (TrustedIn(options, remote_ip))
    ApplyForwardedHeaders(&req,
                          [&options](const std::string& ip) { return TrustedIn(options, ip); });
  auto id = req.Header("x-request-id");
  req.request_id =
      id && internal::IsSaneRequestId(*id) ? std::string(*id) : internal::NewRequestId();
  return ParseTarget(req.target, &req);
}

// The bytes of a connection as a Beast SyncReadStream, for ReadRequests.
class WireStream {
 public:
  explicit WireStream(std::string_view bytes) : rest_(bytes) {}

  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    if (rest_.empty()) {
      ec = net::error::eof;
      return 0;
    }
    ec = {};
    const std::size_t n = net::buffer_copy(buffers, net::buffer(rest_.data(), rest_.size()));
    rest_.remove_prefix(n);
    return n;
  }
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view rest_;
};

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server::Impl& server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        buffer_(server.options_.max_header_bytes + kReadChunk),
        handler_timer_(stream_.get_executor()) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = endpoint.address().to_string();
  }
  ~Session() { server_.Unregister(this, remote_ip_); }
  const std::string& remote_ip() const { return remote_ip_; }

  auto executor() { return stream_.get_executor(); }

  void Start() {
    net::dispatch(executor(), [self = shared_from_this()] { self->WaitForRequest(); });
  }

  // On the strand: the server is stopping.
  void OnServerStop() {
    if (state_ == State::kIdle || state_ == State::kLingering) Close();
  }

  // On the strand: the application's answer to request `seq`.
  void Answer(std::uint64_t seq, Response res) {
    if (state_ != State::kHandling || seq != seq_) return;  // too late: timed out or closed
    handler_timer_.cancel();
    bool close = !keep_alive_ || server_.stopping_.load();
    Write(std::move(res), close ? After::kClose : After::kKeepAlive);
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    handler_timer_.cancel();
  }

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };

  void WaitForRequest() {
    if (server_.stopping_.load()) {
      Close();
      return;
    }
    state_ = State::kIdle;
    if (buffer_.size() > 0) {  // the client pipelined the next request
      ReadRequest();
      return;
    }
    stream_.expires_after(server_.options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec || self->state_ != State::kIdle) {
                                self->Close();
                                return;
                              }
                              self->buffer_.commit(n);
                              self->ReadRequest();
                            });
  }

  void ReadRequest() {
    state_ = State::kReading;
    parser_.emplace();
    LimitParser(*parser_, server_.options_);
    read_deadline_ = std::chrono::steady_clock::now() + server_.options_.read_timeout;
    ReadSome(/*header_only=*/true);
  }

  // Reads the request a piece at a time: each piece within stall_timeout,
  // all of it within read_timeout; then OnHeader or OnRead.
  void ReadSome(bool header_only) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        read_deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) return OnRead(beast::error::timeout);
    stream_.expires_after(std::min(left, server_.options_.stall_timeout));
    bhttp::async_read_some(
        stream_, buffer_, *parser_,
        [self = shared_from_this(), header_only](beast::error_code ec, std::size_t) {
          if (self->state_ != State::kReading) return;
          if (ec) return header_only ? self->OnHeader(ec) : self->OnRead(ec);
          if (header_only && self->parser_->is_header_done()) return self->OnHeader({});
          if (!header_only && self->parser_->is_done()) return self->OnRead({});
          self->ReadSome(header_only);
        });
  }

  // A client that sent "Expect: 100-continue" (curl does for bodies over
  // 1 KiB) waits for our go-ahead before sending the body; without it, it
  // stalls for a second. A body over the limit was already refused by the
  // parser (Content-Length is checked with the header), so the client is
  // never told to send what we would reject.
  void OnHeader(beast::error_code ec) {
    if (state_ != State::kReading) return;
    if (ec) {
      OnRead(ec);
      return;
    }
    const auto& header = parser_->get();
    if (!parser_->is_done() && header.version() >= 11 &&
        beast::iequals(header[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code wec, std::size_t) {
                         if (wec) {
                           self->Close();
                           return;
                         }
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return OnRead({});
    ReadSome(/*header_only=*/false);
  }

  void OnRead(beast::error_code ec) {
    if (state_ != State::kReading) return;
    if (!ec) {
      Handle();
      return;
    }
    const int status = RefusalStatus(ec);
    NoteRefusedScheme();
    if (status == 431) {
      Reject(431,
             Error{Code::kInvalidArgument,
                   "the request headers are larger than " +
                       std::to_string(server_.options_.max_header_bytes) + " bytes",
                   {{"headers", "too large"}}},
             "header too large");
    } else if (status == 413) {
      std::string limit = std::to_string(server_.options_.max_body_bytes);
      Reject(413,
             Error{Code::kPayloadTooLarge,
                   "the request body is larger than " + limit + " bytes",
                   {{"body", "must be at most " + limit + " bytes"}}},
             "body too large");
    } else if (status == 400) {
      Reject(400, Error{Code::kInvalidArgument, "malformed HTTP request: " + ec.message(), {}},
             "malformed request");
    } else {
      if (ec == beast::error::timeout) {
        log::Warn("http request read timed out", {{"remote_ip", remote_ip_}});
      }
      Close();  // the client went away, or was too slow; nobody to answer
    }
  }

  void Handle() {
    state_ = State::kHandling;
    ++seq_;
    bhttp::request<bhttp::string_body> msg = parser_->release();
    parser_.reset();
    head_ = msg.method() == bhttp::verb::head;
    version_ = msg.version();
    keep_alive_ = msg.keep_alive();

    auto ex = std::make_shared<Exchange>();
    ex->session = weak_from_this();
    ex->seq = seq_;
    Request& req = ex->request;
    const Status parsed = BuildRequest(std::move(msg), remote_ip_, server_.options_, &req);
    secure_ = req.secure;

    if (!parsed) {
      ex->done.store(true);
      log::Warn("http request rejected", {{"status", 400},
                                          {"reason", "bad target"},
                                          {"remote_ip", remote_ip_},
                                          {"request_id", req.request_id}});
      Response res = ErrorResponse(parsed.error());
      res.SetHeader("x-request-id", req.request_id);
      Write(std::move(res),
            keep_alive_ && !server_.stopping_.load() ? After::kKeepAlive : After::kClose);
      return;
    }

    Responder respond = [ex](Response res) { Exchange::Deliver(ex, std::move(res), false); };
    try {
      server_.root_(req, respond);
    } catch (const std::exception& e) {
      log::Error("handler threw", {{"request_id", req.request_id}, {"error", e.what()}});
      Exchange::Deliver(ex, ErrorResponse(Error{Code::kInternal, e.what(), {}}), true);
    } catch (...) {
      log::Error("handler threw", {{"request_id", req.request_id}, {"error", "unknown exception"}});
      Exchange::Deliver(ex, ErrorResponse(Error{Code::kInternal, "unknown exception", {}}), true);
    }
    // Most handlers have answered by now (the answer is dispatched inline on
    // this strand); only the others need the timer, which also keeps the
    // session alive while they work.
    if (state_ == State::kHandling && seq_ == ex->seq) ArmHandlerTimer();
  }

  void ArmHandlerTimer() {
    handler_timer_.expires_after(server_.options_.handler_timeout);
    handler_timer_.async_wait([self = shared_from_this(), seq = seq_](beast::error_code ec) {
      if (ec || self->state_ != State::kHandling || self->seq_ != seq) return;
      log::Error("handler did not answer in time", {{"remote_ip", self->remote_ip_}});
      self->keep_alive_ = false;
      self->Write(
          ErrorResponse(
              Error{Code::kUnavailable, "the server did not answer in time; try again later", {}}),
          After::kClose);
    });
  }

  // Answers without involving the application, and closes.
  // A request refused while it was read is answered as it came: over TLS
  // when a trusted proxy's header saying so was read before the refusal
  // (Beast refuses a Content-Length over the limit while it reads the
  // headers, after the fields before it), and never by what the
  // connection's previous request said.
  void NoteRefusedScheme() {
    secure_ = false;
    if (!parser_ || !server_.TrustsProxy(remote_ip_)) return;
    Request probe;
    probe.remote_ip = remote_ip_;
    for (const auto& field : parser_->get())
      probe.headers.emplace_back(internal::AsciiLower(field.name_string()),
                                 std::string(field.value()));
    ApplyForwardedHeaders(&probe,
                          [this](const std::string& ip) { return server_.TrustsProxy(ip); });
    secure_ = probe.secure;
  }

  void Reject(int status, Error error, std::string_view reason) {
    std::string id = internal::NewRequestId();
    log::Warn(
        "http request rejected",
        {{"status", status}, {"reason", reason}, {"remote_ip", remote_ip_}, {"request_id", id}});
    head_ = false;
    keep_alive_ = false;
    version_ = 11;
    Response res = ErrorResponse(status, error);
    res.SetHeader("x-request-id", std::move(id));
    Write(std::move(res), After::kLinger);
  }

  void Write(Response res, After after) {
    state_ = State::kWriting;
    if (res.status < 100 || res.status > 599) {
      log::Error("handler answered with an invalid status", {{"status", res.status}});
      res = ErrorResponse(Error{Code::kInternal, "invalid status", {}});
    }
    res_ = {};
    res_.version(version_);
    res_.result(static_cast<unsigned>(res.status));
    for (auto& [name, value] : res.headers) {
      // Header injection: a value with CR/LF would let its author write
      // headers of their own choosing, or a second response.
      if (name.empty() || !SafeHeaderText(name) || !SafeHeaderText(value)) {
        log::Error("dropped an unsafe response header",
                   {{"header", SafeHeaderText(name) ? name : "?"}});
        continue;
      }
      res_.insert(name, value);
    }
    if (res_.find(bhttp::field::content_type) == res_.end() && !res.body.empty()) {
      res_.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    }
    if (res_.find("x-content-type-options") == res_.end())
      res_.set("x-content-type-options", "nosniff");
    if (res_.find(bhttp::field::x_frame_options) == res_.end())
      res_.set(bhttp::field::x_frame_options, "DENY");
    if (res_.find("referrer-policy") == res_.end())
      res_.set("referrer-policy", "strict-origin-when-cross-origin");
    if (res_.find("content-security-policy") == res_.end()) {
      res_.set("content-security-policy", "default-src 'self'; frame-ancestors 'none'");
    }
    // Over TLS (a trusted proxy's X-Forwarded-Proto: https), browsers are
    // told to come back only over TLS for a year; over plain HTTP the header
    // would mean nothing (RFC 6797 8.1) and is left out.
    if (secure_ && res_.find(bhttp::field::strict_transport_security) == res_.end())
      res_.set(bhttp::field::strict_transport_security, "max-age=31536000");
    res_.set(bhttp::field::date, HttpDate());
    res_.keep_alive(after == After::kKeepAlive);
    bool no_body =
        (res.status >= 100 && res.status < 200) || res.status == 204 || res.status == 304;
    if (no_body) {
      res_.erase(bhttp::field::content_length);
    } else {
      res_.content_length(res.body.size());
      if (!head_) res_.body() = std::move(res.body);
    }
    stream_.expires_after(
        server_.options_
            .read_timeout);  // a client too slow to read is as bad as one too slow to send
    bhttp::async_write(stream_, res_,
                       [self = shared_from_this(), after](beast::error_code ec, std::size_t) {
                         self->OnWrite(ec, after);
                       });
  }

  void OnWrite(beast::error_code ec, After after) {
    if (state_ != State::kWriting) return;
    res_ = {};
    if (ec || after == After::kClose) {
      Close();
    } else if (after == After::kLinger) {
      Linger();
    } else {
      WaitForRequest();
    }
  }

  void Linger() {
    state_ = State::kLingering;
    if (server_.stopping_.load()) {
      Close();
      return;
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.clear();
    stream_.expires_after(kLingerTimeout);  // one deadline for the whole drain
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec || self->state_ != State::kLingering) {
                                self->Close();
                                return;
                              }
                              self->DrainSome();
                            });
  }

  Server::Impl& server_;
  beast::tcp_stream stream_;
  // Bounded, so that no line of the request (a trailer, which Beast does
  // not hold to the header limit and would throw on past 64 KiB) can be
  // longer than the header limit and a little more.
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::chrono::steady_clock::time_point read_deadline_{};
  bhttp::response<bhttp::string_body> res_;  // lives until written
  net::steady_timer handler_timer_;
  std::string remote_ip_;
  bool secure_ = false;  // the request being answered came over TLS (as a trusted proxy says)
  State state_ = State::kIdle;
  std::uint64_t seq_ = 0;
  bool head_ = false;
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

std::vector<WireRequest> ReadRequests(std::string_view wire, const ServerOptions& options,
                                      const std::string& remote_ip) {
  std::vector<WireRequest> out;
  WireStream stream(wire);
  beast::flat_buffer buffer(options.max_header_bytes + kReadChunk);  // as the session's
  for (;;) {
    RequestParser parser;
    LimitParser(parser, options);
    beast::error_code ec;
    bhttp::read(stream, buffer, parser, ec);
    if (ec) {
      if (const int status = RefusalStatus(ec); status != 0) out.push_back({status, {}});
      return out;
    }
    const bool keep_alive = parser.get().keep_alive();
    WireRequest& wr = out.emplace_back();
    if (!BuildRequest(parser.release(), remote_ip, options, &wr.request)) wr.status = 400;
    if (!keep_alive) return out;
  }
}

Exchange::~Exchange() {
  if (done.exchange(true)) return;
  auto s = session.lock();
  if (!s) return;
  log::Error("handler dropped its Responder without answering",
             {{"request_id", request.request_id}});
  net::post(s->executor(), [s, seq = seq] {
    s->Answer(seq, ErrorResponse(Error{Code::kInternal, "handler did not answer", {}}));
  });
}

void Exchange::Deliver(const std::shared_ptr<Exchange>& ex, Response res, bool quiet) {
  if (ex->done.exchange(true)) {
    if (!quiet)
      log::Error("Responder called more than once", {{"request_id", ex->request.request_id}});
    return;
  }
  auto s = ex->session.lock();
  if (!s) return;
  // dispatch: a handler answering synchronously on the strand writes at once.
  net::dispatch(s->executor(), [s, seq = ex->seq, res = std::move(res)]() mutable {
    s->Answer(seq, std::move(res));
  });
}

Status Server::Impl::Start() {
  {
    std::lock_guard lock(stop_mu_);
    if (started_ || stop_begun_)
      return Fail(Code::kFailedPrecondition, "the server was already started");
    started_ = true;
  }
  const std::string& listen = options_.listen;
  auto fail = [&](const std::string& why) {
    return Fail(Code::kUnavailable, "cannot listen on " + listen + ": " + why);
  };
  max_connections_ = options_.max_connections;
  if (max_connections_ == 0) {
    // Every connection is a descriptor: take all the system allows this
    // process, and keep some for the database, the files and the logs.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
      if (files.rlim_cur < files.rlim_max) {
        rlimit raised = files;
        raised.rlim_cur = files.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) files = raised;
      }
      const auto limit = static_cast<std::size_t>(
          std::min<rlim_t>(files.rlim_cur, std::numeric_limits<std::uint32_t>::max()));
      max_connections_ = limit > 2 * ServerOptions::kReservedDescriptors
                             ? limit - ServerOptions::kReservedDescriptors
                             : limit / 2;
    } else {
      max_connections_ = 1024 - ServerOptions::kReservedDescriptors;
    }
  }
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return fail("expected host:port");
  std::string host = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port_number = 0;
  auto [end, perr] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (perr != std::errc() || end != port.data() + port.size() || port_number > 65535) {
    return fail("invalid port");
  }
  beast::error_code ec;
  tcp::resolver resolver(ioc_);
  auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) return fail(ec ? ec.message() : "no address");
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  // Restarting must not wait for old connections in TIME_WAIT; on Linux this
  // still refuses a port another process listens on.
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return fail(ec.message());
  }
  port_.store(acceptor_.local_endpoint().port());

  work_.emplace(net::make_work_guard(ioc_));
  net::post(acceptor_.get_executor(), [this] { DoAccept(); });
  int threads = ThreadCount(options_);
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          log::Error("exception escaped an I/O handler", {{"error", e.what()}});
        }
      }
    });
  }
  log::Info("http server listening",
            {{"address", host}, {"port", port_.load()}, {"threads", threads}});
  return {};
}

void Server::Impl::DoAccept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopping_.load() || !acceptor_.is_open()) return;
  if (ec) {
    log::Warn("accept failed", {{"error", ec.message()}});
    accept_retry_.expires_after(kAcceptRetry);
    accept_retry_.async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec && !stopping_.load()) DoAccept();
    });
    return;
  }
  // Responses go out in one write; do not let Nagle hold back the next one.
  socket.set_option(tcp::no_delay(true), ec);
  std::string ip;
  if (auto endpoint = socket.remote_endpoint(ec); !ec) ip = endpoint.address().to_string();
  std::optional<std::string_view> refused;
  {
    std::lock_guard lock(mu_);
    std::size_t& from_here = per_address_[ip];
    if (sessions_.size() >= max_connections_)
      refused = "too many connections";
    else if (from_here >= options_.max_connections_per_address && !TrustsProxy(ip))
      refused = "too many connections from one address";
    if (!refused) ++from_here;
    if (from_here == 0) per_address_.erase(ip);
  }
  if (refused) {
    // Closed at once: an answer would cost what the limit is there to save.
    // Logged when the count first reaches the limit, not for every one.
    if (std::exchange(refusing_, true) == false)
      log::Warn("connection refused", {{"remote_ip", ip}, {"reason", std::string(*refused)}});
    socket.close(ec);
    DoAccept();
    return;
  }
  refusing_ = false;
  auto session = std::make_shared<Session>(*this, std::move(socket));
  {
    std::lock_guard lock(mu_);
    sessions_.emplace(session.get(), session);
  }
  session->Start();
  DoAccept();
}

void Server::Impl::Stop() {
  {
    std::unique_lock lock(stop_mu_);
    if (stop_begun_) {
      stop_cv_.wait(lock, [this] { return stop_done_; });
      return;
    }
    stop_begun_ = true;
    if (!started_) {
      stop_done_ = true;
      stop_cv_.notify_all();
      return;
    }
  }
  stopping_.store(true);
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  auto each_session = [this](auto fn) {
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(mu_);
      for (auto& [ptr, weak] : sessions_) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) net::post(s->executor(), [s, fn] { fn(*s); });
  };
  each_session([](Session& s) { s.OnServerStop(); });
  {
    std::unique_lock lock(mu_);
    if (!sessions_cv_.wait_for(lock, options_.shutdown_timeout,
                               [this] { return sessions_.empty(); })) {
      log::Warn("closing connections still busy at shutdown", {{"connections", sessions_.size()}});
      lock.unlock();
      each_session([](Session& s) { s.Close(); });
      lock.lock();
      sessions_cv_.wait_for(lock, kForceCloseGrace, [this] { return sessions_.empty(); });
    }
  }
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  log::Info("http server stopped");
  std::lock_guard lock(stop_mu_);
  stop_done_ = true;
  stop_cv_.notify_all();
}

void Server::Impl::Wait() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [this] { return stop_done_; });
}

Server::Server(ServerOptions options, Handler root)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(root))) {}

Server::~Server() { Stop(); }

Status Server::Start() { return impl_->Start(); }
std::uint16_t Server::port() const { return impl_->port_.load(); }
std::size_t Server::active_connections() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->sessions_.size();
}
void Server::Stop() { impl_->Stop(); }
void Server::Wait() { impl_->Wait(); }

}  // namespace motcua::http
