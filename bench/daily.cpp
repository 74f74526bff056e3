// bench_daily: what an editor's bridge costs in daily use: over a real network (TLS and a round
// trip per exchange) and while the editor sits idle with the bridge open.
//
//   bench_daily --contender 'name=command args... {url} {ca}' [--contender ...]
//               [--rtt MS] [--rounds N] [--idle SECONDS] [--smoke]
// {url} becomes https://127.0.0.1:<port>/mcp, {ca} the PEM of the CA that signed the upstream's
// certificate (a Node contender trusts it through NODE_EXTRA_CA_CERTS, which is set here).
// In this process: a TLS Streamable HTTP MCP upstream (2025-06-18 style) that counts connections
// and handshakes, and a proxy in front of it that delays every chunk by RTT/2 each way.
// Prints Markdown tables of medians over the rounds. A contender that fails is shown as "fails"
// with the reason; the others are still measured. BENCH_DAILY_TRACE=1: the upstream logs what it
// sees (connections, handshakes, requests) to stderr with times.

#include "stdio_peer.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace json = boost::json;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
using namespace bench;

namespace {

struct settings {
  std::chrono::milliseconds rtt{40};
  int rounds = 3;
  std::chrono::seconds idle{30};
  int sequential_calls = 20;
  int parallel_calls = 4;  // written at once after the idle window
};

// ---- a CA and a certificate for 127.0.0.1 / localhost, made with the openssl CLI ----------------

struct test_pki {
  std::string dir, ca, chain, key;
  test_pki() {
    char pattern[] = "/tmp/bench-daily-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    std::ofstream(dir + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script =
        "set -e; cd '" + dir + "'; exec 2>openssl.log; "
        "openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=bench CA'; "
        "openssl req " + ec + " -keyout server.key -out server.csr -subj '/CN=localhost'; "
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.pem";
    if (std::system(("sh -c \"" + script + "\"").c_str()) != 0)
      throw std::runtime_error("openssl failed (see " + dir + "/openssl.log)");
    ca = dir + "/ca.pem";
    chain = dir + "/server.pem";
    key = dir + "/server.key";
  }
  ~test_pki() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

/// BENCH_DAILY_TRACE=1: the upstream writes what it sees to stderr, with the time since start in
/// ms, to tell why a contender takes the round trips it takes.
void trace(const std::string& what) {
  static const bool on = std::getenv("BENCH_DAILY_TRACE") != nullptr;
  static const auto origin = clock_type::now();
  static std::mutex mutex;
  if (!on) return;
  std::lock_guard lock(mutex);
  std::cerr << std::fixed << std::setprecision(1) << ms_since(origin) << " ms  " << what << "\n";
}

// ---- the TLS upstream ---------------------------------------------------------------------------

/// What the upstream has seen; phases are told apart by the difference of two snapshots.
struct counts {
  long long connections = 0, full = 0, resumed = 0, failed = 0, requests = 0, request_bytes = 0;
  counts operator-(const counts& o) const {
    return {connections - o.connections, full - o.full, resumed - o.resumed, failed - o.failed,
            requests - o.requests, request_bytes - o.request_bytes};
  }
};

/// A 2025-06-18 Streamable HTTP MCP server over TLS on 127.0.0.1: initialize (with an
/// Mcp-Session-Id), notifications (202), tools/list, tools/call echo, a GET stream held open with
/// no events, DELETE (200). Keep-alive. One blocking thread per connection: a handful of
/// connections, and a held GET stream is simply a thread waiting in read.
/// It lives as long as the process (its connection threads are detached).
class tls_upstream {
 public:
  explicit tls_upstream(const test_pki& pki) : acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
    ctx_.use_certificate_chain_file(pki.chain);
    ctx_.use_private_key_file(pki.key, ssl::context::pem);
    // OpenSSL's server issues TLS 1.3 session tickets by default; a client may resume with them.
    static const unsigned char context_id[] = "bench-daily";
    SSL_CTX_set_session_id_context(ctx_.native_handle(), context_id, sizeof context_id - 1);
    std::thread([this] { accept_loop(); }).detach();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  counts snapshot() const {
    return {connections_.load(), full_.load(), resumed_.load(), failed_.load(), requests_.load(), request_bytes_.load()};
  }
  int open_streams() const { return open_streams_.load(); }

