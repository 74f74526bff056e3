#include "mcp_fixture.hpp"

std::string initialize_line(int id, const char* protocol) {
  json::object params{{"protocolVersion", protocol},
                      {"capabilities", json::object{{"sampling", json::object{}}, {"elicitation", json::object{}}}},
                      {"clientInfo", json::object{{"name", "test"}, {"version", "1"}}}};
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", "initialize"}, {"params", params}});
}

std::string request_line(const json::value& id, std::string_view method, json::object params) {
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

std::string message_of(const json::value& response) {
  if (!response.is_object()) return {};
  const auto* error = response.as_object().if_contains("error");
  if (!error || !error->is_object()) return {};
  const auto* message = error->as_object().if_contains("message");
  return message && message->is_string() ? std::string(message->get_string()) : std::string();
}

bool has_method(const json::object& msg, std::string_view method) {
  const auto* m = msg.if_contains("method");
  return m && m->is_string() && m->get_string() == method;
}

void gate::open() {
  // Notified under the lock: a woken waiter may end its test and destroy this gate, which must
  // not happen while the notify is still running.
  std::lock_guard lock(mutex_);
  open_ = true;
  cv_.notify_all();
}

bool gate::wait_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  ++waiters_;
  const bool opened = cv_.wait_for(lock, timeout, [&] { return open_; });
  --waiters_;
  cv_.notify_all();  // a destructor may be waiting for the last waiter to leave
  return opened;
}

gate::~gate() {
  // A server thread may still be inside wait_for when the test body ends: open the gate, and
  // let every waiter leave before the mutex and condition variable go away.
  std::unique_lock lock(mutex_);
  open_ = true;
  cv_.notify_all();
  cv_.wait(lock, [&] { return waiters_ == 0; });
}

bool gate::is_open() {
  std::lock_guard lock(mutex_);
  return open_;
}

std::string fake_mcp::current_session() const {
  std::lock_guard lock(mutex_);
  return session_;
}

void fake_mcp::answer(server_reply& reply, const json::value& id, json::value result, bool as_sse) {
  auto text = json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  if (!as_sse) return reply.json(200, text);
  reply.start_sse();
  reply.sse(test_support::sse_event("", "prime-1"));
  reply.sse(test_support::sse_event(text, "ev-1"));
  reply.finish_sse();
}

void fake_mcp::handle(const test_support::request& req, server_reply& reply) {
  namespace http = test_support::http;
  if (on_request && on_request(req, reply)) return;
  if (req.method() == http::verb::get) {
    if (on_get) return on_get(req, reply);
    return reply.empty(405);
  }
  if (req.method() == http::verb::delete_) return reply.empty(200);
  boost::system::error_code ec;
  auto body = json::parse(req.body(), ec);
  if (ec) return reply.json(400, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}})");
  if (body.is_array()) {  // a batch: answer each request in one JSON array
    json::array out;
    for (auto& m : body.as_array())
      if (m.as_object().contains("id") && m.as_object().contains("method"))
        out.push_back(json::object{{"jsonrpc", "2.0"}, {"id", m.at("id")}, {"result", json::object{{"batched", true}}}});
    return reply.json(200, json::serialize(out));
  }
  const auto& msg = body.as_object();
  if (on_post && on_post(req, reply, msg)) return;

  const auto* method = msg.if_contains("method");
  if (method && *method == "initialize") {
    int n = ++initialize_count;
    std::string id = "s" + std::to_string(n);
    {
      std::lock_guard lock(mutex_);
      session_ = id;
    }
    auto result = json::object{{"protocolVersion", msg.at("params").at("protocolVersion")},
                               {"capabilities", json::object{{"tools", json::object{}}}},
                               {"serverInfo", json::object{{"name", "fake"}, {"version", "1"}}}};
    auto text = json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", msg.at("id")}, {"result", result}});
    return reply.json(200, text, {{"Mcp-Session-Id", id}});
  }
  {
    auto it = req.find("Mcp-Session-Id");
    std::string sent = it == req.end() ? "" : std::string(it->value());
    std::lock_guard lock(mutex_);
    if (forget_sessions.exchange(false)) forgotten_ = session_;
    if (!sent.empty() && sent == forgotten_)
      return reply.json(404, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32001,"message":"Session not found"}})");
  }
  if (!method || !msg.contains("id")) return reply.empty(202);  // notification or response
  if (*method == "tools/call") {
    std::string text;  // echoes arguments.message
    if (const auto* params = msg.if_contains("params"); params && params->is_object())
      if (const auto* args = params->as_object().if_contains("arguments"); args && args->is_object())
        if (const auto* m = args->as_object().if_contains("message"); m && m->is_string()) text = m->get_string();
    json::array content{json::object{{"type", "text"}, {"text", text}}};
    return answer(reply, msg.at("id"), json::object{{"content", content}}, sse);
  }
  answer(reply, msg.at("id"), json::object{}, sse);
}

void bridge_test::SetUp() {
  server = std::make_unique<test_server>([this](const auto& req, auto& reply) { mcp.handle(req, reply); });
}

void bridge_test::TearDown() { stop_peers(); }

void bridge_test::stop_peers() {
  bridge.reset();  // first: while it drains it may still send (a DELETE, a reopened GET)
  server.reset();
}

void bridge_test::start_bridge(std::vector<std::string> args, std::map<std::string, std::string> env) {
  unclaimed_responses_.clear();  // a new bridge: what the last one said is not its answer
  bridge_process::options opts;
  opts.args = {"--url", server->url()};
  opts.args.insert(opts.args.end(), args.begin(), args.end());
  opts.env = std::move(env);
  bridge = std::make_unique<bridge_process>(opts);
}

json::value bridge_test::read_json(std::chrono::milliseconds timeout) {
  auto line = bridge->read_line(timeout);
  if (!line) {
    ADD_FAILURE() << "no line from the bridge; its stderr:\n" << bridge->stderr_text();
    return nullptr;
  }
  boost::system::error_code ec;
  auto v = json::parse(*line, ec);
  EXPECT_FALSE(ec) << "stdout line is not JSON: " << *line;
  return v;
}

json::value bridge_test::read_response(const json::value& id, std::chrono::milliseconds timeout,
                                       std::vector<json::value>* before) {
  const auto is_response = [](const json::value& v) {
    return v.is_object() && v.as_object().contains("id") && !v.as_object().contains("method");
  };
  for (auto it = unclaimed_responses_.begin(); it != unclaimed_responses_.end(); ++it) {
    if (it->at("id") != id) continue;
    auto v = std::move(*it);
    unclaimed_responses_.erase(it);
    return v;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto line = bridge->read_line(left);
    if (!line) break;
    auto v = json::parse(*line);
    if (is_response(v) && v.at("id") == id) return v;
    if (before)
      before->push_back(v);
    else if (is_response(v))
      unclaimed_responses_.push_back(std::move(v));
  }
  ADD_FAILURE() << "no response with id " << json::serialize(id) << "; bridge stderr:\n" << bridge->stderr_text();
  return nullptr;
}

json::value bridge_test::handshake(const char* protocol) {
  bridge->send(initialize_line(1, protocol));
  auto response = read_response(1);
  bridge->send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  return response;
}

std::vector<recorded_request> bridge_test::posts_with_method(std::string_view method) const {
  std::vector<recorded_request> out;
  for (auto& r : server->requests()) {
    if (r.method != "POST") continue;
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    if (!ec && v.is_object() && v.as_object().contains("method") && v.at("method").is_string() && v.at("method").get_string() == method)
      out.push_back(r);
  }
  return out;
}
