// libFuzzer target: a `--header 'Name: value'` argument, and the request head it ends up in.
#include "awork_mcp/core/endpoint.hpp"
#include "awork_mcp/core/request_builder.hpp"
#include "fuzz_support.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view arg(reinterpret_cast<const char*>(data), size);
  std::pair<std::string, std::string> header;
  try {
    header = awork_mcp::parse_header_arg(arg);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const auto& [name, value] = header;
  FUZZ_CHECK(!name.empty());
  FUZZ_CHECK(name.find_first_of(": \t\r\n") == std::string::npos);
  FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
  FUZZ_CHECK(value.find('\0') == std::string::npos);

  // On the wire, the header stays one field: no line of its own can be smuggled in.
  static const awork_mcp::endpoint target = awork_mcp::parse_endpoint(awork_mcp::awork_default_url);
  const awork_mcp::request_builder builder(target, {header});
  const std::string secret = "Bearer fuzz-secret-4f1c";
  const auto request = builder.post("{}", {"session-1", "2025-06-18"}, secret);
  const auto serialized = awork_mcp::serialize_head(request);
  FUZZ_CHECK(serialized.has_value());  // a value parse_header_arg accepted is always safe to send
  const std::string& head = *serialized;
  const auto fields = static_cast<std::size_t>(std::distance(request.begin(), request.end()));
  FUZZ_CHECK(count(head, "\r\n") == fields + 2);  // request line, the fields, the blank line
  FUZZ_CHECK(count(head, "\n") == fields + 2);
  FUZZ_CHECK(head.ends_with("\r\n\r\n"));

  // The trace log never shows the key, nor the --header value.
  const std::string logged = builder.redacted_head(request);
  if (arg.find("fuzz-secret-4f1c") == std::string_view::npos) FUZZ_CHECK(logged.find("fuzz-secret-4f1c") == std::string::npos);
  // The field the --header set is shown masked (names compare without case: Beast may
  // spell a known field its own way).
  auto lower = [](std::string t) {
    for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  const auto field = lower(logged).find("| " + lower(name) + ": ");
  FUZZ_CHECK(field != std::string::npos);
  FUZZ_CHECK(logged.compare(field + name.size() + 4, 10, "<redacted>") == 0);
  return 0;
}