 private:
  void accept_loop() {
    for (;;) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) continue;
      ++connections_;
      trace("accepted");
      std::thread([this, s = std::move(socket)]() mutable { serve(std::move(s)); }).detach();
    }
  }

  void serve(tcp::socket socket) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    ssl::stream<tcp::socket> stream(std::move(socket), ctx_);
    stream.handshake(ssl::stream_base::server, ec);
    if (ec) {
      ++failed_;
      return;
    }
    ++(SSL_session_reused(stream.native_handle()) ? resumed_ : full_);
    auto peer = std::to_string(stream.next_layer().remote_endpoint(ec).port());
    trace(peer + ": TLS handshake, " + (SSL_session_reused(stream.native_handle()) ? "resumed" : "full"));
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(1 << 20);
      auto n = http::read(stream, buffer, parser, ec);
      if (ec) break;
      ++requests_;
      request_bytes_ += static_cast<long long>(n);
      const auto& req = parser.get();
      trace(peer + ": " + std::string(req.method_string()) + " " + std::string(req.target()) + " " + req.body().substr(0, 50));
      if (req.method() == http::verb::get && req.target() == "/mcp") {
        hold_stream(stream, buffer);
        break;
      }
      auto res = answer(req);
      http::write(stream, res, ec);
      if (ec || !res.keep_alive()) break;
    }
    stream.next_layer().shutdown(tcp::socket::shutdown_both, ec);  // no close_notify: nobody waits for it
  }

  /// The idle stream: headers of an event stream, then no event until the client goes away.
  /// Whatever the client sends meanwhile is counted.
  void hold_stream(ssl::stream<tcp::socket>& stream, beast::flat_buffer& buffer) {
    http::response<http::empty_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "text/event-stream");
    res.set(http::field::cache_control, "no-cache");
    res.chunked(true);
    http::response_serializer<http::empty_body> serializer{res};
    boost::system::error_code ec;
    http::write_header(stream, serializer, ec);
    if (ec) return;
    ++open_streams_;
    request_bytes_ += static_cast<long long>(buffer.size());
    char data[4096];
    for (;;) {
      auto n = stream.read_some(net::buffer(data), ec);
      if (ec) break;
      request_bytes_ += static_cast<long long>(n);
    }
    --open_streams_;
  }

  http::response<http::string_body> answer(const http::request<http::string_body>& req) {
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.keep_alive(req.keep_alive());
    if (req.target() != "/mcp") {
      res.result(http::status::not_found);
    } else if (req.method() == http::verb::delete_) {
      // the session ends; 200 with no body
    } else if (req.method() != http::verb::post) {
      res.result(http::status::method_not_allowed);
    } else {
      boost::system::error_code ec;
      auto message = json::parse(req.body(), ec);
      const auto* object = ec ? nullptr : message.if_object();
      if (!object) {
        res.result(http::status::bad_request);
      } else if (!object->contains("id") || !object->contains("method")) {
        res.result(http::status::accepted);  // a notification or a response
      } else if (object->at("method") != "initialize" && req.find("Mcp-Session-Id") == req.end()) {
        // As the TypeScript SDK's servers answer a request before initialize (a client's
        // server/discover among them).
        res.result(http::status::bad_request);
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null})";
      } else {
        json::object response{{"jsonrpc", "2.0"}, {"id", object->at("id")}};
        if (auto result = result_for(*object, res))
          response["result"] = std::move(*result);
        else
          response["error"] = {{"code", -32601}, {"message", "Method not found"}};
        res.set(http::field::content_type, "application/json");
        res.body() = json::serialize(response);
      }
    }
    res.prepare_payload();
    return res;
  }

  /// The result of a request in a session; none for a method this server does not have.
  std::optional<json::value> result_for(const json::object& request, http::response<http::string_body>& res) {
    const auto& method = request.at("method").as_string();
    const auto* params = request.if_contains("params");
    const auto* params_object = params ? params->if_object() : nullptr;
    if (method == "initialize") {
      res.set("Mcp-Session-Id", "bench-daily-" + std::to_string(++sessions_));
      json::value version = "2025-06-18";
      if (const auto* asked = params_object ? params_object->if_contains("protocolVersion") : nullptr;
          asked && asked->is_string() && asked->get_string() == "2025-03-26")
        version = *asked;
      return json::object{{"protocolVersion", version},
                          {"capabilities", {{"tools", json::object{}}}},
                          {"serverInfo", {{"name", "bench-daily-upstream"}, {"version", "1.0.0"}}}};
    }
    if (method == "tools/list") {
      json::object schema{{"type", "object"}, {"properties", {{"message", {{"type", "string"}}}}}};
      return json::object{{"tools", json::array{json::object{
                                        {"name", "echo"}, {"description", "Echoes the message"}, {"inputSchema", schema}}}}};
    }
    if (method == "tools/call") {
      std::string text;
      if (const auto* args = params_object ? params_object->if_contains("arguments") : nullptr; args && args->is_object())
        if (const auto* m = args->as_object().if_contains("message"); m && m->is_string()) text = m->get_string();
      return json::object{{"content", json::array{json::object{{"type", "text"}, {"text", std::move(text)}}}}};
    }
    return std::nullopt;
  }

  net::io_context io_;  // for the sockets only: every call here blocks
  ssl::context ctx_{ssl::context::tls_server};
  tcp::acceptor acceptor_;
  std::atomic<long long> connections_{0}, full_{0}, resumed_{0}, failed_{0}, requests_{0}, request_bytes_{0};
  std::atomic<int> open_streams_{0}, sessions_{0};
};

