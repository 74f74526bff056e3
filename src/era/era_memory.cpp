#include "awork_mcp/era/era_memory.hpp"

#include "awork_mcp/core/json_text.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace awork_mcp {

namespace {

constexpr std::int64_t rewrite_after_seconds = 24 * 3600;

remembered_era era_from_name(std::string_view name) {
  if (name == "legacy") return remembered_era::legacy;
  if (name == "modern") return remembered_era::modern;
  if (name == "http+sse") return remembered_era::http_sse;
  return remembered_era::unknown;
}

}  // namespace

std::string_view era_name(remembered_era era) {
  switch (era) {
    case remembered_era::legacy: return "legacy";
    case remembered_era::modern: return "modern";
    case remembered_era::http_sse: return "http+sse";
    case remembered_era::unknown: break;
  }
  return "unknown";
}

era_memory era_memory::parse(std::string_view text) {
  era_memory memory;
  boost::system::error_code ec;
  const auto parsed = parse_json(text, ec);
  if (ec || !parsed.is_object()) return memory;
  for (const auto& [server, value] : parsed.get_object()) {
    const auto* fields = value.if_object();
    if (!fields) continue;
    const auto* era = fields->if_contains("era");
    const auto* seen = fields->if_contains("seen");
    if (!era || !era->is_string() || !seen || !seen->is_int64()) continue;
    const auto known = era_from_name(era->get_string());
    if (known == remembered_era::unknown) continue;
    memory.notes_[std::string(server)] = note{known, seen->get_int64()};
  }
  return memory;
}

std::string era_memory::serialize() const {
  boost::json::object out;
  for (const auto& [server, n] : notes_) out[server] = {{"era", era_name(n.era)}, {"seen", n.seen}};
  return boost::json::serialize(out) + "\n";
}

remembered_era era_memory::recall(std::string_view server_key, std::int64_t now) const {
  const auto found = notes_.find(server_key);
  if (found == notes_.end()) return remembered_era::unknown;
  const auto age = now - found->second.seen;
  if (age < 0 || age > max_age_seconds) return remembered_era::unknown;  // a clock that went back, too
  return found->second.era;
}

bool era_memory::remember(std::string_view server_key, remembered_era era, std::int64_t now) {
  if (era == remembered_era::unknown) return false;
  auto found = notes_.find(server_key);
  if (found != notes_.end()) {
    const bool fresh = now >= found->second.seen && now - found->second.seen < rewrite_after_seconds;
    if (found->second.era == era && fresh) return false;
    found->second = note{era, now};
    return true;
  }
  while (notes_.size() >= max_servers) {
    auto oldest = std::min_element(notes_.begin(), notes_.end(),
                                   [](const auto& a, const auto& b) { return a.second.seen < b.second.seen; });
    notes_.erase(oldest);
  }
  notes_.emplace(std::string(server_key), note{era, now});
  return true;
}

}  // namespace awork_mcp
