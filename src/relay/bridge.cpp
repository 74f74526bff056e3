#include "awork_mcp/relay/bridge.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/era/http_sse_rules.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace awork_mcp {

namespace {

// Messages from the server wait for room once this much waits to be written to stdout.
constexpr std::size_t max_stdout_queue_bytes = 4 * 1024 * 1024;
// Requests beyond --max-in-flight wait for a slot; beyond this many waiting, they are refused.
constexpr std::size_t max_waiting_requests = 1024;
// The intake bound (bridge.hpp): notifications and answers to the server being sent at once (each
// holds a connection); and the bytes of everything being forwarded, at least twice the longest
// line so that one long line always fits.
constexpr std::size_t max_notes_in_flight = 256;
constexpr std::size_t min_intake_bytes = 32 * 1024 * 1024;
// A GET stream silent for this long may be half-open: it is reopened (with Last-Event-ID).

void log_exception(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const boost::system::system_error& ex) {
    if (ex.code() == net::error::operation_aborted)
      spdlog::debug("{} abandoned", what);  // the editor cancelled it
    else
      spdlog::error("{} failed: {}", what, ex.what());
  } catch (const std::exception& ex) {
    spdlog::error("{} failed: {}", what, ex.what());
  }
}

/// What an editor's notifications/cancelled names: the id key of the request, or empty.
std::string cancelled_request_key(std::string_view notification) {
  boost::system::error_code ec;
  const auto parsed = parse_json(notification, ec);
  const auto* params = !ec && parsed.is_object() ? parsed.get_object().if_contains("params") : nullptr;
  const auto* id = params && params->is_object() ? params->get_object().if_contains("requestId") : nullptr;
  if (!id || !(id->is_string() || id->is_int64() || id->is_uint64())) return {};
  return id_key(*id);
}

}  // namespace

bridge::bridge(net::any_io_executor ex, bridge_config config, std::shared_ptr<credential_source> credential,
               std::unique_ptr<platform::input_stream> input, std::unique_ptr<platform::output_stream> output,
               std::function<void()> on_exit)
    : executor_(ex),
      config_(std::move(config)),
      credential_(std::move(credential)),
      input_(std::move(input)),
      output_(ex, std::move(output), max_stdout_queue_bytes),
      stop_watch_(ex, [this](const std::string& why, bool reader_gone) { on_stop_request(why, reader_gone); }),
      on_exit_(std::move(on_exit)),
      framer_(config_.max_line_bytes),
      tool_filter_(config_.tools),
      session_(ex),
      upstream_(ex, config_, *credential_),
      listener_(ex, upstream_, [this] { return session_.current(); },
                [this](const classified_message& m, std::string&& line) { return emit(m, std::move(line)); },
                stream_idle_limit, config_.max_message_bytes),
      gateway_(ex, config_, upstream_,
               [this](const classified_message& m, std::string&& line) { return emit(m, std::move(line)); }),
      known_eras_(platform::config_dir().empty() ? std::filesystem::path() : platform::config_dir() / "eras.json"),
      http_sse_(ex, upstream_,
                [this](const classified_message& m, std::string&& line) { return emit(m, std::move(line)); }, config_,
                stream_idle_limit),
      slot_freed_(ex),
      forward_finished_(ex),
      max_intake_bytes_(std::max(min_intake_bytes, 2 * config_.max_line_bytes)),
      intake_room_(ex) {
  session_.hold_limit = config_.connect_timeout;
}

bool bridge::start() {
  if (!stop_watch_.start()) {
    spdlog::info("the parent process is gone already; exiting");
    return false;
  }
  auto self = shared_from_this();
  net::co_spawn(executor_, output_.run([self] { self->request_shutdown("stdout closed", false, true); }),
                [](std::exception_ptr e) { log_exception("stdout writer", e); });
  net::co_spawn(executor_, read_input(), [](std::exception_ptr e) { log_exception("stdin reader", e); });
  spdlog::info("relaying stdio to {}{}", config_.server.display(),
               config_.proxy ? " through the proxy " + config_.proxy->display() : std::string());
  return true;
}

void bridge::on_stop_request(const std::string& why, bool reader_gone) {
  if (shutting_down_) {
    spdlog::warn("asked to stop again ({}): exiting now", why);
    on_exit_();
    return;
  }
  request_shutdown(why, !reader_gone, reader_gone);
}

// ---- intake --------------------------------------------------------------------------------

