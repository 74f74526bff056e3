// The D-Bus wire format: messages byte for byte as an independent implementation writes them
// (dbus-next 0.10.2 from npm, a pure-JavaScript D-Bus library, made the hex below), read back,
// and refused when malformed.
#include "awork_mcp/secrets/dbus_wire.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dbus = awork_mcp::dbus;

namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

const std::string hello_hex = "6c01000100000000010000006d00000001016f00150000002f6f72672f667265656465736b746f702f4442757300000002017300140000006f72672e667265656465736b746f702e4442757300000000030173000500000048656c6c6f00000006017300140000006f72672e667265656465736b746f702e4442757300000000";
const std::string open_session_hex = "6c01000116000000020000009000000001016f00180000002f6f72672f667265656465736b746f702f736563726574730000000000000000020173001e0000006f72672e667265656465736b746f702e5365637265742e536572766963650000030173000b0000004f70656e53657373696f6e000000000006017300170000006f72672e667265656465736b746f702e7365637265747300080167000276730001730000000000000000000005000000706c61696e00";
const std::string create_item_hex = "6c0100012c01000003000000b400000001016f00280000002f6f72672f667265656465736b746f702f736563726574732f616c69617365732f64656661756c74000000000000000002017300210000006f72672e667265656465736b746f702e5365637265742e436f6c6c656374696f6e00000000000000030173000a0000004372656174654974656d00000000000006017300170000006f72672e667265656465736b746f702e7365637265747300080167000e617b73767d286f617961797329620000000000c700000000000000210000006f72672e667265656465736b746f702e5365637265742e4974656d2e4c6162656c000173000000001100000061776f726b2d6d6370207369676e2d696e00000000000000260000006f72672e667265656465736b746f702e5365637265742e4974656d2e417474726962757465730005617b73737d000000470000000b0000006170706c69636174696f6e000900000061776f726b2d6d6370000000070000006163636f756e7400160000006f617574683a303132333435363738396162636465660000220000002f6f72672f667265656465736b746f702f736563726574732f73657373696f6e2f31000000000000150000007b22726566726573685f746f6b656e223a2272227d0000000a000000746578742f706c61696e000001000000";

dbus::call secrets_call(std::uint32_t serial, std::string path, std::string interface, std::string member) {
  dbus::call c;
  c.serial = serial;
  c.destination = "org.freedesktop.secrets";
  c.path = std::move(path);
  c.interface = std::move(interface);
  c.member = std::move(member);
  return c;
}

}  // namespace

TEST(dbus_wire, hello_is_written_as_dbus_next_writes_it) {
  dbus::call c;
  c.serial = 1;
  c.destination = "org.freedesktop.DBus";
  c.path = "/org/freedesktop/DBus";
  c.interface = "org.freedesktop.DBus";
  c.member = "Hello";
  EXPECT_EQ(dbus::method_call(c), from_hex(hello_hex));
}

TEST(dbus_wire, open_session_with_a_variant_is_written_as_dbus_next_writes_it) {
  auto c = secrets_call(2, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession");
  c.signature = "vs";
  dbus::writer w(c.body);
  w.signature("s");
  w.string("");
  w.string("plain");
  EXPECT_EQ(dbus::method_call(c), from_hex(open_session_hex));
}

TEST(dbus_wire, create_item_with_dicts_structs_and_bytes_is_written_as_dbus_next_writes_it) {
  auto c = secrets_call(3, "/org/freedesktop/secrets/aliases/default", "org.freedesktop.Secret.Collection", "CreateItem");
  c.signature = "a{sv}(oayays)b";
  dbus::writer w(c.body);
  const auto properties = w.open_array(8);
  w.open_struct();
  w.string("org.freedesktop.Secret.Item.Label");
  w.signature("s");
  w.string("awork-mcp sign-in");
  w.open_struct();
  w.string("org.freedesktop.Secret.Item.Attributes");
  w.signature("a{ss}");
  const auto attributes = w.open_array(8);
  for (auto [key, value] : {std::pair{"application", "awork-mcp"}, std::pair{"account", "oauth:0123456789abcdef"}}) {
    w.open_struct();
    w.string(key);
    w.string(value);
  }
  w.close_array(attributes);
  w.close_array(properties);
  w.open_struct();
  w.object_path("/org/freedesktop/secrets/session/1");
  w.byte_array("");
  w.byte_array(R"({"refresh_token":"r"})");
  w.string("text/plain");
  w.boolean(true);
  EXPECT_EQ(dbus::method_call(c), from_hex(create_item_hex));
}

TEST(dbus_wire, a_message_is_framed_and_its_header_and_body_read_back) {
  const std::string bytes = from_hex(create_item_hex);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_EQ(dbus::message_size(std::string_view(bytes).substr(0, cut)).status, dbus::frame_status::need_more) << cut;
  const auto framed = dbus::message_size(bytes + "next message");
  ASSERT_EQ(framed.status, dbus::frame_status::complete);
  EXPECT_EQ(framed.size, bytes.size());

  const auto h = dbus::parse_message(bytes);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, dbus::message_type::method_call);
  EXPECT_EQ(h->serial, 3u);
  EXPECT_EQ(h->path, "/org/freedesktop/secrets/aliases/default");
  EXPECT_EQ(h->interface, "org.freedesktop.Secret.Collection");
  EXPECT_EQ(h->member, "CreateItem");
  EXPECT_EQ(h->destination, "org.freedesktop.secrets");
  EXPECT_EQ(h->signature, "a{sv}(oayays)b");

  dbus::reader r(bytes, h->body_offset);
  ASSERT_TRUE(r.skip("a{sv}"));
  ASSERT_TRUE(r.open_struct());
  EXPECT_EQ(r.object_path(), "/org/freedesktop/secrets/session/1");
  EXPECT_EQ(r.byte_array(), "");
  EXPECT_EQ(r.byte_array(), R"({"refresh_token":"r"})");
  EXPECT_EQ(r.string(), "text/plain");
  EXPECT_EQ(r.boolean(), true);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.offset(), bytes.size());
}

