#pragma once
// `awork-mcp check`: one line per step with its verdict, what was found and, for a failure or a
// warning, what to do; shown as text for people or as JSON for scripts. No I/O here.

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace awork_mcp {

enum class check_verdict { ok, warn, fail, skip };
/// "ok", "warn", "FAIL", "skip": the word a line starts with (and, lower-cased, its JSON value).
std::string_view verdict_word(check_verdict verdict);
std::ostream& operator<<(std::ostream&, check_verdict);

/// The steps, in the order they run.
enum class check_step { configuration, proxy, dns, tcp_connect, tls, auth, server, rate_limits };
/// The step's name in JSON: "configuration", "proxy", "dns", "tcp", "tls", "auth", "server", "rate_limits".
std::string_view step_id(check_step step);
/// The step's name for people: "DNS", "TCP connect", "authentication", "rate limits", ...
std::string_view step_label(check_step step);
std::ostream& operator<<(std::ostream&, check_step);

struct check_line {
  check_step step = check_step::configuration;
  check_verdict verdict = check_verdict::ok;
  std::string detail;                         ///< what was found, one line, never a secret
  std::optional<std::chrono::milliseconds> ms;  ///< how long the step took, where it is timed
  std::string hint;                           ///< what to do next: every fail and warn has one

  friend bool operator==(const check_line&, const check_line&) = default;
  friend std::ostream& operator<<(std::ostream&, const check_line&);
};

/// The lines of one check, in step order. A failed step stops the network steps after it: the
/// caller asks proceed() before each, and finish() gives every step that did not run a "skip"
/// line that says why.
class check_report {
 public:
  void add(check_line line);
  /// Whether the next network step is worth running: nothing failed and nothing stopped the run.
  bool proceed() const { return !failed_at_ && stop_reason_.empty(); }
  /// Stops the network steps without a failure (a redirect, a rate limit): `why` goes on the
  /// skipped steps' lines.
  void stop(std::string why);
  /// Adds a "skip" line for every step without a line, then sorts the lines by step.
  void finish();

  const std::vector<check_line>& lines() const { return lines_; }
  bool has(check_step step) const;
  /// 1 when any step failed, else 0 (warnings and skipped steps do not count).
  int exit_code() const { return failed_at_ ? 1 : 0; }

 private:
  std::vector<check_line> lines_;
  std::optional<check_step> failed_at_;
  std::string stop_reason_;
};

/// The report for a terminal: a heading with the URL, a line per step ("ok    DNS  ..."), the
/// hint under a failed or warned line, and a last line with the result and the exit status.
std::string render_text(const check_report& report, std::string_view url_display);

/// The report for scripts, one JSON object on one line:
/// {"url":…,"ok":bool,"exitCode":n,"steps":[{"step","verdict","detail","ms"?,"hint"?}…]}.
std::string render_json(const check_report& report, std::string_view url_display);

}  // namespace awork_mcp
