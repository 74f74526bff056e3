#include "awork_mcp/secrets/dbus_wire.hpp"

namespace awork_mcp::dbus {
namespace {

constexpr std::size_t align_up(std::size_t n, std::size_t boundary) { return (n + boundary - 1) / boundary * boundary; }

// The alignment of a value whose type starts with `code` (0 for a character that starts no type).
std::size_t alignment_of(char code) {
  switch (code) {
    case 'y': case 'g': case 'v': return 1;
    case 'n': case 'q': return 2;
    case 'b': case 'i': case 'u': case 'h': case 's': case 'o': case 'a': return 4;
    case 'x': case 't': case 'd': case '(': case '{': return 8;
    default: return 0;
  }
}

// The length of the single complete type at the front of `type`, or 0 if there is none.
std::size_t complete_type_length(std::string_view type, int depth = 0) {
  if (type.empty() || depth > 32) return 0;
  const char code = type.front();
  if (code == 'a') {
    const std::size_t element = complete_type_length(type.substr(1), depth + 1);
    return element == 0 ? 0 : 1 + element;
  }
  if (code == '(' || code == '{') {
    const char close = code == '(' ? ')' : '}';
    std::size_t at = 1, members = 0;
    while (at < type.size() && type[at] != close) {
      const std::size_t member = complete_type_length(type.substr(at), depth + 1);
      if (member == 0) return 0;
      at += member;
      ++members;
    }
    if (at >= type.size() || members == 0) return 0;
    if (code == '{' && members != 2) return 0;
    return at + 1;
  }
  return alignment_of(code) == 0 ? 0 : 1;
}

bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

}  // namespace

// ---- writer -------------------------------------------------------------------------------------

void writer::align(std::size_t boundary) { bytes_.append(align_up(bytes_.size(), boundary) - bytes_.size(), '\0'); }

void writer::put_le(std::uint64_t v, std::size_t size) {
  align(size);
  for (std::size_t i = 0; i < size; ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void writer::byte(std::uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
void writer::boolean(bool v) { put_le(v ? 1 : 0, 4); }
void writer::uint32(std::uint32_t v) { put_le(v, 4); }
void writer::int32(std::int32_t v) { put_le(static_cast<std::uint32_t>(v), 4); }
void writer::uint64(std::uint64_t v) { put_le(v, 8); }

void writer::string(std::string_view v) {
  put_le(v.size(), 4);
  bytes_.append(v);
  bytes_.push_back('\0');
}
void writer::object_path(std::string_view v) { string(v); }

void writer::signature(std::string_view v) {
  byte(static_cast<std::uint8_t>(v.size()));
  bytes_.append(v);
  bytes_.push_back('\0');
}

void writer::byte_array(std::string_view v) {
  const auto mark = open_array(1);
  bytes_.append(v);
  close_array(mark);
}

writer::array_mark writer::open_array(std::size_t element_alignment) {
  align(4);
  const std::size_t length_at = bytes_.size();
  bytes_.append(4, '\0');
  align(element_alignment);
  return {length_at, bytes_.size()};
}

void writer::close_array(array_mark mark) {
  const auto length = static_cast<std::uint32_t>(bytes_.size() - mark.start);
  for (std::size_t i = 0; i < 4; ++i) bytes_[mark.length_at + i] = static_cast<char>((length >> (8 * i)) & 0xff);
}

// ---- reader -------------------------------------------------------------------------------------

bool reader::align(std::size_t boundary) {
  const std::size_t to = align_up(offset_, boundary);
  if (!ok_ || to > bytes_.size()) return ok_ = false;
  for (; offset_ < to; ++offset_)
    if (bytes_[offset_] != '\0') return ok_ = false;  // padding must be zero
  return true;
}

std::optional<std::uint64_t> reader::get_le(std::size_t size) {
  if (!align(size) || bytes_.size() - offset_ < size) {
    ok_ = false;
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < size; ++i) v |= std::uint64_t{static_cast<unsigned char>(bytes_[offset_ + i])} << (8 * i);
  offset_ += size;
  return v;
}

std::optional<std::uint8_t> reader::byte() {
  if (!ok_ || offset_ >= bytes_.size()) {
    ok_ = false;
    return std::nullopt;
  }
  return static_cast<std::uint8_t>(bytes_[offset_++]);
}

std::optional<bool> reader::boolean() {
  auto v = get_le(4);
  if (!v || *v > 1) {
    ok_ = false;
    return std::nullopt;
  }
  return *v == 1;
}

std::optional<std::uint32_t> reader::uint32() {
  auto v = get_le(4);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<std::int32_t> reader::int32() {
  auto v = uint32();
  if (!v) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

std::optional<std::uint64_t> reader::uint64() { return get_le(8); }

// The text after a length ('s' and 'o' have a 32-bit one, 'g' a byte): exactly that many bytes,
// none of them NUL, then a NUL.
std::optional<std::string> reader::nul_terminated(std::optional<std::uint64_t> length) {
  if (!length || bytes_.size() - offset_ <= *length || bytes_[offset_ + *length] != '\0') {
    ok_ = false;
    return std::nullopt;
  }
  std::string v(bytes_.substr(offset_, static_cast<std::size_t>(*length)));
  if (has_nul(v)) {
    ok_ = false;
    return std::nullopt;
  }
  offset_ += v.size() + 1;
  return v;
}

std::optional<std::string> reader::string() { return nul_terminated(get_le(4)); }

std::optional<std::string> reader::signature() {
  auto length = byte();
  return nul_terminated(length ? std::optional<std::uint64_t>(*length) : std::nullopt);
}

std::optional<std::size_t> reader::open_array(std::size_t element_alignment) {
  auto length = uint32();
  if (!length || *length > max_message_bytes || !align(element_alignment) || bytes_.size() - offset_ < *length) {
    ok_ = false;
    return std::nullopt;
  }
  return offset_ + *length;
}

std::optional<std::string> reader::byte_array() {
  auto end = open_array(1);
  if (!end) return std::nullopt;
  std::string v(bytes_.substr(offset_, *end - offset_));
  offset_ = *end;
  return v;
}

bool reader::skip(std::string_view type) {
  if (complete_type_length(type) != type.size()) return ok_ = false;
  return skip(type, 0);
}

// Skips the value of the complete type at the front of `type` and removes that type from it.
bool reader::skip(std::string_view& type, int depth) {
  if (!ok_ || type.empty() || depth > 64) return ok_ = false;
  const char code = type.front();
  type.remove_prefix(1);
  switch (code) {
    case 'y': return byte().has_value();
    case 'b': return boolean().has_value();
    case 'n': case 'q': return get_le(2).has_value();
    case 'i': case 'u': case 'h': return get_le(4).has_value();
    case 'x': case 't': case 'd': return get_le(8).has_value();
    case 's': case 'o': return string().has_value();
    case 'g': return signature().has_value();
    case 'v': {
      auto inner = signature();
      if (!inner || complete_type_length(*inner) != inner->size() || inner->empty()) return ok_ = false;
      std::string_view inner_type = *inner;
      return skip(inner_type, depth + 1);
    }
    case 'a': {
      const std::size_t element_length = complete_type_length(type);
      if (element_length == 0) return ok_ = false;
      const std::string_view element = type.substr(0, element_length);
      type.remove_prefix(element_length);
      auto end = open_array(alignment_of(element.front()));
      if (!end) return false;
      while (more(*end)) {
        std::string_view each = element;
        if (!skip(each, depth + 1)) return false;
      }
      return offset_ == *end || (ok_ = false);
    }
    case '(': case '{': {
      const char close = code == '(' ? ')' : '}';
      if (!open_struct()) return false;
      while (!type.empty() && type.front() != close)
        if (!skip(type, depth + 1)) return false;
      if (type.empty()) return ok_ = false;
      type.remove_prefix(1);
      return true;
    }
    default: return ok_ = false;
  }
}

// ---- messages -----------------------------------------------------------------------------------

std::string method_call(const call& c) {
  std::string bytes;
  writer w(bytes);
  w.byte('l');
  w.byte(static_cast<std::uint8_t>(message_type::method_call));
  w.byte(c.allow_interactive_authorization ? 0x4 : 0x0);
  w.byte(1);  // protocol version
  w.uint32(static_cast<std::uint32_t>(c.body.size()));
  w.uint32(c.serial);
  const auto fields = w.open_array(8);
  auto field = [&](std::uint8_t code, std::string_view type, std::string_view value) {
    w.open_struct();
    w.byte(code);
    w.signature(type);
    if (type == "g")
      w.signature(value);
    else
      w.string(value);
  };
  field(1, "o", c.path);
  if (!c.interface.empty()) field(2, "s", c.interface);
  field(3, "s", c.member);
  if (!c.destination.empty()) field(6, "s", c.destination);
  if (!c.signature.empty()) field(8, "g", c.signature);
  w.close_array(fields);
  w.align(8);
  bytes.append(c.body);
  return bytes;
}

frame message_size(std::string_view bytes) {
  if (bytes.size() >= 1 && bytes[0] != 'l') return {frame_status::malformed};
  if (bytes.size() >= 4 && bytes[3] != 1) return {frame_status::malformed};
  if (bytes.size() < 16) return {frame_status::need_more};
  reader r(bytes, 4);
  const std::uint64_t body = *r.uint32();
  reader f(bytes, 12);
  const std::uint64_t fields = *f.uint32();
  if (body > max_message_bytes || fields > max_message_bytes) return {frame_status::malformed};
  const std::size_t total = align_up(16 + static_cast<std::size_t>(fields), 8) + static_cast<std::size_t>(body);
  if (total > max_message_bytes) return {frame_status::malformed};
  if (bytes.size() < total) return {frame_status::need_more};
  return {frame_status::complete, total};
}

std::optional<header> parse_message(std::string_view bytes) {
  const frame framed = message_size(bytes);
  if (framed.status != frame_status::complete || framed.size != bytes.size()) return std::nullopt;
  header h;
  reader r(bytes, 1);
  const auto type = *r.byte();
  h.flags = *r.byte();
  r.byte();
  h.body_size = *r.uint32();
  h.serial = *r.uint32();
  if (type < 1 || type > 4 || h.serial == 0) return std::nullopt;
  h.type = static_cast<message_type>(type);
  auto end = r.open_array(8);
  if (!end) return std::nullopt;
  while (r.more(*end)) {
    if (!r.open_struct()) return std::nullopt;
    auto code = r.byte();
    auto type_of = r.signature();
    if (!code || !type_of) return std::nullopt;
    auto expect = [&](std::string_view wanted) { return *type_of == wanted; };
    switch (*code) {
      case 1: case 2: case 3: case 4: case 6: case 7: {
        if (!expect(*code == 1 ? "o" : "s")) return std::nullopt;
        auto v = r.string();
        if (!v) return std::nullopt;
        std::string* into[] = {nullptr, &h.path, &h.interface, &h.member, &h.error_name, nullptr, &h.destination, &h.sender};
        *into[*code] = std::move(*v);
        break;
      }
      case 5: {
        if (!expect("u")) return std::nullopt;
        auto v = r.uint32();
        if (!v) return std::nullopt;
        h.reply_serial = *v;
        break;
      }
      case 8: {
        if (!expect("g")) return std::nullopt;
        auto v = r.signature();
        if (!v) return std::nullopt;
        h.signature = std::move(*v);
        break;
      }
      default:  // fields this program has no use for (UNIX_FDS, ones added later)
        if (!r.skip(*type_of)) return std::nullopt;
    }
  }
  if (!r.ok() || r.offset() != *end || !r.align(8) || r.offset() + h.body_size != bytes.size()) return std::nullopt;
  h.body_offset = r.offset();
  const bool complete = [&] {
    switch (h.type) {
      case message_type::method_call: return !h.path.empty() && !h.member.empty();
      case message_type::method_return: return h.reply_serial != 0;
      case message_type::error: return h.reply_serial != 0 && !h.error_name.empty();
      case message_type::signal: return !h.path.empty() && !h.interface.empty() && !h.member.empty();
      default: return false;
    }
  }();
  if (!complete) return std::nullopt;
  // The body must hold exactly the values its signature names.
  reader body(bytes, h.body_offset);
  std::string_view rest = h.signature;
  while (!rest.empty()) {
    const std::size_t one = complete_type_length(rest);
    if (one == 0 || !body.skip(rest.substr(0, one))) return std::nullopt;
    rest.remove_prefix(one);
  }
  if (body.offset() != bytes.size()) return std::nullopt;
  return h;
}

}  // namespace awork_mcp::dbus
