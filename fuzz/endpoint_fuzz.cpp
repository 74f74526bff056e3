// libFuzzer target: the upstream URL (--url, AWORK_MCP_URL, the option file).
#include "awork_mcp/core/endpoint.hpp"
#include "fuzz_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Text that goes into the request line or a header field as is.
bool wire_safe(std::string_view s) { return s.find_first_of(std::string_view(" \t\r\n\0", 5)) == std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  awork_mcp::endpoint ep;
  try {
    ep = awork_mcp::parse_endpoint(url);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  FUZZ_CHECK(!ep.host.empty());
  FUZZ_CHECK(!ep.target.empty());
  FUZZ_CHECK(wire_safe(ep.host) && wire_safe(ep.target) && wire_safe(ep.port));
  const std::string host_header = ep.host_header();
  const std::string display = ep.display();
  FUZZ_CHECK(wire_safe(host_header));
  // Messages show display(): it never carries credentials.
  FUZZ_CHECK(host_header.find('@') == std::string::npos);
  // display() never shows the query (it may hold a token); url() is the whole thing.
  FUZZ_CHECK(ep.url() == (ep.tls ? "https://" : "http://") + host_header + ep.target);
  const auto query = ep.target.find('?');
  if (query == std::string::npos)
    FUZZ_CHECK(display == ep.url());
  else
    FUZZ_CHECK(display == (ep.tls ? "https://" : "http://") + host_header + ep.target.substr(0, query) + "?…");
  (void)ep.is_loopback();
  (void)ep.is_awork();

  // The request line starts with the target, and the port is a real one.
  FUZZ_CHECK(ep.target.front() == '/');
  FUZZ_CHECK(all_digits(ep.port) && ep.port.size() <= 5 && std::stoul(ep.port) >= 1 && std::stoul(ep.port) <= 65535);
  if (fuzz::strict()) {
    // The whole URL parses back to the same endpoint.
    awork_mcp::endpoint again;
    try {
      again = awork_mcp::parse_endpoint(ep.url());
    } catch (const std::invalid_argument&) {
      fuzz::invariant_failed("url() parses back", __FILE__, __LINE__);
    }
    FUZZ_CHECK(again.host == ep.host && again.port == ep.port && again.target == ep.target && again.tls == ep.tls);
  }
  return 0;
}
