// libFuzzer target: the era translation's readers of server and editor bytes: the JSON member
// splice (a hand-written scanner), tools/list scans with x-mcp-header rules, input_required
// results, discover and initialize results, the `_meta` the bridge adds, and a 2024-11-05 server's
// `endpoint` event. The first byte picks
// the function; the rest is its input.
#include "awork_mcp/era/http_sse_rules.hpp"
#include "awork_mcp/era/input_required.hpp"
#include "awork_mcp/core/json_splice.hpp"
#include "awork_mcp/era/legacy_wire.hpp"
#include "awork_mcp/era/modern_wire.hpp"
#include "awork_mcp/era/tool_headers.hpp"
#include "fuzz_support.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool is_json(std::string_view text) {
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  return !ec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace awork_mcp;
  const bool valid = is_json(input);
  switch (data[0] % 8) {
    case 0: {
      // The splice keeps valid JSON valid, and finds what it set.
      auto set = set_member(input, "_meta", R"({"k":1})");
      if (set && valid) {
        FUZZ_CHECK(is_json(*set));
        FUZZ_CHECK(member_text(*set, "_meta") == std::optional<std::string_view>(R"({"k":1})"));
      }
      auto removed = remove_member(input, "id");
      if (removed && valid) FUZZ_CHECK(is_json(*removed) && !member_text(*removed, "id"));
      break;
    }
    case 1: {
      client_context client{"{}", R"({"name":"f","version":"1"})", "info"};
      auto with_meta = with_modern_meta(input, client);
      if (with_meta && valid) FUZZ_CHECK(is_json(*with_meta));
      (void)standard_headers(input);
      (void)requested_protocol_version(input);
      break;
    }
    case 2: {
      auto scan = scan_tools_list(input);
      if (valid) FUZZ_CHECK(is_json(scan.filtered_line));
      for (const auto& [tool, annotations] : scan.headers)
        (void)param_headers(annotations, R"({"a":"x","b":1,"c":true})");
      break;
    }
    case 3: {
      if (auto inputs = parse_input_required(input)) {
        std::vector<std::pair<std::string, std::string>> answers;
        for (const auto& request : inputs->requests) {
          auto ask = editor_input_request(request, "\"a-1\"");
          if (valid) FUZZ_CHECK(is_json(ask));
          answers.emplace_back(request.key, R"({"action":"accept"})");
        }
        const std::string original = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t"}})";
        if (auto retry = retry_with_inputs(original, "\"r-1\"", answers, inputs->request_state))
          if (valid) FUZZ_CHECK(is_json(*retry));
      }
      break;
    }
    case 4: {
      auto answer = initialize_response_from_discover(input, R"({"params":{"protocolVersion":"2025-06-18"}})", "1");
      if (answer && valid) FUZZ_CHECK(is_json(*answer));
      (void)judge_probe(400, input);
      (void)listen_request(input, "1", client_context{});
      break;
    }
    case 5: {
      auto discover = discover_response_from_initialize(input, "1");
      if (discover && valid) FUZZ_CHECK(is_json(*discover));
      auto modern = modern_result(input, "tools/list");
      if (valid) FUZZ_CHECK(is_json(modern));
      (void)initialize_request_from_meta(input, "1");
      // A listen carried for a legacy server: its acknowledgement and notifications stay JSON.
      static const std::string offers_all =
          R"({"result":{"capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true,"listChanged":true}}}})";
      if (auto listen = plan_legacy_listen(input, offers_all)) {
        if (valid) FUZZ_CHECK(is_json(listen_acknowledgement(*listen)));
      }
      (void)plan_legacy_listen(R"({"id":1,"params":{"notifications":{"toolsListChanged":true}}})", input);
      const legacy_listen all{"\"L\"", true, true, true, true, {"a://1"}};
      auto carried = listen_notification(all, input);
      if (carried && valid) FUZZ_CHECK(is_json(*carried));
      break;
    }
    case 6: {
      auto renamed = with_id(input, "\"e-1\"");
      if (renamed && valid) FUZZ_CHECK(is_json(*renamed));
      (void)encode_header_value(input);
      break;
    }
    case 7: {
      // Whatever the event says, messages never leave the server's origin.
      static const auto server = parse_endpoint("https://mcp.example.com:8443/api/sse?t=1");
      auto verdict = judge_endpoint_event(sse_event{"endpoint", std::string(input), {}}, server);
      if (verdict.usable) {
        FUZZ_CHECK(!verdict.target.empty() && verdict.target.front() == '/');
        FUZZ_CHECK(parse_endpoint("https://mcp.example.com:8443" + verdict.target).origin() == server.origin());
      }
      break;
    }
  }
  return 0;
}
