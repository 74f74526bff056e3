#include "awork_mcp/core/line_framer.hpp"

#include <algorithm>
#include <ostream>

namespace awork_mcp {

namespace {
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}
}  // namespace

std::ostream& operator<<(std::ostream& os, const framed_line& l) {
  if (l.what == framed_line::kind::too_long) return os << "too_long(" << l.bytes << " bytes)";
  return os << "line(" << l.text << ")";
}

std::vector<framed_line> line_framer::feed(std::string_view chunk) {
  std::vector<framed_line> out;
  if (at_start_ && !chunk.empty()) {
    // The BOM may arrive split across chunks; hold bytes until we know.
    std::string_view head = chunk.substr(0, utf8_bom.size() - partial_.size());
    std::string probe = partial_ + std::string(head);
    if (utf8_bom.substr(0, probe.size()) == probe) {
      if (probe.size() < utf8_bom.size()) {
        partial_ = probe;
        return out;
      }
      chunk.remove_prefix(head.size());
      partial_.clear();
    }
    at_start_ = false;
  }
  while (!chunk.empty()) {
    auto newline = chunk.find('\n');
    auto piece = chunk.substr(0, newline);
    if (discarding_) {
      discarded_ += piece.size();
      if (prefix_.size() < kept_prefix_bytes) prefix_.append(piece.substr(0, kept_prefix_bytes - prefix_.size()));
      id_scanner_.feed(piece);
    } else if (partial_.size() + piece.size() > max_line_bytes_) {
      discarding_ = true;
      discarded_ = partial_.size() + piece.size();
      prefix_ = partial_.substr(0, kept_prefix_bytes);
      prefix_.append(piece.substr(0, kept_prefix_bytes - prefix_.size()));
      id_scanner_ = id_scanner();
      id_scanner_.feed(partial_);
      id_scanner_.feed(piece);
      partial_.clear();
      partial_.shrink_to_fit();
    } else {
      partial_.append(piece);
    }
    if (newline == std::string_view::npos) break;
    complete_line(out);
    chunk.remove_prefix(newline + 1);
  }
  return out;
}

std::vector<framed_line> line_framer::finish() {
  std::vector<framed_line> out;
  complete_line(out);
  return out;
}

void line_framer::complete_line(std::vector<framed_line>& out) {
  if (discarding_) {
    out.push_back({framed_line::kind::too_long, std::move(prefix_), discarded_, id_scanner_.id()});
    prefix_.clear();
    id_scanner_ = id_scanner();
    discarding_ = false;
    discarded_ = 0;
    return;
  }
  if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
  if (partial_.size() > max_line_bytes_) {  // only bytes held back as a possible BOM can get here
    out.push_back({framed_line::kind::too_long, partial_.substr(0, kept_prefix_bytes), partial_.size(),
                   id_from_prefix(partial_)});
    partial_.clear();
    return;
  }
  if (!is_blank(partial_)) out.push_back({framed_line::kind::line, partial_, partial_.size()});
  partial_.clear();
}

}  // namespace awork_mcp
