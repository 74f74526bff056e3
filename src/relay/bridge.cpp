#include "awork_mcp/relay/bridge.hpp"
#include "awork_mcp/core/text.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace awork_mcp {

namespace {

constexpr std::size_t max_reply_bytes = 256 * 1024 * 1024;
constexpr std::size_t max_error_body_bytes = 64 * 1024;
constexpr int max_resume_attempts = 5;
constexpr int max_rate_limit_retries = 3;
constexpr auto default_reconnect_delay = std::chrono::milliseconds(1000);
// A server may ask for any retry delay; below this one a stream that closes at once would spin.
constexpr auto min_reconnect_delay = std::chrono::milliseconds(100);
constexpr auto max_listen_backoff = std::chrono::milliseconds(60000);
constexpr auto end_session_timeout = std::chrono::milliseconds(2000);

// Thrown by post_once when the server no longer knows the session the request carried.
struct session_expired : std::runtime_error {
  session_expired(std::uint64_t gen, upstream_failure f)
      : std::runtime_error("session expired"), generation(gen), failure(std::move(f)) {}
  std::uint64_t generation;
  upstream_failure failure;
};

// Thrown by post_once when the credential was refreshed after a 401 and the request may be sent again.
struct credential_refreshed : std::runtime_error {
  credential_refreshed() : std::runtime_error("credential refreshed") {}
};

std::string preview(std::string_view text) {
  constexpr std::size_t limit = 300;
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "… (" + std::to_string(text.size()) + " bytes)";
}

std::vector<std::string> keys_of(const std::vector<json::value>& ids) {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (const auto& id : ids) keys.push_back(id_key(id));
  return keys;
}

bool mentions_session(std::string_view body) { return lower(body).find("session") != std::string::npos; }

void log_exception(const char* what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("{} failed: {}", what, ex.what());
  }
}

}  // namespace

bridge::bridge(net::any_io_executor ex, bridge_config config, std::unique_ptr<credential_source> credential,
               int input_fd, int output_fd, std::function<void()> on_exit)
    : executor_(ex),
      config_(std::move(config)),
      credential_(std::move(credential)),
      // OpenSSL is set up only for https: plain loopback runs never pay for it.
      tls_(config_.server.tls ? std::make_unique<ssl::context>(make_tls_context(config_.ca_file)) : nullptr),
      client_(ex, config_.server, tls_.get(),
              http_timeouts{config_.connect_timeout, config_.request_timeout}, config_.proxy),
      builder_(config_.server, config_.extra_headers),
      input_(ex, input_fd),
      output_(ex, output_fd),
      signals_(ex, SIGINT, SIGTERM),
      on_exit_(std::move(on_exit)),
      framer_(config_.max_line_bytes),
      slot_freed_(ex),
      reinitialized_(ex),
      stream_answered_event_(ex) {}

void bridge::start() {
  auto self = shared_from_this();
  net::co_spawn(executor_, output_.run([self] { self->request_shutdown("stdout closed", false); }),
                [](std::exception_ptr e) { log_exception("stdout writer", e); });
  net::co_spawn(executor_, read_input(), [](std::exception_ptr e) { log_exception("stdin reader", e); });
  watch_signals();
  spdlog::info("relaying stdio to {}{}", config_.server.display(),
               config_.proxy ? " through the proxy " + config_.proxy->display() : std::string());
}

void bridge::watch_signals() {
  signals_.async_wait([self = shared_from_this()](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (self->shutting_down_) {
      spdlog::warn("second signal {}: exiting now", signal);
      self->on_exit_();
      return;
    }
    self->request_shutdown(signal == SIGINT ? "SIGINT" : "SIGTERM", true);
    self->watch_signals();
  });
}

// ---- stdin ---------------------------------------------------------------------------------

awaitable<void> bridge::read_input() {
  auto self = shared_from_this();
  std::vector<char> buffer(64 * 1024);
  for (;;) {
    auto [ec, n] = co_await input_.async_read_some(net::buffer(buffer), net::as_tuple(net::use_awaitable));
    if (ec) {
      if (ec != net::error::eof && ec != net::error::operation_aborted) spdlog::warn("reading stdin failed: {}", ec.message());
      break;
    }
    for (auto& line : framer_.feed({buffer.data(), n})) {
      co_await handle_line(std::move(line));
      if (shutting_down_) co_return;
    }
  }
  for (auto& line : framer_.finish()) co_await handle_line(std::move(line));
  request_shutdown("end of input", true);
}

