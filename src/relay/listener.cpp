#include "awork_mcp/relay/listener.hpp"

#include "awork_mcp/core/reconnect.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

listener::listener(net::any_io_executor ex, upstream& server, session_source current_session, deliver_fn deliver,
                   std::chrono::milliseconds idle_limit, std::size_t max_message_bytes)
    : executor_(ex), server_(server), current_session_(std::move(current_session)), deliver_(std::move(deliver)), idle_limit_(idle_limit),
      max_message_bytes_(max_message_bytes), answered_(ex) {}

void listener::start() {
  const auto generation = current_session_().generation;
  // One that is stopping is as good as gone: its coroutine may not have unwound yet.
  if (current_ && !current_->finished && !current_->stopping && current_->generation == generation) return;
  stop();
  auto state = std::make_shared<run_state>();
  state->generation = generation;
  current_ = state;
  net::co_spawn(executor_, listen(state), net::bind_cancellation_slot(state->cancel.slot(), [state](std::exception_ptr e) {
                  state->finished = true;
                  if (!e) return;
                  try {
                    std::rethrow_exception(e);
                  } catch (const std::exception& ex) {
                    spdlog::debug("GET stream stopped: {}", ex.what());
                  }
                }));
}

void listener::stop() {
  if (!current_ || current_->finished) return;
  current_->stopping = true;
  current_->cancel.emit(net::cancellation_type::terminal);
  current_->answered = true;  // nobody waits for a stream that is going away
  answered_.notify_all();
}

awaitable<void> listener::wait_sent(std::chrono::steady_clock::time_point deadline) {
  while (current_ && !current_->answered && !current_->finished && std::chrono::steady_clock::now() < deadline)
    co_await answered_.wait_until(deadline);
}

awaitable<void> listener::listen(std::shared_ptr<run_state> state) {
  // Marks the stream answered and finished however this coroutine ends.
  struct on_exit {
    listener& self;
    run_state& state;
    ~on_exit() {
      state.answered = true;
      state.finished = true;
      self.answered_.notify_all();
    }
  } guard{*this, *state};
  auto mark_answered = [&] {
    state->answered = true;
    answered_.notify_all();
  };

  std::optional<std::string> last_event_id;
  std::optional<std::chrono::milliseconds> retry;
  listen_backoff backoff;
  auto wanted = [&] { return !state->stopping && current_session_().generation == state->generation; };
  while (wanted()) {
    bool opened = false;
    const auto current = current_session_();
    const std::function<void()> sent = mark_answered;
    auto response = co_await server_.open_stream(current.headers, last_event_id, idle_limit_, sent);
    mark_answered();
    if (!response) {
      spdlog::debug("GET stream failed: {}", response.failure().detail);
    } else {
      const unsigned status = (*response)->status();
      const auto trace = trace_suffix(make_request_trace((*response)->header("Trace-Id"), (*response)->header("X-Edge-Ref")));
      if (status == 405) {
        spdlog::info("the server offers no GET stream (HTTP 405)");
        co_return;
      }
      if (status >= 400 && status < 500) {
        spdlog::warn("the server refused the GET stream (HTTP {}){}; server-initiated messages arrive only on responses",
                     status, trace);
        co_return;
      }
      if (status == 200 && (*response)->media_type() == "text/event-stream") {
        spdlog::debug("GET stream open");
        opened = true;
        (*response)->unlimit_body();
        sse_parser parser(max_message_bytes_);
        const answered_fn never = {};
        auto end = co_await server_.pump_events(**response, parser, deliver_, never);
        if (end.failure) spdlog::debug("GET stream broke: {}", end.failure->detail);
        if (parser.saw_event_id()) last_event_id = parser.last_event_id();
        if (parser.retry()) retry = parser.retry();
      } else {
        spdlog::warn("unexpected GET stream reply: HTTP {} {}{}", status, (*response)->media_type(), trace);
      }
    }
    if (!wanted()) break;
    co_await server_.sleep_for(backoff.next_delay(opened, retry));
  }
}

}  // namespace awork_mcp