TEST(dbus_wire, an_error_reply_names_its_error_and_the_call_it_answers) {
  std::string bytes;
  dbus::writer w(bytes);
  for (std::uint8_t b : {std::uint8_t{'l'}, std::uint8_t{3}, std::uint8_t{1}, std::uint8_t{1}}) w.byte(b);
  std::string body;
  dbus::writer(body).string("The collection is locked");
  w.uint32(static_cast<std::uint32_t>(body.size()));
  w.uint32(7);
  const auto fields = w.open_array(8);
  w.open_struct();
  w.byte(4);
  w.signature("s");
  w.string("org.freedesktop.Secret.Error.IsLocked");
  w.open_struct();
  w.byte(5);
  w.signature("u");
  w.uint32(3);
  w.open_struct();
  w.byte(9);  // UNIX_FDS: not used here, skipped
  w.signature("u");
  w.uint32(0);
  w.open_struct();
  w.byte(8);
  w.signature("g");
  w.signature("s");
  w.close_array(fields);
  w.align(8);
  bytes += body;
  const auto h = dbus::parse_message(bytes);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->type, dbus::message_type::error);
  EXPECT_EQ(h->error_name, "org.freedesktop.Secret.Error.IsLocked");
  EXPECT_EQ(h->reply_serial, 3u);
  EXPECT_EQ(dbus::reader(bytes, h->body_offset).string(), "The collection is locked");
}

TEST(dbus_wire, malformed_messages_are_refused) {
  const std::string good = from_hex(hello_hex);
  struct row {
    const char* what;
    std::size_t at;
    char byte;
  };
  const row rows[] = {
      {"big-endian (not written by any peer of ours)", 0, 'B'},
      {"protocol version 2", 3, 2},
      {"message type 0", 1, 0},
      {"message type 9", 1, 9},
      {"serial 0", 8, 0},
      {"a field's type is not what its code needs (path as a string)", 18, 's'},
      {"padding that is not zero", 47, 'x'},
      {"a string without its NUL", 16 + 4 + 4 + 21, 'x'},
      {"a string longer than the message", 20, 0x7f},
  };
  for (const auto& r : rows) {
    std::string bad = good;
    bad[r.at] = r.byte;
    EXPECT_FALSE(dbus::parse_message(bad)) << r.what;
  }
  EXPECT_EQ(dbus::message_size("B").status, dbus::frame_status::malformed);
  std::string huge = good;
  huge[4] = 0;
  huge[5] = 0;
  huge[6] = 0x20;  // a body of 2 MiB: more than any Secret Service answer
  EXPECT_EQ(dbus::message_size(huge).status, dbus::frame_status::malformed);
  // A body shorter or longer than its signature says.
  auto c = secrets_call(2, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service", "OpenSession");
  c.signature = "vs";
  dbus::writer(c.body).string("plain");  // the variant is missing
  EXPECT_FALSE(dbus::parse_message(dbus::method_call(c)));
}

TEST(dbus_wire, skip_refuses_types_that_are_not_one_complete_type_or_nest_too_deep) {
  std::string bytes(64, '\0');
  for (const char* type : {"", "a", "(", "()", "{ss", "{sss}", "a{s}", "ss", "z", "(ss"}) {
    dbus::reader r(bytes, 0);
    EXPECT_FALSE(r.skip(type)) << type;
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += 'a';
  deep += 'y';
  dbus::reader r(bytes, 0);
  EXPECT_FALSE(r.skip(deep));
  dbus::reader fine(bytes, 0);
  EXPECT_TRUE(fine.skip("a{sv}"));  // an empty array
  EXPECT_EQ(fine.offset(), 8u);     // its length, then the padding to 8 of its entries
}
