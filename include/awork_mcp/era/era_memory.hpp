#pragma once
// What the bridge learned about each server's era, kept between runs (config dir/eras.json), so
// that a legacy server is not asked server/discover at every start: that question costs a round
// trip on the editor's first answer, every time. A remembered era is only a first guess: when it
// turns out wrong, the bridge asks again (see bridge::forward).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace awork_mcp {

enum class remembered_era { unknown, legacy, modern, http_sse };

class era_memory {
 public:
  /// Reads the file's text; anything it cannot use is ignored (a damaged file is an empty memory).
  static era_memory parse(std::string_view text);
  std::string serialize() const;

  /// The era last seen for this server (a URL without query: `server_key`), unless that was
  /// more than max_age_seconds before `now`.
  remembered_era recall(std::string_view server_key, std::int64_t now) const;
  /// Notes what this run found; true when the file should be written (the era changed, or the
  /// note is a day old: an unchanged era is not written at every start).
  bool remember(std::string_view server_key, remembered_era era, std::int64_t now);

  static constexpr std::int64_t max_age_seconds = 7 * 24 * 3600;
  static constexpr std::size_t max_servers = 64;  ///< the oldest notes go first

 private:
  struct note {
    remembered_era era = remembered_era::unknown;
    std::int64_t seen = 0;
  };
  std::map<std::string, note, std::less<>> notes_;
};

std::string_view era_name(remembered_era era);

}  // namespace awork_mcp
