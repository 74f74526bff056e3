// Back-pressure and limits: a client that reads slowly does not make the bridge buffer without
// bound, oversized messages are refused per message, and --max-in-flight never deadlocks.

#include "mcp_fixture.hpp"

#include <limits.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;
using test_support::sse_event;

namespace {

// The peak resident set of a process, in bytes (VmHWM), or 0 if unreadable.
std::size_t peak_rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      std::size_t kb = 0;
      fields >> kb;
      return kb * 1024;
    }
  return 0;
}

// A large result text, different for every id, so that a mixed-up or damaged answer shows: a
// 26-byte cycle that starts at another letter for every id.
char text_byte(long long id, std::size_t i) { return static_cast<char>('a' + (i * 7 + static_cast<std::size_t>(id)) % 26); }

// `size` bytes of id's text from `offset` on, made by copying the cycle (byte by byte, the 200 MB
// these tests make and check cost seconds of CPU under ASan).
std::string result_text(long long id, std::size_t offset, std::size_t size) {
  std::string text;
  text.reserve(size + 26);
  for (std::size_t i = 0; i < 26; ++i) text.push_back(text_byte(id, offset + i));
  while (text.size() < size) text.append(text.data(), std::min(text.size(), size - text.size()));
  text.resize(size);
  return text;
}

// Bytes of large results the server has written so far (its writes stop when the bridge stops
// reading).
std::atomic<std::size_t> large_bytes_written{0};

// Answers with a JSON result whose text is `size` bytes, written in pieces with a known length
// (the server never holds the whole body).
void answer_large(server_reply& reply, long long id, std::size_t size) {
  const std::string prefix = R"({"jsonrpc":"2.0","id":)" + std::to_string(id) + R"(,"result":{"content":[{"type":"text","text":")";
  const std::string suffix = "\"}]}}";
  reply.write_raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(prefix.size() + size + suffix.size()) + "\r\n\r\n" + prefix);
  for (std::size_t done = 0; done < size && !reply.closed();) {
    const std::size_t n = std::min<std::size_t>(64 * 1024, size - done);
    reply.write_raw(result_text(id, done, n));
    done += n;
    large_bytes_written += n;
  }
  reply.write_raw(suffix);
}

#ifdef AWORK_MCP_TEST_SANITIZE
constexpr std::size_t rss_limit = 400u << 20;  // ASan's allocator and shadow memory inflate RSS
#else
constexpr std::size_t rss_limit = 64u << 20;
#endif

constexpr std::size_t large_result_bytes = 5u << 20;

}  // namespace

class stalled_reader_test : public bridge_test {
 protected:
  // 40 calls of 5 MB each while nobody reads stdout for 8 s: the peak stays bounded, and then
  // every answer arrives whole, once.
  void expect_bounded_memory_with_a_stalled_reader();
};

