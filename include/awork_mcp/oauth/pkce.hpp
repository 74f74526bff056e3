#pragma once
// RFC 7636 PKCE (S256 only), the random values of an authorization request, and the base64 and
// SHA-256 they rest on.

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace awork_mcp {

/// base64 with padding (RFC 4648 §4), as HTTP Basic credentials use it.
std::string base64(std::span<const unsigned char> bytes);

/// base64url without padding (RFC 4648 §5), as PKCE, state and JWT-style values use it.
std::string base64url(std::span<const unsigned char> bytes);

/// `bytes` random bytes from OpenSSL's CSPRNG, base64url encoded (32 bytes: 43 characters).
std::string random_url_token(std::size_t bytes = 32);

/// SHA-256 of the bytes of `text`.
std::array<unsigned char, 32> sha256(std::string_view text);

/// BASE64URL(SHA256(ASCII(verifier))).
std::string s256_challenge(std::string_view verifier);

/// RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
bool is_valid_verifier(std::string_view verifier);

}  // namespace awork_mcp
