#pragma once
// Splits the stdin byte stream into newline-delimited messages.

#include "awork_mcp/core/jsonrpc.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

/// One unit cut from the input: a complete line, or the news that a line was too long.
struct framed_line {
  enum class kind { line, too_long };
  kind what = kind::line;
  std::string text;       ///< the line without its terminator; for too_long, its first bytes (to find the id)
  std::size_t bytes = 0;  ///< the line's length; for too_long, how much was dropped
  /// For too_long: the request's id, found wherever it stands in the line (null if none).
  boost::json::value id;

  friend bool operator==(const framed_line&, const framed_line&) = default;
  friend std::ostream& operator<<(std::ostream&, const framed_line&);
};

/// Cuts lines at '\n', strips a trailing '\r', skips blank lines and a leading UTF-8 BOM.
/// A line longer than the limit is discarded up to its newline, so memory stays bounded
/// by the limit however long the line is; the caller learns of it as a too_long entry.
class line_framer {
 public:
  explicit line_framer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  /// Feeds a chunk; returns what it completed.
  std::vector<framed_line> feed(std::string_view chunk);
  /// At end of input: a last line that had no newline, if any. (Not on cancellation: half a line
  /// is not a message.)
  std::vector<framed_line> finish();
  /// Bytes held for the line in progress: never much more than the limit, however long the line.
  std::size_t bytes_held() const { return partial_.capacity() + prefix_.capacity() + id_scanner_.bytes_held(); }

  /// How much of an over-long line is kept to read its id from.
  static constexpr std::size_t kept_prefix_bytes = 4096;

 private:
  void complete_line(std::vector<framed_line>& out);

  std::size_t max_line_bytes_;
  std::string partial_;
  std::size_t discarded_ = 0;  // bytes of an over-long line dropped so far
  std::string prefix_;         // the first bytes of the over-long line
  id_scanner id_scanner_;      // reads the over-long line's id as it streams by
  bool discarding_ = false;
  bool at_start_ = true;       // for the BOM check
};

}  // namespace awork_mcp