void stalled_reader_test::expect_bounded_memory_with_a_stalled_reader() {
  constexpr int calls = 40;
  large_bytes_written = 0;
  for (int i = 0; i < calls; ++i) bridge->send(request_line(100 + i, "tools/call", {{"name", "big"}}));
  // The editor is busy: nobody reads stdout. Wait until the bridge has taken all it will take: the
  // server's writes have stood still for a second (back-pressure reached it), or every result
  // was written (the bridge holds them all: the peak shows it). At most 8 s.
  const auto started = std::chrono::steady_clock::now();
  auto last_progress = started;
  for (std::size_t seen_written = 0;;) {
    std::this_thread::sleep_for(100ms);
    const auto now = std::chrono::steady_clock::now();
    const std::size_t written = large_bytes_written;
    if (written >= calls * large_result_bytes || now - started >= 8s) break;
    if (written != seen_written) {
      seen_written = written;
      last_progress = now;
    } else if (now - last_progress >= 1s) {
      break;
    }
  }
  std::printf("the server wrote %zu MB of %zu MB before it stalled\n", large_bytes_written.load() >> 20,
              (calls * large_result_bytes) >> 20);
  const auto peak = peak_rss_bytes(bridge->pid());
  ASSERT_GT(peak, 0u) << "cannot read VmHWM of the bridge";
  std::printf("peak RSS of the bridge with a stalled reader: %zu MB\n", peak >> 20);
  EXPECT_LT(peak, rss_limit) << "peak RSS " << (peak >> 20) << " MB while " << posts_with_method("tools/call").size()
                             << " results of 5 MB waited for a slow reader";

  std::set<long long> seen;
  for (int i = 0; i < calls; ++i) {
    auto line = bridge->read_line(10s);
    ASSERT_TRUE(line) << "answer " << i << " of " << calls << " missing; stderr:\n" << bridge->stderr_text();
    auto v = json::parse(*line);
    ASSERT_TRUE(v.as_object().contains("result")) << json::serialize(v).substr(0, 500);
    auto id = v.at("id").as_int64();
    EXPECT_TRUE(seen.insert(id).second) << "id " << id << " answered twice";
    const auto& text = v.at("result").at("content").at(0).at("text").as_string();
    ASSERT_EQ(text.size(), large_result_bytes) << "id " << id;
    const auto expected = result_text(id, 0, large_result_bytes);
    if (const std::string_view got(text.data(), text.size()); got != expected) {
      const auto damaged = std::mismatch(got.begin(), got.end(), expected.begin()).first - got.begin();
      ADD_FAILURE() << "id " << id << " has damaged bytes from offset " << damaged;
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(calls));
}

TEST_F(stalled_reader_test, slow_reader_does_not_make_the_bridge_buffer_every_large_result) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    answer_large(reply, msg.at("id").as_int64(), large_result_bytes);
    return true;
  };
  start_bridge();
  ASSERT_TRUE(handshake().as_object().contains("result"));
  expect_bounded_memory_with_a_stalled_reader();
}

// The same against a 2026-07-28 server, where the bridge holds each answer until the retry rules
// (input_required) have looked at it: that hold must not let every answer pile up.
TEST_F(stalled_reader_test, slow_reader_does_not_make_the_bridge_buffer_every_large_result_of_a_2026_07_28_server) {
  mcp.on_request = [](const test_support::request& req, server_reply& reply) {
    if (req.method() != test_support::http::verb::post) {
      reply.empty(405);
      return true;
    }
    const auto msg = json::parse(req.body()).as_object();
    const auto id = msg.contains("id") ? json::serialize(msg.at("id")) : std::string("null");
    if (has_method(msg, "server/discover")) {
      reply.json(200, R"({"jsonrpc":"2.0","id":)" + id +
                          R"(,"result":{"resultType":"complete","supportedVersions":["2026-07-28"],"capabilities":{"tools":{}},)"
                          R"("_meta":{"io.modelcontextprotocol/serverInfo":{"name":"modern-big","version":"1"}}}})");
    } else if (has_method(msg, "tools/list")) {
      reply.json(200, R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":{"tools":[{"name":"big","inputSchema":{"type":"object"}}]}})");
    } else if (has_method(msg, "tools/call")) {
      answer_large(reply, msg.at("id").as_int64(), large_result_bytes);
    } else if (has_method(msg, "subscriptions/listen")) {
      reply.start_sse();
      for (int i = 0; i < 500 && !reply.peer_gone(); ++i) std::this_thread::sleep_for(20ms);
      reply.cut();
    } else {
      reply.json(404, R"({"jsonrpc":"2.0","id":)" + id + R"(,"error":{"code":-32601,"message":"Method not found"}})");
    }
    return true;
  };
  start_bridge();
  bridge->send(initialize_line(1, "2025-06-18"));
  auto init = read_response(1);
  ASSERT_EQ(init.at("result").at("serverInfo").at("name"), "modern-big") << init << bridge->stderr_text();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  expect_bounded_memory_with_a_stalled_reader();
}

TEST_F(bridge_test, result_over_max_message_bytes_is_an_error_for_that_id_and_the_bridge_goes_on) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    answer_large(reply, msg.at("id").as_int64(), 2u << 20);
    return true;
  };
  start_bridge({"--max-message-bytes", "1048576"});
  auto init = handshake();
  ASSERT_TRUE(init.is_object() && init.as_object().contains("result")) << bridge->stderr_text();
  bridge->send(request_line(3, "tools/call", {{"name", "big"}}));
  auto response = read_response(3);
  EXPECT_TRUE(response.as_object().contains("error")) << json::serialize(response).substr(0, 300);
  EXPECT_NE(message_of(response).find("--max-message-bytes"), std::string::npos) << message_of(response);
  bridge->send(request_line(4, "ping"));
  EXPECT_TRUE(read_response(4).as_object().contains("result"));
}

