#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/text.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace awork_mcp {

namespace {


std::string base64(std::string_view in) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::encoded_size(in.size()), '\0');
  out.resize(b64::encode(out.data(), in.data(), in.size()));
  return out;
}

// The first of the lower-case and upper-case names that is set and not empty, as curl reads them.
const char* first_set(const std::function<const char*(const char*)>& env, const char* upper, const char* lower_name,
                      std::string& which) {
  for (const char* name : {lower_name, upper})
    if (const char* v = name ? env(name) : nullptr; v && *v) {
      which = name;
      return v;
    }
  return nullptr;
}

}  // namespace

proxy_settings parse_proxy(std::string_view url) {
  std::string text(trim(url));
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto parsed = boost::urls::parse_uri(text);
  // The URL may hold a password: errors describe it without repeating it.
  if (!parsed) throw std::invalid_argument("not a valid proxy URL (" + std::string(parsed.error().message()) + ")");
  const auto& u = *parsed;
  if (lower(u.scheme()) != "http")
    throw std::invalid_argument("only http:// proxies are supported (TLS to the server runs inside the tunnel)");
  proxy_settings p;
  p.host = u.host_type() == boost::urls::host_type::ipv6 ? std::string(u.host_address()) : lower(u.encoded_host());
  if (p.host.empty()) throw std::invalid_argument("the proxy URL has no host");
  p.port = u.has_port() ? std::string(u.port()) : "80";
  if (u.has_userinfo()) p.authorization = "Basic " + base64(std::string(u.user()) + ":" + std::string(u.password()));
  return p;
}

bool bypasses_proxy(std::string_view host, std::string_view no_proxy) {
  const auto h = lower(host);
  while (!no_proxy.empty()) {
    auto comma = no_proxy.find(',');
    auto entry = lower(trim(no_proxy.substr(0, comma)));
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (auto colon = entry.rfind(':'); colon != std::string::npos && entry.find(':') == colon)
      entry.resize(colon);  // host:port, the port is not compared
    if (entry.front() == '.') entry.erase(0, 1);
    if (h == entry) return true;
    if (h.size() > entry.size() && h.compare(h.size() - entry.size(), entry.size(), entry) == 0 &&
        h[h.size() - entry.size() - 1] == '.')
      return true;
  }
  return false;
}

proxy_choice choose_proxy(const endpoint& target, const std::optional<std::string>& explicit_proxy,
                          const std::function<const char*(const char*)>& env) {
  proxy_choice choice;
  if (const char* no_proxy = first_set(env, "NO_PROXY", "no_proxy", choice.variable);
      no_proxy && bypasses_proxy(target.host, no_proxy))
    return choice;
  choice.variable.clear();
  if (explicit_proxy) {
    if (!explicit_proxy->empty()) choice.proxy = parse_proxy(*explicit_proxy);
    return choice;
  }
  // As curl: for http:// only the lower-case http_proxy counts, since a CGI server sets HTTP_PROXY
  // from a request's "Proxy:" header (httpoxy).
  const char* url = target.tls ? first_set(env, "HTTPS_PROXY", "https_proxy", choice.variable)
                               : first_set(env, nullptr, "http_proxy", choice.variable);
  if (url) choice.proxy = parse_proxy(url);
  return choice;
}

std::optional<proxy_settings> proxy_for(const endpoint& target, const std::optional<std::string>& explicit_proxy,
                                        const std::function<const char*(const char*)>& env) {
  return choose_proxy(target, explicit_proxy, env).proxy;
}

}  // namespace awork_mcp
