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
  const std::string reply = awork_mcp::make_error_response(m.id, awork_mcp::rpc_code::invalid_request, m.problem,
                                                           json::object{{"reason", m.problem}});
  FUZZ_CHECK(reply.find('\n') == std::string::npos);
  // A numeric id that is not a 64-bit integer is kept as a double and written back in Boost.JSON's
  // spelling (18446744073709551616 comes back as 1.8446744073709552E19): the same number, but not
  // the same text (strict mode only). Past a double's range (1e400) the id is refused.
  const bool double_id = m.id.is_double();
  if (double_id) FUZZ_CHECK(std::isfinite(m.id.as_double()));
  boost::system::error_code ec;
  const json::value parsed = json::parse(reply, ec);
  FUZZ_CHECK(!ec);
  FUZZ_CHECK(parsed.is_object() && parsed.as_object().contains("id"));
  if (double_id)
    FUZZ_CHECK_STRICT(awork_mcp::id_key(parsed.at("id")) == awork_mcp::id_key(m.id));
  else
    FUZZ_CHECK(awork_mcp::id_key(parsed.at("id")) == awork_mcp::id_key(m.id));
  return 0;
}
