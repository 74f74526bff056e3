#pragma once
// A value, or the failure that stands in its place: how the I/O steps report what happened
// without throwing. Control flow reads as `if (!result) return result.failure();`.

#include "awork_mcp/core/upstream_error.hpp"

#include <utility>
#include <variant>

namespace awork_mcp {

template <class T>
class [[nodiscard]] outcome {
 public:
  outcome(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  outcome(upstream_failure failure) : state_(std::in_place_index<1>, std::move(failure)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const upstream_failure& failure() const { return std::get<1>(state_); }
  upstream_failure& failure() { return std::get<1>(state_); }

 private:
  std::variant<T, upstream_failure> state_;
};

/// For steps that produce nothing but may fail: empty means success.
using step_result = std::optional<upstream_failure>;

}  // namespace awork_mcp