struct bridge::intake_ticket {
  std::shared_ptr<bridge> owner;
  std::size_t bytes;
  bool note;  // a notification or an answer: counted against max_notes_in_flight
  intake_ticket(std::shared_ptr<bridge> b, std::size_t n, bool is_note) : owner(std::move(b)), bytes(n), note(is_note) {
    owner->intake_bytes_ += bytes;
    if (note) ++owner->notes_in_flight_;
  }
  intake_ticket(const intake_ticket&) = delete;
  intake_ticket& operator=(const intake_ticket&) = delete;
  ~intake_ticket() {
    owner->intake_bytes_ -= bytes;
    if (note) --owner->notes_in_flight_;
    owner->intake_room_.notify_all();
  }
};

bool bridge::intake_full() const {
  return output_.full() || intake_bytes_ >= max_intake_bytes_ || notes_in_flight_ >= max_notes_in_flight;
}

awaitable<void> bridge::read_input() {
  auto self = shared_from_this();
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    if (intake_full()) {
      spdlog::debug("stdin: reading paused at the intake bound ({} bytes, {} notifications in flight, stdout {})",
                    intake_bytes_, notes_in_flight_, output_.full() ? "full" : "has room");
      while (intake_full() && !shutting_down_) {
        if (output_.full())
          co_await output_.wait_for_room();
        else
          co_await intake_room_.wait();
      }
      if (shutting_down_) co_return;
    }
    auto [ec, n] = co_await input_->read_some(net::buffer(buffer));
    if (ec == net::error::operation_aborted) co_return;  // shutting down: half a line is not a message
    if (ec) {
      if (ec != net::error::eof) spdlog::warn("reading stdin failed: {}", ec.message());
      break;
    }
    for (auto& line : framer_.feed({buffer.data(), n})) handle_line(std::move(line));
    if (shutting_down_) co_return;
  }
  for (auto& line : framer_.finish()) handle_line(std::move(line));
  request_shutdown("end of input", true);
}

void bridge::answer_error(const json::value& id, int code, std::string_view message, json::object data) {
  if (!tool_list_keys_.empty()) tool_list_keys_.erase(id_key(id));
  spdlog::debug("answering {} with error {}: {}", json::serialize(id), code, message);
  output_.write_line(make_error_response(id, code, message, std::move(data)));
}

void bridge::refuse_invalid(const json::value& id, std::string_view id_text, std::string_view problem) {
  spdlog::debug("answering {} with error {}: {}", id_text.empty() ? json::serialize(id) : std::string(id_text),
                rpc_code::invalid_request, problem);
  output_.write_line(make_error_response(id, id_text, rpc_code::invalid_request, "invalid request: " + std::string(problem)));
}

