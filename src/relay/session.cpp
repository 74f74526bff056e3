#include "awork_mcp/relay/session.hpp"

#include "awork_mcp/core/header_rules.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace awork_mcp {

session::session(net::any_io_executor ex) : changed_(std::move(ex)) {}

awaitable<session::snapshot> session::ready(bool through_hold) {
  for (;;) {
    if (held_ && std::chrono::steady_clock::now() >= hold_deadline_) held_ = false;
    if (!setting_up_ && !renewing_ && (!held_ || through_hold)) co_return current();
    if (held_ && !setting_up_ && !renewing_)
      co_await changed_.wait_until(hold_deadline_);
    else
      co_await changed_.wait();
  }
}

void session::begin(std::string initialize_text) {
  lost_ = false;
  failed_renewals_ = 0;
  initialize_ = std::move(initialize_text);
  initialized_.reset();
  headers_ = {};
  ++generation_;
  setting_up_ = true;
  changed_.notify_all();
}

void session::established(std::string_view session_id, std::string_view protocol_version) {
  if (!session_id.empty()) {
    if (is_session_id(session_id))
      headers_.session_id = session_id;
    else
      spdlog::warn("ignoring a malformed Mcp-Session-Id from the server");
  }
  if (!protocol_version.empty()) {
    if (is_protocol_version(protocol_version))
      headers_.protocol_version = protocol_version;
    else
      spdlog::warn("ignoring the server's protocolVersion: it is not of the form YYYY-MM-DD");
  }
  setting_up_ = false;
  lost_ = false;
  failed_renewals_ = 0;
  changed_.notify_all();
}

void session::abandon_setup() {
  setting_up_ = false;
  changed_.notify_all();
}

bool session::begin_renewal(std::uint64_t failed) {
  if (renewing_ || generation_ != failed) return false;
  renewing_ = true;
  headers_ = {};
  ++generation_;
  return true;
}

void session::end_renewal() {
  renewing_ = false;
  changed_.notify_all();
}

void session::renewal_failed(std::string problem) {
  lost_ = true;
  if (problem.empty()) return;  // cut short: the next request may try at once
  ++failed_renewals_;
  const auto back_off = std::min(std::chrono::seconds(1L << std::min(failed_renewals_ - 1, 5)), std::chrono::seconds(30));
  next_renewal_ = std::chrono::steady_clock::now() + back_off;
  last_problem_ = std::move(problem);
}

std::string session::renewal_wait() const {
  const auto now = std::chrono::steady_clock::now();
  if (!lost_ || failed_renewals_ == 0 || now >= next_renewal_) return {};
  const auto left = std::chrono::ceil<std::chrono::seconds>(next_renewal_ - now).count();
  return "the server forgot the session and a new one could not be set up (" + last_problem_ +
         "); the next request after " + std::to_string(left) + " s tries again";
}

void session::hold() {
  held_ = true;
  hold_deadline_ = std::chrono::steady_clock::now() + hold_limit;
}

void session::release_hold() {
  held_ = false;
  changed_.notify_all();
}

}  // namespace awork_mcp
