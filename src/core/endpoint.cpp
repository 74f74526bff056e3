#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/text.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace awork_mcp {

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

endpoint parse_endpoint(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::invalid_argument("not a valid URL (" + std::string(parsed.error().message()) + ")");
  const boost::urls::url_view& u = *parsed;
  endpoint ep;
  auto scheme = lower(u.scheme());
  if (scheme == "https")
    ep.tls = true;
  else if (scheme == "http")
    ep.tls = false;
  else
    throw std::invalid_argument("the URL must start with https:// or http://, not " + scheme + "://");
  if (u.has_userinfo()) throw std::invalid_argument("credentials in the URL are not supported; use --api-key-file");
  if (u.host_type() == boost::urls::host_type::ipv6)
    ep.host = u.host_address();
  else
    ep.host = lower(u.encoded_host());
  if (ep.host.empty()) throw std::invalid_argument("the URL has no host");
  ep.port = u.has_port() ? std::string(u.port()) : (ep.tls ? "443" : "80");
  if (u.has_port() && (u.port_number() == 0 || std::to_string(u.port_number()) != ep.port))
    throw std::invalid_argument("the URL's port must be a number from 1 to 65535");
  ep.target = std::string(u.encoded_path());
  if (ep.target.empty()) ep.target = "/";
  if (ep.target.front() != '/') throw std::invalid_argument("the URL's path must start with /");
  if (u.has_query()) ep.target += "?" + std::string(u.encoded_query());
  return ep;
}

std::string endpoint::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? "443" : "80")) h += ":" + port;
  return h;
}

std::string endpoint::url() const { return std::string(tls ? "https://" : "http://") + host_header() + target; }

std::string endpoint::display() const {
  auto query = target.find('?');
  auto shown = std::string(tls ? "https://" : "http://") + host_header() + target.substr(0, query);
  return query == std::string::npos ? shown : shown + "?…";
}

std::string endpoint::origin() const { return std::string(tls ? "https://" : "http://") + host + ":" + port; }

bool endpoint::is_loopback() const {
  if (host == "localhost" || ends_with(host, ".localhost")) return true;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

bool endpoint::is_awork() const { return host == "awork.com" || ends_with(host, ".awork.com"); }

}  // namespace awork_mcp
