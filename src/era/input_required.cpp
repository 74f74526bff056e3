#include "awork_mcp/era/input_required.hpp"

#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/json_splice.hpp"

namespace awork_mcp {

std::optional<input_required_result> parse_input_required(std::string_view response_line) {
  // The scan first: almost every result is complete, and a full parse of each one cost the
  // 2026-07-28 path a third of its throughput (bench/RESULTS.md). The scanners are safe on any
  // text (fuzzed); only an input_required result is checked to be valid JSON before the splices.
  const auto result = object_member(response_line, "result");
  if (!result || string_member(*result, "resultType") != "input_required") return std::nullopt;
  boost::system::error_code ec;
  parse_json(response_line, ec);
  if (ec) return std::nullopt;
  input_required_result out;
  if (const auto requests = object_member(*result, "inputRequests")) {
    // An entry without a method cannot be asked of the editor; it is left out rather than
    // failing the whole round (the server may do without it, or ask again).
    if (const auto members = object_members(*requests))
      for (const auto& [key, request] : *members) {
        if (request.front() != '{') continue;
        auto method = string_member(request, "method");
        if (!method) continue;
        const auto params = object_member(request, "params");
        out.requests.push_back({key, std::move(*method), params ? std::string(*params) : std::string("{}")});
      }
  }
  if (const auto state = member_text(*result, "requestState")) out.request_state = std::string(*state);
  return out;
}

std::string editor_input_request(const input_request& input, std::string_view id_json) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += id_json;
  out += R"(,"method":)";
  out += json_quote(input.method);
  out += R"(,"params":)";
  out += input.params.empty() ? std::string_view("{}") : std::string_view(input.params);
  out += '}';
  return out;
}

std::optional<std::string> retry_with_inputs(std::string_view original_request, std::string_view id_json,
                                             const std::vector<std::pair<std::string, std::string>>& responses,
                                             const std::optional<std::string>& request_state) {
  if (!string_member(original_request, "method")) return std::nullopt;
  auto body = set_member(original_request, "id", id_json);
  if (!body) return std::nullopt;
  const auto params = member_text(*body, "params");
  std::string new_params = params && *params != "null" ? std::string(*params) : std::string("{}");
  if (new_params.front() != '{') return std::nullopt;

  std::string inputs = "{";
  for (const auto& [key, result] : responses) {
    if (result.empty()) return std::nullopt;  // no JSON text: nothing valid to send
    if (inputs.size() > 1) inputs += ',';
    inputs += json_quote(key);
    inputs += ':';
    inputs += result;
  }
  inputs += '}';

  // Those of an earlier round are replaced; a state the server no longer gives is not echoed.
  auto step = request_state && !request_state->empty() ? set_member(new_params, "requestState", *request_state)
                                                        : remove_member(new_params, "requestState");
  if (step) step = set_member(*step, "inputResponses", inputs);
  if (!step) return std::nullopt;
  return set_member(*body, "params", *step);
}

std::optional<std::string> with_id(std::string_view response_line, std::string_view id_json) {
  return set_member(response_line, "id", id_json);
}

}  // namespace awork_mcp