// ---- the delay proxy ------------------------------------------------------------------------------

/// Forwards each connection on 127.0.0.1 to the upstream, holding every chunk RTT/2 in each
/// direction (in order, with no bandwidth limit). A new connection's first bytes also wait one
/// RTT from accept: over loopback connect() returns at once, where over a network it returns
/// only when the SYN-ACK is back, one RTT after the SYN.
/// Four threads per connection (a reader and a writer each way); it lives as long as the process.
class delay_proxy {
 public:
  delay_proxy(unsigned short upstream_port, std::chrono::milliseconds rtt) : upstream_port_(upstream_port), rtt_(rtt) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = loopback(0);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) || ::listen(listener_, 64))
      throw std::runtime_error("delay proxy: cannot listen");
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    std::thread([this] { accept_loop(); }).detach();
  }
  unsigned short port() const { return port_; }

 private:
  struct chunk {
    clock_type::time_point due;
    std::string data;  // empty: the sender closed (or reset) its side
  };
  struct lane {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<chunk> queue;
  };
  struct connection {
    int client = -1, upstream = -1;
    lane up, down;
    ~connection() {
      ::close(client);
      ::close(upstream);
    }
  };

  static sockaddr_in loopback(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
  }
  static void no_delay(int fd) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }

  void accept_loop() {
    for (;;) {
      int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      auto accepted = clock_type::now();
      auto l = std::make_shared<connection>();
      l->client = client;
      l->upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address = loopback(upstream_port_);
      if (::connect(l->upstream, reinterpret_cast<sockaddr*>(&address), sizeof address)) continue;  // drops both
      no_delay(client);
      no_delay(l->upstream);
      std::thread([this, l, accepted] { read_side(*l, l->client, l->up, accepted + rtt_); }).detach();
      std::thread([this, l] { write_side(*l, l->upstream, l->up); }).detach();
      std::thread([this, l] { read_side(*l, l->upstream, l->down, clock_type::time_point{}); }).detach();
      std::thread([this, l] { write_side(*l, l->client, l->down); }).detach();
    }
  }

  /// Reads chunks as they come and queues each with the time it may be delivered.
  void read_side(connection&, int from, lane& to, clock_type::time_point hold_until) {
    std::vector<char> data(1 << 16);
    for (;;) {
      auto n = ::read(from, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      auto due = std::max(clock_type::now(), hold_until) + rtt_ / 2;
      {
        std::lock_guard lock(to.mutex);
        to.queue.push_back({due, n > 0 ? std::string(data.data(), static_cast<std::size_t>(n)) : std::string()});
      }
      to.ready.notify_one();
      if (n <= 0) return;
    }
  }

  /// Delivers queued chunks when they are due; passes the sender's close on as a half-close.
  void write_side(connection& l, int to, lane& from) {
    bool broken = false;
    for (;;) {
      chunk next;
      {
        std::unique_lock lock(from.mutex);
        from.ready.wait(lock, [&] { return !from.queue.empty(); });
        next = std::move(from.queue.front());
        from.queue.pop_front();
      }
      std::this_thread::sleep_until(next.due);
      if (next.data.empty()) {
        ::shutdown(to, SHUT_WR);
        return;
      }
      for (std::size_t done = 0; !broken && done < next.data.size();) {
        auto n = ::send(to, next.data.data() + done, next.data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          // The receiver is gone: end both directions, so that every reader sees the end.
          broken = true;
          ::shutdown(l.client, SHUT_RDWR);
          ::shutdown(l.upstream, SHUT_RDWR);
          break;
        }
        done += static_cast<std::size_t>(n);
      }
    }
  }

  unsigned short upstream_port_, port_ = 0;
  std::chrono::milliseconds rtt_;
  int listener_ = -1;
};

