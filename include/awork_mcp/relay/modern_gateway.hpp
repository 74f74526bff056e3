#pragma once
// A legacy editor in front of an MCP 2026-07-28 server. The editor speaks the initialize
// handshake, pings and sessions; the server is stateless. This part probes the server's era with
// server/discover when the editor initializes, answers initialize from the discover result, and
// from then on carries every message the modern way: `_meta` and the Mcp-* headers on each
// request, ping and logging/setLevel answered here, tools with invalid x-mcp-header annotations
// kept from the editor, and input_required results turned into ordinary requests to the editor
// whose answers are sent back with the retried request (multi round-trip requests). The rules
// are the pure functions of era/; this coroutine code only moves messages and applies them.

#include "awork_mcp/app/config.hpp"
#include "awork_mcp/core/answer_ledger.hpp"
#include "awork_mcp/era/legacy_wire.hpp"
#include "awork_mcp/era/modern_wire.hpp"
#include "awork_mcp/era/tool_headers.hpp"
#include "awork_mcp/relay/async_event.hpp"
#include "awork_mcp/relay/listener.hpp"
#include "awork_mcp/relay/upstream.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace awork_mcp {

class modern_gateway {
 public:
  /// `emit` delivers a message to the editor (and settles the ledger for a response).
  modern_gateway(net::any_io_executor ex, const bridge_config& config, upstream& server, deliver_fn emit);

  bool is_modern() const { return modern_; }

  /// For the editor's initialize: probes the server. True when the server is modern and the
  /// initialize was answered here (or refused under --protocol modern); false: forward it (legacy).
  awaitable<bool> initialize(const outgoing& initialize);

  /// At shutdown: the streams this gateway keeps open (a listen, a legacy session's GET) end.
  void stop();

  /// Carries one editor message to the modern server (or answers it here).
  awaitable<void> forward(const outgoing& message);

  /// Whether the editor itself speaks 2026-07-28: a request that names that era in its `_meta`,
  /// or server/discover.
  static bool from_modern_editor(const outgoing& message);
  /// A modern editor's request, carried as it is with only the headers the revision requires
  /// (MCP-Protocol-Version from its `_meta`, Mcp-Method, Mcp-Name, Mcp-Param-*).
  awaitable<void> pass_through(const outgoing& message);

