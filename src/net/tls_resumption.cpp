#include "awork_mcp/net/tls_resumption.hpp"

namespace awork_mcp {

namespace {

int owner_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

}  // namespace

tls_resumption::~tls_resumption() {
  if (session_) SSL_SESSION_free(session_);
}

void tls_resumption::enable(SSL_CTX* context) {
  // External cache only: OpenSSL's internal client cache is never consulted for clients anyway.
  SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
  SSL_CTX_sess_set_new_cb(context, &tls_resumption::on_new_session);
}

void tls_resumption::prepare(SSL* ssl) {
  SSL_set_ex_data(ssl, owner_index(), this);
  if (session_) SSL_set_session(ssl, session_);
}

int tls_resumption::on_new_session(SSL* ssl, SSL_SESSION* session) {
  auto* owner = static_cast<tls_resumption*>(SSL_get_ex_data(ssl, owner_index()));
  if (!owner) return 0;  // a connection nobody resumes from (OAuth's one-off requests)
  if (owner->session_) SSL_SESSION_free(owner->session_);
  owner->session_ = session;
  return 1;  // the reference is ours now
}

}  // namespace awork_mcp
