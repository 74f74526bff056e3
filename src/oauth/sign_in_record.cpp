#include "awork_mcp/oauth/sign_in_record.hpp"

#include "awork_mcp/oauth/pkce.hpp"
#include "json_fields.hpp"

#include <boost/json/serialize.hpp>

namespace awork_mcp {

namespace {

using boost::json::object;

object client_json(const client_identity& client) {
  return {{"client_id", client.client_id},
          {"client_secret", client.client_secret},
          {"auth", client_auth_name(client.auth)}};
}

// A stored file is read strictly: a required field absent, or any field of the wrong type, makes
// the whole file unreadable (and so absent), rather than half a sign-in.
class strict_reader {
 public:
  explicit strict_reader(const object& o) : o_(o) {}

  std::string text(std::string_view key, bool required) {
    const auto* value = o_.if_contains(key);
    if (!value) {
      ok_ = ok_ && !required;
      return {};
    }
    const auto* s = value->if_string();
    if (!s || (required && s->empty())) {
      ok_ = false;
      return {};
    }
    return std::string(*s);
  }

  const object* nested(std::string_view key) {
    const auto* value = o_.if_contains(key);
    const auto* inner = value ? value->if_object() : nullptr;
    ok_ = ok_ && inner;
    return inner;
  }

  bool ok() const { return ok_; }

 private:
  const object& o_;
  bool ok_ = true;
};

std::optional<client_identity> client_from(const object* o) {
  if (!o) return std::nullopt;
  strict_reader r(*o);
  client_identity client;
  client.client_id = r.text("client_id", true);
  client.client_secret = r.text("client_secret", false);
  const auto auth = client_auth_from_name(r.text("auth", true));
  if (!r.ok() || !auth) return std::nullopt;
  client.auth = *auth;
  return client;
}

std::optional<token_set> tokens_from(const object* o) {
  if (!o) return std::nullopt;
  strict_reader r(*o);
  token_set tokens;
  tokens.access_token = r.text("access_token", true);
  tokens.refresh_token = r.text("refresh_token", false);
  tokens.scope = r.text("scope", false);
  if (const auto* expires_at = o->if_contains("expires_at")) {
    // Whole seconds since 1970, and not so far out that the clock's nanoseconds overflow.
    const auto* seconds = expires_at->if_int64();
    if (!seconds || *seconds < 0 || *seconds > 10'000'000'000) return std::nullopt;
    tokens.expires_at = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
  }
  if (!r.ok()) return std::nullopt;
  return tokens;
}

}  // namespace

std::string to_json(const sign_in_record& record) {
  object tokens = {{"access_token", record.tokens.access_token},
                   {"refresh_token", record.tokens.refresh_token},
                   {"scope", record.tokens.scope}};
  if (record.tokens.expires_at)
    tokens["expires_at"] =
        std::chrono::duration_cast<std::chrono::seconds>(record.tokens.expires_at->time_since_epoch()).count();
  object o = {{"resource", record.resource},
              {"resource_indicator", record.resource_indicator},
              {"issuer", record.issuer},
              {"token_endpoint", record.token_endpoint},
              {"revocation_endpoint", record.revocation_endpoint},
              {"client", client_json(record.client)},
              {"redirect_uri", record.redirect_uri},
              {"tokens", std::move(tokens)}};
  return boost::json::serialize(o);
}

std::optional<sign_in_record> sign_in_record_from_json(std::string_view json) {
  try {
    auto o = oauth_json::parse_object(json);
    if (!o) return std::nullopt;
    strict_reader r(*o);
    sign_in_record record;
    record.resource = r.text("resource", true);
    record.resource_indicator = r.text("resource_indicator", false);
    record.issuer = r.text("issuer", true);
    record.token_endpoint = r.text("token_endpoint", true);
    record.revocation_endpoint = r.text("revocation_endpoint", false);
    record.redirect_uri = r.text("redirect_uri", false);
    auto client = client_from(r.nested("client"));
    auto tokens = tokens_from(r.nested("tokens"));
    if (!r.ok() || !client || !tokens) return std::nullopt;
    record.client = std::move(*client);
    record.tokens = std::move(*tokens);
    return record;
  } catch (const std::exception&) {  // allocation failures: the file counts as absent
    return std::nullopt;
  }
}

std::string to_json(const registered_client& client) {
  object o = {{"issuer", client.issuer}, {"redirect_uri", client.redirect_uri}, {"client", client_json(client.client)}};
  return boost::json::serialize(o);
}

std::optional<registered_client> registered_client_from_json(std::string_view json) {
  try {
    auto o = oauth_json::parse_object(json);
    if (!o) return std::nullopt;
    strict_reader r(*o);
    registered_client out;
    out.issuer = r.text("issuer", true);
    out.redirect_uri = r.text("redirect_uri", false);
    auto client = client_from(r.nested("client"));
    if (!r.ok() || !client) return std::nullopt;
    out.client = std::move(*client);
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string store_file_name(std::string_view key) {
  static constexpr char hex[] = "0123456789abcdef";
  const auto digest = sha256(key);
  std::string name;
  for (std::size_t i = 0; i < 8; ++i) {
    name += hex[digest[i] >> 4];
    name += hex[digest[i] & 0x0F];
  }
  return name;
}

bool sign_in_serves_client(const sign_in_record& record, std::string_view configured_client_id) {
  return configured_client_id.empty() || record.client.client_id == configured_client_id;
}

}  // namespace awork_mcp
