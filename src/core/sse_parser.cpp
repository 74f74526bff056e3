#include "awork_mcp/core/sse_parser.hpp"

#include <algorithm>
#include <charconv>
#include <ostream>

namespace awork_mcp {

std::ostream& operator<<(std::ostream& os, const sse_event& e) {
  return os << "sse_event{type=\"" << e.type << "\", id=\"" << e.id << "\", data=\"" << e.data << "\"}";
}

std::vector<sse_event> sse_parser::feed(std::string_view chunk) {
  std::vector<sse_event> out;
  if (too_large_) return out;
  if (skip_next_lf_ && !chunk.empty()) {
    if (chunk.front() == '\n') chunk.remove_prefix(1);
    skip_next_lf_ = false;
  }
  while (!chunk.empty()) {
    auto end = chunk.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      if (line_.size() + chunk.size() + data_.size() > max_event_bytes_) {
        too_large_ = true;
        return out;
      }
      line_.append(chunk);
      break;
    }
    std::string_view line = chunk.substr(0, end);
    if (!line_.empty()) {
      line_.append(line);
      line = line_;
    }
    bool cr = chunk[end] == '\r';
    chunk.remove_prefix(end + 1);
    if (cr) {
      if (chunk.empty())
        skip_next_lf_ = true;
      else if (chunk.front() == '\n')
        chunk.remove_prefix(1);
    }
    process_line(line, out);
    line_.clear();
    if (too_large_) return out;
  }
  return out;
}

void sse_parser::process_line(std::string_view line, std::vector<sse_event>& out) {
  if (at_start_) {
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    at_start_ = false;
  }
  if (line.empty()) {
    dispatch(out);
    return;
  }
  if (line.front() == ':') return;  // comment, often a keep-alive
  auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (data_.size() + (has_data_ ? 1 : 0) + value.size() > max_event_bytes_) {  // the '\n' that joins counts too
      too_large_ = true;
      return;
    }
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    type_.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) {
      last_event_id_.assign(value);
      saw_event_id_ = true;
    }
  } else if (field == "retry") {
    // Only ASCII digits are valid; a value too large for any integer saturates instead of wrapping.
    constexpr unsigned long long a_day_ms = 24ULL * 60 * 60 * 1000;
    unsigned long long ms = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    const bool digits_only = !value.empty() && ptr == value.data() + value.size();
    if (digits_only && (ec == std::errc{} || ec == std::errc::result_out_of_range)) {
      if (ec == std::errc::result_out_of_range) ms = a_day_ms;
      retry_ = std::chrono::milliseconds(static_cast<long long>(std::min(ms, a_day_ms)));
    }
  }
  // Other fields are ignored, as the SSE specification requires.
}

void sse_parser::dispatch(std::vector<sse_event>& out) {
  if (has_data_ && !data_.empty()) out.push_back({std::move(type_), std::move(data_), last_event_id_});
  data_.clear();
  type_.clear();
  has_data_ = false;
}

}  // namespace awork_mcp
