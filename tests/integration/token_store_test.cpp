// The sign-in store on disk, in process: which record a run may load, and its lock across
// processes (each token_store opens the lock file itself, as a second process would).

#include "awork_mcp/auth/token_store.hpp"
#include "bridge_process.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace awork_mcp;
using namespace std::chrono_literals;

namespace {

sign_in_record record_for(const std::string& resource, const std::string& client_id) {
  sign_in_record r;
  r.resource = resource;
  r.issuer = "https://auth.example";
  r.token_endpoint = "https://auth.example/token";
  r.client.client_id = client_id;
  r.tokens.access_token = "at";
  r.tokens.refresh_token = "rt";
  return r;
}

/// Runs store.lock() with this deadline; whether it got the lock, and how long it took.
std::pair<bool, std::chrono::steady_clock::duration> timed_lock(const token_store& store, std::chrono::milliseconds patience) {
  net::io_context io;
  bool got = false;
  const auto started = std::chrono::steady_clock::now();
  net::co_spawn(
      io,
      [&]() -> awaitable<void> {
        auto held = co_await store.lock(io.get_executor(), "https://h.example/mcp", std::chrono::steady_clock::now() + patience);
        got = held.lock != nullptr;
      },
      net::detached);
  io.run();
  return {got, std::chrono::steady_clock::now() - started};
}

}  // namespace

TEST(token_store, loads_only_what_the_configured_client_may_use) {
  test_support::temp_dir dir;
  const std::string server = "https://h.example/mcp";
  ASSERT_EQ(token_store(dir.path()).save(record_for(server, "c1")), "");
  EXPECT_TRUE(token_store(dir.path()).load(server));
  EXPECT_TRUE(token_store(dir.path(), "c1").load(server));
  EXPECT_FALSE(token_store(dir.path(), "c2").load(server));
  EXPECT_TRUE(token_store(dir.path(), "c2").load_any(server)) << "status and logout still see it";
  EXPECT_FALSE(token_store(dir.path()).load("https://other.example/mcp"));
}

TEST(token_store, a_held_lock_is_waited_for_until_it_is_released_or_the_deadline) {
  test_support::temp_dir dir;
  const token_store first(dir.path()), second(dir.path());
  auto held = first.try_lock("https://h.example/mcp");
  ASSERT_TRUE(held.lock) << held.error;
  auto busy = second.try_lock("https://h.example/mcp");
  EXPECT_FALSE(busy.lock) << "two holders at once";
  EXPECT_EQ(busy.error, "") << "a held lock is busy, not an error";
  EXPECT_TRUE(second.try_lock("https://other.example/mcp").lock) << "one server's lock held another's";

  auto [got, waited] = timed_lock(second, 300ms);
  EXPECT_FALSE(got);
  EXPECT_GE(waited, 300ms);
  EXPECT_LT(waited, 1s);

  held.lock.reset();
  std::tie(got, waited) = timed_lock(second, 5s);
  EXPECT_TRUE(got);
  EXPECT_LT(waited, 1s) << "a free lock was not taken at once";
}

TEST(token_store, without_a_directory_nothing_is_stored_or_locked) {
  const token_store none{std::filesystem::path{}};
  EXPECT_NE(none.save(record_for("https://h.example/mcp", "c1")), "");
  EXPECT_FALSE(none.load("https://h.example/mcp"));
  auto [got, waited] = timed_lock(none, 5s);
  EXPECT_FALSE(got);
  EXPECT_LT(waited, 1s) << "waited for a lock that cannot exist";
}

// A store directory that cannot be made (here: under a regular file, which fails for root too)
// is an error at once, not a lock to wait for.
TEST(token_store, a_store_that_cannot_be_made_is_an_error_not_a_wait) {
  test_support::temp_dir dir;
  const token_store store(std::filesystem::path(dir.file("not-a-directory", "x")) / "oauth");
  auto attempt = store.try_lock("https://h.example/mcp");
  EXPECT_FALSE(attempt.lock);
  EXPECT_NE(attempt.error, "");
  auto [got, waited] = timed_lock(store, 5s);
  EXPECT_FALSE(got);
  EXPECT_LT(waited, 1s) << "waited for a lock that cannot be taken";
}
