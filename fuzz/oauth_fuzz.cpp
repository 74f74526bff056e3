// libFuzzer target: everything the sign-in reads from the network or the disk: WWW-Authenticate
// challenges, protected-resource and authorization-server metadata, token and registration
// answers, OAuth errors, the browser's redirect to the loopback listener, and the stored records.
// The first byte picks the parser; the rest is its input.
#include "awork_mcp/oauth/authorization_request.hpp"
#include "awork_mcp/oauth/discovery.hpp"
#include "awork_mcp/oauth/sign_in_record.hpp"
#include "awork_mcp/oauth/token_exchange.hpp"
#include "awork_mcp/oauth/www_authenticate.hpp"
#include "fuzz_support.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

const awork_mcp::endpoint server{true, "mcp.example", "443", "/api/v1/mcp"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace awork_mcp;
  switch (data[0] % 8) {
    case 0:
      if (auto challenge = parse_bearer_challenge(input)) (void)challenge->scope.size();
      break;
    case 1: {
      auto parsed = parse_protected_resource_metadata(input, server);
      FUZZ_CHECK(parsed.metadata.has_value() != !parsed.error.empty());
      if (parsed.metadata) FUZZ_CHECK(!parsed.metadata->authorization_servers.empty());
      break;
    }
    case 2: {
      auto parsed = parse_authorization_server_metadata(input, "https://auth.example");
      FUZZ_CHECK(parsed.metadata.has_value() != !parsed.error.empty());
      // Only a server that offers PKCE S256, under the issuer we expected, is ever used.
      if (parsed.metadata) FUZZ_CHECK(parsed.metadata->issuer == "https://auth.example");
      break;
    }
    case 3: {
      auto parsed = parse_token_response(input, std::chrono::system_clock::now(), "full_access");
      FUZZ_CHECK(parsed.tokens.has_value() != !parsed.error.empty());
      if (parsed.tokens) FUZZ_CHECK(!parsed.tokens->access_token.empty());
      break;
    }
    case 4: {
      auto parsed = parse_registration_response(input, {"none", "client_secret_basic"});
      if (parsed.client) FUZZ_CHECK(!parsed.client->client_id.empty());
      break;
    }
    case 5:
      (void)describe_oauth_error(400, input);
      break;
    case 6: {
      const callback_expectation expected{"state-1", "https://auth.example", (size & 1) != 0};
      auto result = judge_callback(input, "/callback", expected);
      if (result.what == callback_result::verdict::code) FUZZ_CHECK(!result.code.empty());
      break;
    }
    case 7: {
      // A record read back from disk is written out and read again to the same thing.
      if (auto record = sign_in_record_from_json(input)) {
        auto again = sign_in_record_from_json(to_json(*record));
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(again->tokens.access_token == record->tokens.access_token);
        FUZZ_CHECK(again->tokens.refresh_token == record->tokens.refresh_token);
      }
      (void)registered_client_from_json(input);
      break;
    }
  }
  return 0;
}
