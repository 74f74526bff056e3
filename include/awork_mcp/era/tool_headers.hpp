#pragma once
// Tool parameters that 2026-07-28 mirrors into Mcp-Param-{Name} headers (`x-mcp-header` in a
// tool's inputSchema), the rules that make an annotation invalid (such tools are dropped from
// tools/list, as the specification requires of clients), and the headers of one tools/call.

#include "awork_mcp/core/request_builder.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// One annotated parameter: the header name (after "Mcp-Param-") and the property path to it.
struct param_header {
  std::string name;
  std::vector<std::string> path;  ///< property names from the root of the arguments
};

struct tools_scan {
  std::map<std::string, std::vector<param_header>> headers;  ///< tool name → its annotations
  std::vector<std::string> invalid;                          ///< tools dropped, in order
  std::vector<std::string> reasons;                          ///< why, one per invalid tool
  std::string filtered_line;  ///< the response line without the invalid tools (unchanged if none)
};

/// Reads a tools/list response line. An annotation is invalid when it is not a non-empty RFC 9110
/// token, repeats another one of the tool case-insensitively, sits on a property whose type is not
/// string, integer or boolean, or is not reachable from the root through `properties` alone.
/// Tools are cut out by byte range: the rest of the line stays as the server sent it.
tools_scan scan_tools_list(std::string_view response_line);

/// The Mcp-Param-* headers of a call with these arguments (JSON text of params.arguments): a string
/// as is (encoded by encode_header_value), an integer in decimal, a boolean as true/false; an
/// absent or null value sends no header.
header_list param_headers(const std::vector<param_header>& annotations, std::string_view arguments_json);

}  // namespace awork_mcp
