#pragma once
// The D-Bus wire format (little-endian), as much of it as the Secret Service needs: no sockets,
// only bytes. Written by hand because the libraries that speak D-Bus (libdbus, sd-bus, GDBus via
// libsecret) are shared-only on Debian and would end the release's "needs only the C library".
// Spec: https://dbus.freedesktop.org/doc/dbus-specification.html#message-protocol-marshaling
//
//   dbus::writer   appends values with the spec's alignment (offsets count from the message start)
//   dbus::reader   reads them back, bounds-checked; a malformed input is an outcome, not a throw
//   method_call()  a whole METHOD_CALL message; parse_message() the header of any message
//   message_size() how many bytes the message at the front of a buffer occupies (for framing)
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp::dbus {

enum class message_type : std::uint8_t { invalid = 0, method_call = 1, method_return = 2, error = 3, signal = 4 };

// Values are appended at the end of `bytes`, whose first byte is the message's first byte.
class writer {
 public:
  explicit writer(std::string& bytes) : bytes_(bytes) {}

  void byte(std::uint8_t v);
  void boolean(bool v);
  void uint32(std::uint32_t v);
  void int32(std::int32_t v);
  void uint64(std::uint64_t v);
  void string(std::string_view v);       // 's'
  void object_path(std::string_view v);  // 'o'
  void signature(std::string_view v);    // 'g'
  void byte_array(std::string_view v);   // 'ay'
  void align(std::size_t boundary);

  // An array: open_array(alignment of its elements) returns a mark that close_array() takes.
  // The padding after the length is there even when the array stays empty, as the spec says.
  struct array_mark {
    std::size_t length_at;
    std::size_t start;
  };
  array_mark open_array(std::size_t element_alignment);
  void close_array(array_mark mark);
  void open_struct() { align(8); }  // structs and dict entries start on 8

 private:
  void put_le(std::uint64_t v, std::size_t size);
  std::string& bytes_;
};

// Reads values at `offset` (from the message start) within `bytes`; every read fails (returns
// nullopt, and the reader stays failed) when the value would pass the end or is malformed.
class reader {
 public:
  reader(std::string_view bytes, std::size_t offset) : bytes_(bytes), offset_(offset) {}

  std::optional<std::uint8_t> byte();
  std::optional<bool> boolean();
  std::optional<std::uint32_t> uint32();
  std::optional<std::int32_t> int32();
  std::optional<std::uint64_t> uint64();
  std::optional<std::string> string();
  std::optional<std::string> object_path() { return string(); }
  std::optional<std::string> signature();
  std::optional<std::string> byte_array();
  bool align(std::size_t boundary);
  // Opens an array; returns the offset where it ends. `more(end)` says whether elements remain.
  std::optional<std::size_t> open_array(std::size_t element_alignment);
  bool more(std::size_t end) const { return ok_ && offset_ < end; }
  bool open_struct() { return align(8); }
  // Skips one value of the single complete type at the front of `type` (nesting at most 32 deep).
  bool skip(std::string_view type);

  bool ok() const { return ok_; }
  std::size_t offset() const { return offset_; }

 private:
  std::optional<std::uint64_t> get_le(std::size_t size);
  std::optional<std::string> nul_terminated(std::optional<std::uint64_t> length);
  bool skip(std::string_view& type, int depth);
  std::string_view bytes_;
  std::size_t offset_;
  bool ok_ = true;
};

// The largest message the bridge accepts (the spec allows 128 MiB; a Secret Service answer is a
// few KB).
inline constexpr std::size_t max_message_bytes = 1 << 20;

struct call {
  std::uint32_t serial = 0;
  std::string destination;
  std::string path;
  std::string interface;
  std::string member;
  std::string signature;  // of the body
  std::string body;       // marshalled with a writer whose bytes started at a multiple of 8
  bool allow_interactive_authorization = false;
};
// The bytes of a METHOD_CALL message (header fields in the order path, interface, member,
// destination, signature).
std::string method_call(const call& c);

struct header {
  message_type type = message_type::invalid;
  std::uint8_t flags = 0;
  std::uint32_t serial = 0;
  std::uint32_t reply_serial = 0;
  std::string path, interface, member, error_name, destination, sender, signature;
  std::size_t body_offset = 0;  // where the body starts in the message
  std::size_t body_size = 0;
};

enum class frame_status { complete, need_more, malformed };
struct frame {
  frame_status status;
  std::size_t size = 0;  // of the whole message, when complete
};
// Whether `bytes` starts with a whole message, and its size. Big-endian messages, other protocol
// versions and messages over max_message_bytes are malformed.
frame message_size(std::string_view bytes);

// The header of the whole message `bytes` (as message_size() framed it), or nullopt if malformed.
std::optional<header> parse_message(std::string_view bytes);

}  // namespace awork_mcp::dbus
