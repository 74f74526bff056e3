// The session's rule after a failed renewal: lost until a renewal succeeds, tried again by the
// next request after a back-off that doubles from 1 s to at most 30 s (none if it was cut short).

#include "awork_mcp/relay/session.hpp"

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

using awork_mcp::session;

TEST(relay_session, a_failed_renewal_leaves_the_session_lost_until_one_succeeds) {
  boost::asio::io_context io;
  session s(io.get_executor());
  s.begin(R"({"jsonrpc":"2.0","id":1,"method":"initialize"})");
  s.established("s1", "2025-06-18");
  EXPECT_FALSE(s.lost());

  ASSERT_TRUE(s.begin_renewal(s.current().generation));
  s.renewal_failed("HTTP 500");
  s.end_renewal();
  EXPECT_TRUE(s.lost());
  EXPECT_FALSE(s.has_session_id());
  const auto wait = s.renewal_wait();
  EXPECT_NE(wait.find("HTTP 500"), std::string::npos) << wait;
  EXPECT_NE(wait.find("1 s"), std::string::npos) << wait;

  // Cut short (the editor cancelled the request that carried it): lost, and no wait added.
  session cut(io.get_executor());
  cut.begin("{}");
  cut.established("s1", "");
  ASSERT_TRUE(cut.begin_renewal(cut.current().generation));
  cut.renewal_failed("");
  cut.end_renewal();
  EXPECT_TRUE(cut.lost());
  EXPECT_EQ(cut.renewal_wait(), "");

  // A renewal that succeeds ends it, and the next failure waits 1 s again.
  ASSERT_TRUE(s.begin_renewal(s.current().generation));
  s.established("s2", "2025-06-18");
  s.end_renewal();
  EXPECT_FALSE(s.lost());
  EXPECT_EQ(s.renewal_wait(), "");
}

TEST(relay_session, the_back_off_doubles_to_thirty_seconds) {
  boost::asio::io_context io;
  session s(io.get_executor());
  s.begin("{}");
  for (int failure = 1; failure <= 8; ++failure) {
    ASSERT_TRUE(s.begin_renewal(s.current().generation));
    s.renewal_failed("refused");
    s.end_renewal();
    const long expected = std::min(1L << (failure - 1), 30L);
    EXPECT_NE(s.renewal_wait().find(" " + std::to_string(expected) + " s"), std::string::npos)
        << "failure " << failure << ": " << s.renewal_wait();
  }
}
