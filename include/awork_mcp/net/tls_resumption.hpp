#pragma once
// TLS session resumption for one origin: the last session ticket the server gave is offered on
// the next handshake, so a new connection (after an idle period, or for parallel calls) skips the
// certificate exchange and its verification. OpenSSL keeps no client-side cache of its own.

#include <openssl/ssl.h>

#include <cstddef>

namespace awork_mcp {

class tls_resumption {
 public:
  tls_resumption() = default;
  ~tls_resumption();
  tls_resumption(const tls_resumption&) = delete;
  tls_resumption& operator=(const tls_resumption&) = delete;

  /// Lets a client context hand new sessions to the tls_resumption of the connection's owner.
  static void enable(SSL_CTX* context);
  /// Before a handshake: offers the saved session and has the next ones saved here.
  void prepare(SSL* ssl);
  /// After a handshake: whether it resumed a session.
  bool resumed(SSL* ssl) const { return SSL_session_reused(ssl) != 0; }

 private:
  static int on_new_session(SSL* ssl, SSL_SESSION* session);
  SSL_SESSION* session_ = nullptr;
};

}  // namespace awork_mcp
