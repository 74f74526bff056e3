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
  if (skip_next_lf_ && !chunk.empty()) {
    if (chunk.front() == '\n') chunk.remove_prefix(1);
    skip_next_lf_ = false;
  }
  while (!chunk.empty()) {
    auto end = chunk.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      if (line_.size() + chunk.size() + data_.size() > max_event_bytes_)
        throw sse_event_too_large("server-sent event larger than " + std::to_string(max_event_bytes_) + " bytes");
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
    if (data_.size() + value.size() > max_event_bytes_)
      throw sse_event_too_large("server-sent event larger than " + std::to_string(max_event_bytes_) + " bytes");
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
    unsigned long long ms = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
    if (ec == std::errc{} && ptr == value.data() + value.size() && !value.empty())
      retry_ = std::chrono::milliseconds(ms);
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