void bridge::answer_error(const json::value& id, int code, std::string_view message, json::object data) {
  spdlog::debug("answering {} with error {}: {}", json::serialize(id), code, message);
  output_.write_line(make_error_response(id, code, message, std::move(data)));
}

awaitable<void> bridge::handle_line(framed_line line) {
  if (line.what == framed_line::kind::too_long) {
    spdlog::warn("dropped an input line of {} bytes (limit {})", line.bytes, config_.max_line_bytes);
    answer_error(nullptr, rpc_code::invalid_request,
                 "message too large: " + std::to_string(line.bytes) + " bytes exceeds the --max-line-bytes limit of " +
                     std::to_string(config_.max_line_bytes));
    co_return;
  }
  if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("stdin: {}", preview(line.text));
  auto message = classify(line.text);
  if (message.parse_error) {
    answer_error(nullptr, rpc_code::parse_error, "parse error: the line is not valid JSON (" + message.problem + ")");
    co_return;
  }
  if (message.kind == message_kind::invalid) {
    answer_error(message.id, rpc_code::invalid_request, "invalid request: " + message.problem);
    co_return;
  }

  outgoing out{std::move(line.text), message.kind, message.method, std::move(message.request_ids)};
  if (out.kind == message_kind::request && out.method == "initialize") {
    // A (re)initialize starts a new session: it must not carry the old one's id.
    stop_listening();
    session_ = {};
    ++generation_;
    cached_initialize_ = out.body;
    client_initialize_key_ = id_key(message.id);
    co_await forward(std::move(out));  // nothing else may go out before the session exists
    co_return;
  }
  if (out.kind == message_kind::notification && out.method == "notifications/initialized") {
    cached_initialized_ = out.body;
    co_await forward(std::move(out));
    if (config_.get_stream && !session_.session_id.empty()) {
      start_listening();
      // Let the GET stream reach the server before the next requests, so that the server sees
      // the session's streams in the order the client meant them.
      co_await wait_for_stream_answer(config_.connect_timeout);
    }
    co_return;
  }
  while (in_flight_ >= config_.max_in_flight) co_await slot_freed_.wait();
  net::co_spawn(executor_, forward(std::move(out)), [](std::exception_ptr e) { log_exception("forward", e); });
}

// ---- requests ------------------------------------------------------------------------------

bool bridge::all_answered(const std::vector<std::string>& keys) const {
  return std::none_of(keys.begin(), keys.end(), [&](const std::string& key) { return pending_.contains(key); });
}