// ---- one contender --------------------------------------------------------------------------------

std::string call_message(long long id, const std::string& message) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
                                      {"params", {{"name", "echo"}, {"arguments", {{"message", message}}}}}});
}

void expect_result(const json::value& response, long long id, const char* what) {
  const auto* object = response.if_object();
  const auto* got = object ? object->if_contains("id") : nullptr;
  if (!got || !got->is_int64() || got->as_int64() != id || !object->contains("result"))
    throw std::runtime_error(std::string(what) + " answered " + json::serialize(response).substr(0, 300));
}

/// The rows of the tables, in order; each contender keeps one value per round for each.
enum figure {
  init_ms, init_rtt, list_rtt, call_rtt, setup_connections, setup_full, setup_resumed,
  idle_ticks, idle_switches, idle_requests, idle_bytes, idle_streams,
  burst_rtt, burst_connections, burst_full, burst_resumed, figure_count
};

struct contender {
  std::string name;
  std::vector<std::string> argv;
  std::vector<double> values[figure_count];
  std::string failure;  // why it failed; it is not measured again
};

std::vector<std::string> expand(std::vector<std::string> argv, const std::string& url, const std::string& ca) {
  for (auto& a : argv) {
    if (auto at = a.find("{url}"); at != std::string::npos) a.replace(at, 5, url);
    if (auto at = a.find("{ca}"); at != std::string::npos) a.replace(at, 4, ca);
  }
  return argv;
}