void bridge::handle_line(framed_line line) {
  if (line.what == framed_line::kind::too_long) {
    spdlog::warn("dropped an input line of {} bytes (limit {})", line.bytes, config_.max_line_bytes);
    answer_error(line.id, rpc_code::invalid_request,
                 "message too large: " + std::to_string(line.bytes) + " bytes exceeds the --max-line-bytes limit of " +
                     std::to_string(config_.max_line_bytes));
    return;
  }
  if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("stdin: {}", preview(line.text));
  auto message = classify(line.text);
  if (message.parse_error) {
    answer_error(nullptr, rpc_code::parse_error, "parse error: the line is not valid JSON (" + message.problem + ")");
    return;
  }
  if (message.kind == message_kind::invalid) {
    refuse_invalid(message.id, message.id_text, message.problem);
    return;
  }
  if (!message.refused.empty()) {
    // A batch's invalid elements are answered one by one; the valid ones go on as a batch of
    // their own, each element's bytes as the client wrote them.
    for (const auto& refusal : message.refused) refuse_invalid(refusal.id, refusal.id_text, refusal.problem);
    const auto elements = array_elements(line.text);
    std::string rest = "[";
    for (std::size_t index = 0, next_refused = 0; index < elements.size(); ++index) {
      if (next_refused < message.refused.size() && message.refused[next_refused].index == index) {
        ++next_refused;
        continue;
      }
      if (rest.size() > 1) rest += ',';
      rest += elements[index];
    }
    if (rest.size() == 1) return;  // nothing valid left
    line.text = rest + "]";
    message = classify(line.text);
  }
  if (shutting_down_) {
    // Read in the same chunk as the end: it would be forwarded with nobody left to wait for it.
    auto error = to_rpc_error({failure_kind::shutdown, "shutting down"}, upstream_.target());
    for (const auto& id : message.request_ids) answer_error(id, error.code, error.message, error.data);
    return;
  }

  // An id still owed an answer cannot be used again: its answer could not be told apart. A batch
  // with such an id is refused whole, since its other requests would go out with it.
  for (const auto& id : message.request_ids) {
    if (ledger_.owed(id_key(id))) {
      for (const auto& refused : message.request_ids)
        answer_error(refused, rpc_code::invalid_request,
                     "invalid request: id " + json::serialize(id) +
                         " is already in use by a request that has not been answered yet; use a new id");
      return;
    }
  }
  if (tool_filter_.active()) {
    if (const auto refusal = tool_filter_.refusal_for(line.text, message); !refusal.empty()) {
      spdlog::info("refused a tool call: {}", refusal);
      for (const auto& id : message.request_ids)
        answer_error(id, rpc_code::invalid_params, refusal + "; it was not sent to the server");
      return;
    }
  }
  outgoing out{std::move(line.text), message.kind, std::move(message.method), {}, {}};
  for (auto& id : message.request_ids) {
    if (ledger_.admit(id) != answer_ledger::admission::admitted) continue;  // the same id twice in one batch
    out.keys.push_back(id_key(id));
    out.request_ids.push_back(std::move(id));
  }
  if (tool_filter_.active()) note_tool_lists(out);

  if (out.is_initialize()) {
    // A (re)initialize starts a new session: it must not carry the old one's id, and nothing
    // else goes out until it has its answer.
    listener_.stop();
    editor_sent_initialize_ = true;
    session_.begin(out.body);
    client_initialize_key_ = out.keys.front();
    initialize_protocol_version_.clear();
  } else if (out.kind == message_kind::notification && out.method == "notifications/cancelled") {
    if (const auto key = cancelled_request_key(out.body); !key.empty()) abandon(key);
  } else if (out.kind == message_kind::notification && out.method == "notifications/initialized") {
    session_.remember_initialized(out.body);
    // Requests read after this one wait until the GET stream is on its way to the server, so
    // that the server meets the session's streams in the order the client meant them.
    if (config_.get_stream) session_.hold();
  }
  admit(std::move(out));
}

void bridge::note_tool_lists(const outgoing& message) {
  if (message.kind == message_kind::request) {
    if (message.method == "tools/list" && !message.keys.empty()) tool_list_keys_.insert(message.keys.front());
    return;
  }
  if (message.kind != message_kind::batch) return;
  for (const auto element : array_elements(message.body)) {
    const auto part = classify(element);
    if (part.kind == message_kind::request && part.method == "tools/list") tool_list_keys_.insert(id_key(part.id));
  }
}

void bridge::abandon(const std::string& key) {
  // The editor gave up on it: it gets no answer (a late one is dropped), and its POST stream is
  // closed, which a 2026-07-28 server takes as the cancellation itself.
  if (!ledger_.owed(key)) return;
  ledger_.settle(key);
  if (auto running = abandon_signals_.find(key); running != abandon_signals_.end()) {
    spdlog::info("the editor cancelled request {}: its stream to the server is closed", key);
    running->second->emit(net::cancellation_type::terminal);
  }
  slot_freed_.notify_all();  // one waiting for a slot wakes, finds its request settled and goes
}

void bridge::launch(outgoing message, slot_use slot) {
  auto self = shared_from_this();
  ++forwards_;
  const bool note = message.kind != message_kind::request && message.kind != message_kind::batch;
  auto ticket = std::make_shared<intake_ticket>(self, message.body.size(), note);
  // A single request can be abandoned by the editor; initialize cannot (MCP forbids it).
  std::string key;
  if (message.kind == message_kind::request && !message.is_initialize() && message.keys.size() == 1)
    key = message.keys.front();
  auto work = slot == slot_use::waits ? forward_when_slot_frees(std::move(message))
                                      : forward(std::move(message), slot == slot_use::holds);
  if (key.empty()) {
    net::co_spawn(executor_, std::move(work), [self, ticket](std::exception_ptr e) { log_exception("forward", e); });
    return;
  }
  auto signal = std::make_shared<net::cancellation_signal>();
  abandon_signals_[key] = signal;
  net::co_spawn(executor_, std::move(work),
                net::bind_cancellation_slot(signal->slot(), [self, key, signal, ticket](std::exception_ptr e) {
                  // The editor may have used the id again meanwhile: only our own entry goes.
                  if (auto mine = self->abandon_signals_.find(key); mine != self->abandon_signals_.end() && mine->second == signal)
                    self->abandon_signals_.erase(mine);
                  log_exception("forward", e);
                }));
}

