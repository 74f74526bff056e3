#pragma once
// The MCP session as the bridge keeps it: the headers every request carries, the editor's
// initialize (to replay when the server forgets the session), and a gate that holds requests
// while the session is being set up or renewed, so none goes out without one.

#include "awork_mcp/core/request_builder.hpp"
#include "awork_mcp/relay/async_event.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace awork_mcp {

class session {
 public:
  /// The headers of one session generation; a renewal makes a new generation.
  struct snapshot {
    session_headers headers;
    std::uint64_t generation = 0;
  };

  explicit session(net::any_io_executor ex);

  /// Waits while the session is being set up or renewed, or (unless `through_hold`) while a hold
  /// is in force, then returns the headers to send.
  awaitable<snapshot> ready(bool through_hold = false);
  snapshot current() const { return {headers_, generation_}; }

  /// The editor sent initialize: a new session begins. Until established(), requests wait.
  void begin(std::string initialize_text);
  /// The editor's notifications/initialized, replayed after a renewal.
  void remember_initialized(std::string text) { initialized_ = std::move(text); }
  /// The server answered an initialize: its session id (may be empty) and protocol version
  /// (ignored unless it has the YYYY-MM-DD form: it becomes a header).
  void established(std::string_view session_id, std::string_view protocol_version);
  /// The initialize failed: requests go out as they are (the server will say what it wants).
  void abandon_setup();

  /// Starts renewing after `failed` was rejected; false if another request renewed it already
  /// (or is renewing: wait with ready()).
  bool begin_renewal(std::uint64_t failed);
  void end_renewal();
  /// The replayed initialize failed (or was cut short): the session is lost. Requests must not
  /// go out without one (a server refuses them for want of a session, and that refusal names no
  /// session to have expired): the next request renews again, once the back-off after `problem`
  /// allows (1 s, doubling, at most 30 s; none when `problem` is empty: the renewal was only cut
  /// short, by the editor cancelling the request that carried it).
  void renewal_failed(std::string problem);
  bool lost() const { return lost_; }
  /// Why a renewal may not be tried yet (the back-off after a failed one), or empty.
  std::string renewal_wait() const;

  /// Holds requests until release_hold() or `limit`, whichever is first.
  void hold();
  void release_hold();
  std::chrono::milliseconds hold_limit{std::chrono::seconds(10)};

  const std::optional<std::string>& initialize_text() const { return initialize_; }
  const std::optional<std::string>& initialized_text() const { return initialized_; }
  bool has_session_id() const { return !headers_.session_id.empty(); }

 private:
  session_headers headers_;
  std::uint64_t generation_ = 0;
  std::optional<std::string> initialize_;
  std::optional<std::string> initialized_;
  bool setting_up_ = false;
  bool renewing_ = false;
  bool held_ = false;
  bool lost_ = false;
  int failed_renewals_ = 0;
  std::chrono::steady_clock::time_point next_renewal_{};
  std::string last_problem_;
  std::chrono::steady_clock::time_point hold_deadline_{};
  async_event changed_;
};

}  // namespace awork_mcp
