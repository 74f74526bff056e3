#include "awork_mcp/relay/upstream.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/text.hpp"
#include "awork_mcp/core/reconnect.hpp"
#include "awork_mcp/core/redirect_rules.hpp"
#include "awork_mcp/core/request_safety.hpp"

#include <spdlog/spdlog.h>

namespace awork_mcp {

namespace {

constexpr std::size_t max_error_body_bytes = 64 * 1024;
constexpr auto end_session_timeout = std::chrono::milliseconds(2000);
constexpr std::size_t warm_connections = 2;

bool is_array_text(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '[';
}


}  // namespace

upstream::upstream(net::any_io_executor ex, const bridge_config& config, credential_source& credential)
    : executor_(ex), config_(config), credential_(credential), builder_(config.server, config.extra_headers),
      large_reply_(ex), pacer_(config.max_retry_wait) {
  if (config.server.tls) tls_ = std::make_unique<tls_context_loader>(config.ca_file);
}

http_client& upstream::client() {
  const auto& target = builder_.target();
  auto& slot = clients_[target.origin()];
  if (!slot) {
    // OpenSSL is set up only for https: plain loopback runs never pay for it.
    if (target.tls && !tls_) tls_ = std::make_unique<tls_context_loader>(config_.ca_file);
    const auto tls = target.tls ? tls_context_fn([this]() -> ssl::context& { return tls_->get(); }) : tls_context_fn();
    slot = std::make_unique<http_client>(executor_, target, tls,
                                         http_timeouts{config_.connect_timeout, config_.request_timeout}, config_.proxy);
  }
  return *slot;
}

void upstream::close_idle() {
  for (auto& [origin, c] : clients_) c->close_idle();
}

awaitable<void> upstream::sleep_for(std::chrono::milliseconds delay) {
  net::steady_timer timer(executor_, delay);
  co_await timer.async_wait(net::as_tuple(net::use_awaitable));
}

upstream_failure upstream::too_large() const {
  return {failure_kind::too_large, "the server's reply is larger than the --max-message-bytes limit of " +
                                       std::to_string(config_.max_message_bytes) +
                                       " bytes; raise it if such replies are expected"};
}

awaitable<void> upstream::pace(std::string_view what) {
  const auto pause = pacer_.before_send(std::chrono::steady_clock::now());
  if (pause.wait <= std::chrono::milliseconds(0)) co_return;
  if (pause.announce)
    spdlog::info("{}: holding requests for {} ms until it resets{}", describe(pause.window), pause.wait.count(),
                 pause.capped ? " (the --max-retry-wait limit; then they are sent anyway)" : "");
  else
    spdlog::debug("{} waits {} ms for the rate limit", what, pause.wait.count());
  co_await sleep_for(pause.wait);
}

awaitable<bool> upstream::deliver_text(std::string&& text, const deliver_fn& deliver) {
  auto message = classify(text);
  if (message.parse_error) {
    spdlog::warn("the server sent a message that is not JSON ({}): {}", message.problem, preview(text));
    co_return false;
  }
  if (message.kind == message_kind::batch || (message.kind == message_kind::invalid && is_array_text(text))) {
    // A batch from the server (2025-03-26): each element goes out on its own line, cut out of the
    // text by its byte range, so nothing in it is rewritten.
    for (auto element : array_elements(text)) {
      std::string part(element);
      fold_onto_one_line(part);
      auto classified = classify(part);
      co_await deliver(classified, std::move(part));
    }
    co_return true;
  }
  fold_onto_one_line(text);
  co_await deliver(message, std::move(text));
  co_return true;
}

awaitable<step_result> upstream::read_json(http_response& response, const deliver_fn& deliver) {
  async_mutex::lock large;
  while (!response.done()) {
    if (!large && response.body().size() > large_reply_threshold) large = co_await large_reply_.acquire();
    if (auto failure = co_await response.read_more())
      co_return failure->kind == failure_kind::too_large ? too_large() : std::move(*failure);
  }
  std::string body = std::move(response.body());
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) co_return std::nullopt;
  if (!co_await deliver_text(std::move(body), deliver))
    co_return upstream_failure{failure_kind::bad_body, "the JSON reply does not parse"};
  co_return std::nullopt;
}