void bridge::admit(outgoing message) {
  // Only the editor's own requests take a slot. Its answers to the server's requests and its
  // notifications (cancellations among them) are what slot holders may be waiting for, and the
  // initialize is what every other request waits for.
  const bool needs_slot = !message.keys.empty() && !message.is_initialize();
  if (!needs_slot) return launch(std::move(message), slot_use::none);
  if (requests_in_flight_ < config_.max_in_flight) {
    ++requests_in_flight_;
    return launch(std::move(message), slot_use::holds);
  }
  if (requests_waiting_ >= max_waiting_requests) {
    for (std::size_t i = 0; i < message.keys.size(); ++i) {
      ledger_.settle(message.keys[i]);
      answer_error(message.request_ids[i], rpc_code::connection_failed,
                   "too many requests at once: " + std::to_string(config_.max_in_flight) + " are in flight and " +
                       std::to_string(max_waiting_requests) + " waiting; retry later or raise --max-in-flight");
    }
    return;
  }
  ++requests_waiting_;
  launch(std::move(message), slot_use::waits);
}

awaitable<void> bridge::forward_when_slot_frees(outgoing message) {
  auto self = shared_from_this();
  // Leaves the queue however the wait ends (a cancelled request's wait ends by exception).
  struct in_queue {
    bridge& self;
    bool waiting = true;
    ~in_queue() {
      if (!waiting) return;
      --self.requests_waiting_;
      self.finished_one(false);
    }
  } queue{*this};
  const auto abandoned = [&] { return ledger_.all_settled(message.keys); };
  while (requests_in_flight_ >= config_.max_in_flight && !ledger_.closed() && !abandoned()) co_await slot_freed_.wait();
  if (abandoned() && !ledger_.closed()) co_return;  // cancelled while it waited: nothing was sent
  queue.waiting = false;
  --requests_waiting_;
  ++requests_in_flight_;
  co_await forward(std::move(message), true);
}

// ---- forwarding ----------------------------------------------------------------------------

awaitable<void> bridge::emit(const classified_message& message, std::string&& line) {
  if (message.kind == message_kind::response) {
    auto key = id_key(message.id);
    if (!ledger_.settle(key)) {
      spdlog::debug("dropping a response for id {} that is not awaited (already answered)", key);
      co_return;
    }
    if (key == client_initialize_key_) {
      client_initialize_key_.clear();
      initialize_protocol_version_ = nested_string(line, "result", "protocolVersion");
    }
    // The tools the editor may not call are not shown to it (after every list_changed too).
    if (!tool_list_keys_.empty() && tool_list_keys_.erase(key) > 0) line = tool_filter_.filter_list(line, message.id);
  } else if (ledger_.closed()) {
    co_return;  // after shutdown answered what was left, late messages are dropped
  }
  if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("stdout: {}", preview(line));
  co_await output_.write_line_when_room(std::move(line));
}

void bridge::finished_one(bool held_slot) {
  if (held_slot) {
    --requests_in_flight_;
    slot_freed_.notify_all();
  }
  --forwards_;
  forward_finished_.notify_all();
}

