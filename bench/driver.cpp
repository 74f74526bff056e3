// bench_driver: launches each contender as an editor would (a stdio MCP server) and measures
// cold start, sequential latency, throughput with many requests in flight, memory, and a large
// result; "direct" speaks HTTP to the upstream itself, the limit a bridge can approach.
//
//   bench_driver --upstream URL [--rounds N] [--smoke] [--everything URL] [--modern]
//                --contender 'name=command args...' [--contender ...] [--may-fail NAME ...]
// Prints a Markdown table of medians over the rounds, with ratios to the first contender.
// --modern: the upstream speaks MCP 2026-07-28 only, and so does direct. The contenders still get
// a 2025 initialize, as today's editors send. --may-fail NAME: a contender that fails is shown as
// "fails" with the reason instead of ending the run.

#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/sse_parser.hpp"
#include "stdio_peer.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace json = boost::json;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

using namespace bench;

struct settings {
  std::string upstream;
  std::string everything;
  int rounds = 3;
  int cold_runs = 5;
  int sequential_calls = 500;
  int throughput_calls = 10000;  // at ~50k calls/s, fewer finish too fast to measure steadily
  int in_flight = 32;
  int flat_from = 1000;
  int flat_to = 20000;
  std::size_t big_bytes = 5'000'000;
  int stalled_calls = 40;  // large results requested at once while the reader stalls
  std::chrono::milliseconds stall{8000};
  int everything_calls = 200;
  bool modern = false;  // the upstream speaks only MCP 2026-07-28
  std::set<std::string> may_fail;
};

std::string call_message(long long id, const char* tool, json::object arguments) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
                                      {"params", {{"name", tool}, {"arguments", std::move(arguments)}}}});
}

constexpr std::string_view modern_version = "2026-07-28";

/// The _meta every MCP 2026-07-28 request carries in place of the initialize handshake.
json::object modern_meta() {
  return {{"io.modelcontextprotocol/protocolVersion", modern_version},
          {"io.modelcontextprotocol/clientCapabilities", json::object{}},
          {"io.modelcontextprotocol/clientInfo", {{"name", "bench-driver"}, {"version", "1"}}}};
}

std::string modern_call_message(long long id, const char* tool, json::object arguments) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
                                      {"params", {{"name", tool}, {"arguments", std::move(arguments)},
                                                  {"_meta", modern_meta()}}}});
}

std::string discover_message(int id) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", "server/discover"},
                                      {"params", {{"_meta", modern_meta()}}}});
}

void handshake(stdio_peer& peer) {
  peer.send(initialize_message(0));
  auto response = peer.next_response();
  if (!response.as_object().contains("result")) throw std::runtime_error("initialize failed: " + json::serialize(response));
  peer.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
}

void check_echo(const json::value& response, long long id) {
  if (response.at("id").as_int64() != id || !response.as_object().contains("result"))
    throw std::runtime_error("unexpected reply: " + json::serialize(response).substr(0, 300));
}

/// Sequential calls: each waits for the previous answer. Returns latencies in ms.
std::vector<double> sequential(stdio_peer& peer, long long& next_id, int calls, const char* message = "ping-pong") {
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(calls));
  for (int i = 0; i < calls; ++i) {
    auto id = next_id++;
    auto start = clock_type::now();
    peer.send(call_message(id, "echo", {{"message", message}}));
    auto response = peer.next_response();
    latencies.push_back(ms_since(start));
    check_echo(response, id);
  }
  return latencies;
}

/// `calls` echo calls keeping `in_flight` outstanding. Returns calls per second.
double pipelined(stdio_peer& peer, long long& next_id, int calls, int in_flight) {
  auto start = clock_type::now();
  int sent = 0, done = 0;
  std::set<long long> outstanding;
  while (done < calls) {
    while (sent < calls && sent - done < in_flight) {
      outstanding.insert(next_id);
      peer.send(call_message(next_id++, "echo", {{"message", "throughput"}}));
      ++sent;
    }
    auto response = peer.next_response();
    if (!outstanding.erase(response.at("id").as_int64())) throw std::runtime_error("unexpected id");
    if (!response.as_object().contains("result")) throw std::runtime_error("error reply: " + json::serialize(response));
    ++done;
  }
  return calls / (ms_since(start) / 1000.0);
}