void measure(contender& c, const std::vector<std::string>& argv, const settings& s, const tls_upstream& upstream) {
  const double rtt = static_cast<double>(s.rtt.count());
  auto& v = c.values;
  // The previous contender's GET stream closes RTT/2 after it exits; its count is not this one's.
  for (int i = 0; i < 200 && upstream.open_streams() > 0; ++i) std::this_thread::sleep_for(10ms);
  auto start = upstream.snapshot();
  stdio_peer peer(argv);

  // Spawn to the initialize answer: the editor writes initialize at once.
  peer.send(initialize_message(0));
  auto response = peer.next_response();
  auto initialized = clock_type::now();
  expect_result(response, 0, "initialize");
  auto ms = std::chrono::duration<double, std::milli>(initialized - peer.started()).count();
  v[init_ms].push_back(ms);
  v[init_rtt].push_back(ms / rtt);

  // What an editor writes next, back to back.
  peer.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  peer.send(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
  response = peer.next_response();
  v[list_rtt].push_back(ms_since(initialized) / rtt);
  expect_result(response, 1, "tools/list");

  long long id = 2;
  std::vector<double> latencies;
  for (int i = 0; i < s.sequential_calls; ++i, ++id) {
    auto sent = clock_type::now();
    peer.send(call_message(id, "ping"));
    response = peer.next_response();
    latencies.push_back(ms_since(sent) / rtt);
    expect_result(response, id, "tools/call");
  }
  v[call_rtt].push_back(median(latencies));
  auto setup = upstream.snapshot() - start;
  v[setup_connections].push_back(static_cast<double>(setup.connections));
  v[setup_full].push_back(static_cast<double>(setup.full));
  v[setup_resumed].push_back(static_cast<double>(setup.resumed));

  // Idle: the editor has nothing to ask; the bridge holds the GET stream open.
  auto ticks = tree_cpu_ticks(peer.pid());
  auto switches = tree_context_switches(peer.pid());
  auto before_idle = upstream.snapshot();
  std::this_thread::sleep_for(s.idle);
  v[idle_ticks].push_back(static_cast<double>(tree_cpu_ticks(peer.pid()) - ticks));
  v[idle_switches].push_back(static_cast<double>(tree_context_switches(peer.pid()) - switches));
  auto idle = upstream.snapshot() - before_idle;
  v[idle_requests].push_back(static_cast<double>(idle.requests));
  v[idle_bytes].push_back(static_cast<double>(idle.request_bytes));
  v[idle_streams].push_back(upstream.open_streams());

  // After idle: several calls at once, as an agent's first step after a pause often makes.
  auto before_burst = upstream.snapshot();
  auto sent = clock_type::now();
  std::set<long long> outstanding;
  for (int i = 0; i < s.parallel_calls; ++i, ++id) {
    outstanding.insert(id);
    peer.send(call_message(id, "after idle"));
  }
  while (!outstanding.empty()) {
    response = peer.next_response();
    const auto* got = response.as_object().if_contains("id");
    if (!got || !got->is_int64() || !outstanding.erase(got->as_int64()) || !response.as_object().contains("result"))
      throw std::runtime_error("tools/call after idle answered " + json::serialize(response).substr(0, 300));
  }
  v[burst_rtt].push_back(ms_since(sent) / rtt);
  auto burst = upstream.snapshot() - before_burst;
  v[burst_connections].push_back(static_cast<double>(burst.connections));
  v[burst_full].push_back(static_cast<double>(burst.full));
  v[burst_resumed].push_back(static_cast<double>(burst.resumed));
  if (auto failed = (upstream.snapshot() - start).failed)
    std::cerr << c.name << ": " << failed << " TLS handshake(s) failed\n";
}

// ---- report ---------------------------------------------------------------------------------------

std::string format(double v, int precision) {
  if (std::isnan(v)) return "—";
  std::ostringstream os;
  os << std::fixed << std::setprecision(precision) << v;
  return os.str();
}

struct row {
  figure field;
  std::string label;
  int precision;
  bool first_round = false;  // round 1's value, not the median
};

void table(const std::vector<contender>& all, const settings& s, const std::string& title, const std::vector<row>& rows) {
  std::cout << "\n### " << title << "\n\n| figure (median of " << s.rounds << " rounds) |";
  for (const auto& c : all) std::cout << " " << c.name << " |";
  std::cout << "\n|---|";
  for (std::size_t i = 0; i < all.size(); ++i) std::cout << "---|";
  std::cout << "\n";
  for (const auto& r : rows) {
    std::cout << "| " << r.label << " |";
    for (const auto& c : all)
      std::cout << " "
                << (!c.failure.empty()  ? "fails"
                    : r.first_round     ? format(c.values[r.field].front(), r.precision)
                                        : format(median(c.values[r.field]), r.precision))
                << " |";
    std::cout << "\n";
  }
}

std::string today() {
  auto now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

void report(const std::vector<contender>& all, const settings& s) {
  auto rtt = std::to_string(s.rtt.count());
  auto idle = std::to_string(s.idle.count());
  auto tick_ms = std::to_string(1000 / ::sysconf(_SC_CLK_TCK));
  std::cout << "## over a network (TLS 1.3, round trip " << rtt << " ms) and idle, " << today() << "\n";
  table(all, s, "network: RTT = " + rtt + " ms", {
      {init_ms, "spawn to initialize answer (ms)", 1},
      {init_rtt, "spawn to initialize answer (RTT)", 2},
      {init_rtt, "spawn to initialize answer, round 1: a server not seen before (RTT)", 2, true},
      {list_rtt, "initialize answer to first tools/list answer (RTT)", 2},
      {call_rtt, "sequential tools/call, median of " + std::to_string(s.sequential_calls) + " (RTT)", 2},
      {setup_connections, "TCP connections up to then", 0},
      {setup_full, "TLS handshakes up to then: full", 0},
      {setup_resumed, "TLS handshakes up to then: resumed", 0},
  });
  table(all, s, "idle " + idle + " s (GET stream open), then " + std::to_string(s.parallel_calls) + " calls at once", {
      {idle_ticks, "idle: CPU, all threads of the process tree (ticks of " + tick_ms + " ms)", 0},
      {idle_switches, "idle: context switches, voluntary + involuntary", 0},
      {idle_requests, "idle: requests the upstream saw", 0},
      {idle_bytes, "idle: request bytes the upstream saw", 0},
      {idle_streams, "idle: GET streams open at its end", 0},
      {burst_rtt, "after idle: " + std::to_string(s.parallel_calls) + " calls at once, until all answered (RTT)", 2},
      {burst_connections, "after idle: new TCP connections", 0},
      {burst_full, "after idle: TLS handshakes, full", 0},
      {burst_resumed, "after idle: TLS handshakes, resumed", 0},
  });
  for (const auto& c : all)
    if (!c.failure.empty()) std::cout << "\n" << c.name << " fails: " << c.failure << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  settings s;
  std::vector<contender> contenders;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--rtt") s.rtt = std::chrono::milliseconds(std::stoi(value()));
    else if (arg == "--rounds") s.rounds = std::stoi(value());
    else if (arg == "--idle") s.idle = std::chrono::seconds(std::stoi(value()));
    else if (arg == "--smoke") s.rounds = 1, s.idle = 3s;
    else if (arg == "--contender") {
      auto spec = value();
      auto eq = spec.find('=');
      contender c{spec.substr(0, eq), {}, {}, {}};
      std::istringstream words(spec.substr(eq + 1));
      for (std::string w; words >> w;) c.argv.push_back(w);
      contenders.push_back(std::move(c));
    } else {
      std::cerr << "unknown argument " << arg << "\n";
      return 2;
    }
  }
  if (contenders.empty() || s.rtt.count() <= 0) {
    std::cerr << "usage: bench_daily --contender 'name=cmd ... {url} {ca}' ... [--rtt MS] [--rounds N] "
                 "[--idle SECONDS] [--smoke]\n";
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  try {
    test_pki pki;
    ::setenv("NODE_EXTRA_CA_CERTS", pki.ca.c_str(), 1);  // for the Node contenders
    // The system's trust store as a desktop has it: with SSL_CERT_FILE set (some CI and container
    // images set it) OpenSSL parses the whole bundle at start-up, tens of ms before the first
    // connect, where the hashed directory is read only for the CA a chain needs.
    ::unsetenv("SSL_CERT_FILE");
    ::unsetenv("SSL_CERT_DIR");
    // A configuration directory of this run's own: awork-mcp remembers there which era (2025 or
    // 2026-07-28) a server speaks, so round 1 is its first start against this server and the
    // later rounds are the daily case; the user's own directory is not touched.
    auto config = pki.dir + "/config";
    std::filesystem::create_directory(config);
    ::setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    // Both live as long as the process: their detached threads use them to the end.
    auto* upstream = new tls_upstream(pki);
    auto* proxy = new delay_proxy(upstream->port(), s.rtt);
    auto url = "https://127.0.0.1:" + std::to_string(proxy->port()) + "/mcp";
    for (int round = 1; round <= s.rounds; ++round) {
      for (auto& c : contenders) {
        if (!c.failure.empty()) continue;
        std::cerr << "round " << round << "/" << s.rounds << ": " << c.name << "\n";
        auto command = expand(c.argv, url, pki.ca);
        try {
          measure(c, command, s, *upstream);
        } catch (const std::exception& e) {
          c.failure = e.what() + stderr_hint(command);
          std::cerr << c.name << " fails: " << c.failure << "\n";
        }
      }
    }
    report(contenders, s);
  } catch (const std::exception& e) {
    std::cerr << "benchmark failed: " << e.what() << "\n";
    return 1;
  }
  std::cout << std::flush;
  std::_Exit(0);  // the upstream's and the proxy's threads may still be in a blocking call
}