awaitable<stream_end> upstream::pump_events(http_response& response, sse_parser& parser, const deliver_fn& deliver,
                                            const answered_fn& answered) {
  async_mutex::lock large;
  for (;;) {
    auto chunk = co_await response.next_chunk();
    if (!chunk) co_return stream_end{false, std::move(chunk.failure())};
    if (!*chunk) co_return stream_end{};
    auto events = parser.feed(**chunk);
    if (parser.too_large()) {
      response.abandon();
      co_return stream_end{false, too_large()};
    }
    for (auto& event : events)
      if (event.is_message()) co_await deliver_text(std::move(event.data), deliver);
    if (parser.pending_bytes() <= large_reply_threshold)
      large.release();
    else if (!large)
      large = co_await large_reply_.acquire();
    if (answered && answered()) {
      // The response is in; a server that keeps the stream open past it does not hold us.
      if (!response.done()) response.abandon();
      co_return stream_end{true, std::nullopt};
    }
  }
}

awaitable<exchange_result> upstream::exchange(const outgoing& message, const session_headers& headers,
                                              const deliver_fn& deliver, const answered_fn& answered,
                                              retries_used& used, bool can_renew_session) {
  const std::string_view what = message.method.empty() ? std::string_view("(response)") : std::string_view(message.method);
  if (!warmed_up_) {
    // The editor's first request is followed by a burst (initialized, tools/list, the GET
    // stream): connections opened now, in parallel with it, spare each of those a handshake.
    warmed_up_ = true;
    client().warm_up(warm_connections);
  }
  for (;;) {
    // Before anything else: a request the budget has no room for would only collect a 429.
    co_await pace(what);
    if (!message.keys.empty() && answered && answered()) co_return exchange_result{};  // shutdown answered it
    const auto authorization = co_await credential_.authorization();
    auto request = builder_.post(message.body, headers, authorization, message.headers);
    if (!message.target.empty()) request.target(message.target);
    spdlog::debug("POST {}", what);
    if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("{}", builder_.redacted_head(request));

    send_options options;
    options.may_resend_after_write = message.kind == message_kind::request && safe_to_repeat(message.method);
    options.body_limit = config_.max_message_bytes;
    options.on_written = message.on_written;
    const auto sent_at = std::chrono::steady_clock::now();
    auto sent = co_await client().send(request, options);
    if (!sent) co_return exchange_result::failed(sent.failure().kind == failure_kind::too_large ? too_large() : std::move(sent.failure()));
    auto& response = **sent;
    const unsigned status = response.status();
    const auto type = response.media_type();
    spdlog::debug("HTTP {} {} for {}", status, type, what);

    rate_limit_facts budget;
    budget.status = status;
    budget.remaining_second = response.header("X-RateLimit-Remaining-Second");
    budget.remaining_minute = response.header("X-RateLimit-Remaining-Minute");
    budget.remaining = response.header("RateLimit-Remaining");
    budget.reset = response.header("RateLimit-Reset");
    budget.retry_after = response.header("Retry-After");
    pacer_.observe(budget, {sent_at, std::chrono::steady_clock::now(), std::chrono::system_clock::now()});

    const auto trace = make_request_trace(response.header("Trace-Id"), response.header("X-Edge-Ref"));
    if (status >= 400)
      spdlog::warn("the server answered {} with HTTP {} {}{}", what, status, printable(response.reason(), 100),
                   trace_suffix(trace));

    std::string error_body;
    if (needs_error_body(status)) {
      // The status says enough when the body cannot be read.
      if (auto body = co_await response.read_all(max_error_body_bytes)) error_body = std::move(*body);
    }
    reply_facts facts;
    facts.status = status;
    facts.media_type = type;
    facts.reason = response.reason();
    facts.content_type = response.header("Content-Type");
    facts.body = error_body;
    facts.retry_after = response.header("Retry-After");
    facts.ratelimit_reset = response.header("ratelimit-reset");
    const auto www_authenticate = response.header_values("WWW-Authenticate");
    facts.www_authenticate = www_authenticate;
    facts.trace = trace;
    facts.had_session = !headers.session_id.empty();
    facts.awaits_answer = !message.keys.empty();
    facts.now = std::chrono::system_clock::now();
    reply_limits limits;
    limits.can_renew_session = can_renew_session;
    limits.max_retry_wait = config_.max_retry_wait;
    const auto decision = decide_reply(facts, used, limits);

    switch (decision.action) {
      case reply_action::read_json: {
        exchange_result result;
        result.session_id = response.header("Mcp-Session-Id");
        if (auto failure = co_await read_json(response, deliver)) co_return exchange_result::failed(std::move(*failure));
        co_return result;
      }
      case reply_action::read_stream: {
        std::string session_id(response.header("Mcp-Session-Id"));
        response.unlimit_body();
        auto result = co_await read_stream(response, headers, deliver, answered);
        result.session_id = std::move(session_id);
        co_return result;
      }
      case reply_action::accepted: {
        exchange_result result;
        result.session_id = response.header("Mcp-Session-Id");
        co_return result;
      }
      case reply_action::renew_session:
        co_return exchange_result{exchange_result::ending::renew_session,
                                  describe_http_status(status, facts.reason, facts.content_type, error_body, {}, trace),
                                  {}};
      case reply_action::refresh_credential: {
        ++(status == 403 ? used.step_ups : used.refreshes);
        credential_rejection rejection{authorization, status, www_authenticate};
        auto renewal = co_await credential_.renew_after_rejection(rejection);
        if (renewal.retry) continue;
        if (!renewal.problem.empty()) co_return exchange_result::failed({failure_kind::sign_in, renewal.problem});
        co_return exchange_result::failed(describe_http_status(status, facts.reason, facts.content_type, error_body, {}, trace));
      }
      case reply_action::wait_and_retry:
        ++used.rate_limit_waits;
        spdlog::info("{} was rate limited (HTTP {}); retrying in {} ms", what, status, decision.wait.count());
        co_await sleep_for(decision.wait);
        continue;
      case reply_action::follow_redirect: {
        auto redirect = decide_redirect(builder_.target(), status, response.header("Location"), used.redirects,
                                        config_.allow_http);
        ++used.redirects;
        if (!redirect.follow) co_return exchange_result::failed({failure_kind::redirect, redirect.refusal});
        spdlog::info("the server moved the endpoint (HTTP {}) to {}; using it for the rest of this run{}", status,
                     redirect.target.display(),
                     redirect.same_origin ? "" : " (another origin: the credential and --header values stay behind)");
        builder_.retarget(std::move(redirect.target), redirect.same_origin);
        continue;
      }
      case reply_action::fail:
        co_return exchange_result::failed(decision.failure);
    }
  }
}