awaitable<void> bridge::forward(outgoing message, bool holds_slot) {
  auto self = shared_from_this();
  // Counted out however it ends: an abandoned request ends by exception, mid-way.
  struct finish {
    bridge& self;
    bool holds_slot;
    ~finish() { self.finished_one(holds_slot); }
  } finish_guard{*this, holds_slot};
  const deliver_fn deliver = [this](const classified_message& m, std::string&& line) { return emit(m, std::move(line)); };
  const answered_fn answered = [this, &message] { return ledger_.all_settled(message.keys); };
  const bool is_initialize = message.is_initialize();
  // The GET stream opens as soon as `initialized` is written, beside its POST. The requests the
  // editor sends next wait for that POST's answer (servers such as the Python SDK's refuse a
  // request that overtakes `initialized`) and for the GET to be sent, not for its answer.
  const bool is_initialized =
      message.kind == message_kind::notification && message.method == "notifications/initialized";
  bool stream_started = false;
  if (is_initialized)
    message.on_written = [this, &stream_started] {
      if (stream_started) return;
      stream_started = true;
      start_stream_after_initialized();
    };
  // A 2026-07-28 subscriptions/listen stream ends only when the server ends it: the drain at exit
  // does not wait for it (shutdown answers it).
  struct open_ended_mark {
    std::size_t* count;
    ~open_ended_mark() {
      if (count) --*count;
    }
  } open_ended{message.method == "subscriptions/listen" ? &open_ended_forwards_ : nullptr};
  if (open_ended.count) ++open_ended_forwards_;
  // Answers and notifications pass a hold (they may be what the server waits for); requests wait.
  const bool through_hold = message.kind != message_kind::request && message.kind != message_kind::batch;

  // MCP 2026-07-28: the editor's initialize is answered from server/discover when the server is
  // modern, and everything after it is carried the stateless way (a modern editor's requests too).
  // Either way, the end below answers whatever is still owed.
  bool carried = false;
  bool probed = false;  // whether server/discover was asked for this initialize
  if (is_initialize) {
    // The era this server spoke last time saves a legacy server the server/discover question
    // (a round trip before the editor's first answer) and an old one the refused POST.
    const auto guess = config_.protocol == "auto" ? known_eras_.recall(config_.server) : remembered_era::unknown;
    if (guess == remembered_era::http_sse && !http_sse_.in_use()) {
      const auto problem = co_await http_sse_.open();
      if (problem) spdlog::debug("the server's HTTP+SSE stream: {}", problem->detail);
    }
    if (guess == remembered_era::legacy || http_sse_.in_use()) {
      spdlog::debug("the server spoke {} last time: initialize without asking server/discover", era_name(guess));
    } else {
      probed = true;
      carried = co_await initialize_through_gateway(message);
    }
  } else {
    (void)co_await session_.ready(through_hold);
    // An editor that sent initialize is a legacy one: its messages need no look for a modern `_meta`.
    if (!gateway_.is_modern() && !editor_sent_initialize_ && modern_gateway::from_modern_editor(message)) {
      co_await gateway_.pass_through(message);
      carried = true;
    } else if (gateway_.is_modern()) {
      co_await gateway_.forward(message);
      carried = true;
    }
  }

  step_result failure;
  retries_used used;
  while (!carried) {
    // (Not a conditional expression: GCC 12 miscompiles co_await inside ?: .)
    session::snapshot snapshot = session_.current();
    if (!is_initialize) snapshot = co_await session_.ready(through_hold);
    if (!message.keys.empty() && answered()) break;  // shutdown answered it while it waited
    const bool can_renew = session_.initialize_text().has_value() && !is_initialize;
    if (can_renew && session_.lost()) {
      // The last renewal failed: this message renews again (after the back-off) rather than go
      // out without a session, which the server would refuse for good.
      if (auto wait = session_.renewal_wait(); !wait.empty()) {
        failure = upstream_failure{failure_kind::refused, std::move(wait)};
        break;
      }
      ++used.renewals;
      spdlog::info("the session was lost; initializing a new one before sending {}", message.method.empty() ? "a response" : message.method);
      if (auto renewal = co_await renew_session(snapshot.generation)) {
        failure = std::move(renewal);
        break;
      }
      continue;
    }
    // An initialize sent on a remembered era must not hand the editor a 2026-07-28 answer it
    // cannot read: such an answer means the server moved on, and is asked again below.
    bool answered_as_modern = false;
    const deliver_fn deliver_unless_modern = [&](const classified_message& m, std::string&& line) -> awaitable<void> {
      if (m.kind == message_kind::response && nested_string(line, "result", "protocolVersion") == modern_protocol_version) {
        answered_as_modern = true;
        co_return;
      }
      co_await emit(m, std::move(line));
    };
    const deliver_fn& delivery = is_initialize && !probed ? deliver_unless_modern : deliver;
    auto result = co_await carry(message, snapshot.headers, delivery, answered, used, can_renew);
    const bool refused_as_legacy = result.how == exchange_result::ending::failed &&
                                   result.failure.kind == failure_kind::http_status &&
                                   suggests_http_sse(result.failure.http_status);
    if (is_initialize && !probed && (refused_as_legacy || answered_as_modern)) {
      // The remembered era was wrong (the server moved on to 2026-07-28?): ask it now.
      probed = true;
      spdlog::info("the server refused the initialize it took last time; asking it with server/discover");
      const bool answered_by_gateway = co_await initialize_through_gateway(message);
      if (answered_by_gateway) break;
    }
    if (is_initialize && worth_trying_http_sse(result)) {
      auto problem = co_await http_sse_.open();
      if (!problem) continue;  // initialize again, through it
      result.failure.detail += "; nor does it offer MCP 2024-11-05's HTTP+SSE transport (" + problem->detail + ")";
    }
    if (is_initialize) {
      if (result.how == exchange_result::ending::done)
        session_.established(result.session_id, initialize_protocol_version_);
      else
        session_.abandon_setup();
    }
    if (result.how == exchange_result::ending::renew_session) {
      ++used.renewals;
      spdlog::info("the server forgot the session; initializing a new one and retrying");
      if (auto renewal = co_await renew_session(snapshot.generation)) {
        failure = std::move(renewal);
        break;
      }
      if (is_initialized) break;  // the renewal replayed it in the new session already
      continue;
    }
    if (result.how == exchange_result::ending::failed) failure = std::move(result.failure);
    break;
  }

  if (!failure && !answered())
    failure = upstream_failure{failure_kind::stream_ended, "the server accepted the message but sent no response"};
  if (is_initialize && !initialize_protocol_version_.empty()) {
    const auto era = gateway_.is_modern()   ? remembered_era::modern
                     : http_sse_.in_use() ? remembered_era::http_sse
                                          : remembered_era::legacy;
    known_eras_.remember(config_.server, era);
  }
  if (failure) {
    auto error = to_rpc_error(*failure, upstream_.target());
    if (message.keys.empty())
      spdlog::warn("{} to the server failed: {}", message.method.empty() ? "a response" : message.method, error.message);
    for (const auto& key : message.keys) {
      if (const auto* id = ledger_.id_of(key)) {
        answer_error(*id, error.code, error.message, error.data);
        ledger_.settle(key);
      }
    }
  }
  if (is_initialized) {
    if (!stream_started) start_stream_after_initialized();
    co_await listener_.wait_sent(std::chrono::steady_clock::now() + config_.connect_timeout);
    session_.release_hold();
  }
}

