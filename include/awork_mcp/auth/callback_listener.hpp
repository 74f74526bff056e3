#pragma once
// The loopback HTTP listener that receives the browser's redirect at the end of a sign-in
// (RFC 8252 §7.3). Bound to 127.0.0.1 only; it answers each request with a short page and
// returns the first redirect that carries this sign-in's answer. A request with the wrong state
// is refused and waiting goes on (it is not our browser); once the answer is in, the listener
// closes, so a second callback finds nobody.

#include "awork_mcp/core/outcome.hpp"
#include "awork_mcp/net/net.hpp"
#include "awork_mcp/oauth/authorization_request.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace awork_mcp {

class callback_listener {
 public:
  /// Listens on 127.0.0.1:`port` (0: any free port). An error text if the port is taken.
  static outcome<std::unique_ptr<callback_listener>> open(net::any_io_executor ex, unsigned short port);

  unsigned short port() const { return port_; }

  /// Serves requests until one is this sign-in's answer (code or denial) or `timeout` passes
  /// (failure_kind::timeout). Requests from other than loopback addresses, or with a Host that is
  /// not the listener's, are refused.
  awaitable<outcome<callback_result>> wait(std::string callback_path, callback_expectation expected,
                                           std::chrono::milliseconds timeout);
  /// Stops waiting (the bridge is shutting down).
  void close();

 private:
  callback_listener(tcp::acceptor acceptor, unsigned short port) : acceptor_(std::move(acceptor)), port_(port) {}
  awaitable<void> serve(tcp::socket socket, const std::string& callback_path, const callback_expectation& expected,
                        std::optional<callback_result>& answer);

  tcp::acceptor acceptor_;
  unsigned short port_;
};

}  // namespace awork_mcp