awaitable<exchange_result> upstream::read_stream(http_response& response, const session_headers& headers,
                                                 const deliver_fn& deliver, const answered_fn& answered) {
  sse_parser parser(config_.max_message_bytes);
  auto end = co_await pump_events(response, parser, deliver, answered);
  if (end.answered || answered()) co_return exchange_result{};
  // 2025-11-25: a server may close a stream early after sending an event id, or the connection
  // may break; either way the stream is resumed from the last event id, if it gave one.
  if (!parser.saw_event_id()) {
    if (end.failure) co_return exchange_result::failed(std::move(*end.failure));
    co_return exchange_result{};  // closed without an answer: the caller says so
  }
  if (end.failure && end.failure->kind == failure_kind::too_large) co_return exchange_result::failed(std::move(*end.failure));
  auto why = end.failure.value_or(upstream_failure{failure_kind::stream_ended, "the stream closed before the response"});
  co_return co_await resume_stream(parser, headers, deliver, answered, std::move(why));
}

awaitable<exchange_result> upstream::resume_stream(const sse_parser& broken, const session_headers& headers,
                                                   const deliver_fn& deliver, const answered_fn& answered,
                                                   upstream_failure why) {
  std::string last_event_id = broken.last_event_id();
  auto retry = broken.retry();
  resume_budget budget;
  while (!budget.exhausted() && !answered()) {
    const auto delay = budget.next_delay(retry);
    spdlog::info("response stream ended ({}); resuming after event '{}' in {} ms", why.detail, last_event_id,
                 delay.count());
    co_await sleep_for(delay);
    if (answered()) break;
    const std::optional<std::string> resume_after = last_event_id;  // named: see GCC note in bridge.cpp
    auto opened = co_await open_stream(headers, resume_after, config_.request_timeout);
    if (!opened) {
      why = std::move(opened.failure());
      continue;
    }
    auto& response = **opened;
    if (response.status() != 200 || response.media_type() != "text/event-stream") {
      std::string body;
      if (auto read = co_await response.read_all(max_error_body_bytes)) body = std::move(*read);
      const auto trace = make_request_trace(response.header("Trace-Id"), response.header("X-Edge-Ref"));
      spdlog::warn("resuming the response stream: the server answered HTTP {} {}{}", response.status(),
                   printable(response.reason(), 100), trace_suffix(trace));
      why = describe_http_status(response.status(), response.reason(), response.header("Content-Type"), body, {}, trace);
      why.kind = failure_kind::stream_ended;
      why.detail = "resuming with GET failed: HTTP " + why.detail;
      if (response.status() >= 400 && response.status() < 500) break;  // not resumable
      continue;
    }
    response.unlimit_body();
    sse_parser parser(config_.max_message_bytes);
    auto end = co_await pump_events(response, parser, deliver, answered);
    why = end.failure.value_or(upstream_failure{failure_kind::stream_ended, "the resumed stream closed before the response"});
    if (parser.saw_event_id()) {
      last_event_id = parser.last_event_id();
      budget.made_progress();
    }
    if (parser.retry()) retry = parser.retry();
  }
  if (answered()) co_return exchange_result{};
  co_return exchange_result::failed(std::move(why));
}