// ---- direct HTTP, no bridge ----------------------------------------------------------------

class direct_client {
 public:
  /// `modern`: speak MCP 2026-07-28 (no handshake; _meta and Mcp-* headers on every request).
  direct_client(const awork_mcp::endpoint& ep, bool modern) : ep_(ep), modern_(modern), stream_(io_) {
    tcp::resolver resolver(io_);
    stream_.connect(resolver.resolve(ep.host, ep.port));
    stream_.socket().set_option(tcp::no_delay(true));
  }
  /// The first request a client sends: initialize, or server/discover for 2026-07-28.
  json::value open() {
    auto reply = modern_ ? post(discover_message(0), "server/discover") : post(initialize_message(0));
    if (!reply.is_object() || !reply.as_object().contains("result"))
      throw std::runtime_error("direct: no handshake: " + json::serialize(reply));
    return reply;
  }
  /// open() and, for 2025, notifications/initialized.
  void handshake() {
    open();
    if (!modern_) post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  }
  json::value call(long long id, const char* tool, json::object arguments) {
    if (!modern_) return post(call_message(id, tool, std::move(arguments)));
    return post(modern_call_message(id, tool, std::move(arguments)), "tools/call", tool);
  }
  /// POSTs one message; returns the JSON-RPC reply (from a JSON or SSE body). `method` (and `name`)
  /// given: the headers a 2026-07-28 request carries.
  json::value post(const std::string& body, std::string_view method = {}, std::string_view name = {}) {
    http::request<http::string_body> req{http::verb::post, ep_.target, 11};
    req.set(http::field::host, ep_.host_header());
    req.set(http::field::content_type, "application/json");
    req.set(http::field::accept, "application/json, text/event-stream");
    if (!method.empty()) {
      req.set("MCP-Protocol-Version", modern_version);
      req.set("Mcp-Method", method);
      if (!name.empty()) req.set("Mcp-Name", name);
    } else if (!session_.empty()) {
      req.set("Mcp-Session-Id", session_);
      req.set("MCP-Protocol-Version", "2025-06-18");
    }
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    http::read(stream_, buffer_, parser);
    auto& res = parser.get();
    if (auto it = res.find("Mcp-Session-Id"); it != res.end()) session_ = std::string(it->value());
    if (res.result_int() == 202) return nullptr;
    if (res[http::field::content_type].starts_with("text/event-stream")) {
      awork_mcp::sse_parser sse;
      for (auto& event : sse.feed(res.body())) return json::parse(event.data);
      throw std::runtime_error("empty SSE reply");
    }
    return json::parse(res.body());
  }
  const std::string& session() const { return session_; }
  void adopt_session(const std::string& s) { session_ = s; }

 private:
  awork_mcp::endpoint ep_;
  bool modern_;
  net::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string session_;
};

// ---- figures --------------------------------------------------------------------------------

struct figures {
  std::vector<double> cold_ms, p50_ms, p99_ms, throughput, rss_mb, rss_from_mb, rss_to_mb, big_ms, big_rss_mb, stalled_rss_mb, everything_p50_ms;
};

struct contender {
  std::string name;
  std::vector<std::string> argv;  // empty: direct
  figures results;
  std::string failure;  // why it failed (only one named by --may-fail); it is not measured again
};

std::vector<std::string> with_url(std::vector<std::string> argv, const std::string& url) {
  for (auto& a : argv)
    if (auto at = a.find("{url}"); at != std::string::npos) a.replace(at, 5, url);
  return argv;
}

