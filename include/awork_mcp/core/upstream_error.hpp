#pragma once
// What can go wrong talking to the server, and how each failure reads as a JSON-RPC error.

#include "awork_mcp/core/endpoint.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

enum class failure_kind {
  dns, connect, tls, timeout, io,
  uncertain,     ///< the connection broke after the request was written: it may or may not have run
  http_status, bad_body,
  too_large,     ///< a message over --max-message-bytes
  stream_ended,
  redirect,      ///< a redirect that is not followed
  refused,       ///< the bridge itself declined to send (an unsafe header, too many waiting requests)
  sign_in,       ///< no usable OAuth sign-in: the detail says why and what to do
  shutdown
};
std::ostream& operator<<(std::ostream&, failure_kind);

/// Which step of an exchange a transport error happened in.
enum class exchange_stage { resolve, connect, handshake, write, read };

/// The error object awork sends with an HTTP error (developers.awork.com/error-handling):
/// {code, description, link, details, validationErrors: [{property, message}]}, with a traceId
/// where the request can be traced. ASP.NET's problem details ({title, detail, traceId,
/// errors: {field: [message]}}) read the same way.
struct service_error {
  struct violation {
    std::string property;  ///< may be empty
    std::string message;
  };
  std::string code;         ///< e.g. "validation-failed"
  std::string description;  ///< for people
  std::string link;         ///< documentation of the error
  std::string trace_id;     ///< the body's traceId
  std::vector<std::string> details;
  std::vector<violation> validation_errors;
};

/// Reads a service error from an HTTP error body; nullopt when the body is not JSON of that shape
/// (a JSON-RPC message never is). Every text is made printable and bounded.
std::optional<service_error> parse_service_error(std::string_view content_type, std::string_view body);

/// The identifiers a reply carries so that the service's support can find the request again.
struct request_trace {
  std::string trace_id;  ///< Trace-Id
  std::string edge_ref;  ///< X-Edge-Ref: the edge that carried the request
  bool empty() const { return trace_id.empty() && edge_ref.empty(); }
};

/// The trace headers of a reply, made printable and bounded (they go into logs and messages).
request_trace make_request_trace(std::string_view trace_id_header, std::string_view edge_ref_header);

/// " (Trace-Id: …, X-Edge-Ref: …)" for a log line, or "" when the reply had neither.
std::string trace_suffix(const request_trace& trace);

struct upstream_failure {
  failure_kind kind = failure_kind::io;
  std::string detail;              ///< the low-level reason, for people
  unsigned http_status = 0;        ///< for http_status
  std::optional<std::chrono::seconds> retry_after;  ///< for 429 and 503
  boost::json::value server_error; ///< a JSON-RPC "error" object the server sent with its HTTP error
  std::optional<service_error> service;  ///< awork's error object, when the body held one instead
  request_trace trace;             ///< the reply's trace headers
};

/// Names a transport error code in the terms of the step it broke.
upstream_failure describe_transport_error(boost::system::error_code ec, exchange_stage stage);

/// Describes an HTTP error status, keeping the server's JSON-RPC error or awork's error object from
/// the body if any, and the reply's trace headers.
upstream_failure describe_http_status(unsigned status, std::string_view reason, std::string_view content_type,
                                      std::string_view body, std::optional<std::chrono::seconds> retry_after,
                                      const request_trace& trace = {});

struct rpc_error {
  int code = 0;
  std::string message;
  boost::json::object data;
};

/// The JSON-RPC error a person reads when a request failed upstream.
rpc_error to_rpc_error(const upstream_failure& failure, const endpoint& server);

}  // namespace awork_mcp
