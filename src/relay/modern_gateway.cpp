#include "awork_mcp/relay/modern_gateway.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "awork_mcp/era/input_required.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/era/legacy_wire.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace awork_mcp {

namespace {

constexpr std::string_view empty_result = "{}";

// For send_in: what becomes of requests the server sends on a response stream.
constexpr bool drop_server_requests = false;
constexpr bool refuse_server_requests = true;

upstream_failure refused(std::string why) { return upstream_failure{failure_kind::refused, std::move(why)}; }

// A server that keeps asking for more input is not followed forever.
constexpr int max_input_rounds = 8;

bool may_ask_for_input(std::string_view method) {
  return method == "tools/call" || method == "prompts/get" || method == "resources/read";
}

// Notifications the 2026-07-28 transport has no use for: the handshake's end, cancellation (a
// stateless server learns of it when its response stream is closed), roots changes (roots are
// asked for with each request that needs them).
bool absorbed(std::string_view method) {
  return method == "notifications/initialized" || method == "notifications/cancelled" ||
         method == "notifications/roots/list_changed";
}

int server_error_code(const upstream_failure& failure) {
  if (!failure.server_error.is_object()) return 0;
  const auto* code = failure.server_error.as_object().if_contains("code");
  return code && code->is_int64() ? static_cast<int>(code->as_int64()) : 0;
}

}  // namespace

modern_gateway::modern_gateway(net::any_io_executor ex, const bridge_config& config, upstream& server, deliver_fn emit)
    : executor_(ex), config_(config), server_(server), emit_(std::move(emit)), legacy_renewal_(ex), resource_order_(ex), legacy_stream_(
          ex, server, [this] { return session::snapshot{legacy_session_, legacy_generation_}; },
          [this](const classified_message& m, std::string&& line) { return carry_to_listens(m, std::move(line)); },
          stream_idle_limit, config.max_message_bytes),
      listen_closed_(ex),
      editor_answered_(ex),
      large_answer_(ex) {}

void modern_gateway::stop() {
  legacy_stream_.stop();
  if (listen_run_ && !listen_run_->finished) listen_run_->cancel.emit(net::cancellation_type::terminal);
}

std::string modern_gateway::next_internal_id(std::string_view kind) {
  return "awork-mcp/" + std::string(kind) + "/" + std::to_string(++serial_);
}

outgoing modern_gateway::modern_request(std::string body, std::string method, json::value id) const {
  outgoing request{std::move(body), message_kind::request, std::move(method), {}, {}, {}};
  request.keys.push_back(id_key(id));
  request.request_ids.push_back(std::move(id));
  request.headers = standard_headers(request.body);
  return request;
}

awaitable<modern_gateway::exchange_outcome> modern_gateway::send(const outgoing& message) {
  const session_headers stateless{{}, std::string(modern_protocol_version)};
  co_return co_await send_in(message, stateless, drop_server_requests);
}

