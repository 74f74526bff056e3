#pragma once
// `awork-mcp check`: walks the way to the server step by step (configuration, proxy, DNS, TCP,
// TLS, authentication, the server, rate limits) and prints a verdict per step.

#include "awork_mcp/app/config.hpp"

namespace awork_mcp {

/// Runs the check and prints its report on stdout (text, or JSON with `json`). Returns the exit
/// status: 1 if a step failed, else 0.
int run_check(const bridge_config& config, bool json);

}  // namespace awork_mcp
