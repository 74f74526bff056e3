#include "awork_mcp/oauth/www_authenticate.hpp"

#include "awork_mcp/core/text.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace awork_mcp {

namespace {

// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 9110 §11.2 token68 characters (before the trailing "="s).
bool is_token68_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~+/").find(c) != std::string_view::npos;
}

struct challenge {
  std::string scheme;  // lower case
  std::map<std::string, std::string> params;  // names in lower case, the first of each kept
};

// RFC 9110 §11.6.1: WWW-Authenticate = #challenge, challenge = auth-scheme [ 1*SP ( token68 /
// #auth-param ) ]. Commas separate both challenges and parameters, so a name followed by "=" is
// a parameter of the current challenge and any other token starts the next challenge.
class challenge_reader {
 public:
  explicit challenge_reader(std::string_view text) : s_(text) {}

  std::vector<challenge> read_all() {
    std::vector<challenge> out;
    for (;;) {
      skip_separators();
      if (at_end()) break;
      if (!out.empty() && read_param(out.back())) continue;
      auto scheme = read_while(is_tchar);
      if (scheme.empty() || !(at_end() || peek() == ',' || is_space(peek()))) {
        skip_element();  // neither a parameter nor a challenge: skip to the next comma
        continue;
      }
      challenge c{lower(scheme), {}};
      skip_spaces();
      if (!at_end() && peek() != ',' && !read_token68() && !read_param(c)) skip_element();
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  static bool is_space(char c) { return c == ' ' || c == '\t'; }
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return s_[i_]; }
  void skip_spaces() {
    while (!at_end() && is_space(peek())) ++i_;
  }
  void skip_separators() {
    while (!at_end() && (is_space(peek()) || peek() == ',')) ++i_;
  }
  template <class Pred>
  std::string_view read_while(Pred pred) {
    const auto start = i_;
    while (!at_end() && pred(peek())) ++i_;
    return s_.substr(start, i_ - start);
  }

  // A token68 (the credentials of schemes like Basic) stands alone up to the next comma.
  bool read_token68() {
    const auto start = i_;
    if (!read_while(is_token68_char).empty()) {
      read_while([](char c) { return c == '='; });
      skip_spaces();
      if (at_end() || peek() == ',') return true;
    }
    i_ = start;
    return false;
  }

  // name BWS "=" BWS value, up to the next comma; nothing is read if the text is not one.
  bool read_param(challenge& c) {
    const auto start = i_;
    auto name = read_while(is_tchar);
    skip_spaces();
    if (name.empty() || at_end() || peek() != '=') {
      i_ = start;
      return false;
    }
    ++i_;
    skip_spaces();
    auto value = read_value();
    c.params.emplace(lower(name), std::move(value));  // a repeated name is invalid; keep the first
    skip_spaces();
    if (!at_end() && peek() != ',') skip_element();  // garbage after the value
    return true;
  }

  // A quoted string (with \-escapes; an unterminated one runs to the end) or a bare value. Bare
  // values are taken up to a comma or space, not only tchars: servers send URLs unquoted.
  std::string read_value() {
    if (at_end()) return {};
    if (peek() != '"') return std::string(read_while([](char c) { return c != ',' && !is_space(c); }));
    ++i_;
    std::string out;
    while (!at_end() && peek() != '"') {
      if (peek() == '\\' && i_ + 1 < s_.size()) ++i_;
      out += s_[i_++];
    }
    if (!at_end()) ++i_;  // the closing quote
    return out;
  }

  // Up to the next comma outside a quoted string.
  void skip_element() {
    bool quoted = false;
    while (!at_end()) {
      const char c = s_[i_];
      if (quoted && c == '\\')
        ++i_;
      else if (c == '"')
        quoted = !quoted;
      else if (!quoted && c == ',')
        return;
      ++i_;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<bearer_challenge> parse_bearer_challenge(std::string_view field_values) {
  for (auto& c : challenge_reader(field_values).read_all()) {
    if (c.scheme != "bearer") continue;
    bearer_challenge b;
    auto take = [&](const char* name, std::string& into) {
      if (auto it = c.params.find(name); it != c.params.end()) into = std::move(it->second);
    };
    take("resource_metadata", b.resource_metadata);
    take("scope", b.scope);
    take("error", b.error);
    take("error_description", b.error_description);
    return b;
  }
  return std::nullopt;
}

}  // namespace awork_mcp