namespace {
// The protocolVersion of an initialize result (the message is small: parsing it is cheap).
std::optional<std::string> protocol_version_of(std::string_view initialize_response) {
  boost::system::error_code ec;
  auto v = json::parse(initialize_response, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* result = v.get_object().if_contains("result");
  if (!result || !result->is_object()) return std::nullopt;
  const auto* version = result->get_object().if_contains("protocolVersion");
  if (!version || !version->is_string()) return std::nullopt;
  return std::string(version->get_string());
}
}  // namespace

void bridge::emit_to_client(const classified_message& message, std::string&& raw) {
  if (answers_closed_) return;
  if (message.kind == message_kind::response) {
    auto key = id_key(message.id);
    if (pending_.erase(key) == 0) {
      spdlog::debug("dropping a response for id {} that is not awaited (already answered)", key);
      return;
    }
    if (key == client_initialize_key_) {
      client_initialize_key_.clear();
      if (auto version = protocol_version_of(raw)) session_.protocol_version = *version;
    }
  }
  if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("stdout: {}", preview(raw));
  // A message that spans lines (pretty-printed JSON, multi-line SSE data) is re-serialized onto one;
  // everything else goes out exactly as the server sent it, without a copy.
  if (raw.find_first_of("\r\n") != std::string::npos) raw = json::serialize(json::parse(raw));
  output_.write_line(std::move(raw));
}

bool bridge::deliver_data(std::string&& data, const deliver_fn& deliver) {
  auto message = classify(data);
  if (message.parse_error) {
    spdlog::warn("the server sent a message that is not JSON ({}): {}", message.problem, preview(data));
    return false;
  }
  if (auto first = data.find_first_not_of(" \t\r\n"); first != std::string::npos && data[first] == '[') {
    // A batch from the server (2025-03-26): each message goes out on its own line.
    auto batch = json::parse(data);
    for (auto& element : batch.as_array()) {
      auto text = json::serialize(element);
      auto part = classify(text);
      deliver(part, std::move(text));
    }
    return true;
  }
  deliver(message, std::move(data));
  return true;
}

awaitable<void> bridge::forward(outgoing message) {
  auto self = shared_from_this();
  ++in_flight_;
  for (const auto& id : message.request_ids) pending_.emplace(id_key(id), id);
  const auto keys = keys_of(message.request_ids);
  const bool is_initialize = message.method == "initialize" && message.kind == message_kind::request;
  const deliver_fn deliver = [this](const classified_message& m, std::string&& raw) { emit_to_client(m, std::move(raw)); };

  std::optional<upstream_failure> failure;
  bool reinitialized = false, refreshed = false;
  int rate_limit_retries = 0;
  for (;;) {
    std::optional<std::uint64_t> expired_generation;
    std::optional<std::chrono::milliseconds> wait_before_retry;
    failure.reset();
    try {
      co_await post_once(message, keys, deliver, is_initialize);
      break;
    } catch (const session_expired& e) {
      failure = e.failure;
      if (!reinitialized && cached_initialize_ && !is_initialize) expired_generation = e.generation;
    } catch (const credential_refreshed&) {
      failure = upstream_failure{failure_kind::http_status, "401 Unauthorized", 401};
      if (!refreshed) wait_before_retry = std::chrono::milliseconds(0);
      refreshed = true;
    } catch (const upstream_error& e) {
      failure = e.failure();
      if (failure->http_status == 429 && rate_limit_retries < max_rate_limit_retries) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            failure->retry_after.value_or(std::chrono::seconds(1)));
        if (wait <= config_.max_retry_wait) wait_before_retry = std::max(wait, std::chrono::milliseconds(100));
        ++rate_limit_retries;
      }
    } catch (const std::exception& e) {
      failure = upstream_failure{failure_kind::io, e.what()};
    }
    if (shutting_down_ && answers_closed_) break;
    if (expired_generation) {
      reinitialized = true;
      spdlog::info("the server forgot the session; initializing a new one and retrying");
      try {
        co_await reinitialize(*expired_generation);
        continue;
      } catch (const upstream_error& e) {
        failure = e.failure();
      } catch (const std::exception& e) {
        failure = upstream_failure{failure_kind::io, e.what()};
      }
      break;
    }
    if (wait_before_retry) {
      spdlog::info("retrying {} in {} ms ({})", message.method.empty() ? "message" : message.method,
                   wait_before_retry->count(), failure->detail);
      co_await sleep_for(*wait_before_retry);
      continue;
    }
    break;
  }

  if (!failure && !all_answered(keys))
    failure = upstream_failure{failure_kind::stream_ended, "the server accepted the message but sent no response"};
  if (failure) {
    auto error = to_rpc_error(*failure, config_.server);
    if (keys.empty())
      spdlog::warn("{} to the server failed: {}", message.method.empty() ? "a response" : message.method, error.message);
    for (const auto& key : keys) {
      auto it = pending_.find(key);
      if (it == pending_.end()) continue;
      if (!answers_closed_) answer_error(it->second, error.code, error.message, error.data);
      pending_.erase(it);
    }
  }
  --in_flight_;
  slot_freed_.notify_all();
}

