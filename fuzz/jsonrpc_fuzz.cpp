// libFuzzer target: JSON-RPC classification of one message (a stdin line, or a body or SSE
// event from the server), and the error line the bridge would answer it with.
#include "awork_mcp/core/json_text.hpp"
#include "awork_mcp/core/jsonrpc.hpp"
#include "fuzz_support.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace json = boost::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const awork_mcp::classified_message m = awork_mcp::classify(text);

  std::ostringstream kind;
  kind << m.kind;
  FUZZ_CHECK(!kind.str().empty());
  (void)awork_mcp::id_key(m.id);
  for (const auto& id : m.request_ids) (void)awork_mcp::id_key(id);

  if (m.kind == awork_mcp::message_kind::invalid) FUZZ_CHECK(!m.problem.empty());
  if (m.kind == awork_mcp::message_kind::request) FUZZ_CHECK(m.request_ids.size() == 1);
  if (m.kind == awork_mcp::message_kind::notification) FUZZ_CHECK(m.request_ids.empty());
  if (m.kind != awork_mcp::message_kind::invalid) {
    // Whatever it accepts is JSON (it is forwarded as is).
    boost::system::error_code ec;
    (void)awork_mcp::parse_json(text, ec);
    FUZZ_CHECK(!ec);
  }
  // The id of an over-long line read from its first bytes never throws, whatever the cut.
  (void)awork_mcp::id_from_prefix(text.substr(0, text.size() / 2));

  // The answer to it goes to stdout: one line of valid JSON that carries the same id.
  const std::string reply = awork_mcp::make_error_response(m, awork_mcp::rpc_code::invalid_request, m.problem,
                                                           json::object{{"reason", m.problem}});
  FUZZ_CHECK(reply.find('\n') == std::string::npos);
  boost::system::error_code ec;
  const json::value parsed = json::parse(reply, ec);
  FUZZ_CHECK(!ec);
  FUZZ_CHECK(parsed.is_object() && parsed.as_object().contains("id"));
  // A request's id that is not a 64-bit integer (2^64, 1.5) is refused and answered in the
  // client's own spelling; every other id comes back as the same JSON text.
  if (!m.id_text.empty())
    FUZZ_CHECK(reply.find("\"id\":" + m.id_text + ",") != std::string::npos);
  else if (m.kind != awork_mcp::message_kind::response)
    FUZZ_CHECK(awork_mcp::id_key(parsed.at("id")) == awork_mcp::id_key(m.id));
  // Each refused batch element is answered with its own id, as valid JSON.
  for (const auto& refusal : m.refused) {
    const auto answer = awork_mcp::make_error_response(refusal.id, refusal.id_text, awork_mcp::rpc_code::invalid_request,
                                                       refusal.problem);
    FUZZ_CHECK(!json::parse(answer, ec).is_null() && !ec);
  }
  // The id of a line read in pieces is the one read whole (id_scanner, for over-long lines).
  if (m.kind == awork_mcp::message_kind::request) {
    awork_mcp::id_scanner scanner;
    for (auto piece : fuzz::random_chunks(text, static_cast<std::uint32_t>(text.size()))) scanner.feed(piece);
    if (text.size() < 4096) FUZZ_CHECK(awork_mcp::id_key(scanner.id()) == awork_mcp::id_key(m.id));
  }
  return 0;
}
