// awork-mcp: a stdio MCP server that relays to a Streamable HTTP MCP server.

#include "awork_mcp/relay/bridge.hpp"
#include "awork_mcp/app/config.hpp"
#include "awork_mcp/auth/credential.hpp"
#include "awork_mcp/app/logging.hpp"

#include <spdlog/spdlog.h>

#include "awork_mcp/platform/platform.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace {

// Asio puts its descriptors in non-blocking mode, which is shared with the parent's terminal;
// put stdin and stdout back as we found them.
class restore_fd_flags {
 public:
  restore_fd_flags() : in_(::fcntl(STDIN_FILENO, F_GETFL)), out_(::fcntl(STDOUT_FILENO, F_GETFL)) {}
  ~restore_fd_flags() {
    if (in_ >= 0) ::fcntl(STDIN_FILENO, F_SETFL, in_);
    if (out_ >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, out_);
  }
  restore_fd_flags(const restore_fd_flags&) = delete;
  restore_fd_flags& operator=(const restore_fd_flags&) = delete;

 private:
  int in_, out_;
};

}  // namespace

int main(int argc, char** argv) {
  auto parsed = awork_mcp::parse_command_line(argc, argv, [](const char* name) { return std::getenv(name); });
  if (parsed.what == awork_mcp::command_line_result::action::exit) return parsed.exit_code;
  auto& config = parsed.config;

  try {
    awork_mcp::init_logging(config.log_level, config.log_file);
  } catch (const std::exception& e) {
    std::cerr << "awork-mcp: cannot open the log file: " << e.what() << "\n";
    return 2;
  }

  awork_mcp::platform::ignore_broken_pipes();
  // Never outlive the editor that started us. SIGHUP, unlike the editor's SIGTERM, says that
  // nobody is left to read answers: the bridge then exits without draining.
  if (!awork_mcp::platform::exit_with_parent(SIGHUP)) {
    spdlog::info("the parent process is gone already; exiting");
    return 0;
  }
  restore_fd_flags restore;

  try {
    awork_mcp::net::io_context io{1};
    auto credential = std::make_unique<awork_mcp::static_bearer_credential>(config.api_key);
    auto bridge = std::make_shared<awork_mcp::bridge>(io.get_executor(), std::move(config), std::move(credential),
                                                      ::dup(STDIN_FILENO), ::dup(STDOUT_FILENO), [&io] { io.stop(); });
    bridge->start();
    bridge.reset();
    io.run();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
