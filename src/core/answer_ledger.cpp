#include "awork_mcp/core/answer_ledger.hpp"

#include "awork_mcp/core/jsonrpc.hpp"

#include <algorithm>

namespace awork_mcp {

answer_ledger::admission answer_ledger::admit(const json::value& id) {
  if (closed_) return admission::closed;
  auto [it, inserted] = owed_.try_emplace(id_key(id), id);
  return inserted ? admission::admitted : admission::duplicate;
}

bool answer_ledger::settle(const std::string& key) { return !closed_ && owed_.erase(key) > 0; }

bool answer_ledger::all_settled(const std::vector<std::string>& keys) const {
  return std::none_of(keys.begin(), keys.end(), [&](const std::string& key) { return owed_.contains(key); });
}

const json::value* answer_ledger::id_of(const std::string& key) const {
  auto it = owed_.find(key);
  return it == owed_.end() ? nullptr : &it->second;
}

std::vector<json::value> answer_ledger::close() {
  closed_ = true;
  std::vector<json::value> left;
  left.reserve(owed_.size());
  for (auto& [key, id] : owed_) left.push_back(std::move(id));
  owed_.clear();
  return left;
}

}  // namespace awork_mcp