awaitable<modern_gateway::exchange_outcome> modern_gateway::send_in(const outgoing& message, const session_headers& session,
                                                                   bool refuse_requests, bool session_may_be_gone) {
  exchange_outcome outcome;
  const std::string key = message.keys.empty() ? std::string() : message.keys.front();
  const deliver_fn capture = [&](const classified_message& m, std::string&& line) -> awaitable<void> {
    if (m.kind == message_kind::response && id_key(m.id) == key) {
      if (outcome.response) {
        spdlog::warn("the server answered request {} twice: the second answer is dropped", key);
        co_return;
      }
      // Waited for while upstream still holds its own large-reply turn: one large answer is read
      // and one is on its way to the editor, never more.
      if (line.size() > large_reply_threshold) outcome.large_hold = co_await large_answer_.acquire();
      outcome.response = std::move(line);
      co_return;
    }
    if (m.kind == message_kind::request) {
      if (!refuse_requests) {
        spdlog::debug("dropping a request the server sent on a response stream (2026-07-28 forbids it)");
        co_return;
      }
      spdlog::warn("the server sent {} to a 2026-07-28 editor, which cannot take requests: refused", m.method);
      // Answered now, while this stream is still open: the server's response to the editor's
      // request waits for this answer.
      const outgoing refusal{unjoinable_server_request(json::serialize(m.id), m.method), message_kind::response, {}, {}, {}, {}};
      auto sent = co_await send_in(refusal, session, drop_server_requests);
      if (sent.failure) spdlog::warn("the refusal of {} did not reach the server: {}", m.method, sent.failure->detail);
      co_return;
    }
    co_await emit_(m, std::move(line));  // progress and log messages of this request
  };
  const answered_fn answered = [&] { return outcome.response.has_value(); };
  retries_used used;
  auto result = co_await server_.exchange(message, session, capture, answered, used, session_may_be_gone);
  outcome.session_id = std::move(result.session_id);
  outcome.session_gone = result.how == exchange_result::ending::renew_session;
  if (result.how != exchange_result::ending::done)
    outcome.failure = std::move(result.failure);
  else if (!outcome.response && !key.empty())
    outcome.failure = upstream_failure{failure_kind::stream_ended, "the server accepted the request but sent no response"};
  co_return outcome;
}

awaitable<void> modern_gateway::answer_here(const json::value& id, std::string_view result_json) {
  std::string line = R"({"jsonrpc":"2.0","id":)" + json::serialize(id) + R"(,"result":)" + std::string(result_json) + "}";
  const auto message = classify(line);
  co_await emit_(message, std::move(line));
}

awaitable<void> modern_gateway::fail(const outgoing& message, const upstream_failure& failure) {
  const auto error = to_rpc_error(failure, server_.target());
  for (const auto& id : message.request_ids) {
    std::string line = make_error_response(id, error.code, error.message, error.data);
    const auto classified = classify(line);
    co_await emit_(classified, std::move(line));
  }
}

awaitable<bool> modern_gateway::initialize(const outgoing& initialize) {
  if (config_.protocol == "legacy") co_return false;
  client_ = client_context_from_initialize(initialize.body);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const json::value probe_id = json::string(next_internal_id("discover"));
    auto probe = modern_request(discover_request(json::serialize(probe_id), client_), "server/discover", probe_id);
    auto outcome = co_await send(probe);
    era_verdict verdict = era_verdict::legacy;
    if (outcome.response) {
      verdict = judge_probe(200, *outcome.response);
    } else if (outcome.failure->kind == failure_kind::http_status) {
      const std::string body = outcome.failure->server_error.is_object()
                                   ? R"({"jsonrpc":"2.0","id":null,"error":)" +
                                         json::serialize(outcome.failure->server_error) + "}"
                                   : std::string();
      verdict = judge_probe(outcome.failure->http_status, body);
    } else {
      // The server could not be asked at all (network, TLS, sign-in): the handshake would meet
      // the same wall, and a second wait would double the time to the error.
      co_await fail(initialize, *outcome.failure);
      co_return true;
    }
    if (verdict == era_verdict::retry_modern) continue;
    if (verdict != era_verdict::modern) break;

    auto answer = initialize_response_from_discover(*outcome.response, initialize.body,
                                                    json::serialize(initialize.request_ids.front()));
    if (!answer) break;
    modern_ = true;
    tools_known_ = false;
    discover_line_ = *outcome.response;
    ++generation_;
    spdlog::info("the server speaks MCP {}: carrying the editor's messages to it statelessly", modern_protocol_version);
    const auto message = classify(*answer);
    co_await emit_(message, std::move(*answer));
    co_return true;
  }
  modern_ = false;
  if (config_.protocol == "modern") {
    const auto refusal = refused("the server does not speak MCP " + std::string(modern_protocol_version) +
                                 " (--protocol modern); try --protocol auto");
    co_await fail(initialize, refusal);
    co_return true;
  }
  spdlog::info("the server does not speak MCP {}: using the initialize handshake", modern_protocol_version);
  co_return false;
}

