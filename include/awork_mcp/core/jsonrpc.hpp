#pragma once
// JSON-RPC 2.0 message classification and error construction.

#include <boost/json.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {
namespace json = boost::json;

/// Standard JSON-RPC error codes, and the bridge's own in the server-error range.
namespace rpc_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int invalid_params = -32602;     ///< also MCP's code for a tool it will not call
inline constexpr int internal_error = -32603;
inline constexpr int connection_failed = -32000;  ///< DNS, connect, TLS, stream cut, shutdown
inline constexpr int request_timeout = -32001;    ///< same code as the MCP SDKs use
inline constexpr int http_error = -32003;         ///< the server answered with an HTTP error status
}  // namespace rpc_code

enum class message_kind { request, notification, response, batch, invalid };
std::ostream& operator<<(std::ostream&, message_kind);

/// What a message read from either side is, and what the bridge needs to know of it.
struct classified_message {
  message_kind kind = message_kind::invalid;
  bool parse_error = false;    ///< the text is not JSON at all
  json::value id;              ///< for requests and responses (null otherwise)
  std::string method;          ///< for requests and notifications
  std::string problem;         ///< why it is invalid
  std::vector<json::value> request_ids;  ///< requests awaiting an answer (one, or a batch's)
};

/// Classifies JSON text as a JSON-RPC 2.0 message. It scans the text with Boost.JSON's SAX
/// parser and builds no document: every message in both directions passes through here, and
/// a multi-megabyte tool result costs one pass and no copy.
classified_message classify(std::string_view text);

/// The id of a request from the first bytes of a line too long to keep (the rest was dropped):
/// found when "id" comes before the cut at the top level of an object, null otherwise.
json::value id_from_prefix(std::string_view prefix);

/// A stable key for an id: its JSON text, so 1 and "1" stay distinct.
std::string id_key(const json::value& id);

/// An error response line (without newline).
std::string make_error_response(const json::value& id, int code, std::string_view message,
                                json::object data = {});

}  // namespace awork_mcp
