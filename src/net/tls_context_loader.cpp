#include "awork_mcp/net/tls_context_loader.hpp"

#include "awork_mcp/net/http_client.hpp"

namespace awork_mcp {

tls_context_loader::tls_context_loader(std::string ca_file)
    : thread_([this, ca_file = std::move(ca_file)] {
        try {
          context_.emplace(make_tls_context(ca_file));
        } catch (...) {
          error_ = std::current_exception();
        }
      }) {}

tls_context_loader::~tls_context_loader() {
  if (thread_.joinable()) thread_.join();
}

ssl::context& tls_context_loader::get() {
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
  return *context_;
}

}  // namespace awork_mcp
