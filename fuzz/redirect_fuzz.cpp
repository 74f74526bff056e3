// libFuzzer target: whether to follow a server's redirect, and where (decide_redirect).
// Input, '\n'-separated: "<status> <hops>" (an "a" on that line: --allow-http), the URL the request
// went to, and the Location header (the rest, made what Beast would hand over: no control
// characters, no whitespace around it).
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/redirect_rules.hpp"
#include "fuzz_support.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

using awork_mcp::endpoint;
using awork_mcp::redirect_decision;

namespace {

std::string_view next_line(std::string_view& rest, bool last = false) {
  auto end = last ? std::string_view::npos : rest.find('\n');
  auto line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

unsigned number(std::string_view digits) {
  unsigned value = 0;
  for (const char c : digits.substr(0, 4)) {
    if (c < '0' || c > '9') break;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

std::string field_value(std::string_view raw) {
  std::string out(raw);
  std::replace_if(out.begin(), out.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && u != '\t') || u == 0x7f;
  }, ' ');
  const auto first = out.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(" \t") - first + 1);
}

bool same(const endpoint& a, const endpoint& b) {
  return a.tls == b.tls && a.host == b.host && a.port == b.port && a.target == b.target;
}

// The refusal becomes the message of a JSON-RPC error and a log line: printable ASCII (and the
// "…" that stands for a URL's query).
bool printable_ascii(std::string text) {
  for (auto at = text.find("…"); at != std::string::npos; at = text.find("…")) text.erase(at, std::string_view("…").size());
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c != 0x7f; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const auto first = next_line(rest);
  const unsigned status = number(first);
  const auto space = first.find(' ');
  const int hops = space == std::string_view::npos ? 0 : static_cast<int>(number(first.substr(space + 1)) % 16);
  const bool allow_http = first.find('a') != std::string_view::npos;
  endpoint from;
  try {
    from = awork_mcp::parse_endpoint(next_line(rest));
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::string location = field_value(next_line(rest, true));

  const redirect_decision d = awork_mcp::decide_redirect(from, status, location, hops, allow_http);
  FUZZ_CHECK(d.follow == d.refusal.empty());
  FUZZ_CHECK(printable_ascii(d.refusal));
  if (!d.follow) {
    // A status that may turn the POST into a GET is refused whatever the hops and --allow-http.
    if (status != 307 && status != 308) FUZZ_CHECK(!awork_mcp::decide_redirect(from, status, location, 0, true).follow);
    return 0;
  }

  // Only 307 and 308 (they keep the POST), within the hop limit.
  FUZZ_CHECK(status == 307 || status == 308);
  FUZZ_CHECK(hops < awork_mcp::max_redirect_hops);
  FUZZ_CHECK(!awork_mcp::decide_redirect(from, status, location, awork_mcp::max_redirect_hops, allow_http).follow);
  // The target is a usable endpoint, and reads back the same from its URL.
  FUZZ_CHECK(!d.target.host.empty() && !d.target.target.empty() && d.target.target.front() == '/');
  try {
    FUZZ_CHECK(same(awork_mcp::parse_endpoint(d.target.url()), d.target));
  } catch (const std::invalid_argument&) {
    fuzz::invariant_failed("the target's url() parses", __FILE__, __LINE__);
  }
  // Never from https to http; plain http elsewhere than loopback only with --allow-http.
  FUZZ_CHECK(!from.tls || d.target.tls);
  FUZZ_CHECK(d.target.tls || d.target.is_loopback() || allow_http);
  // Credentials follow only to the same scheme, host and port.
  FUZZ_CHECK(d.same_origin == (d.target.origin() == from.origin()));
  if (d.same_origin) FUZZ_CHECK(d.target.tls == from.tls && d.target.host == from.host && d.target.port == from.port);
  // A reference without scheme and authority (a path, a query) stays on the origin.
  if (auto reference = boost::urls::parse_uri_reference(location); reference && !reference->has_scheme() && !reference->has_authority())
    FUZZ_CHECK(d.same_origin);

  // The hop count and --allow-http only say whether, never where.
  const auto first_hop = awork_mcp::decide_redirect(from, status, location, 0, allow_http);
  FUZZ_CHECK(first_hop.follow && same(first_hop.target, d.target));
  const auto allowed = awork_mcp::decide_redirect(from, status, location, hops, true);
  FUZZ_CHECK(allowed.follow && same(allowed.target, d.target));
  return 0;
}