awaitable<void> modern_gateway::refresh_tools() {
  const json::value id = json::string(next_internal_id("tools"));
  const std::string bare = R"({"jsonrpc":"2.0","id":)" + json::serialize(id) + R"(,"method":"tools/list"})";
  auto body = with_modern_meta(bare, client_);
  if (!body) co_return;
  const auto request = modern_request(std::move(*body), "tools/list", id);
  auto outcome = co_await send(request);
  if (!outcome.response) co_return;
  auto scan = scan_tools_list(*outcome.response);
  for (auto& [name, headers] : scan.headers) tool_headers_[name] = std::move(headers);
  invalid_tools_.insert(scan.invalid.begin(), scan.invalid.end());
  tools_known_ = true;
}

awaitable<std::optional<std::string>> modern_gateway::ask_editor(const std::string& request_line, const std::string& key) {
  editor_answers_[key];  // awaited from now on
  // Forgotten however the wait ends (the editor may cancel the request that asked).
  struct forget {
    std::map<std::string, editor_answer>& answers;
    const std::string& key;
    ~forget() { answers.erase(key); }
  } forget_guard{editor_answers_, key};
  std::string line = request_line;
  const auto message = classify(line);
  co_await emit_(message, std::move(line));
  const auto deadline = config_.request_timeout.count() > 0 ? std::chrono::steady_clock::now() + config_.request_timeout
                                                            : std::chrono::steady_clock::time_point::max();
  while (!editor_answers_[key].answered && std::chrono::steady_clock::now() < deadline)
    co_await editor_answered_.wait_until(deadline);
  auto answer = std::move(editor_answers_[key].result);
  co_return answer;
}

