#include "awork_mcp/era/http_sse_rules.hpp"

#include "awork_mcp/core/text.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace awork_mcp {

bool suggests_http_sse(unsigned status) {
  if (status < 400 || status >= 500) return false;
  return status != 401 && status != 403 && status != 407 && status != 408 && status != 429;
}

message_endpoint_verdict judge_endpoint_event(const sse_event& event, const endpoint& server) {
  message_endpoint_verdict verdict;
  if (event.type != "endpoint") {
    verdict.problem = "the stream's first event is not `endpoint`";
    return verdict;
  }
  const auto reference = boost::urls::parse_uri_reference(trim(event.data));
  if (!reference || reference->empty()) {
    verdict.problem = "the `endpoint` event does not hold a URI";
    return verdict;
  }
  const std::string base_text = server.url();
  const auto base = boost::urls::parse_uri(base_text);
  boost::urls::url resolved;
  if (!base || !boost::urls::resolve(*base, *reference, resolved)) {
    verdict.problem = "the `endpoint` event's URI cannot be resolved against the server URL";
    return verdict;
  }
  resolved.normalize_scheme();
  endpoint target;
  try {
    target = parse_endpoint(resolved.buffer());
  } catch (const std::invalid_argument& e) {
    verdict.problem = std::string("the `endpoint` event's URI is not usable: ") + e.what();
    return verdict;
  }
  if (target.origin() != server.origin()) {
    verdict.problem = "the `endpoint` event points to another origin (" + target.origin() +
                      "); messages and the credential stay with " + server.origin();
    return verdict;
  }
  verdict.usable = true;
  verdict.target = target.target;
  return verdict;
}

}  // namespace awork_mcp
