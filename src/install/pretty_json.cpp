#include "awork_mcp/install/pretty_json.hpp"

#include <boost/json/serialize.hpp>

namespace awork_mcp::install {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}

void new_line(std::string& out, std::size_t indent) {
  out += '\n';
  out.append(indent, ' ');
}

}  // namespace

std::string reindent_json(std::string_view t, std::size_t indent) {
  std::string out;
  out.reserve(t.size() + t.size() / 4);
  std::size_t depth = indent;  // in spaces
  for (std::size_t i = skip_space(t, 0); i < t.size(); i = skip_space(t, i)) {
    const char c = t[i];
    if (c == '"') {
      // A string, escapes and all, as written.
      std::size_t j = i + 1;
      while (j < t.size() && t[j] != '"') j += t[j] == '\\' ? 2 : 1;
      out.append(t.substr(i, j + 1 - i));
      i = j + 1;
    } else if (c == '{' || c == '[') {
      const std::size_t next = skip_space(t, i + 1);
      if (next < t.size() && (t[next] == '}' || t[next] == ']')) {  // empty: {} or []
        out += c;
        out += t[next];
        i = next + 1;
      } else {
        out += c;
        depth += 2;
        new_line(out, depth);
        i = next;
      }
    } else if (c == '}' || c == ']') {
      depth = depth >= 2 ? depth - 2 : 0;
      new_line(out, depth);
      out += c;
      ++i;
    } else if (c == ',') {
      out += ',';
      new_line(out, depth);
      ++i;
    } else if (c == ':') {
      out += ": ";
      ++i;
    } else {
      // A number, true, false or null, as written: up to the next delimiter.
      std::size_t j = i;
      while (j < t.size() && !is_space(t[j]) && t[j] != ',' && t[j] != '}' && t[j] != ']' && t[j] != ':') ++j;
      if (j == i) ++j;  // not valid JSON: move on rather than stop
      out.append(t.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

std::string pretty_json(const boost::json::value& value, std::size_t indent) {
  return reindent_json(boost::json::serialize(value), indent);
}

std::string pretty_member(std::string_view name, const boost::json::value& value, std::size_t indent) {
  return std::string(indent, ' ') + boost::json::serialize(boost::json::string_view(name.data(), name.size())) + ": " +
         pretty_json(value, indent);
}

}  // namespace awork_mcp::install
