#pragma once
// The bridge: JSON-RPC lines from stdin become POSTs to the MCP server; everything the server
// sends (responses, notifications, its own requests) becomes lines on stdout. This class wires
// the parts together and owns the three jobs no part can do alone: intake (framing, checking and
// admitting each line), forwarding one message through its retries with exactly one answer per
// request, and shutdown.

#include "awork_mcp/app/config.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/core/answer_ledger.hpp"
#include "awork_mcp/core/line_framer.hpp"
#include "awork_mcp/core/tool_filter.hpp"
#include "awork_mcp/platform/platform.hpp"
#include "awork_mcp/platform/stdio.hpp"
#include "awork_mcp/relay/http_sse_channel.hpp"
#include "awork_mcp/relay/known_eras.hpp"
#include "awork_mcp/relay/listener.hpp"
#include "awork_mcp/relay/session.hpp"
#include "awork_mcp/relay/stdout_writer.hpp"
#include "awork_mcp/relay/modern_gateway.hpp"
#include "awork_mcp/relay/upstream.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace awork_mcp {

class bridge : public std::enable_shared_from_this<bridge> {
 public:
  /// on_exit is called once everything is done.
  bridge(net::any_io_executor ex, bridge_config config, std::shared_ptr<credential_source> credential,
         std::unique_ptr<platform::input_stream> input, std::unique_ptr<platform::output_stream> output,
         std::function<void()> on_exit);

  /// Starts reading stdin, writing stdout and watching for stop requests. False if the parent
  /// process is gone already (then nothing was started).
  bool start();

 private:
  // intake
  awaitable<void> read_input();
  void handle_line(framed_line line);
  void admit(outgoing message);
  enum class slot_use { none, holds, waits };
  /// Starts forwarding one message; a single request gets a cancellation of its own.
  void launch(outgoing message, slot_use slot);
  /// The editor cancelled this request: no answer goes out for it, and its stream is closed.
  void abandon(const std::string& key);
  /// Remembers which requests are tools/list, so that their answers are filtered.
  void note_tool_lists(const outgoing& message);
  void answer_error(const json::value& id, int code, std::string_view message, json::object data = {});
  /// Refuses an invalid message (or batch element) with its id as the client wrote it.
  void refuse_invalid(const json::value& id, std::string_view id_text, std::string_view problem);

  // forwarding
  awaitable<void> forward(outgoing message, bool holds_slot);
  awaitable<void> forward_when_slot_frees(outgoing message);
  awaitable<void> emit(const classified_message& message, std::string&& line);
  awaitable<step_result> renew_session(std::uint64_t failed_generation);
  /// One exchange with the server, by Streamable HTTP or, once the server turned out to be a
  /// 2024-11-05 one, through its HTTP+SSE channel.
  awaitable<exchange_result> carry(const outgoing& message, const session_headers& headers, const deliver_fn& deliver,
                                   const answered_fn& answered, retries_used& used, bool can_renew_session);
  /// The editor's initialize answered by way of server/discover (a 2026-07-28 server), or with
  /// the error that stopped it; false when the server is legacy and the handshake is to be made.
  awaitable<bool> initialize_through_gateway(const outgoing& message);
  /// Whether a failed initialize should be tried again over 2024-11-05's HTTP+SSE.
  bool worth_trying_http_sse(const exchange_result& result) const;
  /// Opens the GET stream of a new session (unless there is none to open).
  void start_stream_after_initialized();
  void finished_one(bool held_slot);

  // shutdown
  void on_stop_request(const std::string& why, bool reader_gone);
  void request_shutdown(const std::string& why, bool drain, bool reader_gone = false);
  awaitable<void> shut_down(bool drain, bool reader_gone);

  net::any_io_executor executor_;
  bridge_config config_;
  std::shared_ptr<credential_source> credential_;
  std::unique_ptr<platform::input_stream> input_;
  stdout_writer output_;
  platform::stop_watch stop_watch_;
  std::function<void()> on_exit_;
  line_framer framer_;
  tool_filter tool_filter_;
  std::set<std::string> tool_list_keys_;  // tools/list requests in flight, when filtering
  session session_;
  upstream upstream_;
  listener listener_;
  modern_gateway gateway_;
  known_eras known_eras_;
  http_sse_channel http_sse_;

  answer_ledger ledger_;
  std::string client_initialize_key_;     // id_key of the editor's initialize in flight
  std::string initialize_protocol_version_;  // from its result, adopted when it completes
  std::size_t requests_in_flight_ = 0;    // holding one of --max-in-flight slots
  std::size_t requests_waiting_ = 0;      // waiting for a slot
  std::size_t forwards_ = 0;              // every forward coroutine, for the drain
  std::size_t open_ended_forwards_ = 0;   // of those, listen streams: the drain does not wait for them
  async_event slot_freed_;
  async_event forward_finished_;
  // The intake bound: everything read from stdin and not done with yet. Reading stops while the
  // bytes of the messages being forwarded, the notifications and answers being sent (each holds
  // a connection), or the lines waiting for stdout reach their caps: an editor cannot grow the
  // bridge by writing faster than the server or the editor itself takes the results.
  struct intake_ticket;  // held by each message's forward until it is done
  std::size_t intake_bytes_ = 0;
  std::size_t notes_in_flight_ = 0;
  std::size_t max_intake_bytes_;
  async_event intake_room_;
  bool intake_full() const;
  std::uint64_t renewals_ = 0;
  /// Requests in flight that the editor may cancel, by id key.
  std::map<std::string, std::shared_ptr<net::cancellation_signal>> abandon_signals_;
  bool editor_sent_initialize_ = false;   // a legacy editor: no message of it is read for a modern _meta

  bool shutting_down_ = false;
};

}  // namespace awork_mcp
