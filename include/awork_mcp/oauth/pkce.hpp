#pragma once
// RFC 7636 PKCE (S256 only) and the random values of an authorization request.

#include <span>
#include <string>
#include <string_view>

namespace awork_mcp {

/// base64url without padding (RFC 4648 §5), as PKCE, state and JWT-style values use it.
std::string base64url(std::span<const unsigned char> bytes);

/// `bytes` random bytes from OpenSSL's CSPRNG, base64url encoded (32 bytes: 43 characters).
std::string random_url_token(std::size_t bytes = 32);

/// BASE64URL(SHA256(ASCII(verifier))).
std::string s256_challenge(std::string_view verifier);

/// RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
bool is_valid_verifier(std::string_view verifier);

}  // namespace awork_mcp
