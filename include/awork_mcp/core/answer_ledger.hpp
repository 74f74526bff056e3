#pragma once
// The editor's requests still owed an answer: each id is answered exactly once, by the server or
// by the bridge, and never after that.

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace awork_mcp {

class answer_ledger {
 public:
  enum class admission { admitted, duplicate, closed };

  /// Records a request id as owed an answer. A second request with an id still owed is refused
  /// (its answer could not be told apart); after close() nothing is admitted.
  admission admit(const boost::json::value& id);
  /// An answer for this id_key arrived: true if it was owed (it goes out), false if not (a late
  /// or second answer, dropped).
  bool settle(const std::string& key);
  bool owed(const std::string& key) const { return owed_.contains(key); }
  bool all_settled(const std::vector<std::string>& keys) const;
  /// The id behind a key still owed, for an error answer.
  const boost::json::value* id_of(const std::string& key) const;
  /// Stops admitting and hands back every id still owed (each gets its one answer now).
  std::vector<boost::json::value> close();
  bool closed() const { return closed_; }

 private:
  std::unordered_map<std::string, boost::json::value> owed_;
  bool closed_ = false;
};

}  // namespace awork_mcp
