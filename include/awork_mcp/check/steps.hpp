#pragma once
// `awork-mcp check`: what each step found (its facts, gathered by src/app/check.cpp) and the
// line it gets: the verdict, the detail and, for every failure or warning, what to do next.
// Pure functions: no sockets, no clock, no environment. Secrets go in, only masks come out.

#include "awork_mcp/check/report.hpp"
#include "awork_mcp/check/setting_origin.hpp"
#include "awork_mcp/core/proxy.hpp"
#include "awork_mcp/core/request_builder.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

// ---- configuration ----------------------------------------------------------------------------

/// A secret's length and, when it is 16 characters or longer, its last 4 ("32 chars, ends …a1b2"):
/// enough to tell two keys apart, too little to use. Shorter secrets show their length only.
std::string mask_secret(std::string_view secret);

/// A proxy for people: "http://user:***@host:port" with the user name of its Proxy-Authorization,
/// "http://host:port" without one. The password never appears.
std::string proxy_display(const proxy_settings& proxy);

enum class credential_kind { none, api_key, header, sign_in };

struct credential_facts {
  credential_kind kind = credential_kind::none;
  /// api_key: how it was given ("AWORK_API_KEY_FILE", "--api-key-file", "--api-key",
  /// "AWORK_API_KEY", "api-key-file in the config file"); header: the --header's name.
  std::string via;
  std::string file;  ///< the file the key was read from, if any
  std::string key;   ///< the key itself: only mask_secret(key) is ever shown
  // sign_in: the stored OAuth sign-in
  std::string issuer;
  std::optional<std::chrono::seconds> expires_in;  ///< the access token's life left (negative: expired)
  std::string expires_text;                        ///< its expiry as local time, for people
  bool refreshable = false;                        ///< a refresh token is stored
};

/// The credential for people, never its value: "API key from AWORK_API_KEY_FILE (/path), 32
/// chars, ends …a1b2", "signed in at https://issuer, access token valid until …", "none".
std::string describe_credential(const credential_facts& credential);

struct configuration_facts {
  std::string url;          ///< endpoint::display(): a query shows as "?…"
  std::string url_origin;   ///< origin_text() of --url
  bool awork = false;       ///< awork's own service (messages name its key variable)
  bool plain_http_remote = false;  ///< http:// to a host that is not loopback (--allow-http)
  credential_facts credential;
  std::string protocol;         ///< auto, legacy or modern
  std::string protocol_origin;  ///< origin_text() of --protocol
  std::vector<std::string> header_names;  ///< of --header and --header-file (values never shown)
  std::string ca_file;
};
check_line judge_configuration(const configuration_facts& facts);

// ---- proxy ------------------------------------------------------------------------------------

struct proxy_facts {
  std::string host;  ///< the server's host
  std::optional<proxy_settings> proxy;
  /// Where the proxy came from: "--proxy", "the config file", "HTTPS_PROXY", "https_proxy"...
  std::string origin;
  std::string bypassed_by;  ///< "NO_PROXY" or "no_proxy" when it exempts the host
  bool disabled = false;    ///< --proxy '' turned the environment's proxy off
};
check_line judge_proxy(const proxy_facts& facts);

// ---- DNS --------------------------------------------------------------------------------------

struct dns_facts {
  std::string host;         ///< the name looked up: the proxy's when one is used
  std::string server_host;  ///< with a proxy: the server's name, which the proxy resolves
  bool literal = false;     ///< host is an IP address already
  std::vector<std::string> addresses;
  std::chrono::milliseconds elapsed{0};
  std::string error;        ///< empty: resolved
  bool timed_out = false;
  std::chrono::milliseconds timeout{0};
};
check_line judge_dns(const dns_facts& facts);

// ---- TCP connect (and the proxy's CONNECT tunnel) ---------------------------------------------

enum class connect_problem { none, refused, timed_out, unreachable, other };
connect_problem classify_connect_error(const boost::system::error_code& ec);

