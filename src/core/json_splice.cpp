#include "awork_mcp/core/json_splice.hpp"

#include "awork_mcp/core/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

namespace awork_mcp {

namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::size_t skip_space(std::string_view t, std::size_t i) {
  while (i < t.size() && is_space(t[i])) ++i;
  return i;
}

// Past the closing quote of the string literal opening at `i`, or npos.
std::size_t string_end(std::string_view t, std::size_t i) {
  for (std::size_t j = i + 1; j < t.size();) {
    const char c = t[j];
    if (c == '\\')
      j += 2;
    else if (c == '"')
      return j + 1;
    else if (static_cast<unsigned char>(c) < 0x20)
      return npos;
    else
      ++j;
  }
  return npos;
}

// Past the end of the value starting at `i`, or npos. Containers are skipped by matching their
// brackets (a stack, not recursion: nesting depth costs no call stack); scalars run up to the next
// delimiter. The text has been validated, so this needs to know no more of the grammar.
std::size_t value_end(std::string_view t, std::size_t i) {
  if (i >= t.size()) return npos;
  const char first = t[i];
  if (first == '"') return string_end(t, i);
  if (first == '{' || first == '[') {
    std::string open;
    for (std::size_t j = i; j < t.size();) {
      const char c = t[j];
      if (c == '"') {
        j = string_end(t, j);
        if (j == npos) return npos;
        continue;
      }
      if (c == '{' || c == '[') {
        open.push_back(c);
      } else if (c == '}' || c == ']') {
        if (open.back() != (c == '}' ? '{' : '[')) return npos;
        open.pop_back();
        if (open.empty()) return j + 1;
      }
      ++j;
    }
    return npos;
  }
  std::size_t j = i;
  while (j < t.size() && !is_space(t[j]) && t[j] != ',' && t[j] != '}' && t[j] != ']' && t[j] != '{' &&
         t[j] != '[' && t[j] != '"' && t[j] != ':')
    ++j;
  return j == i ? npos : j;
}

struct scanned_member {
  std::size_t key_begin;  // at the opening quote
  std::size_t key_end;    // past the closing quote
  std::size_t value_begin;
  std::size_t value_end;
};

struct scanned_object {
  std::size_t open;   // the '{'
  std::size_t close;  // the '}'
  std::vector<scanned_member> members;
};

std::optional<scanned_object> scan_object(std::string_view t) {
  scanned_object out;
  std::size_t i = skip_space(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  out.open = i;
  i = skip_space(t, i + 1);
  if (i < t.size() && t[i] == '}') {
    out.close = i;
  } else {
    for (;;) {
      if (i >= t.size() || t[i] != '"') return std::nullopt;
      scanned_member m{};
      m.key_begin = i;
      m.key_end = string_end(t, i);
      if (m.key_end == npos) return std::nullopt;
      i = skip_space(t, m.key_end);
      if (i >= t.size() || t[i] != ':') return std::nullopt;
      m.value_begin = skip_space(t, i + 1);
      m.value_end = value_end(t, m.value_begin);
      if (m.value_end == npos) return std::nullopt;
      out.members.push_back(m);
      i = skip_space(t, m.value_end);
      if (i >= t.size()) return std::nullopt;
      if (t[i] == '}') {
        out.close = i;
        break;
      }
      if (t[i] != ',') return std::nullopt;
      i = skip_space(t, i + 1);
    }
  }
  if (skip_space(t, out.close + 1) != t.size()) return std::nullopt;
  return out;
}

std::optional<std::string> key_of(std::string_view t, const scanned_member& m) {
  return json_unquote(t.substr(m.key_begin, m.key_end - m.key_begin));
}

// Index of the last member named `key`, or npos.
std::size_t last_index(std::string_view t, const scanned_object& object, std::string_view key) {
  std::size_t found = npos;
  for (std::size_t n = 0; n < object.members.size(); ++n)
    if (key_of(t, object.members[n]) == key) found = n;
  return found;
}

std::string without_elements(std::string_view array_text, const std::vector<std::string_view>& elements,
                             const std::vector<bool>& drop) {
  auto begin = [&](std::size_t i) { return static_cast<std::size_t>(elements[i].data() - array_text.data()); };
  auto end = [&](std::size_t i) { return begin(i) + elements[i].size(); };
  std::string out(array_text.substr(0, begin(0)));
  bool first = true;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (drop[i]) continue;
    if (!first) out.append(array_text.substr(end(i - 1), begin(i) - end(i - 1)));
    out.append(elements[i]);
    first = false;
  }
  out.append(array_text.substr(end(elements.size() - 1)));
  return out;
}

}  // namespace