awaitable<void> modern_gateway::forward(const outgoing& message) {
  if (message.kind == message_kind::notification) {
    if (message.method == "notifications/initialized") {
      // The editor is ready for notifications: list changes now come on a listen stream.
      resource_subscriptions_.clear();
      start_listening();
      co_return;
    }
    if (absorbed(message.method)) co_return;
    outgoing notification = message;
    notification.headers = standard_headers(notification.body);
    auto outcome = co_await send(notification);
    if (outcome.failure) spdlog::warn("{} to the server failed: {}", message.method, outcome.failure->detail);
    co_return;
  }
  if (message.kind == message_kind::response) {
    // The editor's answer to an input the server asked for; the server never sees responses.
    const auto classified = classify(message.body);
    const auto key = id_key(classified.id);
    auto waiting = editor_answers_.find(key);
    if (waiting == editor_answers_.end()) {
      spdlog::debug("dropping the editor's response {}: nothing awaits it", key);
      co_return;
    }
    waiting->second.answered = true;
    if (auto result = member_text(message.body, "result"))
      waiting->second.result = std::string(*result);
    else
      spdlog::warn("the editor answered the server's input request {} with an error", key);
    editor_answered_.notify_all();
    co_return;
  }
  if (message.kind == message_kind::batch) {
    const auto refusal = refused("MCP 2026-07-28 has no batches: send the requests one by one");
    co_await fail(message, refusal);
    co_return;
  }

  const json::value& id = message.request_ids.front();
  const std::string& method = message.method;
  if (method == "ping") {
    co_await answer_here(id, empty_result);
    co_return;
  }
  if (method == "logging/setLevel") {
    client_.log_level = nested_string(message.body, "params", "level");
    co_await answer_here(id, empty_result);
    co_return;
  }
  if (method == "resources/subscribe" || method == "resources/unsubscribe") {
    // 2026-07-28 has no such requests: the set of URIs goes on the listen stream, opened anew.
    const auto uri = nested_string(message.body, "params", "uri");
    if (uri.empty()) {
      const auto refusal = refused(method + " needs params.uri");
      co_await fail(message, refusal);
      co_return;
    }
    const bool changed = method == "resources/subscribe" ? resource_subscriptions_.insert(uri).second
                                                         : resource_subscriptions_.erase(uri) > 0;
    if (changed && listen_run_) start_listening();
    co_await answer_here(id, empty_result);
    co_return;
  }
  std::string tool;
  if (method == "tools/call") {
    tool = nested_string(message.body, "params", "name");
    if (!tools_known_) co_await refresh_tools();
    if (invalid_tools_.count(tool)) {
      const auto refusal =
          refused("the tool \"" + tool + "\" is not offered: its x-mcp-header annotations are invalid");
      co_await fail(message, refusal);
      co_return;
    }
  }

  auto body = with_modern_meta(message.body, client_);
  if (!body) {
    const auto refusal = refused("the request cannot be carried to an MCP 2026-07-28 server");
    co_await fail(message, refusal);
    co_return;
  }
  json::value current_id = id;
  bool headers_refreshed = false;
  for (int round = 0;; ++round) {
    outgoing request = modern_request(*body, method, current_id);
    if (!tool.empty()) {
      const auto arguments = member_text(member_text(*body, "params").value_or("{}"), "arguments");
      for (auto& header : param_headers(tool_headers_[tool], arguments.value_or("")))
        request.headers.push_back(std::move(header));
    }
    auto outcome = co_await send(request);
    if (outcome.failure) {
      // -32020: the server wants Mcp-Param headers the bridge did not know of: learn the tools again.
      if (!tool.empty() && !headers_refreshed && server_error_code(*outcome.failure) == -32020) {
        headers_refreshed = true;
        co_await refresh_tools();
        continue;
      }
      co_await fail(message, *outcome.failure);
      co_return;
    }
    std::string line = std::move(*outcome.response);
    if (method == "tools/list") {
      auto scan = scan_tools_list(line);
      for (std::size_t i = 0; i < scan.reasons.size(); ++i)
        spdlog::warn("dropped a tool the server offered: {}", scan.reasons[i]);
      for (auto& [name, headers] : scan.headers) tool_headers_[name] = std::move(headers);
      invalid_tools_.insert(scan.invalid.begin(), scan.invalid.end());
      tools_known_ = true;
      line = std::move(scan.filtered_line);
    }
    if (may_ask_for_input(method)) {
      if (auto inputs = parse_input_required(line)) {
        outcome.large_hold.release();  // the editor may take its time to answer
        if (round >= max_input_rounds) {
          const auto refusal =
              refused("the server asked for input more than " + std::to_string(max_input_rounds) + " times");
          co_await fail(message, refusal);
          co_return;
        }
        std::vector<std::pair<std::string, std::string>> responses;
        for (const auto& input : inputs->requests) {
          const auto ask_id = next_internal_id("input");
          const auto ask_key = id_key(json::string(ask_id));
          const auto ask = editor_input_request(input, json_quote(ask_id));
          auto answer = co_await ask_editor(ask, ask_key);
          if (!answer) {
            const auto refusal = refused("the editor did not answer the server's " + input.method + " request");
            co_await fail(message, refusal);
            co_return;
          }
          responses.emplace_back(input.key, std::move(*answer));
        }
        current_id = json::string(next_internal_id("retry"));
        auto retry = retry_with_inputs(*body, json::serialize(current_id), responses, inputs->request_state);
        if (!retry) {
          const auto refusal = refused("the request cannot be sent again with its inputs");
          co_await fail(message, refusal);
          co_return;
        }
        body = std::move(*retry);
        continue;
      }
    }
    if (current_id != id) {
      auto renamed = with_id(line, json::serialize(id));
      if (renamed) line = std::move(*renamed);
    }
    const auto classified = classify(line);
    co_await emit_(classified, std::move(line));
    co_return;
  }
}

bool modern_gateway::from_modern_editor(const outgoing& message) {
  if (message.kind != message_kind::request && message.kind != message_kind::notification) return false;
  return message.method == "server/discover" || !requested_protocol_version(message.body).empty();
}

