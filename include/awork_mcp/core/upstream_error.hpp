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

struct upstream_failure {
  failure_kind kind = failure_kind::io;
  std::string detail;              ///< the low-level reason, for people
  unsigned http_status = 0;        ///< for http_status
  std::optional<std::chrono::seconds> retry_after;  ///< for 429 and 503
  boost::json::value server_error; ///< a JSON-RPC "error" object the server sent with its HTTP error
};

/// Names a transport error code in the terms of the step it broke.
upstream_failure describe_transport_error(boost::system::error_code ec, exchange_stage stage);

/// Describes an HTTP error status, keeping the server's JSON-RPC error from the body if any.
upstream_failure describe_http_status(unsigned status, std::string_view reason, std::string_view content_type,
                                      std::string_view body, std::optional<std::chrono::seconds> retry_after);

struct rpc_error {
  int code = 0;
  std::string message;
  boost::json::object data;
};

/// The JSON-RPC error a person reads when a request failed upstream.
rpc_error to_rpc_error(const upstream_failure& failure, const endpoint& server);

}  // namespace awork_mcp
