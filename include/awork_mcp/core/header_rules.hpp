#pragma once
// What may go into a request header, whoever supplied it (the user, the server, the editor).

#include <string_view>

namespace awork_mcp {

/// No CR, LF or NUL: any of them would end the field and let the rest become new headers.
bool is_safe_header_value(std::string_view value);

/// An MCP protocol version as the specification writes them: YYYY-MM-DD.
bool is_protocol_version(std::string_view value);

/// An Mcp-Session-Id: visible ASCII (0x21 to 0x7E) only, as the transport specification requires.
bool is_session_id(std::string_view value);

}  // namespace awork_mcp