void bridge::start_stream_after_initialized() {
  if (config_.get_stream && session_.has_session_id() && !shutting_down_) listener_.start();
}

awaitable<bool> bridge::initialize_through_gateway(const outgoing& message) {
  // Named, not in the condition: GCC 12 miscompiles co_await inside some expressions.
  const bool answered = co_await gateway_.initialize(message);
  if (!answered) co_return false;
  if (gateway_.is_modern())
    session_.established({}, modern_protocol_version);
  else
    session_.abandon_setup();
  co_return true;
}

awaitable<exchange_result> bridge::carry(const outgoing& message, const session_headers& headers,
                                         const deliver_fn& deliver, const answered_fn& answered, retries_used& used,
                                         bool can_renew_session) {
  if (http_sse_.in_use())
    co_return co_await http_sse_.exchange(message, headers, deliver, answered, used, can_renew_session);
  co_return co_await upstream_.exchange(message, headers, deliver, answered, used, can_renew_session);
}

bool bridge::worth_trying_http_sse(const exchange_result& result) const {
  return result.how == exchange_result::ending::failed && result.failure.kind == failure_kind::http_status &&
         suggests_http_sse(result.failure.http_status) && !http_sse_.in_use() && config_.protocol != "modern";
}

awaitable<step_result> bridge::renew_session(std::uint64_t failed_generation) {
  if (!session_.begin_renewal(failed_generation)) {
    (void)co_await session_.ready();  // renewed (or being renewed) by another request: use that
    co_return std::nullopt;
  }
  listener_.stop();
  // Ends the renewal however this ends (a cancelled request's renewal ends by exception): the
  // requests waiting for it must not wait forever.
  struct renewal_end {
    session& s;
    bool succeeded = false;
    std::string problem;  // empty if cut short (the request that carried it was cancelled)
    ~renewal_end() {
      if (!succeeded) s.renewal_failed(std::move(problem));
      s.end_renewal();
    }
  } renewal_guard{session_};
  step_result failure;
  // The replayed initialize carries an id of the bridge's own. Its answer is recognised only on
  // this exchange's own reply, so an editor's request with the same id is never confused with it.
  boost::system::error_code ec;
  auto initialize = parse_json(*session_.initialize_text(), ec);
  if (ec || !initialize.is_object()) {
    failure = upstream_failure{failure_kind::refused, "the editor's initialize cannot be replayed"};
  } else {
    const json::value internal_id = json::string("awork-mcp/renew/" + std::to_string(++renewals_));
    initialize.as_object()["id"] = internal_id;
    const auto internal_key = id_key(internal_id);
    outgoing replay{json::serialize(initialize), message_kind::request, "initialize", {internal_id}, {internal_key}};
    bool answered = false;
    std::string version;
    const deliver_fn deliver = [&](const classified_message& m, std::string&& line) -> awaitable<void> {
      if (m.kind == message_kind::response && id_key(m.id) == internal_key) {
        answered = true;  // the editor has its initialize result already: this one is not forwarded
        version = nested_string(line, "result", "protocolVersion");
        co_return;
      }
      co_await emit(m, std::move(line));
    };
    retries_used used;
    // Every argument is a named object: GCC 12 mishandles temporaries inside a co_await expression.
    const session_headers no_session;
    const answered_fn replay_answered = [&] { return answered; };
    auto result = co_await carry(replay, no_session, deliver, replay_answered, used, false);
    if (result.how != exchange_result::ending::done) {
      failure = std::move(result.failure);
    } else if (!answered) {
      failure = upstream_failure{failure_kind::stream_ended, "the server did not answer the new initialize"};
    } else {
      session_.established(result.session_id, version);
      if (const auto& initialized = session_.initialized_text()) {
        outgoing notification{*initialized, message_kind::notification, "notifications/initialized", {}, {}};
        retries_used unused;
        const auto renewed = session_.current();
        const answered_fn nothing_awaited = [] { return true; };
        (void)co_await carry(notification, renewed.headers, deliver, nothing_awaited, unused, false);
      }
    }
  }
  if (!failure) {
    renewal_guard.succeeded = true;
    spdlog::info("new session established");
    if (config_.get_stream && session_.has_session_id() && !shutting_down_) listener_.start();
  } else {
    renewal_guard.problem = failure->detail;
    spdlog::warn("a new session could not be set up: {}", failure->detail);
  }
  co_return failure;
}