awaitable<void> modern_gateway::pass_through(const outgoing& message) {
  std::string version = requested_protocol_version(message.body);
  if (version.empty()) version = modern_protocol_version;
  if (message.kind == message_kind::notification) {
    // Cancellation and the like: no answer is awaited, and a legacy server hears it in its session.
    outgoing notification = message;
    notification.headers = standard_headers(message.body);
    const session_headers headers = has_legacy_session() ? legacy_session_ : session_headers{{}, version};
    const answered_fn nothing_awaited = [] { return true; };
    retries_used used;
    auto result = co_await server_.exchange(notification, headers, emit_, nothing_awaited, used, false);
    if (result.how == exchange_result::ending::failed)
      spdlog::warn("{} to the server failed: {}", message.method, result.failure.detail);
    co_return;
  }
  if (has_legacy_session()) {
    co_await forward_to_legacy(message);
    co_return;
  }
  outgoing request = message;
  request.headers = standard_headers(message.body);
  if (message.method == "tools/call") {
    // Mcp-Param headers come from the tools' schemas: learn them once if the editor has not listed.
    if (!tools_known_) co_await refresh_tools();
    const auto tool = nested_string(message.body, "params", "name");
    const auto arguments = member_text(member_text(message.body, "params").value_or("{}"), "arguments");
    for (auto& header : param_headers(tool_headers_[tool], arguments.value_or(""))) request.headers.push_back(std::move(header));
  }
  const session_headers stateless{{}, version};
  auto outcome = co_await send_in(request, stateless, drop_server_requests);
  if (outcome.failure) {
    const auto& failure = *outcome.failure;
    // No JSON-RPC error, or the reference SDK's "Server not initialized" (-32000): an older server.
    const bool older_server = failure.kind == failure_kind::http_status &&
                              (failure.http_status == 400 || failure.http_status == 404) &&
                              (!failure.server_error.is_object() || server_error_code(failure) == -32000);
    const std::uint64_t none_yet = 0;
    if (older_server && config_.protocol != "modern" && co_await make_legacy_session(message, none_yet)) {
      spdlog::info("the server speaks only the initialize handshake: made it for the 2026-07-28 editor");
      co_await forward_to_legacy(message);
      co_return;
    }
    if (older_server) {
      // Most likely a server of an older era: say so instead of a bare HTTP error.
      const auto refusal = refused("the server did not take this MCP " + version + " request (HTTP " +
                                   std::to_string(failure.http_status) +
                                   "); if it speaks only an older revision, use an editor that starts with initialize: "
                                   "the bridge does not yet join a " + version + " editor to an older server");
      co_await fail(message, refusal);
      co_return;
    }
    co_await fail(message, failure);
    co_return;
  }
  // The editor judges the tools itself; the bridge only learns their headers.
  if (message.method == "tools/list") {
    auto scan = scan_tools_list(*outcome.response);
    for (auto& [name, headers] : scan.headers) tool_headers_[name] = std::move(headers);
    tools_known_ = true;
  }
  const auto classified = classify(*outcome.response);
  co_await emit_(classified, std::move(*outcome.response));
}

void modern_gateway::start_listening() {
  // One stream at a time: the one it replaces is cancelled, so nothing comes twice.
  if (listen_run_ && !listen_run_->finished) listen_run_->cancel.emit(net::cancellation_type::terminal);
  auto run = std::make_shared<listen_run>();
  listen_run_ = run;
  net::co_spawn(executor_, listen(generation_),
                net::bind_cancellation_slot(run->cancel.slot(), [run](std::exception_ptr e) {
                  run->finished = true;
                  if (!e) return;
                  try {
                    std::rethrow_exception(e);
                  } catch (const boost::system::system_error& error) {
                    if (error.code() != net::error::operation_aborted)
                      spdlog::error("the subscriptions/listen stream failed: {}", error.what());
                  } catch (const std::exception& error) {
                    spdlog::error("the subscriptions/listen stream failed: {}", error.what());
                  }
                }));
}