awaitable<void> bridge::post_once(const outgoing& message, const std::vector<std::string>& keys,
                                  const deliver_fn& deliver, bool is_initialize) {
  const auto session = session_;
  const auto generation = generation_;
  const auto authorization = co_await credential_->authorization();
  auto request = builder_.post(message.body, session, authorization);
  spdlog::debug("POST {}", message.method.empty() ? "(response)" : message.method);
  if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("{}", redacted_head(request));

  auto response = co_await client_.send(std::move(request));
  const unsigned status = response->status();
  if (spdlog::should_log(spdlog::level::debug))
    spdlog::debug("HTTP {} {} for {}", status, response->media_type(), message.method.empty() ? "(response)" : message.method);

  if (is_initialize) {
    if (auto id = response->header("Mcp-Session-Id"); !id.empty()) session_.session_id = std::string(id);
  }
  if (status >= 200 && status < 300) {
    const auto type = response->media_type();
    if (type == "text/event-stream") {
      sse_parser parser(max_reply_bytes);
      upstream_failure broken{failure_kind::stream_ended, "the stream closed before the response"};
      bool resume = false;
      try {
        auto end = co_await pump_events(*response, parser, keys, deliver);
        // 2025-11-25: a server may close a stream early after sending an event id; resume it.
        resume = end == stream_end::closed && !all_answered(keys) && parser.saw_event_id();
      } catch (const upstream_error& e) {
        if (all_answered(keys) || !parser.saw_event_id()) throw;
        broken = e.failure();
        resume = true;
      }
      if (resume) co_await resume_stream(parser, keys, deliver, broken);
    } else if (type == "application/json") {
      co_await read_json_reply(*response, deliver);
    } else {
      auto body = co_await response->read_all(max_error_body_bytes);
      if (!body.empty() || status != 202)
        if (!message.request_ids.empty())
          throw upstream_error({failure_kind::bad_body, "HTTP " + std::to_string(status) + " with Content-Type '" +
                                                            std::string(response->header("Content-Type")) + "'"});
    }
    co_return;
  }

  std::string body;
  try {
    body = co_await response->read_all(max_error_body_bytes);
  } catch (const upstream_error&) {
    // The status says enough; a body we cannot read adds nothing.
  }
  auto failure = describe_http_status(status, response->reason(), response->header("Content-Type"), body,
                                      !response->header("ratelimit-reset").empty() ? response->header("ratelimit-reset")
                                                                                  : response->header("Retry-After"));
  if (!session.session_id.empty() && (status == 404 || (status == 400 && mentions_session(body))))
    throw session_expired(generation, std::move(failure));
  if (status == 401 && co_await credential_->refresh_after_rejection(authorization)) throw credential_refreshed();
  throw upstream_error(std::move(failure));
}

awaitable<void> bridge::read_json_reply(http_response& response, const deliver_fn& deliver) {
  auto body = co_await response.read_all(max_reply_bytes);
  if (body.empty()) co_return;
  auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || (body[first] != '{' && body[first] != '[') || !deliver_data(std::move(body), deliver))
    throw upstream_error({failure_kind::bad_body, "the JSON reply does not parse"});
}

awaitable<bridge::stream_end> bridge::pump_events(http_response& response, sse_parser& parser,
                                                  const std::vector<std::string>& awaited, const deliver_fn& deliver) {
  while (auto chunk = co_await response.next_chunk()) {
    std::vector<sse_event> events;
    try {
      events = parser.feed(*chunk);
    } catch (const sse_event_too_large& e) {
      response.abandon();
      throw upstream_error({failure_kind::bad_body, e.what()});
    }
    for (auto& event : events) {
      if (event.is_message()) deliver_data(std::move(event.data), deliver);
    }
    if (!awaited.empty() && all_answered(awaited)) {
      // The response is in; a server that keeps the stream open past it does not hold us.
      if (!response.parser().is_done()) response.abandon();
      co_return stream_end::answered;
    }
  }
  co_return stream_end::closed;
}

awaitable<void> bridge::resume_stream(const sse_parser& broken, const std::vector<std::string>& awaited,
                                      const deliver_fn& deliver, upstream_failure why) {
  std::string last_event_id = broken.last_event_id();
  auto retry = broken.retry();
  for (int attempt = 0; attempt < max_resume_attempts && !all_answered(awaited); ++attempt) {
    auto delay = std::max(retry.value_or(default_reconnect_delay * (1 << attempt)), min_reconnect_delay);
    spdlog::info("response stream ended ({}); resuming after event '{}' in {} ms", why.detail, last_event_id, delay.count());
    co_await sleep_for(delay);
    if (all_answered(awaited)) co_return;
    try {
      auto authorization = co_await credential_->authorization();
      auto response = co_await client_.send(builder_.get_stream(session_, authorization, last_event_id), true);
      if (response->status() != 200 || response->media_type() != "text/event-stream") {
        auto body = co_await response->read_all(max_error_body_bytes);
        why = describe_http_status(response->status(), response->reason(), response->header("Content-Type"), body, {});
        why.kind = failure_kind::stream_ended;
        why.detail = "resuming with GET failed: HTTP " + why.detail;
        if (response->status() >= 400 && response->status() < 500) break;  // not resumable
        continue;
      }
      sse_parser parser(max_reply_bytes);
      try {
        co_await pump_events(*response, parser, awaited, deliver);
        why = {failure_kind::stream_ended, "the resumed stream closed before the response"};
      } catch (const upstream_error& e) {
        why = e.failure();
      }
      if (parser.saw_event_id()) {
        last_event_id = parser.last_event_id();
        attempt = -1;  // progress was made: the budget starts again
      }
      if (parser.retry()) retry = parser.retry();
    } catch (const upstream_error& e) {
      why = e.failure();
    }
  }
  if (!all_answered(awaited)) throw upstream_error(std::move(why));
}

