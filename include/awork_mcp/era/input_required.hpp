#pragma once
// Multi round-trip requests (2026-07-28): a tools/call, prompts/get or resources/read may be
// answered with resultType "input_required", naming inputs (elicitation, sampling, roots) the
// client must gather before it sends the request again with inputResponses and requestState.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awork_mcp {

struct input_request {
  std::string key;      ///< the server's key for it in inputResponses
  std::string method;   ///< elicitation/create, sampling/createMessage or roots/list
  std::string params;   ///< its params as JSON text ("{}" when absent)
};

struct input_required_result {
  std::vector<input_request> requests;
  std::optional<std::string> request_state;  ///< JSON text, echoed as sent
};

/// The input_required result of a response line; nullopt for any other response (resultType
/// absent or "complete", an error).
std::optional<input_required_result> parse_input_required(std::string_view response_line);

/// The request to send to the editor for one input, with the bridge's id `id_json`.
std::string editor_input_request(const input_request& input, std::string_view id_json);

/// The original request sent again: new id `id_json`, its params plus inputResponses (key →
/// result JSON text) and requestState when the server gave one; every other byte as it was.
std::optional<std::string> retry_with_inputs(std::string_view original_request, std::string_view id_json,
                                             const std::vector<std::pair<std::string, std::string>>& responses,
                                             const std::optional<std::string>& request_state);

/// A response line with its id replaced by `id_json` (the editor's id for an answer obtained
/// under the bridge's own), every other byte kept.
std::optional<std::string> with_id(std::string_view response_line, std::string_view id_json);

}  // namespace awork_mcp