awaitable<outcome<std::unique_ptr<http_response>>> upstream::open_stream(const session_headers& headers,
                                                                         const std::optional<std::string>& last_event_id,
                                                                         std::chrono::milliseconds idle_limit,
                                                                         const std::function<void()>& on_written) {
  const auto authorization = co_await credential_.authorization();
  send_options options;
  options.dedicated = true;
  options.may_resend_after_write = true;  // a GET changes nothing
  options.idle_timeout = idle_limit;
  options.body_limit = config_.max_message_bytes;
  options.on_written = on_written;
  const auto request = builder_.get_stream(headers, authorization, last_event_id);
  co_return co_await client().send(request, options);
}

awaitable<void> upstream::end_session(const session_headers& headers) {
  if (headers.session_id.empty()) co_return;
  const auto authorization = co_await credential_.authorization();
  send_options options;
  options.idle_timeout = end_session_timeout;
  const auto request = builder_.end_session(headers, authorization);
  auto sent = co_await client().send(request, options);
  if (!sent) {
    spdlog::debug("ending the session failed: {}", sent.failure().detail);
    co_return;
  }
  spdlog::debug("DELETE session: HTTP {}", (*sent)->status());
  (void)co_await (*sent)->read_all(max_error_body_bytes);
}

}  // namespace awork_mcp