// ---- session -------------------------------------------------------------------------------

awaitable<void> bridge::reinitialize(std::uint64_t failed_generation) {
  while (reinitializing_) co_await reinitialized_.wait();
  if (generation_ != failed_generation) co_return;  // another request renewed the session already
  reinitializing_ = true;
  stop_listening();
  session_ = {};
  ++generation_;

  json::value initialize = json::parse(*cached_initialize_);
  const json::value internal_id = json::string("awork-mcp-reinitialize-" + std::to_string(++internal_ids_));
  initialize.as_object()["id"] = internal_id;
  const auto internal_key = id_key(internal_id);
  outgoing message{json::serialize(initialize), message_kind::request, "initialize", {internal_id}};
  pending_.emplace(internal_key, internal_id);

  // The client already has its initialize result: the new one is read here and not forwarded.
  const deliver_fn deliver = [this, &internal_key](const classified_message& m, std::string&& raw) {
    if (m.kind == message_kind::response && id_key(m.id) == internal_key) {
      pending_.erase(internal_key);
      if (auto version = protocol_version_of(raw)) session_.protocol_version = *version;
      return;
    }
    emit_to_client(m, std::move(raw));
  };

  std::exception_ptr error;
  try {
    const std::vector<std::string> awaited{internal_key};
    co_await post_once(message, awaited, deliver, true);
    if (pending_.erase(internal_key) > 0)
      throw upstream_error({failure_kind::stream_ended, "the server did not answer the new initialize"});
    if (cached_initialized_) {
      outgoing initialized{*cached_initialized_, message_kind::notification, "notifications/initialized", {}};
      const std::vector<std::string> nothing_awaited;
      co_await post_once(initialized, nothing_awaited, deliver, false);
    }
  } catch (...) {
    error = std::current_exception();
  }
  pending_.erase(internal_key);
  reinitializing_ = false;
  reinitialized_.notify_all();
  if (error) std::rethrow_exception(error);
  spdlog::info("new session established");
  if (config_.get_stream && !session_.session_id.empty()) start_listening();
}

awaitable<void> bridge::wait_for_stream_answer(std::chrono::milliseconds limit) {
  using namespace net::experimental::awaitable_operators;
  if (!listening_ || stream_answered_) co_return;
  net::steady_timer timer(executor_, limit);
  co_await (stream_answered_event_.wait() || timer.async_wait(net::as_tuple(net::use_awaitable)));
}

void bridge::start_listening() {
  if ((listening_ && listener_generation_ == generation_) || shutting_down_) return;
  listening_ = true;
  listener_generation_ = generation_;
  stream_answered_ = false;
  net::co_spawn(executor_, listen(generation_),
                net::bind_cancellation_slot(listen_cancel_.slot(), [](std::exception_ptr e) { log_exception("GET stream", e); }));
}

void bridge::stop_listening() {
  if (!listening_) return;
  listen_cancel_.emit(net::cancellation_type::terminal);
}

