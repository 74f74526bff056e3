#pragma once
// JSON-RPC 2.0 message classification and error construction.

#include <boost/json.hpp>

#include <iosfwd>
#include <memory>
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
  /// The id as the client wrote it, when it is a number that is not a 64-bit integer (a request
  /// is refused for it): an answer carries it back in the client's own spelling, which a
  /// json::value cannot keep.
  std::string id_text;
  /// A batch's invalid elements, each answered on its own (JSON-RPC 2.0); the valid ones go on.
  struct refusal {
    std::size_t index = 0;  ///< the element's place in the batch
    json::value id;
    std::string id_text;
    std::string problem;
  };
  std::vector<refusal> refused;
};

/// Classifies JSON text as a JSON-RPC 2.0 message. It scans the text with Boost.JSON's SAX
/// parser and builds no document: every message in both directions passes through here, and
/// a multi-megabyte tool result costs one pass and no copy.
classified_message classify(std::string_view text);

/// The id of a request from the first bytes of a line too long to keep (the rest was dropped):
/// found when "id" comes before the cut at the top level of an object, null otherwise.
json::value id_from_prefix(std::string_view prefix);

/// Finds a request's id in a line read piece by piece, without keeping the line: for a line too
/// long to keep, whose "id" may come after megabytes of params. Holds a few kilobytes at most
/// (strings longer than 4 KiB are not kept: such an id is not found).
class id_scanner {
 public:
  id_scanner();
  ~id_scanner();
  id_scanner(id_scanner&&) noexcept;
  id_scanner& operator=(id_scanner&&) noexcept;
  void feed(std::string_view piece);
  /// The id at the top level of an object (null if none, if the line is an array, or unusable).
  json::value id() const;
  std::size_t bytes_held() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A stable key for an id: its JSON text, so 1 and "1" stay distinct.
std::string id_key(const json::value& id);

/// An error response line (without newline).
std::string make_error_response(const json::value& id, int code, std::string_view message,
                                json::object data = {});
/// The same, with the id in the client's own spelling when it has one (id_text, see
/// classified_message), else `id`.
std::string make_error_response(const json::value& id, std::string_view id_text, int code, std::string_view message,
                                json::object data = {});
/// The refusal of an invalid message, with its id as the client wrote it.
std::string make_error_response(const classified_message& invalid, int code, std::string_view message,
                                json::object data = {});

}  // namespace awork_mcp
