#include "awork_mcp/jsonrpc.hpp"

#include <ostream>

namespace awork_mcp {

std::ostream& operator<<(std::ostream& os, message_kind k) {
  switch (k) {
    case message_kind::request: return os << "request";
    case message_kind::notification: return os << "notification";
    case message_kind::response: return os << "response";
    case message_kind::batch: return os << "batch";
    case message_kind::invalid: return os << "invalid";
  }
  return os << "unknown";
}

namespace {

bool valid_id(const json::value& id) { return id.is_string() || id.is_number() || id.is_null(); }

classified_message classify_single(const json::value& message) {
  classified_message out;
  const auto* obj = message.if_object();
  if (!obj) {
    out.problem = "a JSON-RPC message must be a JSON object";
    return out;
  }
  if (const auto* id = obj->if_contains("id"); id && valid_id(*id)) out.id = *id;
  const auto* version = obj->if_contains("jsonrpc");
  if (!version || !version->is_string() || version->get_string() != "2.0") {
    out.problem = "missing \"jsonrpc\": \"2.0\"";
    return out;
  }
  const auto* id = obj->if_contains("id");
  if (id && !valid_id(*id)) {
    out.problem = "\"id\" must be a string, a number or null";
    return out;
  }
  if (const auto* method = obj->if_contains("method")) {
    if (!method->is_string()) {
      out.problem = "\"method\" must be a string";
      return out;
    }
    out.method = std::string(method->get_string());
    if (obj->contains("result") || obj->contains("error")) {
      out.problem = "a message cannot have both \"method\" and \"result\"/\"error\"";
      return out;
    }
    if (const auto* params = obj->if_contains("params"); params && !params->is_object() && !params->is_array()) {
      out.problem = "\"params\" must be an object or an array";
      return out;
    }
    if (id) {
      out.kind = message_kind::request;
      out.request_ids.push_back(*id);
    } else {
      out.kind = message_kind::notification;
    }
    return out;
  }
  bool has_result = obj->contains("result");
  bool has_error = obj->contains("error");
  if (id && (has_result != has_error)) {
    out.kind = message_kind::response;
    return out;
  }
  out.problem = id ? "a response needs exactly one of \"result\" and \"error\""
                   : "neither a request (\"method\") nor a response (\"id\" with \"result\" or \"error\")";
  return out;
}

}  // namespace

classified_message classify(const json::value& message) {
  const auto* array = message.if_array();
  if (!array) return classify_single(message);
  classified_message out;
  if (array->empty()) {
    out.problem = "an empty batch is not a valid JSON-RPC message";
    return out;
  }
  for (const auto& element : *array) {
    auto part = classify_single(element);
    if (part.kind == message_kind::invalid) {
      out.problem = "batch element: " + part.problem;
      out.request_ids.clear();
      return out;
    }
    for (auto& id : part.request_ids) out.request_ids.push_back(std::move(id));
  }
  out.kind = message_kind::batch;
  return out;
}

std::string id_key(const json::value& id) { return json::serialize(id); }

std::string make_error_response(const json::value& id, int code, std::string_view message, json::object data) {
  json::object error{{"code", code}, {"message", message}};
  if (!data.empty()) error["data"] = std::move(data);
  json::object response{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
  return json::serialize(response);
}

bool is_response(const json::object& message) {
  return !message.contains("method") && message.contains("id") &&
         (message.contains("result") || message.contains("error"));
}

}  // namespace awork_mcp
