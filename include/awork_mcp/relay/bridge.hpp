#pragma once
// The bridge: JSON-RPC lines from stdin become POSTs to the MCP server; everything the server
// sends (responses, notifications, its own requests) becomes lines on stdout.

#include "awork_mcp/relay/async_event.hpp"
#include "awork_mcp/app/config.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/net/http_client.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/core/line_framer.hpp"
#include "awork_mcp/net/net.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/core/sse_parser.hpp"
#include "awork_mcp/relay/stdout_writer.hpp"
#include "awork_mcp/core/upstream_error.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace awork_mcp {

class bridge : public std::enable_shared_from_this<bridge> {
 public:
  /// Takes ownership of input_fd and output_fd. on_exit is called once everything is done.
  bridge(net::any_io_executor ex, bridge_config config, std::unique_ptr<credential_source> credential,
         int input_fd, int output_fd, std::function<void()> on_exit);

  /// Starts reading stdin, writing stdout and watching SIGINT/SIGTERM.
  void start();

 private:
  /// A message on its way to the server.
  struct outgoing {
    std::string body;
    message_kind kind = message_kind::invalid;
    std::string method;
    std::vector<json::value> request_ids;
  };
  /// Receives each JSON-RPC message the server sends in reply to one exchange.
  using deliver_fn = std::function<void(const classified_message&, std::string&& raw)>;
  enum class stream_end { answered, closed };

  // stdin
  awaitable<void> read_input();
  awaitable<void> handle_line(framed_line line);
  void answer_error(const json::value& id, int code, std::string_view message, json::object data = {});

  // requests
  awaitable<void> forward(outgoing message);
  /// One POST; `keys` are the id_keys of the requests it carries (the answers to wait for).
  awaitable<void> post_once(const outgoing& message, const std::vector<std::string>& keys, const deliver_fn& deliver,
                            bool is_initialize);
  awaitable<void> read_json_reply(http_response& response, const deliver_fn& deliver);
  awaitable<stream_end> pump_events(http_response& response, sse_parser& parser,
                                    const std::vector<std::string>& awaited, const deliver_fn& deliver);
  awaitable<void> resume_stream(const sse_parser& broken, const std::vector<std::string>& awaited,
                                const deliver_fn& deliver, upstream_failure why);
  /// Classifies one message from the server and hands it on; false if it is not JSON.
  bool deliver_data(std::string&& data, const deliver_fn& deliver);
  void emit_to_client(const classified_message& message, std::string&& raw);
  bool all_answered(const std::vector<std::string>& keys) const;

  // session
  awaitable<void> reinitialize(std::uint64_t failed_generation);
  void start_listening();
  void stop_listening();
  /// Waits (at most `limit`) until the GET stream got its first answer, whatever it was.
  awaitable<void> wait_for_stream_answer(std::chrono::milliseconds limit);
  void mark_stream_answered();
  awaitable<void> listen(std::uint64_t generation);
  awaitable<void> end_session();

  // shutdown
  void request_shutdown(const char* why, bool drain);
  awaitable<void> shut_down(bool drain);
  awaitable<void> sleep_for(std::chrono::milliseconds delay);
  void watch_signals();

  net::any_io_executor executor_;
  bridge_config config_;
  std::unique_ptr<credential_source> credential_;
  std::unique_ptr<ssl::context> tls_;
  http_client client_;
  request_builder builder_;
  net::posix::stream_descriptor input_;
  stdout_writer output_;
  net::signal_set signals_;
  std::function<void()> on_exit_;
  line_framer framer_;

  // Requests from the client still waiting for their one answer, by id_key.
  std::unordered_map<std::string, json::value> pending_;
  std::size_t in_flight_ = 0;
  async_event slot_freed_;

  session_headers session_;
  std::uint64_t generation_ = 0;  // bumped whenever the session changes
  std::optional<std::string> cached_initialize_;
  std::optional<std::string> cached_initialized_;
  std::string client_initialize_key_;  // id_key of the client's initialize in flight
  bool reinitializing_ = false;
  async_event reinitialized_;
  std::uint64_t internal_ids_ = 0;
  net::cancellation_signal listen_cancel_;
  bool listening_ = false;
  std::uint64_t listener_generation_ = 0;
  bool stream_answered_ = false;
  async_event stream_answered_event_;

  bool shutting_down_ = false;
  bool answers_closed_ = false;  // after shutdown answered what was left, late replies are dropped
};

}  // namespace awork_mcp
