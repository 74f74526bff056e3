#include "awork_mcp/oauth/authorization_request.hpp"

#include "awork_mcp/core/text.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace awork_mcp {

namespace {

// Everything but unreserved characters escaped. Boost.URL's params().append (1.81) leaves "+"
// as it is, which a server reading the query as a form decodes to a space.
std::string query_escape(std::string_view value) { return boost::urls::encode(value, boost::urls::unreserved_chars); }

}  // namespace

std::string authorization_url(const authorization_request& request) {
  auto parsed = boost::urls::parse_uri(request.authorization_endpoint);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return {};
  const auto scheme = lower(parsed->scheme());
  if (scheme != "https" && scheme != "http") return {};
  try {
    boost::urls::url url(*parsed);
    url.remove_fragment();
    std::vector<std::pair<std::string_view, std::string_view>> fields = {
        {"response_type", "code"},
        {"client_id", request.client_id},
        {"redirect_uri", request.redirect_uri},
        {"code_challenge", request.code_challenge},
        {"code_challenge_method", "S256"},
        {"state", request.state},
    };
    if (!request.resource.empty()) fields.emplace_back("resource", request.resource);
    if (request.scope) fields.emplace_back("scope", *request.scope);
    // RFC 6749 §3.1: no parameter twice. The endpoint's own parameters stay unless we set them.
    auto params = url.params();
    for (const auto& [name, value] : fields) params.erase(name);
    auto encoded = url.encoded_params();
    for (const auto& [name, value] : fields) encoded.append({name, query_escape(value)});
    return std::string(url.buffer());
  } catch (const std::exception&) {  // Boost.URL reports limits and allocation failures by throwing
    return {};
  }
}

callback_result judge_callback(std::string_view target, std::string_view callback_path, const callback_expectation& expected) {
  callback_result r;
  const auto question = target.find('?');
  if (target.substr(0, question) != callback_path || question == std::string_view::npos) return r;
  auto invalid = [&](std::string message) {
    r.what = callback_result::verdict::invalid;
    r.message = std::move(message);
    return r;
  };
  auto rejected = [&](std::string message) {
    r.what = callback_result::verdict::rejected;
    r.message = std::move(message);
    return r;
  };
  // Boost.URL 1.81's parse_query reads its argument up to a NUL (strlen), past the view's end:
  // a copy ends where the query ends. A NUL inside cannot be part of a valid query anyway.
  const std::string query_text(target.substr(question + 1));
  if (query_text.find('\0') != std::string::npos) return invalid("the redirect's query is not valid");
  auto query = boost::urls::parse_query(query_text);
  if (!query) return invalid("the redirect's query is not valid");

  // The form decoding of the query ("+" is a space). A parameter sent twice is refused: which one
  // counts would depend on who reads it (parameter pollution).
  constexpr std::array<std::string_view, 5> names = {"state", "code", "iss", "error", "error_description"};
  std::array<std::optional<std::string>, names.size()> values;
  boost::urls::encoding_opts form;
  form.space_as_plus = true;
  for (const auto& param : *query) {
    const auto key = param.key.decode(form);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (key != names[i]) continue;
      if (values[i]) return invalid("the redirect repeats the parameter " + key);
      values[i] = param.has_value ? param.value.decode(form) : std::string();
    }
  }
  const auto& [state, code, iss, error, error_description] = values;

  if (!state || *state != expected.state) return invalid("state does not match: not this sign-in's answer");
  // RFC 9207 §2.4: iss is checked on error responses too, before anything else is believed.
  if (iss && *iss != expected.issuer)
    return rejected("the redirect comes from issuer \"" + printable(*iss, 200) + "\", not \"" + expected.issuer +
                   "\" (RFC 9207): refusing it");
  if (!iss && expected.iss_required)
    return rejected("the redirect has no iss, which the authorization server promised to send (RFC 9207)");
  if (error) {
    r.what = callback_result::verdict::denied;
    r.message = printable(*error, 200);
    if (error_description && !error_description->empty()) r.message += ": " + printable(*error_description, 200);
    return r;
  }
  if (!code || code->empty()) return rejected("the redirect has no authorization code");
  r.what = callback_result::verdict::code;
  r.code = *code;
  return r;
}

redirect_parts split_redirect_uri(std::string_view uri) {
  redirect_parts parts;
  auto parsed = boost::urls::parse_absolute_uri(uri);
  if (!parsed || parsed->scheme() != "http" || (parsed->host() != "127.0.0.1" && parsed->host() != "localhost") ||
      !parsed->has_port() || parsed->port_number() == 0 || parsed->has_fragment()) {
    parts.error = "--redirect-uri must be http://127.0.0.1:PORT/path or http://localhost:PORT/path";
    return parts;
  }
  parts.port = parsed->port_number();
  parts.path = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  return parts;
}

}  // namespace awork_mcp
