#pragma once
// Which requests may be sent a second time after the server may already have received them.

#include <string_view>

namespace awork_mcp {

/// True for MCP methods that only read (listing, reading, completing, pinging, initializing):
/// repeating one cannot change anything the user owns. A `tools/call` or any unknown method may
/// act in the world and is never repeated once its bytes were written.
bool safe_to_repeat(std::string_view method);

}  // namespace awork_mcp
