#include "awork_mcp/relay/http_sse_channel.hpp"

#include "awork_mcp/era/http_sse_rules.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

upstream_failure stream_failure(std::string detail) { return {failure_kind::stream_ended, std::move(detail)}; }


}  // namespace

http_sse_channel::http_sse_channel(net::any_io_executor ex, upstream& server, deliver_fn deliver,
                                   const bridge_config& config, std::chrono::milliseconds idle_limit)
    : executor_(ex), server_(server), deliver_(std::move(deliver)), config_(config), idle_limit_(idle_limit),
      changed_(ex) {}

awaitable<step_result> http_sse_channel::open() {
  stop();
  auto state = std::make_shared<stream_state>();
  current_ = state;
  net::co_spawn(executor_, read_stream(state),
                net::bind_cancellation_slot(state->cancel.slot(), [this, state](std::exception_ptr e) {
                  if (e) {
                    try {
                      std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                      state->problem = stream_failure(ex.what());
                    }
                  }
                  if (!state->problem) state->problem = stream_failure("the server closed its event stream");
                  state->finished = true;
                  changed_.notify_all();
                }));
  const auto deadline = std::chrono::steady_clock::now() + config_.connect_timeout;
  while (!state->finished && state->endpoint_target.empty() && std::chrono::steady_clock::now() < deadline)
    co_await changed_.wait_until(deadline);
  if (!state->endpoint_target.empty() && !state->finished) {
    if (!in_use_)
      spdlog::info("the server speaks MCP 2024-11-05's HTTP+SSE transport: messages go to {}",
                   state->endpoint_target.substr(0, state->endpoint_target.find('?')));
    in_use_ = true;
    co_return std::nullopt;
  }
  step_result problem = state->problem;
  if (!state->finished) problem = stream_failure("no `endpoint` event within the connect timeout");
  stop();
  co_return problem;
}

void http_sse_channel::stop() {
  if (!current_ || current_->finished) return;
  current_->problem = stream_failure("the bridge closed the event stream");
  current_->cancel.emit(net::cancellation_type::terminal);
}

awaitable<void> http_sse_channel::route(const classified_message& message, std::string&& line) {
  if (message.kind == message_kind::response) {
    if (auto claim = claims_.find(id_key(message.id)); claim != claims_.end()) {
      co_await (*claim->second)(message, std::move(line));
      changed_.notify_all();
      co_return;
    }
  }
  co_await deliver_(message, std::move(line));
}

awaitable<void> http_sse_channel::read_stream(std::shared_ptr<stream_state> state) {
  const session_headers no_session;
  const std::optional<std::string> from_the_start;
  auto opened = co_await server_.open_stream(no_session, from_the_start, idle_limit_);
  if (!opened) {
    state->problem = std::move(opened.failure());
    co_return;
  }
  auto& response = **opened;
  if (response.status() != 200 || response.media_type() != "text/event-stream") {
    state->problem = stream_failure("the GET answered HTTP " + std::to_string(response.status()) + " " +
                                    std::string(response.media_type()) + ", not an event stream");
    co_return;
  }
  response.unlimit_body();
  sse_parser parser(config_.max_message_bytes);
  const deliver_fn routed = [this](const classified_message& m, std::string&& line) { return route(m, std::move(line)); };
  // Up to the endpoint event by hand; after it, the stream is read like any other.
  while (state->endpoint_target.empty()) {
    auto chunk = co_await response.next_chunk();
    if (!chunk) {
      state->problem = std::move(chunk.failure());
      co_return;
    }
    if (!*chunk) co_return;
    auto events = parser.feed(**chunk);
    if (parser.too_large()) {
      response.abandon();
      state->problem = stream_failure("the event stream's first event is too large");
      co_return;
    }
    for (auto& event : events) {
      if (!state->endpoint_target.empty()) {
        if (event.is_message()) co_await server_.deliver_text(std::move(event.data), routed);
        continue;
      }
      auto verdict = judge_endpoint_event(event, server_.target());
      if (!verdict.usable) {
        response.abandon();
        state->problem = stream_failure(verdict.problem);
        co_return;
      }
      state->endpoint_target = std::move(verdict.target);
      changed_.notify_all();
    }
  }
  const answered_fn never;
  auto end = co_await server_.pump_events(response, parser, routed, never);
  if (end.failure) state->problem = std::move(*end.failure);
  if (!response.done()) response.abandon();
}

awaitable<exchange_result> http_sse_channel::exchange(const outgoing& message, const session_headers& headers,
                                                      const deliver_fn& deliver, const answered_fn& answered,
                                                      retries_used& used, bool can_renew_session) {
  if (!open_now()) {
    // The server's session ended with its stream: a new one starts with initialize.
    if (can_renew_session)
      co_return exchange_result{exchange_result::ending::renew_session, stream_failure("the event stream ended"), {}};
    if (auto problem = co_await open()) co_return exchange_result::failed(std::move(*problem));
  }
  const auto state = current_;
  outgoing posted = message;
  posted.target = state->endpoint_target;
  for (const auto& key : message.keys) claims_[key] = &deliver;
  struct release_claims {
    http_sse_channel& self;
    const std::vector<std::string>& keys;
    ~release_claims() {
      for (const auto& key : keys) self.claims_.erase(key);
    }
  } release{*this, message.keys};

  auto result = co_await server_.exchange(posted, headers, deliver, answered, used, false);
  if (result.how == exchange_result::ending::failed && result.failure.kind == failure_kind::http_status &&
      result.failure.http_status == 404 && can_renew_session) {
    // The server no longer knows the session this endpoint names.
    stop();
    co_return exchange_result{exchange_result::ending::renew_session, std::move(result.failure), {}};
  }
  if (result.how != exchange_result::ending::done) co_return result;

  const bool forever = config_.request_timeout.count() == 0;
  const auto deadline = forever ? std::chrono::steady_clock::time_point::max()
                                : std::chrono::steady_clock::now() + config_.request_timeout;
  while (!answered() && !state->finished && std::chrono::steady_clock::now() < deadline)
    co_await changed_.wait_until(deadline);
  if (answered()) co_return exchange_result{};
  if (state->finished)
    co_return exchange_result::failed(stream_failure("its HTTP+SSE event stream closed, which ends its session; the request was not "
                                    "sent again, as it may have run"));
  co_return exchange_result::failed(upstream_failure{failure_kind::timeout, "no answer on the server's event stream within --request-timeout"});
}

}  // namespace awork_mcp
