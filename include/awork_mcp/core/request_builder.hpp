#pragma once
// Builds the HTTP requests the Streamable HTTP transport needs.

#include "awork_mcp/core/endpoint.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awork_mcp {

using header_list = std::vector<std::pair<std::string, std::string>>;
using http_request = boost::beast::http::request<boost::beast::http::string_body>;

/// Parses a `--header 'Name: value'` argument. Throws std::invalid_argument.
std::pair<std::string, std::string> parse_header_arg(std::string_view arg);

/// Per-session state that goes on every request after initialize.
struct session_headers {
  std::string session_id;        ///< Mcp-Session-Id, once the server assigned one
  std::string protocol_version;  ///< MCP-Protocol-Version, from the initialize result
};

class request_builder {
 public:
  request_builder(endpoint ep, header_list extra_headers);

  /// Sends later requests to `target` (a followed redirect). Unless `same_origin`, the credential
  /// and the --header values stay behind: they were given for the configured server only.
  void retarget(endpoint target, bool same_origin);

  /// POST of one JSON-RPC message (or batch).
  /// `own`: headers of this message alone (2026-07-28's Mcp-Method, Mcp-Name, Mcp-Param-*).
  http_request post(std::string body, const session_headers& session,
                    const std::optional<std::string>& authorization, const header_list& own = {}) const;
  /// GET that opens (or with last_event_id, resumes) a server-sent event stream.
  http_request get_stream(const session_headers& session, const std::optional<std::string>& authorization,
                          const std::optional<std::string>& last_event_id) const;
  /// DELETE that ends the session.
  http_request end_session(const session_headers& session, const std::optional<std::string>& authorization) const;

  const endpoint& target() const { return endpoint_; }

  /// The request head as text for trace logs. Only the fields the bridge itself sets with public
  /// values are shown; every other value (Authorization, every --header value, the query) is masked.
  std::string redacted_head(const http_request& request) const;

 private:
  http_request base(boost::beast::http::verb verb, const session_headers& session,
                    const std::optional<std::string>& authorization) const;

  endpoint endpoint_;
  header_list extra_headers_;
  bool send_credentials_ = true;
};

/// The request line and header fields as they go on the wire, ending in the blank line; nullopt
/// if any value holds CR, LF or NUL (it would smuggle in headers). Written by hand because Beast's
/// generic serializer cost more than everything else per message.
std::optional<std::string> serialize_head(const http_request& request);



/// The media type of a Content-Type value, lower-cased, without parameters.
std::string media_type(std::string_view content_type);

}  // namespace awork_mcp