void measure_stdio(contender& c, const settings& s) {
  auto argv = with_url(c.argv, s.upstream);
  // Cold start: spawn until the initialize response is read.
  std::vector<double> cold;
  for (int i = 0; i < s.cold_runs; ++i) {
    try {
      stdio_peer peer(argv);
      peer.send(initialize_message(0));
      auto response = peer.next_response();
      cold.push_back(ms_since(peer.started()));
      if (!response.as_object().contains("result"))
        throw std::runtime_error("initialize answered " + json::serialize(response));
    } catch (const std::exception& e) {
      throw std::runtime_error("no initialize result: " + std::string(e.what()) + stderr_hint(argv));
    }
  }
  c.results.cold_ms.push_back(median(cold));

  {
    stdio_peer peer(argv);
    handshake(peer);
    long long id = 1;
    sequential(peer, id, 50);  // warm-up: connections, JIT
    auto latencies = sequential(peer, id, s.sequential_calls);
    c.results.p50_ms.push_back(percentile(latencies, 50));
    c.results.p99_ms.push_back(percentile(latencies, 99));
    c.results.throughput.push_back(pipelined(peer, id, s.throughput_calls, s.in_flight));
    // Memory: after the work above, then flat from flat_from to flat_to calls in all.
    auto total = static_cast<int>(id);
    if (total < s.flat_from) pipelined(peer, id, s.flat_from - total, s.in_flight);
    auto rss_from = tree_mb(peer.pid(), "VmRSS:");
    pipelined(peer, id, s.flat_to - s.flat_from, s.in_flight);
    c.results.rss_from_mb.push_back(rss_from);
    c.results.rss_to_mb.push_back(tree_mb(peer.pid(), "VmRSS:"));
    c.results.rss_mb.push_back(tree_mb(peer.pid(), "VmHWM:"));
  }
  {
    // A large result in a fresh process, so that its peak is the large result's own.
    stdio_peer peer(argv);
    handshake(peer);
    long long id = 1;
    sequential(peer, id, 5);
    auto start = clock_type::now();
    peer.send(call_message(id, "blob", {{"bytes", s.big_bytes}}));
    auto response = peer.next_response(120s);
    c.results.big_ms.push_back(ms_since(start));
    auto text = response.at("result").at("content").at(0).at("text").as_string();
    if (text.size() != s.big_bytes) throw std::runtime_error("large result truncated");
    c.results.big_rss_mb.push_back(tree_mb(peer.pid(), "VmHWM:"));
  }
  {
    // An editor that stops reading stdout while many large results arrive: what a bridge holds
    // then is bounded only by its back-pressure. Every result must still arrive whole afterwards.
    stdio_peer peer(argv);
    handshake(peer);
    long long id = 1;
    sequential(peer, id, 5);
    for (int i = 0; i < s.stalled_calls; ++i) peer.send(call_message(id + i, "blob", {{"bytes", s.big_bytes}}));
    std::this_thread::sleep_for(s.stall);
    c.results.stalled_rss_mb.push_back(tree_mb(peer.pid(), "VmHWM:"));
    for (int i = 0; i < s.stalled_calls; ++i) {
      auto response = peer.next_response(120s);
      if (response.at("result").at("content").at(0).at("text").as_string().size() != s.big_bytes)
        throw std::runtime_error("large result truncated after a stalled reader");
    }
  }
  if (!s.everything.empty()) {
    stdio_peer peer(with_url(c.argv, s.everything));
    handshake(peer);
    long long id = 1;
    sequential(peer, id, 20);
    // server-everything's echo answers "Echo: <message>".
    c.results.everything_p50_ms.push_back(percentile(sequential(peer, id, s.everything_calls), 50));
  }
}

double direct_throughput(const awork_mcp::endpoint& ep, bool modern, const std::string& session, int calls, int in_flight) {
  // One connection per in-flight request, as a bridge's pool would hold; one thread each.
  std::atomic<int> remaining{calls};
  std::vector<std::thread> workers;
  auto start = clock_type::now();
  for (int w = 0; w < in_flight; ++w) {
    workers.emplace_back([&, w] {
      direct_client client(ep, modern);
      client.adopt_session(session);
      long long id = 1'000'000LL * (w + 1);
      while (remaining.fetch_sub(1) > 0) {
        auto reply = client.call(id, "echo", {{"message", "throughput"}});
        check_echo(reply, id++);
      }
    });
  }
  for (auto& t : workers) t.join();
  return calls / (ms_since(start) / 1000.0);
}

/// Sequential echo calls straight over HTTP after a handshake; latencies after the warm-up, in ms.
std::vector<double> direct_latencies(direct_client& client, int warmup, int calls) {
  client.handshake();
  std::vector<double> latencies;
  for (long long id = 1; id <= warmup + calls; ++id) {
    auto start = clock_type::now();
    auto reply = client.call(id, "echo", {{"message", "ping-pong"}});
    if (id > warmup) latencies.push_back(ms_since(start));
    check_echo(reply, id);
  }
  return latencies;
}

