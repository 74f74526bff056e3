// libFuzzer target: proxy URLs (--proxy, HTTPS_PROXY, HTTP_PROXY) and NO_PROXY lists.
// Input, '\n'-separated: the proxy URL, the server's host, the NO_PROXY list (a missing line is
// empty; the last line runs to the end of the input).
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/text.hpp"
#include "fuzz_support.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

std::string_view next_line(std::string_view& rest, bool last = false) {
  auto end = last ? std::string_view::npos : rest.find('\n');
  auto line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return line;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

// Text that goes into the CONNECT request line or a header field as is.
bool wire_safe(std::string_view s) { return s.find_first_of(std::string_view(" \t\r\n\0", 5)) == std::string_view::npos; }

void check(const awork_mcp::proxy_settings& p) {
  FUZZ_CHECK(!p.host.empty());
  FUZZ_CHECK(wire_safe(p.host) && wire_safe(p.port));
  FUZZ_CHECK(p.authorization.empty() || p.authorization.starts_with("Basic "));
  FUZZ_CHECK(p.authorization.find_first_of("\r\n") == std::string::npos);
  (void)p.display();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string proxy_url(next_line(rest));
  const std::string host(next_line(rest));
  // An environment variable ends at its first NUL; so does the list here.
  const std::string no_proxy(next_line(rest, true));
  const std::string_view no_proxy_env(no_proxy.c_str());

  try {
    check(awork_mcp::parse_proxy(proxy_url));
  } catch (const std::invalid_argument&) {
  }

  const bool bypass = awork_mcp::bypasses_proxy(host, no_proxy_env);
  FUZZ_CHECK(awork_mcp::bypasses_proxy(upper(host), no_proxy_env) == bypass);  // hosts are case-insensitive
  FUZZ_CHECK(awork_mcp::bypasses_proxy(host, "*"));

  // The whole choice, with the lines as the environment.
  for (bool tls : {true, false}) {
    awork_mcp::endpoint target;
    target.tls = tls;
    target.host = awork_mcp::lower(host);
    target.port = tls ? "443" : "80";
    const auto env = [&](const char* name) -> const char* {
      if (std::strcmp(name, "https_proxy") == 0 || std::strcmp(name, "HTTP_PROXY") == 0) return proxy_url.c_str();
      if (std::strcmp(name, "NO_PROXY") == 0) return no_proxy.c_str();
      return nullptr;
    };
    try {
      auto chosen = awork_mcp::proxy_for(target, std::nullopt, env);
      if (chosen) {
        check(*chosen);
        FUZZ_CHECK(!bypass);
      }
      auto explicit_choice = awork_mcp::proxy_for(target, proxy_url, env);
      if (explicit_choice) check(*explicit_choice);
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
