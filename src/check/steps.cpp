#include "awork_mcp/check/steps.hpp"

#include "awork_mcp/core/text.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/error.hpp>
#include <openssl/x509_vfy.h>

#include <algorithm>

namespace awork_mcp {

namespace {

using std::chrono::milliseconds;

std::string seconds_text(milliseconds ms) {
  const auto tenths = (ms.count() + 50) / 100;
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") + " s";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

bool contains(std::string_view text, std::string_view part) { return lower(text).find(part) != std::string::npos; }

std::string user_of(const proxy_settings& proxy) {
  constexpr std::string_view basic = "Basic ";
  if (proxy.authorization.compare(0, basic.size(), basic) != 0) return {};
  const std::string_view encoded = std::string_view(proxy.authorization).substr(basic.size());
  std::string decoded(boost::beast::detail::base64::decoded_size(encoded.size()), '\0');
  const auto [written, read] = boost::beast::detail::base64::decode(decoded.data(), encoded.data(), encoded.size());
  decoded.resize(written);
  return decoded.substr(0, decoded.find(':'));
}

std::string with_brackets(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// What the credential is, as the object of a sentence: "the API key", "the stored sign-in".
std::string credential_words(credential_kind kind) {
  switch (kind) {
    case credential_kind::api_key: return "the API key";
    case credential_kind::header: return "the Authorization --header";
    case credential_kind::sign_in: return "the stored sign-in";
    case credential_kind::none: return "no credential";
  }
  return "the credential";
}

std::string http_status_text(unsigned status, std::string_view reason) {
  return "HTTP " + std::to_string(status) + (reason.empty() ? "" : " " + printable(reason, 60));
}

std::string days_text(long days) { return std::to_string(days) + (days == 1 ? " day" : " days"); }

}  // namespace

// ---- configuration ----------------------------------------------------------------------------

std::string origin_text(setting_origin origin, std::string_view option, std::string_view variable) {
  switch (origin) {
    case setting_origin::command_line: return std::string(option);
    case setting_origin::config_file: return "the config file";
    case setting_origin::environment: return std::string(variable);
    case setting_origin::built_in: return "default";
  }
  return "default";
}

std::string mask_secret(std::string_view secret) {
  constexpr std::size_t shown = 4;
  constexpr std::size_t shown_from = 16;
  std::string out = std::to_string(secret.size()) + " chars";
  const auto tail = secret.size() >= shown_from ? secret.substr(secret.size() - shown) : std::string_view{};
  const bool plain = std::all_of(tail.begin(), tail.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (!tail.empty() && plain) out += ", ends …" + std::string(tail);
  return out;
}

std::string proxy_display(const proxy_settings& proxy) {
  const auto user = user_of(proxy);
  std::string credentials;
  if (!proxy.authorization.empty()) credentials = (user.empty() ? std::string("***") : printable(user, 40) + ":***") + "@";
  return "http://" + credentials + with_brackets(proxy.host) + ":" + proxy.port;
}

std::string describe_credential(const credential_facts& c) {
  switch (c.kind) {
    case credential_kind::api_key:
      return "API key from " + c.via + (c.file.empty() ? "" : " (" + c.file + ")") + ", " + mask_secret(c.key);
    case credential_kind::header:
      return "Authorization from --header (value not shown)";
    case credential_kind::sign_in: {
      std::string out = "signed in at " + (c.issuer.empty() ? std::string("the server's authorization server") : c.issuer);
      if (!c.expires_in)
        out += ", access token without an expiry";
      else if (c.expires_in->count() > 0)
        out += ", access token valid until " + c.expires_text;
      else
        out += ", access token expired " + c.expires_text +
               (c.refreshable ? " (renewed at the next request)" : " (no refresh token)");
      return out;
    }
    case credential_kind::none:
      return "no credential (no API key, no stored sign-in)";
  }
  return {};
}

check_line judge_configuration(const configuration_facts& f) {
  check_line line{check_step::configuration, check_verdict::ok, {}, std::nullopt, {}};
  std::vector<std::string> parts{f.url + " (" + f.url_origin + ")", describe_credential(f.credential),
                                 "protocol " + f.protocol + " (" + f.protocol_origin + ")"};
  if (!f.header_names.empty()) parts.push_back("headers " + join(f.header_names, ", ") + " (values not shown)");
  if (!f.ca_file.empty()) parts.push_back("extra CAs from " + f.ca_file);
  line.detail = join(parts, "; ");

  std::vector<std::string> hints;
  const auto& c = f.credential;
  if (c.kind == credential_kind::none && f.awork)
    hints.push_back("awork needs a credential: set AWORK_API_KEY (or --api-key-file), or run `awork-mcp login`");
  if (c.kind == credential_kind::api_key && c.via == "--api-key")
    hints.push_back("a key on the command line is visible to other users (ps): use AWORK_API_KEY_FILE or --api-key-file");
  if (c.kind == credential_kind::sign_in && c.expires_in && c.expires_in->count() <= 0 && !c.refreshable)
    hints.push_back("the stored sign-in has expired and cannot be renewed: run `awork-mcp login`");
  if (f.plain_http_remote)
    hints.push_back("plain http:// to another host sends the credential unencrypted: use https://");
  if (!hints.empty()) {
    line.verdict = check_verdict::warn;
    line.hint = join(hints, "; ");
  }
  return line;
}

// ---- proxy ------------------------------------------------------------------------------------

check_line judge_proxy(const proxy_facts& f) {
  check_line line{check_step::proxy, check_verdict::ok, "none", std::nullopt, {}};
  if (f.proxy)
    line.detail = proxy_display(*f.proxy) + " (from " + f.origin + "), a CONNECT tunnel to " + with_brackets(f.host);
  else if (!f.bypassed_by.empty())
    line.detail = "none: " + f.bypassed_by + " exempts " + f.host;
  else if (f.disabled)
    line.detail = "none: --proxy '' ignores the environment";
  return line;
}

// ---- DNS --------------------------------------------------------------------------------------

check_line judge_dns(const dns_facts& f) {
  check_line line{check_step::dns, check_verdict::ok, {}, f.elapsed, {}};
  const bool via_proxy = !f.server_host.empty();
  if (via_proxy && f.literal) {
    line.verdict = check_verdict::skip;
    line.ms.reset();
    line.detail = "not needed: the proxy " + f.host + " is an IP address, and it resolves " + f.server_host + " itself";
    return line;
  }
  if (f.literal && f.error.empty()) {
    line.ms.reset();
    line.detail = f.host + " is an IP address: nothing to look up";
    return line;
  }
  const std::string whose = via_proxy ? "the proxy's host " + f.host : f.host;
  if (!f.error.empty() || f.addresses.empty()) {
    line.verdict = check_verdict::fail;
    line.detail = "cannot resolve " + whose + ": " +
                  (f.timed_out ? "no answer within " + seconds_text(f.timeout)
                               : f.error.empty() ? std::string("no addresses") : f.error);
    if (via_proxy)
      line.hint = "check the proxy's host name in --proxy or HTTPS_PROXY, and this computer's network";
    else if (f.timed_out)
      line.hint = "the DNS resolver does not answer: check the network connection, VPN and DNS settings";
    else
      line.hint = "check the host name in --url, and that this computer can resolve names (network, VPN, DNS)";
    return line;
  }
  constexpr std::size_t listed = 4;
  std::vector<std::string> shown(f.addresses.begin(), f.addresses.begin() + static_cast<std::ptrdiff_t>(
                                                                                std::min(listed, f.addresses.size())));
  line.detail = whose + " → " + join(shown, ", ");
  if (f.addresses.size() > listed) line.detail += " and " + std::to_string(f.addresses.size() - listed) + " more";
  if (via_proxy) line.detail += "; the proxy resolves " + f.server_host;
  return line;
}

// ---- TCP --------------------------------------------------------------------------------------

connect_problem classify_connect_error(const boost::system::error_code& ec) {
  namespace error = boost::asio::error;
  if (!ec) return connect_problem::none;
  if (ec == error::connection_refused) return connect_problem::refused;
  if (ec == boost::beast::error::timeout || ec == error::timed_out) return connect_problem::timed_out;
  if (ec == error::host_unreachable || ec == error::network_unreachable || ec == error::network_down)
    return connect_problem::unreachable;
  return connect_problem::other;
}

check_line judge_tcp(const tcp_facts& f) {
  check_line line{check_step::tcp_connect, check_verdict::ok, {}, f.elapsed, {}};
  if (f.problem != connect_problem::none) {
    line.verdict = check_verdict::fail;
    line.detail = "cannot connect to " + (f.via_proxy ? "the proxy at " : std::string()) + f.target + ": " +
                  (f.problem == connect_problem::timed_out ? "no answer within " + seconds_text(f.timeout) : f.error);
    switch (f.problem) {
      case connect_problem::refused:
        line.hint = f.via_proxy ? "nothing listens at the proxy's address: check --proxy or HTTPS_PROXY"
                                : "nothing listens at " + f.target +
                                      ", or a firewall refuses it: check the host and port in --url (is the server running?)";
        break;
      case connect_problem::timed_out:
        line.hint = f.via_proxy ? "the proxy does not answer: check --proxy or HTTPS_PROXY, and the network"
                                : "a firewall may drop the connection: check the network, or set HTTPS_PROXY (or "
                                  "--proxy) if this network needs a proxy";
        break;
      case connect_problem::unreachable:
        line.hint = "this computer has no route to " + f.target + ": check the network connection and VPN";
        break;
      default:
        line.hint = "check the network connection and --url";
    }
    return line;
  }
  line.detail = f.via_proxy ? "the proxy at " + f.address : f.address;
  if (!f.via_proxy) return line;
  line.ms = f.elapsed + f.tunnel_elapsed;

  const std::string tunnel = "; the proxy's tunnel to " + f.tunnel_to;
  if (!f.tunnel_error.empty()) {
    line.verdict = check_verdict::fail;
    line.detail += tunnel + " failed: " + f.tunnel_error;
    line.hint = "the proxy did not answer the CONNECT request: check that --proxy or HTTPS_PROXY names an HTTP proxy";
    return line;
  }
  if (f.tunnel_status != 200) {
    line.verdict = check_verdict::fail;
    line.detail += tunnel + " was refused: " + http_status_text(f.tunnel_status, f.tunnel_reason);
    switch (f.tunnel_status) {
      case 407:
        line.hint = f.proxy_credentials ? "the proxy refused the user name or password: check them in --proxy or HTTPS_PROXY"
                                        : "the proxy wants a user name and password: give them in its URL, "
                                          "http://user:password@host:port";
        break;
      case 403:
        line.hint = "the proxy does not allow tunnels to " + f.tunnel_to +
                    ": ask its administrator, or exempt the host with NO_PROXY if it is reachable directly";
        break;
      case 502:
      case 503:
      case 504:
        line.hint = "the proxy could not reach " + f.tunnel_to + ": check the host in --url";
        break;
      default:
        line.hint = "check --proxy or HTTPS_PROXY, or ask the proxy's administrator";
    }
    return line;
  }
  line.detail += tunnel + " is open";
  return line;
}

// ---- TLS --------------------------------------------------------------------------------------

check_verdict expiry_verdict(long days_left) {
  if (days_left < 0) return check_verdict::fail;
  if (days_left < expiry_warning_days) return check_verdict::warn;
  return check_verdict::ok;
}

tls_problem classify_verify_result(long code) {
  switch (code) {
    case X509_V_OK: return tls_problem::none;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return tls_problem::unknown_ca;
    case X509_V_ERR_CERT_HAS_EXPIRED: return tls_problem::expired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return tls_problem::not_yet_valid;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return tls_problem::wrong_host;
    default: return tls_problem::other;
  }
}

check_line judge_tls(const tls_facts& f) {
  check_line line{check_step::tls, check_verdict::ok, {}, f.elapsed, {}};
  if (!f.setup_error.empty()) {
    line.verdict = check_verdict::fail;
    line.ms.reset();
    line.detail = "the trusted certificates could not be loaded: " + f.setup_error;
    line.hint = f.ca_file.empty() ? "check SSL_CERT_FILE and SSL_CERT_DIR, or install the ca-certificates package"
                                  : "check --ca-file " + f.ca_file + ": it must hold PEM CA certificates";
    return line;
  }
  if (f.plain_http) {
    line.ms.reset();
    if (f.loopback) {
      line.verdict = check_verdict::skip;
      line.detail = "plain http:// to a loopback address: no TLS";
    } else {
      line.verdict = check_verdict::warn;
      line.detail = "plain http:// (--allow-http): nothing is encrypted";
      line.hint = "use https:// unless every network between here and the server is trusted";
    }
    return line;
  }
  std::string certificate;
  if (!f.subject.empty() || !f.issuer.empty()) {
    certificate = "certificate " + f.subject + ", issued by " + f.issuer;
    if (!f.not_after.empty()) certificate += ", valid until " + f.not_after;
    if (f.days_left)
      certificate += " (" + (*f.days_left < 0 ? days_text(-*f.days_left) + " ago" : days_text(*f.days_left) + " left") + ")";
  }
  if (!f.handshake_error.empty() && f.verify_code == X509_V_OK) {
    line.verdict = check_verdict::fail;
    line.detail = "handshake with " + f.host + " failed: " +
                  (f.timed_out ? "no answer within " + seconds_text(f.timeout) : f.handshake_error);
    const auto& e = f.handshake_error;
    if (f.timed_out)
      line.hint = "the server (or a device in between) did not complete TLS: check the network and any proxy";
    else if (contains(e, "wrong version number") || contains(e, "http request") || contains(e, "packet length too long"))
      line.hint = "the port does not speak TLS: check https:// and the port in --url";
    else if (contains(e, "unsupported protocol") || contains(e, "protocol version") || contains(e, "no protocols available"))
      line.hint = "the server offers only TLS older than 1.2, which this program refuses: tell its operators";
    else if (contains(e, "truncated") || contains(e, "end of file") || contains(e, "reset"))
      line.hint = "the connection was closed during TLS: a firewall or proxy may block it";
    else
      line.hint = "the server broke off TLS: check --url; a TLS-inspecting firewall needs its CA in --ca-file";
    return line;
  }
  if (f.verify_code != X509_V_OK) {
    line.verdict = check_verdict::fail;
    line.detail = "the certificate is not trusted: " + (f.verify_text.empty() ? "verification failed" : f.verify_text) +
                  (certificate.empty() ? "" : "; " + certificate);
    switch (classify_verify_result(f.verify_code)) {
      case tls_problem::unknown_ca:
        line.hint = f.ca_file.empty()
                        ? "this computer does not trust its issuer: use --ca-file or SSL_CERT_FILE with the issuing "
                          "CA (a company's TLS-inspection CA, or the server's private CA)"
                        : "--ca-file " + f.ca_file + " does not hold the CA that issued it: give the right CA";
        break;
      case tls_problem::expired:
        line.hint = "the server's certificate has expired: tell its operators (or, if that date is still to come, "
                    "fix this computer's clock)";
        break;
      case tls_problem::not_yet_valid:
        line.hint = "the certificate is not valid yet: check this computer's date and time";
        break;
      case tls_problem::wrong_host:
        line.hint = "the certificate is not for " + f.host + ": check the host in --url (or a proxy that intercepts TLS)";
        break;
      default:
        line.hint = "use --ca-file for a private CA, or tell the server's operators";
    }
    return line;
  }
  line.detail = f.version + "; " + certificate + "; verified for " + f.host;
  if (f.days_left) {
    line.verdict = expiry_verdict(*f.days_left);
    if (line.verdict == check_verdict::warn)
      line.hint = "the certificate expires in " + days_text(*f.days_left) + ": its operators should renew it soon";
    else if (line.verdict == check_verdict::fail)
      line.hint = "the certificate has expired: tell the server's operators, or check this computer's clock";
  }
  return line;
}

// ---- authentication ---------------------------------------------------------------------------

bool auth_lets_through(unsigned status) { return status >= 200 && status < 300; }

check_line judge_auth(const auth_facts& f) {
  check_line line{check_step::auth, check_verdict::ok, {}, f.elapsed, {}};
  const std::string asked = f.method + " with " + credential_words(f.credential);
  if (f.status == 0) {
    line.verdict = check_verdict::fail;
    line.ms.reset();
    line.detail = "no answer to " + asked + ": " + (f.timed_out ? std::string("timed out") : f.error);
    line.hint = f.timed_out ? "the server took the request but did not answer in time: try again later"
                            : "the connection broke: try again; if it keeps happening, a proxy or firewall may cut it";
    return line;
  }
  const std::string status = http_status_text(f.status, f.reason);
  if (auth_lets_through(f.status)) {
    line.detail = status + " to " + asked + (f.renewed ? " (renewed after a first 401)" : "");
    return line;
  }
  line.verdict = check_verdict::fail;
  line.detail = status + " to " + asked;
  if (f.status == 401) {
    line.detail += f.credential == credential_kind::none ? ": the server wants a credential"
                                                         : ": " + credential_words(f.credential) + " was rejected";
    if (!f.challenge_error.empty()) line.detail += " (" + printable(f.challenge_error, 60) + ")";
    switch (f.credential) {
      case credential_kind::api_key:
        line.hint = f.awork ? "the key was rejected: check AWORK_API_KEY / --api-key-file (awork: Settings → "
                              "Integrations → API), or run `awork-mcp login`"
                            : "the key was rejected: check AWORK_API_KEY / --api-key-file, or the headers the "
                              "server needs (--header)";
        break;
      case credential_kind::sign_in:
        line.hint = "the stored sign-in was refused and could not be renewed: run `awork-mcp login`";
        break;
      case credential_kind::header:
        line.hint = "check the value of the Authorization --header";
        break;
      case credential_kind::none:
        line.hint = "set AWORK_API_KEY (or --api-key-file), or run `awork-mcp login`";
        break;
    }
    return line;
  }
  if (f.status == 403) {
    if (f.challenge_error == "insufficient_scope") {
      line.detail += ": the credential lacks a scope the server wants (insufficient_scope)";
      line.hint = f.credential == credential_kind::sign_in
                      ? "run `awork-mcp login` again (with --scope if the server needs a particular one)"
                      : "the key lacks a permission the server wants: use a key with more rights";
    } else {
      line.detail += ": permission denied";
      line.hint = "the user behind " + credential_words(f.credential) +
                  " may not use this MCP server: check its permissions (or ask an administrator)";
    }
    return line;
  }
  if (f.status == 429) {
    line.verdict = check_verdict::warn;
    line.detail += ": rate limited" + (f.retry_after ? ", retry after " + std::to_string(f.retry_after->count()) + " s"
                                                     : std::string());
    line.hint = "wait and run the check again; the bridge itself waits out short limits (--max-retry-wait)";
    return line;
  }
  if (f.status >= 300 && f.status < 400) {
    const bool followed = f.status == 307 || f.status == 308;
    line.verdict = followed ? check_verdict::warn : check_verdict::fail;
    line.detail += ": redirected to " + (f.location.empty() ? std::string("(no Location)") : f.location);
    line.hint = followed ? "the bridge follows this redirect, but put the new URL in --url (and check it there)"
                         : "the bridge does not follow this redirect: put the new URL in --url";
    return line;
  }
  if (f.status == 404) {
    line.detail += ": no MCP endpoint at " + f.url;
    line.hint = "check the path in --url";
    return line;
  }
  if (f.status >= 500) {
    line.detail += ": the server failed";
    line.hint = "the server has a problem: try again later; if it persists, tell its operators";
    return line;
  }
  line.detail += ": refused";
  line.hint = "check that --url is a Streamable HTTP MCP endpoint (an old HTTP+SSE server refuses this POST; the "
              "bridge still talks to it, this check does not)";
  return line;
}

// ---- the server -------------------------------------------------------------------------------

check_line judge_server(const server_facts& f) {
  check_line line{check_step::server, check_verdict::ok, {}, std::nullopt, {}};
  if (f.modern_required) {
    line.verdict = check_verdict::fail;
    line.detail = "the server does not speak MCP 2026-07-28, which --protocol modern requires";
    line.hint = "use --protocol auto (the default) or legacy";
    return line;
  }
  if (!f.handshake_error.empty()) {
    line.verdict = check_verdict::fail;
    line.detail = (f.modern ? "server/discover" : "initialize") + std::string(" failed: ") + printable(f.handshake_error, 200);
    line.hint = "the server refused the MCP handshake: try --protocol legacy, or tell the server's operators";
    return line;
  }
  std::vector<std::string> parts;
  const std::string who = f.name.empty() ? std::string("a server without a name") : printable(f.name, 80);
  parts.push_back(who + (f.version.empty() ? "" : " " + printable(f.version, 40)));
  parts.push_back("MCP " + printable(f.protocol_version.empty() ? "(no version)" : f.protocol_version, 40) +
                  (f.modern ? " (modern: stateless, server/discover)" : " (legacy: initialize and a session)"));
  std::vector<std::string> hints;
  if (f.tools)
    parts.push_back(std::to_string(*f.tools) + (*f.tools == 1 ? " tool" : " tools"));
  else if (!f.tools_error.empty()) {
    parts.push_back("tools/list failed: " + printable(f.tools_error, 200));
    hints.push_back("the server answered the handshake but not tools/list: check the user's permissions, or tell "
                    "the server's operators");
  }
  if (f.round_trip) {
    parts.push_back(f.round_trip_method + " round trip");  // the time follows: it is the line's ms
    line.ms = f.round_trip;
  } else if (!f.round_trip_error.empty()) {
    parts.push_back(f.round_trip_method + " failed: " + printable(f.round_trip_error, 200));
    hints.push_back("a second request failed: the connection or the server is unsteady; run the check again");
  }
  line.detail = join(parts, "; ");
  if (!hints.empty()) {
    line.verdict = check_verdict::warn;
    line.hint = join(hints, "; ");
  }
  return line;
}

// ---- rate limits ------------------------------------------------------------------------------

bool is_rate_limit_header(std::string_view name) {
  const auto n = lower(name);
  const auto starts = [&](std::string_view prefix) { return n.size() > prefix.size() && n.starts_with(prefix); };
  return n == "ratelimit" || n == "x-ratelimit" || n == "retry-after" || starts("ratelimit-") ||
         starts("x-ratelimit-") || starts("x-rate-limit-");
}

void note_rate_limit_headers(header_list& seen, const header_list& reply_fields) {
  for (const auto& field : reply_fields) {
    if (!is_rate_limit_header(field.first)) continue;
    const auto name = lower(field.first);
    auto known = std::find_if(seen.begin(), seen.end(), [&](const auto& kept) { return lower(kept.first) == name; });
    if (known != seen.end())
      known->second = field.second;
    else
      seen.push_back(field);
  }
}

check_line judge_rate_limits(const rate_limit_evidence& f) {
  check_line line{check_step::rate_limits, check_verdict::ok, "none on the server's replies", std::nullopt, {}};
  bool exhausted = f.limited;
  if (!f.seen.empty()) {
    std::vector<std::string> shown;
    for (const auto& [name, value] : f.seen) {
      shown.push_back(lower(name) + ": " + printable(value, 100));
      if (lower(name).ends_with("remaining") && trim(value) == "0") exhausted = true;
    }
    line.detail = join(shown, ", ");
  }
  if (exhausted) {
    line.verdict = check_verdict::warn;
    line.hint = "the server is limiting requests now: wait before the next check; the bridge waits out limits up to "
                "--max-retry-wait";
  }
  return line;
}

}  // namespace awork_mcp
