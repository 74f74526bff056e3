#pragma once
// Incremental parser for text/event-stream bodies (WHATWG HTML, "Server-sent events").

#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// A dispatched event. `id` is the stream's last event id at dispatch time.
struct sse_event {
  std::string type;  ///< the `event:` field; empty means "message"
  std::string data;  ///< `data:` lines joined with '\n'
  std::string id;

  /// Only events without a type or of type "message" carry JSON-RPC in MCP.
  bool is_message() const { return type.empty() || type == "message"; }

  friend bool operator==(const sse_event&, const sse_event&) = default;
  friend std::ostream& operator<<(std::ostream&, const sse_event&);
};

/// Feed it body bytes as they arrive, in pieces of any size; it returns each event the moment
/// its terminating blank line is seen. Events with empty data (such as MCP's priming event)
/// are not returned, but their `id:` still updates last_event_id().
class sse_parser {
 public:
  explicit sse_parser(std::size_t max_event_bytes = 64 * 1024 * 1024) : max_event_bytes_(max_event_bytes) {}

  /// Parses a chunk; returns the events it completed. Once an event grows past the limit the
  /// parser stops (too_large() turns true) and feed returns nothing more.
  std::vector<sse_event> feed(std::string_view chunk);
  bool too_large() const { return too_large_; }
  /// Bytes of the event in progress (its data so far and the current line).
  std::size_t pending_bytes() const { return data_.size() + line_.size(); }

  const std::string& last_event_id() const { return last_event_id_; }
  /// Whether any `id:` field was seen (an id may legitimately be set to empty).
  bool saw_event_id() const { return saw_event_id_; }
  /// The reconnection delay from the latest valid `retry:` field, saturated at a day (the caller
  /// clamps it to what it accepts; no value can overflow).
  std::optional<std::chrono::milliseconds> retry() const { return retry_; }

 private:
  void process_line(std::string_view line, std::vector<sse_event>& out);
  void dispatch(std::vector<sse_event>& out);

  std::size_t max_event_bytes_;
  std::string line_;
  bool skip_next_lf_ = false;  // a chunk ended in '\r' that may be half of "\r\n"
  bool at_start_ = true;       // a leading BOM is ignored
  std::string data_;
  std::string type_;
  bool has_data_ = false;
  std::string last_event_id_;
  bool saw_event_id_ = false;
  std::optional<std::chrono::milliseconds> retry_;
  bool too_large_ = false;
};

}  // namespace awork_mcp