awaitable<void> modern_gateway::listen(std::uint64_t generation) {
  auto pause = std::chrono::seconds(1);
  net::steady_timer timer(executor_);
  while (modern_ && generation == generation_) {
    const json::value id = json::string(next_internal_id("listen"));
    auto body = listen_request(discover_line_, json::serialize(id), client_, resource_subscriptions_);
    if (!body) co_return;  // the server offers no list changes
    const auto request = modern_request(std::move(*body), "subscriptions/listen", id);
    const auto key = request.keys.front();
    bool ended = false;
    const deliver_fn deliver = [&](const classified_message& m, std::string&& line) -> awaitable<void> {
      if (generation != generation_) co_return;  // the editor initialized again meanwhile
      if (m.kind == message_kind::response && id_key(m.id) == key) {
        ended = true;  // the server closed the subscription
        co_return;
      }
      if (m.kind != message_kind::notification || m.method == "notifications/subscriptions/acknowledged") co_return;
      if (m.method == "notifications/tools/list_changed") tools_known_ = false;  // learn the headers again
      co_await emit_(m, std::move(line));
    };
    const answered_fn answered = [&] { return ended || generation != generation_; };
    const session_headers stateless{{}, std::string(modern_protocol_version)};
    retries_used used;
    const auto opened = std::chrono::steady_clock::now();
    auto result = co_await server_.exchange(request, stateless, deliver, answered, used, false);
    if (!modern_ || generation != generation_) co_return;
    if (result.how == exchange_result::ending::failed && result.failure.kind == failure_kind::http_status &&
        result.failure.http_status >= 400 && result.failure.http_status < 500 && result.failure.http_status != 429) {
      spdlog::info("the server refused subscriptions/listen ({}): list changes will not reach the editor",
                   result.failure.detail);
      co_return;
    }
    // A stream that lived a while was cut by a proxy or the server: reopen at once, quietly.
    if (std::chrono::steady_clock::now() - opened > std::chrono::minutes(1)) pause = std::chrono::seconds(1);
    timer.expires_after(pause);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    pause = std::min<std::chrono::seconds>(pause * 2, std::chrono::seconds(60));
  }
}

awaitable<bool> modern_gateway::handshake_for_modern_editor(const outgoing& first) {
  const json::value id = json::string(next_internal_id("initialize"));
  outgoing initialize{initialize_request_from_meta(first.body, json::serialize(id)), message_kind::request, "initialize", {}, {}, {}};
  initialize.keys.push_back(id_key(id));
  initialize.request_ids.push_back(id);
  const session_headers none;
  auto outcome = co_await send_in(initialize, none, drop_server_requests);
  if (!outcome.response || !member_text(*outcome.response, "result")) co_return false;
  session_headers session{outcome.session_id, nested_string(*outcome.response, "result", "protocolVersion")};
  std::string initialize_line = std::move(*outcome.response);
  outcome.large_hold.release();

  const outgoing initialized{R"({"jsonrpc":"2.0","method":"notifications/initialized"})", message_kind::notification,
                             "notifications/initialized", {}, {}, {}};
  (void)co_await send_in(initialized, session, drop_server_requests);
  // Published only now: no request goes out in the session before `initialized` (servers such as
  // the Python SDK's refuse one that overtakes it), and a handshake cut short (its request
  // cancelled) publishes nothing, so the next request that meets the 404 makes it again.
  legacy_session_ = std::move(session);
  legacy_initialize_line_ = std::move(initialize_line);
  ++legacy_generation_;
  co_return true;
}

awaitable<bool> modern_gateway::make_legacy_session(const outgoing& message, std::uint64_t seen) {
  // Requests that meet an older server together (at first, or once it forgot the session) share
  // one handshake.
  auto turn = co_await legacy_renewal_.acquire();
  if (legacy_generation_ != seen) co_return true;  // another request made it meanwhile
  if (seen > 0) spdlog::info("the server forgot the session kept for the 2026-07-28 editor: making the handshake again");
  const bool made = co_await handshake_for_modern_editor(message);
  if (!made && seen > 0) spdlog::warn("the server refused a new handshake for the 2026-07-28 editor");
  if (made && !legacy_listens_.empty()) net::co_spawn(executor_, resume_legacy_listens(), net::detached);
  co_return made;
}