std::string json_quote(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

std::optional<std::string> json_unquote(std::string_view literal) {
  if (literal.empty() || literal.front() != '"' || string_end(literal, 0) != literal.size()) return std::nullopt;
  const auto inner = literal.substr(1, literal.size() - 2);
  // Most keys have no escape: compared as they are, with no parser.
  if (inner.find('\\') == npos) return std::string(inner);
  boost::system::error_code ec;
  auto value = parse_json(literal, ec);
  if (ec || !value.is_string()) return std::nullopt;
  return std::string(value.get_string());
}

std::optional<std::vector<std::pair<std::string, std::string_view>>> object_members(std::string_view object_text) {
  const auto object = scan_object(object_text);
  if (!object) return std::nullopt;
  std::vector<std::pair<std::string, std::string_view>> out;
  for (const auto& m : object->members) {
    auto key = key_of(object_text, m);
    if (!key) return std::nullopt;
    out.emplace_back(std::move(*key), object_text.substr(m.value_begin, m.value_end - m.value_begin));
  }
  return out;
}

std::optional<member_span> find_member(std::string_view object_text, std::string_view key) {
  const auto object = scan_object(object_text);
  if (!object) return std::nullopt;
  const auto n = last_index(object_text, *object, key);
  if (n == npos) return std::nullopt;
  return member_span{object->members[n].value_begin, object->members[n].value_end};
}

std::optional<std::string_view> member_text(std::string_view object_text, std::string_view key) {
  const auto span = find_member(object_text, key);
  if (!span) return std::nullopt;
  return object_text.substr(span->value_begin, span->value_end - span->value_begin);
}

std::optional<std::string> set_member(std::string_view object_text, std::string_view key, std::string_view value_json) {
  const auto object = scan_object(object_text);
  if (!object) return std::nullopt;
  std::string out;
  out.reserve(object_text.size() + key.size() + value_json.size() + 4);
  if (const auto n = last_index(object_text, *object, key); n != npos) {
    const auto& m = object->members[n];
    out.append(object_text.substr(0, m.value_begin));
    out.append(value_json);
    out.append(object_text.substr(m.value_end));
    return out;
  }
  out.append(object_text.substr(0, object->open + 1));
  out.append(json_quote(key));
  out.push_back(':');
  out.append(value_json);
  if (!object->members.empty()) out.push_back(',');
  out.append(object_text.substr(object->open + 1));
  return out;
}

std::optional<std::string> remove_member(std::string_view object_text, std::string_view key) {
  if (!scan_object(object_text)) return std::nullopt;
  std::string out(object_text);
  // One occurrence per pass: a repeated key is rare, and every pass starts from fresh offsets.
  for (;;) {
    const auto object = scan_object(out);
    if (!object) return out;  // cannot happen: a cut leaves an object
    const auto n = last_index(out, *object, key);
    if (n == npos) return out;
    const auto& members = object->members;
    std::size_t from = members[n].key_begin;
    std::size_t to = members[n].value_end;
    // With one comma: the one after it (up to the next member), else the one before it (from the
    // end of the previous member); the only member leaves the whitespace around it.
    if (n + 1 < members.size())
      to = members[n + 1].key_begin;
    else if (n > 0)
      from = members[n - 1].value_end;
    out.erase(from, to - from);
  }
}

std::optional<std::string> without_result_array_elements(std::string_view response_line, std::string_view array_key,
                                                         const std::vector<bool>& drop) {
  // Cut by byte range: the text of the array and its elements, found again in the line.
  const auto result_text = member_text(response_line, "result");
  const auto array_text = result_text ? member_text(*result_text, array_key) : std::nullopt;
  if (!array_text) return std::nullopt;
  const auto elements = array_elements(*array_text);
  if (elements.empty() || elements.size() != drop.size()) return std::nullopt;
  const auto offset = static_cast<std::size_t>(array_text->data() - response_line.data());
  return std::string(response_line.substr(0, offset)) + without_elements(*array_text, elements, drop) +
         std::string(response_line.substr(offset + array_text->size()));
}

std::optional<std::string_view> object_member(std::string_view object_text, std::string_view key) {
  auto value = member_text(object_text, key);
  if (!value || value->empty() || value->front() != '{') return std::nullopt;
  return value;
}

std::optional<std::string> string_member(std::string_view object_text, std::string_view key) {
  const auto value = member_text(object_text, key);
  return value ? json_unquote(*value) : std::nullopt;
}

bool member_is_true(std::string_view object_text, std::string_view key) {
  return member_text(object_text, key) == std::optional<std::string_view>("true");
}

}  // namespace awork_mcp