 private:
  struct exchange_outcome {
    std::optional<std::string> response;  ///< the response line for the awaited id
    std::optional<upstream_failure> failure;
    std::string session_id;  ///< the reply's Mcp-Session-Id (a legacy server's handshake)
    /// The server no longer knows the session it was sent in (send_in with `session_may_be_gone`):
    /// nothing ran, and `failure` says so.
    bool session_gone = false;
    /// Held while a large response waits here to be written to the editor: the next large one
    /// is not read meanwhile, so a stalled editor slows the server instead of filling memory.
    async_mutex::lock large_hold;
  };
  /// One request to the server under the id of `message`, stateless (2026-07-28); notifications on
  /// its stream go to the editor, the response is returned.
  awaitable<exchange_outcome> send(const outgoing& message);
  /// The same in `session`. Requests the server sends on the stream are dropped, or, with
  /// `refuse_requests`, answered at once with the error that they cannot reach a
  /// 2026-07-28 editor (the server holds its response until they are answered).
  awaitable<exchange_outcome> send_in(const outgoing& message, const session_headers& session,
                                      bool refuse_requests, bool session_may_be_gone = false);
  awaitable<void> answer_here(const json::value& id, std::string_view result_json);
  awaitable<void> fail(const outgoing& message, const upstream_failure& failure);
  awaitable<void> refresh_tools();
  /// The editor's answer to one input request of a multi round-trip request (its result, or
  /// nullopt for an error or no answer in time).
  awaitable<std::optional<std::string>> ask_editor(const std::string& request_line, const std::string& key);
  std::string next_internal_id(std::string_view kind);
  /// Keeps one subscriptions/listen stream open while this era lasts and hands its list_changed
  /// notifications to the editor; a broken stream is re-issued under a new id, with a pause.
  awaitable<void> listen(std::uint64_t generation);
  /// (Re)starts the listen stream for the current initialize and subscriptions.
  void start_listening();
  /// A modern editor in front of a legacy server: the handshake made on its behalf (from its
  /// first request's `_meta`); false if the server did not take it.
  awaitable<bool> handshake_for_modern_editor(const outgoing& first);
  /// That handshake, once for all the requests that need it: at first (`seen` 0), or after a 404
  /// for the session (`seen` is the legacy_generation_ they were sent in). Whether there is a
  /// session to send them in (again).
  awaitable<bool> make_legacy_session(const outgoing& message, std::uint64_t seen);
  /// A modern editor's handshake with a legacy server is done.
  bool has_legacy_session() const { return legacy_generation_ > 0; }
  /// After a new handshake: the open listens' resources subscribed again, and their GET stream
  /// opened in the new session.
  awaitable<void> resume_legacy_listens();
  /// One of that editor's requests carried in the server's session; server/discover answered
  /// from the handshake's result.
  awaitable<void> forward_to_legacy(const outgoing& message);
  outgoing modern_request(std::string body, std::string method, json::value id) const;
  /// That editor's subscriptions/listen: resources subscribed in the server's session, the
  /// acknowledgement, then the session's GET stream carried to it, until the editor cancels.
  awaitable<void> listen_for_modern_editor(const outgoing& message);
  /// One message of the session's GET stream: notifications to the listens that asked for them,
  /// requests refused (that editor cannot take them).
  awaitable<void> carry_to_listens(const classified_message& message, std::string line);
  /// resources/subscribe or resources/unsubscribe of `uri` in the server's session; true if taken.
  awaitable<bool> resource_request(const std::string& method, const std::string& uri);
  /// Unsubscribes the URIs no open listen wants (any more).
  awaitable<void> unsubscribe(std::vector<std::string> uris);
  bool resource_wanted(const std::string& uri) const;
  void end_legacy_listen(const std::string& key, const std::shared_ptr<legacy_listen>& listen);

  net::any_io_executor executor_;
  const bridge_config& config_;
  upstream& server_;
  deliver_fn emit_;
  bool modern_ = false;
  client_context client_;
  std::map<std::string, std::vector<param_header>> tool_headers_;
  std::set<std::string> invalid_tools_;
  bool tools_known_ = false;
  std::string discover_line_;       ///< the server's discover result, for the listen request
  std::uint64_t generation_ = 0;    ///< one per initialize: an old listen stream stops
  std::set<std::string> resource_subscriptions_;  ///< URIs the editor subscribed to
  /// The listen stream running now: its cancellation, and whether it ended.
  struct listen_run {
    net::cancellation_signal cancel;
    bool finished = false;
  };
  std::shared_ptr<listen_run> listen_run_;
  session_headers legacy_session_;
  std::uint64_t legacy_generation_ = 0;  ///< counts the handshakes made for the modern editor
  async_mutex legacy_renewal_;           ///< one such handshake at a time
  std::string legacy_initialize_line_;
  /// That editor's open subscriptions/listen requests, by id key.
  std::map<std::string, std::shared_ptr<legacy_listen>> legacy_listens_;
  async_mutex resource_order_;  ///< resources/subscribe and unsubscribe go one at a time, in order
  /// The GET stream of legacy_session_, open while a listen is.
  listener legacy_stream_;
  async_event listen_closed_;  ///< never notified: an open listen waits on it until cancelled
  std::uint64_t serial_ = 0;
  /// Editor answers to input requests, by id key, and the event that wakes their waiters.
  struct editor_answer {
    bool answered = false;
    std::optional<std::string> result;  ///< its result; none for an error
  };
  std::map<std::string, editor_answer> editor_answers_;
  async_event editor_answered_;
  /// One large response at a time between its capture and its delivery (see large_hold).
  async_mutex large_answer_;
};

}  // namespace awork_mcp
