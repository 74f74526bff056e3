#include "awork_mcp/check/report.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <ostream>

namespace awork_mcp {

namespace {

constexpr std::array all_steps = {check_step::configuration, check_step::proxy, check_step::dns,
                                  check_step::tcp_connect, check_step::tls, check_step::auth,
                                  check_step::server, check_step::rate_limits};

// Wide enough for the longest label ("authentication") and a space.
constexpr std::size_t label_width = 16;
constexpr std::size_t verdict_width = 6;

std::string pad(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string joined_labels(const check_report& report, check_verdict verdict) {
  std::string out;
  for (const auto& line : report.lines())
    if (line.verdict == verdict) out += (out.empty() ? "" : ", ") + std::string(step_label(line.step));
  return out;
}

}  // namespace

std::string_view verdict_word(check_verdict verdict) {
  switch (verdict) {
    case check_verdict::ok: return "ok";
    case check_verdict::warn: return "warn";
    case check_verdict::fail: return "FAIL";
    case check_verdict::skip: return "skip";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, check_verdict verdict) { return os << verdict_word(verdict); }

std::string_view step_id(check_step step) {
  switch (step) {
    case check_step::configuration: return "configuration";
    case check_step::proxy: return "proxy";
    case check_step::dns: return "dns";
    case check_step::tcp_connect: return "tcp";
    case check_step::tls: return "tls";
    case check_step::auth: return "auth";
    case check_step::server: return "server";
    case check_step::rate_limits: return "rate_limits";
  }
  return "?";
}

std::string_view step_label(check_step step) {
  switch (step) {
    case check_step::configuration: return "configuration";
    case check_step::proxy: return "proxy";
    case check_step::dns: return "DNS";
    case check_step::tcp_connect: return "TCP connect";
    case check_step::tls: return "TLS";
    case check_step::auth: return "authentication";
    case check_step::server: return "server";
    case check_step::rate_limits: return "rate limits";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, check_step step) { return os << step_id(step); }

std::ostream& operator<<(std::ostream& os, const check_line& line) {
  os << "{" << line.step << " " << line.verdict << " \"" << line.detail << "\"";
  if (line.ms) os << " " << line.ms->count() << " ms";
  if (!line.hint.empty()) os << " hint \"" << line.hint << "\"";
  return os << "}";
}

void check_report::add(check_line line) {
  if (line.verdict == check_verdict::fail && !failed_at_) failed_at_ = line.step;
  lines_.push_back(std::move(line));
}

void check_report::stop(std::string why) {
  if (stop_reason_.empty()) stop_reason_ = std::move(why);
}

bool check_report::has(check_step step) const {
  return std::any_of(lines_.begin(), lines_.end(), [&](const check_line& line) { return line.step == step; });
}

void check_report::finish() {
  std::string why = "not tried";
  if (failed_at_)
    why = "not tried: " + std::string(step_label(*failed_at_)) + " failed";
  else if (!stop_reason_.empty())
    why = "not tried: " + stop_reason_;
  for (const auto step : all_steps)
    if (!has(step)) lines_.push_back(check_line{step, check_verdict::skip, why, std::nullopt, {}});
  std::stable_sort(lines_.begin(), lines_.end(),
                   [](const check_line& a, const check_line& b) { return a.step < b.step; });
}

std::string render_text(const check_report& report, std::string_view url_display) {
  std::string out = "awork-mcp check of " + std::string(url_display) + "\n";
  for (const auto& line : report.lines()) {
    out += pad(verdict_word(line.verdict), verdict_width) + pad(step_label(line.step), label_width) + line.detail;
    if (line.ms) out += " (" + std::to_string(line.ms->count()) + " ms)";
    out += "\n";
    if (!line.hint.empty() && (line.verdict == check_verdict::fail || line.verdict == check_verdict::warn))
      out += std::string(verdict_width + label_width, ' ') + "→ " + line.hint + "\n";
  }
  if (report.exit_code() != 0)
    out += "Result: FAIL (" + joined_labels(report, check_verdict::fail) + "); exit status 1\n";
  else if (const auto warned = joined_labels(report, check_verdict::warn); !warned.empty())
    out += "Result: ok, with warnings (" + warned + "); exit status 0\n";
  else
    out += "Result: ok; exit status 0\n";
  return out;
}

std::string render_json(const check_report& report, std::string_view url_display) {
  boost::json::array steps;
  for (const auto& line : report.lines()) {
    boost::json::object step{{"step", step_id(line.step)},
                             {"verdict", line.verdict == check_verdict::fail ? "fail" : verdict_word(line.verdict)},
                             {"detail", line.detail}};
    if (line.ms) step["ms"] = line.ms->count();
    if (!line.hint.empty()) step["hint"] = line.hint;
    steps.push_back(std::move(step));
  }
  const boost::json::object out{{"url", url_display},
                                {"ok", report.exit_code() == 0},
                                {"exitCode", report.exit_code()},
                                {"steps", std::move(steps)}};
  return boost::json::serialize(out) + "\n";
}

}  // namespace awork_mcp