TEST_F(bridge_test, max_in_flight_one_still_lets_the_client_answer_a_server_request) {
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (msg.contains("result") && msg.at("id") == "srv-1") {
      reply.empty(202);
      return true;
    }
    if (!has_method(msg, "tools/call")) return false;
    reply.start_sse();
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":"srv-1","method":"sampling/createMessage","params":{"messages":[]}})", "1"));
    auto answer = server->wait_for(
        [](const recorded_request& r) {
          return r.body.find("\"srv-1\"") != std::string::npos && r.body.find("result") != std::string::npos;
        },
        8s);
    reply.sse(sse_event(R"({"jsonrpc":"2.0","id":5,"result":{"text":")" + std::string(answer ? "sampled" : "no answer") + "\"}}",
                        "2"));
    reply.finish_sse();
    return true;
  };
  start_bridge({"--max-in-flight", "1"});
  handshake();
  bridge->send(request_line(5, "tools/call", {{"name", "sample"}}));
  auto server_request = read_json();
  ASSERT_EQ(server_request.at("method"), "sampling/createMessage");
  auto answered = std::chrono::steady_clock::now();
  bridge->send(R"({"jsonrpc":"2.0","id":"srv-1","result":{"role":"assistant","content":{"type":"text","text":"hi"}}})");
  auto result = read_response(5, 10s);
  EXPECT_LT(std::chrono::steady_clock::now() - answered, 5s) << "deadlock: the answer waited for the call's slot";
  EXPECT_EQ(result.at("result").at("text"), "sampled");
}

TEST_F(bridge_test, max_in_flight_one_lets_a_cancellation_through_at_once) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    release.wait_for(5s);
    fake_mcp::answer(reply, msg.at("id"), json::object{}, false);
    return true;
  };
  start_bridge({"--max-in-flight", "1"});
  handshake();
  bridge->send(request_line(6, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("tools/call") != std::string::npos; }));
  auto sent = std::chrono::steady_clock::now();
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":6,"reason":"user"}})");
  auto cancelled = server->wait_for(
      [](const recorded_request& r) { return r.body.find("notifications/cancelled") != std::string::npos; }, 2s);
  release.open();
  ASSERT_TRUE(cancelled) << "the cancellation waited behind the call it cancels";
  EXPECT_LT(cancelled->received - sent, 1s);
}

TEST_F(bridge_test, max_in_flight_one_queues_a_ping_and_answers_it_after_the_slot_frees) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    release.wait_for(5s);
    fake_mcp::answer(reply, msg.at("id"), json::object{{"slow", true}}, false);
    return true;
  };
  start_bridge({"--max-in-flight", "1"});
  handshake();
  bridge->send(request_line(7, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("tools/call") != std::string::npos; }));
  bridge->send(request_line(8, "ping"));
  EXPECT_FALSE(bridge->read_line(500ms)) << "an answer came while the only slot was held";
  auto released = std::chrono::steady_clock::now();
  release.open();
  auto first = read_json(3s);
  EXPECT_EQ(first.at("id"), 7);
  auto second = read_json(3s);
  EXPECT_EQ(second.at("id"), 8) << "the queued ping was lost";
  EXPECT_EQ(second.at("result"), json::object{});
  EXPECT_LT(std::chrono::steady_clock::now() - released, 3s);
}