awaitable<void> modern_gateway::resume_legacy_listens() {
  // The new session knows none of the old one's subscriptions, and its GET stream is another.
  std::vector<std::string> uris;
  for (const auto& [key, listen] : legacy_listens_)
    for (const auto& uri : listen->resource_uris)
      if (std::find(uris.begin(), uris.end(), uri) == uris.end()) uris.push_back(uri);
  const std::string subscribe = "resources/subscribe";
  for (const auto& uri : uris)
    if (resource_wanted(uri)) (void)co_await resource_request(subscribe, uri);
  if (!legacy_listens_.empty()) legacy_stream_.start();  // a new generation: the old stream's run ends
}

awaitable<void> modern_gateway::forward_to_legacy(const outgoing& message) {
  if (message.method == "subscriptions/listen") {
    co_await listen_for_modern_editor(message);
    co_return;
  }
  if (message.method == "server/discover") {
    auto answer = discover_response_from_initialize(legacy_initialize_line_, json::serialize(message.request_ids.front()));
    if (answer) {
      const auto classified = classify(*answer);
      co_await emit_(classified, std::move(*answer));
      co_return;
    }
  }
  // The server's own requests cannot reach the editor: they are refused as they come.
  const auto generation = legacy_generation_;
  const session_headers session = legacy_session_;  // a copy: a renewal may replace it meanwhile
  auto outcome = co_await send_in(message, session, refuse_server_requests, true);
  if (outcome.session_gone && co_await make_legacy_session(message, generation)) {
    const session_headers renewed = legacy_session_;
    outcome = co_await send_in(message, renewed, refuse_server_requests);  // once: a second 404 is an error
  }
  if (outcome.failure) {
    co_await fail(message, *outcome.failure);
    co_return;
  }
  std::string line = modern_result(*outcome.response, message.method);
  const auto classified = classify(line);
  co_await emit_(classified, std::move(line));
}

awaitable<void> modern_gateway::listen_for_modern_editor(const outgoing& message) {
  auto plan = plan_legacy_listen(message.body, legacy_initialize_line_);
  if (!plan) {
    const auto refusal = refused("subscriptions/listen needs params.notifications, an object");
    co_await fail(message, refusal);
    co_return;
  }
  // Registered before its subscriptions go out: a listen it replaces, cancelled meanwhile, then
  // sees that its resources are still wanted and leaves them subscribed.
  const auto key = message.keys.front();
  const auto listen = std::make_shared<legacy_listen>(std::move(*plan));
  legacy_listens_[key] = listen;
  struct on_end {
    modern_gateway& self;
    const std::string& key;
    const std::shared_ptr<legacy_listen>& listen;
    ~on_end() { self.end_legacy_listen(key, listen); }
  } end_guard{*this, key, listen};

  // A resource the server will not subscribe to is left out of the acknowledgement.
  std::vector<std::string> taken;
  const std::string subscribe = "resources/subscribe";
  for (const auto& uri : listen->resource_uris) {
    const bool took = co_await resource_request(subscribe, uri);
    if (took) taken.push_back(uri);
  }
  listen->resource_uris = std::move(taken);

  // Acknowledged first: the editor takes nothing on this listen before its acknowledgement.
  auto acknowledgement = listen_acknowledgement(*listen);
  const auto classified = classify(acknowledgement);
  co_await emit_(classified, std::move(acknowledgement));
  if (listen->tools || listen->prompts || listen->resources || !listen->resource_uris.empty()) legacy_stream_.start();

  // Open until the editor cancels it (which cancels this coroutine) or the bridge shuts down.
  for (;;) {
    co_await listen_closed_.wait();
    const auto state = co_await net::this_coro::cancellation_state;
    if (state.cancelled() != net::cancellation_type::none) co_return;
  }
}

