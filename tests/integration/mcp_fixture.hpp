#pragma once
// A fake MCP server (on test_server) and a fixture that runs the real bridge against it.

#include "bridge_process.hpp"
#include "test_server.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace json = boost::json;
using test_support::bridge_process;
using test_support::recorded_request;
using test_support::server_reply;
using test_support::test_server;

/// Answers like a small MCP server: initialize assigns session "s<N>"; ping and tools/call (echo)
/// answer as JSON or, with `sse`, as an event stream; notifications and responses get 202.
/// A test installs `on_post` / `on_get` to script anything else.
struct fake_mcp {
  std::atomic<bool> sse{false};
  std::atomic<int> initialize_count{0};
  std::atomic<bool> forget_sessions{false};  // answer 404 to the current session once, then issue a new one
  std::function<bool(const test_support::request&, server_reply&, const json::object&)> on_post;
  std::function<void(const test_support::request&, server_reply&)> on_get;
  /// Sees every request first, before its body is parsed; returns true when it answered.
  std::function<bool(const test_support::request&, server_reply&)> on_request;

  void handle(const test_support::request& req, server_reply& reply);
  std::string current_session() const;
  static void answer(server_reply& reply, const json::value& id, json::value result, bool as_sse);

 private:
  mutable std::mutex mutex_;
  std::string session_;
  std::string forgotten_;
};

std::string initialize_line(int id = 1, const char* protocol = "2025-06-18");
/// The error message of a JSON-RPC error response ("" if it has none).
std::string message_of(const json::value& response);
/// Whether a message is a request or notification with this method.
bool has_method(const json::object& msg, std::string_view method);

/// A one-shot latch for scripted handlers: a handler waits on it, the test opens it. It opens
/// itself when destroyed, so that a failed test does not leave a server thread waiting.
class gate {
 public:
  ~gate();
  void open();
  /// True if the gate opened within the timeout.
  bool wait_for(std::chrono::milliseconds timeout);
  bool is_open();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiters_ = 0;
};
std::string request_line(const json::value& id, std::string_view method, json::object params = {});

class bridge_test : public ::testing::Test {
 protected:
  void SetUp() override;
  /// Stops the bridge and joins the server's threads while everything their handlers use is
  /// alive: a subclass's members die before this class's, so a subclass that overrides TearDown
  /// calls this one last.
  void TearDown() override;
  void stop_peers();
  /// For a test whose handlers capture the test's own locals: declared after them, it stops the
  /// bridge and the server before those locals die, however the test ends (an ASSERT included).
  class peers_stopped_at_scope_end {
   public:
    explicit peers_stopped_at_scope_end(bridge_test& test) : test_(test) {}
    peers_stopped_at_scope_end(const peers_stopped_at_scope_end&) = delete;
    peers_stopped_at_scope_end& operator=(const peers_stopped_at_scope_end&) = delete;
    ~peers_stopped_at_scope_end() { test_.stop_peers(); }

   private:
    bridge_test& test_;
  };
  void start_bridge(std::vector<std::string> args = {}, std::map<std::string, std::string> env = {});
  /// Sends initialize and notifications/initialized; returns the initialize response.
  json::value handshake(const char* protocol = "2025-06-18");
  /// Reads lines until the response with this id; fails the test if none arrives. Responses to
  /// other ids met on the way are kept for a later call (the bridge answers in completion order),
  /// unless `before` is given: then every other line read goes there.
  json::value read_response(const json::value& id, std::chrono::milliseconds timeout = std::chrono::seconds(10),
                            std::vector<json::value>* before = nullptr);
  json::value read_json(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<recorded_request> posts_with_method(std::string_view method) const;

  fake_mcp mcp;
  std::unique_ptr<test_server> server;
  std::unique_ptr<bridge_process> bridge;

 private:
  std::vector<json::value> unclaimed_responses_;
};
