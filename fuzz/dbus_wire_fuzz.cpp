// libFuzzer target: the D-Bus wire format, the bytes a Secret Service (or whatever listens on the
// session bus) sends back.
//   - message_size() frames any bytes: complete (a size no larger than the input and the limit),
//     need_more, or malformed, never more;
//   - parse_message() of a framed message either refuses it or returns a header whose body lies
//     exactly inside the message and holds the values its signature names;
//   - a parsed method call, written again by method_call(), parses back to the same header;
//   - a reader skipping any type over any bytes stays inside them.
#include "awork_mcp/secrets/dbus_wire.hpp"
#include "fuzz_support.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dbus = awork_mcp::dbus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const dbus::frame framed = dbus::message_size(bytes);
  if (framed.status == dbus::frame_status::complete) {
    FUZZ_CHECK(framed.size >= 16 && framed.size <= bytes.size() && framed.size <= dbus::max_message_bytes);
    const std::string_view message = bytes.substr(0, framed.size);
    if (const auto h = dbus::parse_message(message)) {
      FUZZ_CHECK(h->body_offset % 8 == 0 && h->body_offset + h->body_size == message.size());
      FUZZ_CHECK(h->serial != 0);
      if (h->type == dbus::message_type::method_call && !h->path.empty()) {
        dbus::call c;
        c.serial = h->serial;
        c.destination = h->destination;
        c.path = h->path;
        c.interface = h->interface;
        c.member = h->member;
        c.signature = h->signature;
        c.body = std::string(message.substr(h->body_offset));
        const std::string again = dbus::method_call(c);
        const auto back = dbus::parse_message(again);
        FUZZ_CHECK(back.has_value());
        FUZZ_CHECK(back->path == h->path && back->interface == h->interface && back->member == h->member &&
                   back->destination == h->destination && back->signature == h->signature && back->serial == h->serial);
      }
    }
  }
  // The first byte's low nibble picks a type; the rest is the value's bytes.
  static constexpr std::string_view types[] = {"y", "b", "u", "t", "s", "o", "g", "v", "ay", "as", "a{sv}",
                                               "(oayays)", "a{oa{sv}}", "aay", "(sv)", "a(yv)"};
  if (!bytes.empty()) {
    dbus::reader r(bytes.substr(1), 0);
    const bool skipped = r.skip(types[static_cast<unsigned char>(bytes[0]) % 16]);
    FUZZ_CHECK(r.offset() <= bytes.size() - 1);
    FUZZ_CHECK(skipped == r.ok());
  }
  return 0;
}