bool modern_gateway::resource_wanted(const std::string& uri) const {
  return std::any_of(legacy_listens_.begin(), legacy_listens_.end(), [&](const auto& open) {
    const auto& uris = open.second->resource_uris;
    return std::find(uris.begin(), uris.end(), uri) != uris.end();
  });
}

void modern_gateway::end_legacy_listen(const std::string& key, const std::shared_ptr<legacy_listen>& listen) {
  // The editor may have used the id again meanwhile: only our own entry goes, but our resources
  // are let go of either way.
  if (const auto mine = legacy_listens_.find(key); mine != legacy_listens_.end() && mine->second == listen)
    legacy_listens_.erase(mine);
  std::vector<std::string> dropped;
  for (const auto& uri : listen->resource_uris)
    if (!resource_wanted(uri)) dropped.push_back(uri);
  if (!dropped.empty()) net::co_spawn(executor_, unsubscribe(std::move(dropped)), net::detached);
  if (legacy_listens_.empty()) legacy_stream_.stop();
}

awaitable<void> modern_gateway::unsubscribe(std::vector<std::string> uris) {
  const std::string method = "resources/unsubscribe";
  for (const auto& uri : uris) {
    // A listen opened since may want it again (resource_request keeps them in order).
    if (resource_wanted(uri)) continue;
    (void)co_await resource_request(method, uri);
  }
}

awaitable<bool> modern_gateway::resource_request(const std::string& method, const std::string& uri) {
  // One at a time, in the order asked: an unsubscribe must not overtake the subscribe that follows it.
  const auto turn = co_await resource_order_.acquire();
  if (method == "resources/unsubscribe" && resource_wanted(uri)) co_return true;  // wanted again while it waited
  if (method == "resources/subscribe" && !resource_wanted(uri)) co_return false;  // its listen ended while it waited
  const json::value id = json::string(next_internal_id("resource"));
  outgoing request{R"({"jsonrpc":"2.0","id":)" + json::serialize(id) + R"(,"method":)" + json_quote(method) +
                       R"(,"params":{"uri":)" + json_quote(uri) + "}}",
                   message_kind::request, method, {}, {}, {}};
  request.keys.push_back(id_key(id));
  request.request_ids.push_back(id);
  const session_headers session = legacy_session_;  // a copy: a renewal may replace it meanwhile
  auto outcome = co_await send_in(request, session, refuse_server_requests);
  const bool taken = outcome.response && member_text(*outcome.response, "result");
  if (!taken)
    spdlog::warn("the server did not take {} {}: {}", method, uri,
                 outcome.failure ? outcome.failure->detail : std::string("it answered with an error"));
  co_return taken;
}

awaitable<void> modern_gateway::carry_to_listens(const classified_message& message, std::string line) {
  if (message.kind == message_kind::request) {
    spdlog::warn("the server sent {} to a 2026-07-28 editor, which cannot take requests: refused", message.method);
    const outgoing refusal{unjoinable_server_request(json::serialize(message.id), message.method), message_kind::response,
                           {}, {}, {}, {}};
    const session_headers session = legacy_session_;  // a copy: a renewal may replace it meanwhile
    auto sent = co_await send_in(refusal, session, drop_server_requests);
    if (sent.failure) spdlog::warn("the refusal of {} did not reach the server: {}", message.method, sent.failure->detail);
    co_return;
  }
  if (message.kind != message_kind::notification) co_return;
  // A copy: a listen may end while a notification waits for stdout; one that has ended gets no more.
  const auto open = legacy_listens_;
  bool carried = false;
  for (const auto& [key, listen] : open) {
    const auto still = legacy_listens_.find(key);
    if (still == legacy_listens_.end() || still->second != listen) continue;
    if (auto notification = listen_notification(*listen, line)) {
      carried = true;
      const auto classified = classify(*notification);
      co_await emit_(classified, std::move(*notification));
    }
  }
  if (!carried) spdlog::debug("{} from the server's stream: no listen asked for it", message.method);
}

}  // namespace awork_mcp
