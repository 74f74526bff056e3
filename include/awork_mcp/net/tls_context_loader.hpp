#pragma once
// The bridge's TLS client context, made on a thread of its own from the moment the bridge starts.
// Loading the trust store is the slowest part of a cold start over TLS: a whole CA bundle when
// SSL_CERT_FILE names one (16 ms against 1 ms here, as conda and Nix set it), the root store on
// Windows. Made beside the wait for the editor's first message, the DNS lookup and the TCP
// connect, it no longer delays the first request; the first TLS handshake waits for it if need be.

#include "awork_mcp/net/net.hpp"

#include <exception>
#include <optional>
#include <string>
#include <thread>

namespace awork_mcp {

class tls_context_loader {
 public:
  explicit tls_context_loader(std::string ca_file);
  ~tls_context_loader();
  tls_context_loader(const tls_context_loader&) = delete;
  tls_context_loader& operator=(const tls_context_loader&) = delete;

  /// The context, once made (waits for the thread the first time); throws what making it threw
  /// (an unreadable --ca-file).
  ssl::context& get();

 private:
  std::optional<ssl::context> context_;
  std::exception_ptr error_;
  std::thread thread_;  // last: it starts once the members it fills exist
};

}  // namespace awork_mcp
