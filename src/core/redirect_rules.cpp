#include "awork_mcp/core/redirect_rules.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace awork_mcp {

redirect_decision decide_redirect(const endpoint& from, unsigned status, std::string_view location, int hops,
                                  bool allow_http) {
  redirect_decision d;
  if (status != 307 && status != 308) {
    // 301/302/303 may turn a POST into a GET: the request could not be delivered as sent.
    d.refusal = "the server answered HTTP " + std::to_string(status) +
                " (a redirect that does not keep the POST); if the endpoint moved, update --url";
    return d;
  }
  if (hops >= max_redirect_hops) {
    d.refusal = "the server redirected more than " + std::to_string(max_redirect_hops) + " times; check --url";
    return d;
  }
  const std::string from_url = from.url();  // the views below point into it
  auto base = boost::urls::parse_uri(from_url);
  auto reference = boost::urls::parse_uri_reference(location);
  if (location.empty() || !base || !reference) {
    d.refusal = "the server answered HTTP " + std::to_string(status) + " without a usable Location";
    return d;
  }
  boost::urls::url resolved(*base);
  if (auto r = resolved.resolve(*reference); !r) {
    d.refusal = "the server's redirect Location cannot be resolved";
    return d;
  }
  try {
    d.target = parse_endpoint(resolved.buffer());
  } catch (const std::exception& e) {
    d.refusal = std::string("the server redirected to an unusable URL: ") + e.what();
    return d;
  }
  if (from.tls && !d.target.tls) {
    d.refusal = "the server redirected from https to plain http (" + d.target.display() +
                "); the bridge never downgrades, check --url";
    return d;
  }
  if (!d.target.tls && !d.target.is_loopback() && !allow_http) {
    d.refusal = "the server redirected to plain http at " + d.target.host + "; allow it with --allow-http";
    return d;
  }
  d.follow = true;
  d.same_origin = d.target.origin() == from.origin();
  return d;
}

}  // namespace awork_mcp