awaitable<void> bridge::listen(std::uint64_t generation) {
  auto self = shared_from_this();
  std::optional<std::string> last_event_id;
  std::optional<std::chrono::milliseconds> retry;
  auto backoff = default_reconnect_delay;
  try {
    while (!shutting_down_ && generation_ == generation) {
      bool opened = false;
      try {
        auto authorization = co_await credential_->authorization();
        // Server-initiated messages may be hours apart: no idle timeout on this stream.
        std::unique_ptr<http_response> response;
        try {
          response = co_await client_.send(builder_.get_stream(session_, authorization, last_event_id), true,
                                           std::chrono::milliseconds(0));
        } catch (...) {
          mark_stream_answered();
          throw;
        }
        mark_stream_answered();
        const unsigned status = response->status();
        if (status == 405) {
          spdlog::info("the server offers no GET stream (HTTP 405)");
          break;
        }
        if (status >= 400 && status < 500) {
          spdlog::warn("the server refused the GET stream (HTTP {}); server-initiated messages arrive only on responses",
                       status);
          break;
        }
        if (status == 200 && response->media_type() == "text/event-stream") {
          spdlog::debug("GET stream open");
          opened = true;
          sse_parser parser(max_reply_bytes);
          try {
            co_await pump_events(*response, parser, {}, [this](const classified_message& m, std::string&& raw) {
              emit_to_client(m, std::move(raw));
            });
          } catch (const upstream_error& e) {
            spdlog::debug("GET stream broke: {}", e.what());
          }
          if (parser.saw_event_id()) last_event_id = parser.last_event_id();
          if (parser.retry()) retry = parser.retry();
        } else {
          spdlog::warn("unexpected GET stream reply: HTTP {} {}", status, response->media_type());
        }
      } catch (const upstream_error& e) {
        spdlog::debug("GET stream failed: {}", e.what());
      }
      if (shutting_down_ || generation_ != generation) break;
      // A stream that opened and later ended is reopened promptly; failures back off.
      backoff = opened ? default_reconnect_delay : std::min(backoff * 2, max_listen_backoff);
      co_await sleep_for(std::max(retry.value_or(backoff), min_reconnect_delay));
    }
  } catch (const boost::system::system_error& e) {
    spdlog::debug("GET stream stopped: {}", e.what());  // cancelled by stop_listening()
  }
  if (listener_generation_ == generation) listening_ = false;
}

void bridge::mark_stream_answered() {
  stream_answered_ = true;
  stream_answered_event_.notify_all();
}

awaitable<void> bridge::end_session() {
  if (session_.session_id.empty()) co_return;
  try {
    auto authorization = co_await credential_->authorization();
    auto response = co_await client_.send(builder_.end_session(session_, authorization), false, end_session_timeout);
    spdlog::debug("DELETE session: HTTP {}", response->status());
    co_await response->read_all(max_error_body_bytes);
  } catch (const std::exception& e) {
    spdlog::debug("ending the session failed: {}", e.what());
  }
}

// ---- shutdown ------------------------------------------------------------------------------

awaitable<void> bridge::sleep_for(std::chrono::milliseconds delay) {
  net::steady_timer timer(executor_, delay);
  co_await timer.async_wait(net::use_awaitable);
}

void bridge::request_shutdown(const char* why, bool drain) {
  if (shutting_down_) return;
  shutting_down_ = true;
  spdlog::info("shutting down: {}", why);
  boost::system::error_code ignored;
  input_.cancel(ignored);
  net::co_spawn(executor_, shut_down(drain && !output_.broken()),
                [self = shared_from_this()](std::exception_ptr e) {
                  log_exception("shutdown", e);
                  self->on_exit_();
                });
}

awaitable<void> bridge::shut_down(bool drain) {
  auto self = shared_from_this();
  // A hard stop, whatever hangs: drain time plus a little for DELETE and the last writes.
  auto hard_stop = std::make_shared<net::steady_timer>(executor_, config_.drain_timeout + std::chrono::seconds(5));
  hard_stop->async_wait([self](boost::system::error_code ec) {
    if (!ec) {
      spdlog::warn("shutdown took too long; exiting");
      self->on_exit_();
    }
  });

  const auto deadline = std::chrono::steady_clock::now() + (drain ? config_.drain_timeout : std::chrono::milliseconds(0));
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) co_await sleep_for(std::chrono::milliseconds(10));

  // Whatever is still open gets its one answer now.
  auto error = to_rpc_error({failure_kind::shutdown, "shutting down"}, config_.server);
  for (const auto& [key, id] : pending_)
    if (!key.starts_with("\"awork-mcp-")) answer_error(id, error.code, error.message, error.data);
  pending_.clear();
  answers_closed_ = true;

  stop_listening();
  co_await end_session();
  client_.close_idle();
  co_await output_.flush();
  output_.stop();
  hard_stop->cancel();
}

}  // namespace awork_mcp