// ---- shutdown ------------------------------------------------------------------------------

void bridge::request_shutdown(const std::string& why, bool drain, bool reader_gone) {
  if (shutting_down_) return;
  shutting_down_ = true;
  spdlog::info("shutting down: {}", why);
  input_->cancel();
  intake_room_.notify_all();  // a read paused at the intake bound ends
  net::co_spawn(executor_, shut_down(drain && !reader_gone, reader_gone || output_.broken()),
                [self = shared_from_this()](std::exception_ptr e) {
                  log_exception("shutdown", e);
                  self->on_exit_();
                });
}

awaitable<void> bridge::shut_down(bool drain, bool reader_gone) {
  auto self = shared_from_this();
  // A hard stop, whatever hangs: the drain time plus a little for DELETE and the last writes.
  const auto grace = reader_gone ? std::chrono::seconds(2) : std::chrono::seconds(5);
  auto hard_stop = std::make_shared<net::steady_timer>(executor_, (drain ? config_.drain_timeout : std::chrono::milliseconds(0)) + grace);
  hard_stop->async_wait([self](boost::system::error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown took too long; exiting");
      self->on_exit_();
    }
  });

  const auto deadline = std::chrono::steady_clock::now() + (drain ? config_.drain_timeout : std::chrono::milliseconds(0));
  while (forwards_ > open_ended_forwards_ && std::chrono::steady_clock::now() < deadline)
    co_await forward_finished_.wait_until(deadline);

  // Whatever is still open gets its one answer now.
  auto error = to_rpc_error({failure_kind::shutdown, "shutting down"}, upstream_.target());
  for (const auto& id : ledger_.close())
    if (!reader_gone) answer_error(id, error.code, error.message, error.data);
  slot_freed_.notify_all();

  listener_.stop();
  http_sse_.stop();
  gateway_.stop();
  const auto last = session_.current();
  co_await upstream_.end_session(last.headers);
  upstream_.close_idle();
  // A refresh in flight may have rotated the refresh token at the server already: its new pair
  // is stored before we go (bounded by half the grace the hard stop leaves).
  co_await credential_->settle(std::chrono::steady_clock::now() + grace / 2);
  if (!reader_gone) co_await output_.flush();
  output_.stop();
  hard_stop->cancel();
}

}  // namespace awork_mcp
