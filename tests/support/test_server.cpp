#include "test_server.hpp"

#include <sys/socket.h>

#include <cerrno>

#include <boost/beast/core.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace test_support {

namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string head(unsigned status, const header_fields& fields) {
  std::string text = "HTTP/1.1 " + std::to_string(status) + " " +
                     std::string(http::obsolete_reason(static_cast<http::status>(status))) + "\r\n";
  for (const auto& [name, value] : fields) text += name + ": " + value + "\r\n";
  return text + "\r\n";
}

std::string chunk(std::string_view data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return std::string(size) + std::string(data) + "\r\n";
}
}  // namespace

void server_reply::json(unsigned status, std::string_view body, const header_fields& extra) {
  header_fields fields{{"Content-Type", "application/json"}, {"Content-Length", std::to_string(body.size())}};
  fields.insert(fields.end(), extra.begin(), extra.end());
  write_raw(head(status, fields) + std::string(body));
}

void server_reply::empty(unsigned status, const header_fields& extra) {
  header_fields fields{{"Content-Length", "0"}};
  fields.insert(fields.end(), extra.begin(), extra.end());
  write_raw(head(status, fields));
}

void server_reply::start_sse(const header_fields& extra, unsigned status) {
  header_fields fields{{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"},
                       {"Transfer-Encoding", "chunked"}};
  fields.insert(fields.end(), extra.begin(), extra.end());
  write_raw(head(status, fields));
}

void server_reply::sse(std::string_view text) { write_raw(chunk(text)); }

void server_reply::finish_sse() { write_raw("0\r\n\r\n"); }

std::string sse_event(std::string_view data, std::string_view id, std::optional<int> retry_ms) {
  std::string text;
  if (!id.empty()) text += "id: " + std::string(id) + "\n";
  if (retry_ms) text += "retry: " + std::to_string(*retry_ms) + "\n";
  if (data.empty()) text += "data:\n";
  for (std::size_t start = 0; !data.empty();) {
    auto end = data.find('\n', start);
    text += "data: " + std::string(data.substr(start, end - start)) + "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return text + "\n";
}

std::string recorded_request::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (lower(n) == lower(name)) return v;
  return {};
}

test_server::test_server(handler h, std::optional<tls_files> tls)
    : handler_(std::move(h)), acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
  if (tls) {
    tls_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    tls_->use_certificate_chain_file(tls->certificate_chain);
    tls_->use_private_key_file(tls->private_key, net::ssl::context::pem);
  }
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { accept_loop(); });
}

test_server::~test_server() {
  stopping_ = true;
  boost::system::error_code ec;
  // Wake the blocking accept with a connection of our own.
  net::ip::tcp::socket waker(io_);
  waker.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
  accept_thread_.join();
  {
    std::lock_guard lock(mutex_);
    for (auto& s : sockets_) s->shutdown(net::ip::tcp::socket::shutdown_both, ec);
  }
  for (auto& t : connection_threads_) t.join();
}

std::string test_server::url(std::string_view path) const {
  return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_) + std::string(path);
}

std::vector<recorded_request> test_server::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::optional<recorded_request> test_server::wait_for(const std::function<bool(const recorded_request&)>& match,
                                                      std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  std::optional<recorded_request> found;
  changed_.wait_for(lock, timeout, [&] {
    for (const auto& r : requests_)
      if (match(r)) {
        found = r;
        return true;
      }
    return false;
  });
  return found;
}

void test_server::record(const request& req, std::size_t connection, std::size_t on_connection) {
  recorded_request r{std::string(req.method_string()), std::string(req.target()), {}, req.body(),
                     connection, on_connection, std::chrono::steady_clock::now()};
  for (const auto& field : req) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(r));
  }
  changed_.notify_all();
}

void test_server::accept_loop() {
  while (!stopping_) {
    auto socket = std::make_shared<net::ip::tcp::socket>(io_);
    boost::system::error_code ec;
    acceptor_.accept(*socket, ec);
    if (ec || stopping_) break;
    const std::size_t connection = ++accepted_;
    std::lock_guard lock(mutex_);
    sockets_.push_back(socket);
    connection_threads_.emplace_back([this, socket, connection] {
      if (tls_) {
        net::ssl::stream<net::ip::tcp::socket&> stream(*socket, *tls_);
        boost::system::error_code hec;
        stream.handshake(net::ssl::stream_base::server, hec);
        if (!hec) {
          ++handshakes_;
          if (SSL_session_reused(stream.native_handle())) ++resumed_handshakes_;
          serve(stream, connection);
        }
      } else {
        serve(*socket, connection);
      }
    });
  }
}

template <class Stream>
void test_server::serve(Stream& stream, std::size_t connection) {
  struct reply_impl : server_reply {
    Stream& stream;
    net::ip::tcp::socket& socket;
    reply_impl(Stream& s, net::ip::tcp::socket& sock) : stream(s), socket(sock) {}
    void write_raw(std::string_view bytes) override {
      if (closed_) return;
      boost::system::error_code ec;
      net::write(stream, net::buffer(bytes.data(), bytes.size()), ec);
      if (ec) closed_ = true;
    }
    void cut() override {
      boost::system::error_code ec;
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
      closed_ = true;
    }
    bool peer_gone() override {
      char byte;
      const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }
  };
  auto& socket = static_cast<net::ip::tcp::socket&>(boost::beast::get_lowest_layer(stream));
  boost::beast::flat_buffer buffer;
  for (std::size_t served = 0; !stopping_; ++served) {
    request req;
    boost::system::error_code ec;
    http::read(stream, buffer, req, ec);
    if (ec) return;
    record(req, connection, served);
    reply_impl reply(stream, socket);
    try {
      handler_(req, reply);
    } catch (const std::exception& e) {
      // A script error must fail its test, not terminate every test in the binary.
      std::fprintf(stderr, "test_server: the handler threw on %s %s: %s\n", std::string(req.method_string()).c_str(),
                   std::string(req.target()).c_str(), e.what());
      reply.cut();
    }
    if (reply.closed() || !req.keep_alive()) {
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ec);
      return;
    }
  }
}

}  // namespace test_support
