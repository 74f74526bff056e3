#include "awork_mcp/oauth/pkce.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>
#include <vector>

namespace awork_mcp {

std::string base64(std::span<const unsigned char> bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 4 * 3))
    throw std::length_error("base64: input too large");
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock writes a final NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string base64url(std::span<const unsigned char> bytes) {
  auto out = base64(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

std::string random_url_token(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  // A failing CSPRNG is not bad input but a broken machine: never hand out a guessable value.
  if (bytes > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      (bytes > 0 && RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1))
    throw std::runtime_error("OpenSSL's random generator failed");
  return base64url(buffer);
}

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 || size != digest.size())
    throw std::runtime_error("OpenSSL's SHA-256 failed");
  return digest;
}

std::string s256_challenge(std::string_view verifier) { return base64url(sha256(verifier)); }

bool is_valid_verifier(std::string_view verifier) {
  auto unreserved = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
  };
  return verifier.size() >= 43 && verifier.size() <= 128 && std::all_of(verifier.begin(), verifier.end(), unreserved);
}

}  // namespace awork_mcp