void measure_direct(contender& c, const settings& s) {
  auto ep = awork_mcp::parse_endpoint(s.upstream);
  std::vector<double> cold;
  for (int i = 0; i < s.cold_runs; ++i) {
    auto start = clock_type::now();
    direct_client client(ep, s.modern);
    client.open();
    cold.push_back(ms_since(start));
  }
  c.results.cold_ms.push_back(median(cold));
  direct_client client(ep, s.modern);
  auto latencies = direct_latencies(client, 50, s.sequential_calls);
  c.results.p50_ms.push_back(percentile(latencies, 50));
  c.results.p99_ms.push_back(percentile(latencies, 99));
  c.results.throughput.push_back(direct_throughput(ep, s.modern, client.session(), s.throughput_calls, s.in_flight));
  auto start = clock_type::now();
  auto reply = client.call(999, "blob", {{"bytes", s.big_bytes}});
  c.results.big_ms.push_back(ms_since(start));
  if (reply.at("result").at("content").at(0).at("text").as_string().size() != s.big_bytes)
    throw std::runtime_error("large result truncated");
  if (!s.everything.empty()) {
    direct_client everything(awork_mcp::parse_endpoint(s.everything), false);
    c.results.everything_p50_ms.push_back(percentile(direct_latencies(everything, 20, s.everything_calls), 50));
  }
}

// ---- report ---------------------------------------------------------------------------------

std::string format(double v, int precision) {
  if (std::isnan(v)) return "—";
  std::ostringstream os;
  os << std::fixed << std::setprecision(precision) << v;
  return os.str();
}