namespace {

// The resident set now (VmRSS), in bytes, or 0 if unreadable.
std::size_t rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

// Writes `line` to the bridge's stdin over and over, as an editor that does not wait, until
// stopped or `limit` bytes; the writes block (poll) whenever the bridge stops reading.
class flooding_editor {
 public:
  flooding_editor(int fd, std::string line, std::size_t limit)
      : thread_([this, fd, line = std::move(line), limit] {
          std::string chunk;
          while (chunk.size() < 64 * 1024) chunk += line;
          std::size_t offset = 0;
          while (!stop_ && written_ < limit) {
            pollfd pfd{fd, POLLOUT, 0};
            if (::poll(&pfd, 1, 50) <= 0) continue;
            // At most PIPE_BUF after POLLOUT: such a write never blocks, so stop() is never stuck
            // behind a bridge that stopped reading.
            const auto n = ::write(fd, chunk.data() + offset,
                                   std::min({chunk.size() - offset, limit - written_, std::size_t{PIPE_BUF}}));
            if (n <= 0) break;
            written_ += static_cast<std::size_t>(n);
            offset = (offset + static_cast<std::size_t>(n)) % chunk.size();
          }
        }) {}
  ~flooding_editor() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::size_t written() const { return written_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> written_{0};
  std::thread thread_;
};

#ifdef AWORK_MCP_TEST_SANITIZE
constexpr std::size_t intake_growth_limit = 160u << 20;  // ASan's redzones and quarantine
#else
constexpr std::size_t intake_growth_limit = 48u << 20;
#endif

}  // namespace

// An editor that writes notifications faster than a slow server acknowledges them (16 KB each,
// each acknowledged after 4 s): the bridge stops reading stdin at its intake bound instead of
// holding every one (618 and 711 MB in two runs before the bound).
TEST_F(bridge_test, notifications_faster_than_the_server_takes_them_stop_the_intake) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "notifications/progress")) return false;
    std::this_thread::sleep_for(4s);
    reply.empty(202);
    return true;
  };
  start_bridge({"--drain-timeout", "1"});
  handshake();
  const auto before = rss_bytes(bridge->pid());
  const std::string note = R"({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1,"pad":")" +
                           std::string(16 * 1024, 'p') + "\"}}\n";
  flooding_editor editor(bridge->stdin_fd(), note, note.size() * 20000);
  std::this_thread::sleep_for(6s);  // more than one round of acknowledgements
  const auto peak = peak_rss_bytes(bridge->pid());
  const auto written = editor.written();
  editor.stop();
  EXPECT_LT(written, note.size() * 20000) << "premise: the editor could write everything: the bridge never stopped reading";
  ASSERT_GT(peak, 0u);
  EXPECT_LT(peak - before, intake_growth_limit) << "the bridge grew by " << ((peak - before) >> 20) << " MB while the editor wrote "
                                                << (written >> 20) << " MB of notifications";
  bridge->send("");  // ends the half line the editor's last write may have left
  bridge->send(request_line(99, "ping"));  // the bridge still answers once the server catches up
  EXPECT_TRUE(read_response(99, 30s).as_object().contains("result"));
}

// An editor that writes and never reads: every line the bridge writes (its own error answers
// too) waits under the same stdout cap, and the bridge stops reading stdin meanwhile.
TEST_F(bridge_test, an_editor_that_never_reads_cannot_grow_the_bridges_own_answers) {
  start_bridge();
  handshake();
  const auto before = rss_bytes(bridge->pid());
  flooding_editor editor(bridge->stdin_fd(), "[]\n", 8u << 20);  // each line is answered with an error
  std::this_thread::sleep_for(3s);
  const auto peak = peak_rss_bytes(bridge->pid());
  const auto written = editor.written();
  editor.stop();
  EXPECT_LT(written, 8u << 20) << "premise: the editor could write everything: the bridge never stopped reading";
  ASSERT_GT(peak, 0u);
  EXPECT_LT(peak - before, intake_growth_limit) << "the bridge grew by " << ((peak - before) >> 20) << " MB while the editor wrote "
                                                << (written >> 20) << " MB it never read the answers to";
  // Reading again, the editor finds every answer (the bridge reads the rest of stdin as room comes),
  // and the bridge still works. (Nothing is written before then: stdin may be full.)
  std::size_t refusals = 0;
  while (bridge->read_line(2s)) ++refusals;
  EXPECT_GT(refusals, 0u);
  bridge->send("");  // ends the half line the editor's last write may have left
  bridge->send(request_line(99, "ping"));
  EXPECT_TRUE(read_response(99).as_object().contains("result"));
}