struct tcp_facts {
  std::string target;       ///< host:port dialled: the proxy's when one is used
  bool via_proxy = false;
  std::string address;      ///< the address that answered
  std::chrono::milliseconds elapsed{0};
  connect_problem problem = connect_problem::none;
  std::string error;
  std::chrono::milliseconds timeout{0};
  // The CONNECT tunnel through the proxy.
  std::string tunnel_to;     ///< host:port asked for
  unsigned tunnel_status = 0;
  std::string tunnel_reason;
  std::string tunnel_error;  ///< the proxy did not answer the CONNECT
  bool proxy_credentials = false;
  std::chrono::milliseconds tunnel_elapsed{0};
};
check_line judge_tcp(const tcp_facts& facts);

// ---- TLS --------------------------------------------------------------------------------------

/// Below this many days left, a certificate gets a warning.
inline constexpr long expiry_warning_days = 14;
/// The rule alone: expired (negative days) fails, fewer than 14 days warns, else ok.
check_verdict expiry_verdict(long days_left);

enum class tls_problem { none, unknown_ca, expired, not_yet_valid, wrong_host, other };
/// What an X509_V_ERR_* verification result means for the user.
tls_problem classify_verify_result(long verify_code);

struct tls_facts {
  bool plain_http = false;  ///< http://: no TLS at all
  bool loopback = false;
  std::string host;
  std::string ca_file;       ///< --ca-file, if given
  std::string setup_error;   ///< the trust store or --ca-file could not be loaded
  std::string handshake_error;  ///< empty: the handshake completed
  bool timed_out = false;
  std::chrono::milliseconds timeout{0};
  std::string version;      ///< "TLSv1.3"
  std::string subject, issuer;
  std::string not_after;    ///< the certificate's last day, YYYY-MM-DD
  std::optional<long> days_left;
  long verify_code = 0;     ///< X509_V_OK, or the first X509_V_ERR_* met
  std::string verify_text;  ///< X509_verify_cert_error_string
  std::chrono::milliseconds elapsed{0};
};
check_line judge_tls(const tls_facts& facts);

// ---- authentication ---------------------------------------------------------------------------

struct auth_facts {
  std::string method;  ///< the request that decided: server/discover or initialize
  credential_kind credential = credential_kind::none;
  bool awork = false;
  std::string url;     ///< for messages (display form)
  unsigned status = 0; ///< the HTTP status; 0: no answer
  std::string reason;
  std::string error;   ///< no answer: why
  bool timed_out = false;
  std::string challenge_error;  ///< WWW-Authenticate's error= (invalid_token, insufficient_scope)
  std::string location;         ///< a redirect's target, display form
  std::optional<std::chrono::seconds> retry_after;
  bool renewed = false;         ///< the stored sign-in was renewed after a first 401
  std::chrono::milliseconds elapsed{0};
};
check_line judge_auth(const auth_facts& facts);
/// Whether the steps after authentication are meaningful with this answer (2xx only).
bool auth_lets_through(unsigned status);

// ---- the server -------------------------------------------------------------------------------

struct server_facts {
  bool modern = false;           ///< MCP 2026-07-28, asked with server/discover
  std::string protocol_version;  ///< what initialize's result (or discover) said
  std::string name, version;
  std::string handshake_error;   ///< initialize/discover answered with an error, or unreadably
  bool modern_required = false;  ///< --protocol modern, and the server does not speak it
  std::optional<std::size_t> tools;
  std::string tools_error;
  std::optional<std::chrono::milliseconds> round_trip;
  std::string round_trip_method;  ///< ping, or tools/list again
  std::string round_trip_error;
};
check_line judge_server(const server_facts& facts);

// ---- rate limits ------------------------------------------------------------------------------

/// x-ratelimit-*, ratelimit and ratelimit-* (IETF draft), retry-after; any letter case.
bool is_rate_limit_header(std::string_view name);

struct rate_limit_evidence {
  header_list seen;      ///< name and value as they came, the latest value of each name
  bool limited = false;  ///< a reply was HTTP 429
};
check_line judge_rate_limits(const rate_limit_evidence& facts);
/// Adds a reply's rate-limit fields to `seen`: a name seen before takes the newer value in place.
void note_rate_limit_headers(header_list& seen, const header_list& reply_fields);

}  // namespace awork_mcp