void report(const std::vector<contender>& all, const settings& s) {
  struct row {
    const char* label;
    std::vector<double> figures::*field;
    int precision;
    bool higher_is_better;
  };
  const row rows[] = {
      {"cold start to initialize response (ms)", &figures::cold_ms, 1, false},
      {"sequential tools/call p50 (ms)", &figures::p50_ms, 3, false},
      {"sequential tools/call p99 (ms)", &figures::p99_ms, 3, false},
      {"throughput, 32 in flight (calls/s)", &figures::throughput, 0, true},
      {"peak RSS of the process tree (MB)", &figures::rss_mb, 1, false},
      {"RSS after 1,000 calls (MB)", &figures::rss_from_mb, 1, false},
      {"RSS after 20,000 calls (MB)", &figures::rss_to_mb, 1, false},
      {"5 MB result: time (ms)", &figures::big_ms, 1, false},
      {"5 MB result: peak RSS (MB)", &figures::big_rss_mb, 1, false},
      {"40 × 5 MB results, reader stalled 8 s: peak RSS (MB)", &figures::stalled_rss_mb, 1, false},
      {"server-everything echo p50 (ms)", &figures::everything_p50_ms, 3, false},
  };
  std::cout << "\n| figure (median of " << s.rounds << " rounds) |";
  for (auto& c : all) std::cout << " " << c.name << " |";
  // Ratios say how many times better the first contender is, whichever way "better" points.
  // (Not for a contender that failed: there is nothing to compare.)
  auto compared = [&](std::size_t i) { return !all[i].argv.empty() && all[i].failure.empty(); };
  for (std::size_t i = 1; i < all.size(); ++i)
    if (compared(i)) std::cout << " " << all[0].name << " vs " << all[i].name << " |";
  std::cout << "\n|---|";
  for (std::size_t i = 0; i < all.size(); ++i) std::cout << "---|";
  for (std::size_t i = 1; i < all.size(); ++i)
    if (compared(i)) std::cout << "---|";
  std::cout << "\n";
  for (const auto& r : rows) {
    if (all[0].results.*r.field == std::vector<double>{}) continue;
    std::cout << "| " << r.label << " |";
    std::vector<double> medians;
    for (auto& c : all) {
      auto& v = c.results.*r.field;
      medians.push_back(v.empty() ? NAN : median(v));
      std::cout << " " << (c.failure.empty() ? format(medians.back(), r.precision) : "fails") << " |";
    }
    for (std::size_t i = 1; i < all.size(); ++i)
      if (compared(i))
        std::cout << " " << format(r.higher_is_better ? medians[0] / medians[i] : medians[i] / medians[0], 1) << "× better |";
    std::cout << "\n";
  }
  for (const auto& c : all)
    if (!c.failure.empty()) std::cout << "\n" << c.name << " fails: " << c.failure << "\n";

  // The targets, for the bridge (first contender) against direct (last, if present).
  const auto& bridge = all.front().results;
  const contender* direct = nullptr;
  for (auto& c : all)
    if (c.argv.empty()) direct = &c;
  auto verdict = [](bool ok) { return ok ? "met" : "MISSED"; };
  std::cout << "\n| target | measured | verdict |\n|---|---|---|\n";
  auto cold = median(bridge.cold_ms);
  std::cout << "| cold start ≤ 20 ms | " << format(cold, 1) << " ms | " << verdict(cold <= 20) << " |\n";
  if (direct) {
    auto extra = median(bridge.p50_ms) - median(direct->results.p50_ms);
    std::cout << "| p50 ≤ direct p50 + 0.15 ms | +" << format(extra, 3) << " ms | " << verdict(extra <= 0.15) << " |\n";
    auto share = median(bridge.throughput) / median(direct->results.throughput);
    std::cout << "| throughput ≥ 85 % of direct | " << format(share * 100, 0) << " % | " << verdict(share >= 0.85) << " |\n";
  }
  auto rss = median(bridge.rss_mb);
  std::cout << "| peak RSS ≤ 10 MB | " << format(rss, 1) << " MB | " << verdict(rss <= 10) << " |\n";
  auto growth = median(bridge.rss_to_mb) - median(bridge.rss_from_mb);
  std::cout << "| RSS flat (±1 MB) from " << s.flat_from << " to " << s.flat_to << " calls | " << format(growth, 2)
            << " MB | " << verdict(std::abs(growth) <= 1) << " |\n";
  auto big = median(bridge.big_rss_mb);
  std::cout << "| 5 MB result peak RSS < 30 MB | " << format(big, 1) << " MB | " << verdict(big < 30) << " |\n";
  auto stalled = median(bridge.stalled_rss_mb);
  std::cout << "| stalled reader, " << s.stalled_calls << " large results: peak RSS < 64 MB | " << format(stalled, 1)
            << " MB | " << verdict(stalled < 64) << " |\n";
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
    if (arg == "--upstream") s.upstream = value();
    else if (arg == "--everything") s.everything = value();
    else if (arg == "--rounds") s.rounds = std::stoi(value());
    else if (arg == "--modern") s.modern = true;
    else if (arg == "--may-fail") s.may_fail.insert(value());
    else if (arg == "--smoke") {
      s.rounds = 1, s.cold_runs = 1, s.sequential_calls = 20, s.throughput_calls = 100, s.flat_from = 200, s.flat_to = 400;
      s.big_bytes = 100'000, s.everything_calls = 10, s.stalled_calls = 4, s.stall = std::chrono::milliseconds(300);
    } else if (arg == "--direct") {
      contenders.push_back({"direct", {}, {}});
    } else if (arg == "--contender") {
      auto spec = value();
      auto eq = spec.find('=');
      contender c{spec.substr(0, eq), {}, {}};
      std::istringstream words(spec.substr(eq + 1));
      for (std::string w; words >> w;) c.argv.push_back(w);
      contenders.push_back(std::move(c));
    } else {
      std::cerr << "unknown argument " << arg << "\n";
      return 2;
    }
  }
  if (s.upstream.empty() || contenders.empty()) {
    std::cerr << "usage: bench_driver --upstream URL [--everything URL] [--rounds N] [--smoke] [--modern] "
                 "--contender 'name=cmd ... {url}' ... [--direct] [--may-fail NAME ...]\n";
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  try {
    for (int round = 1; round <= s.rounds; ++round) {
      for (auto& c : contenders) {
        if (!c.failure.empty()) continue;
        std::cerr << "round " << round << "/" << s.rounds << ": " << c.name << "\n";
        try {
          if (c.argv.empty())
            measure_direct(c, s);
          else
            measure_stdio(c, s);
        } catch (const std::exception& e) {
          if (!s.may_fail.count(c.name)) throw;
          std::cerr << c.name << " fails: " << e.what() << "\n";
          c.failure = e.what();
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "benchmark failed: " << e.what() << "\n";
    return 1;
  }
  report(contenders, s);
  return 0;
}
