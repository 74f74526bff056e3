// The report of `awork-mcp check`: which steps are skipped after a failure, the exit status, and
// the text and JSON renderings.

#include "awork_mcp/check/report.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <array>

using namespace awork_mcp;
using std::chrono::milliseconds;

namespace {

constexpr std::array all_steps = {check_step::configuration, check_step::proxy, check_step::dns,
                                  check_step::tcp_connect, check_step::tls, check_step::auth,
                                  check_step::server, check_step::rate_limits};

check_line ok(check_step step) { return {step, check_verdict::ok, "fine", std::nullopt, {}}; }

}  // namespace

TEST(check_report, a_failure_skips_every_later_step_and_says_why) {
  // For a failure at each network step: the steps before it keep their lines, every one after
  // it gets "skip" naming the failed step, and the exit status is 1.
  for (std::size_t failed = 2; failed < all_steps.size(); ++failed) {
    check_report report;
    for (std::size_t i = 0; i < failed; ++i) report.add(ok(all_steps[i]));
    EXPECT_TRUE(report.proceed());
    report.add({all_steps[failed], check_verdict::fail, "broken", std::nullopt, "do this"});
    EXPECT_FALSE(report.proceed());
    report.finish();
    SCOPED_TRACE(std::string(step_label(all_steps[failed])));
    ASSERT_EQ(report.lines().size(), all_steps.size());
    for (std::size_t i = 0; i < all_steps.size(); ++i) {
      const auto& line = report.lines()[i];
      EXPECT_EQ(line.step, all_steps[i]);
      if (i < failed) {
        EXPECT_EQ(line, ok(all_steps[i]));
      }
      if (i > failed) {
        EXPECT_EQ(line.verdict, check_verdict::skip);
        EXPECT_EQ(line.detail, "not tried: " + std::string(step_label(all_steps[failed])) + " failed");
      }
    }
    EXPECT_EQ(report.exit_code(), 1);
  }
}

TEST(check_report, exit_status_counts_failures_only) {
  struct row {
    std::vector<check_verdict> verdicts;
    int exit_code;
  };
  const row rows[] = {
      {{check_verdict::ok, check_verdict::ok}, 0},
      {{check_verdict::ok, check_verdict::warn}, 0},
      {{check_verdict::skip, check_verdict::warn}, 0},
      {{check_verdict::ok, check_verdict::fail}, 1},
      {{check_verdict::fail, check_verdict::warn}, 1},
  };
  for (const auto& r : rows) {
    check_report report;
    for (std::size_t i = 0; i < r.verdicts.size(); ++i)
      report.add({all_steps[i], r.verdicts[i], "x", std::nullopt, r.verdicts[i] == check_verdict::ok ? "" : "hint"});
    EXPECT_EQ(report.exit_code(), r.exit_code);
  }
}

TEST(check_report, a_stop_without_failure_skips_with_its_reason) {
  check_report report;
  report.add(ok(check_step::configuration));
  report.add({check_step::auth, check_verdict::warn, "HTTP 429", std::nullopt, "wait"});
  report.stop("the server is limiting requests");
  EXPECT_FALSE(report.proceed());
  report.add(ok(check_step::rate_limits));
  report.finish();
  EXPECT_EQ(report.exit_code(), 0);
  ASSERT_EQ(report.lines().size(), all_steps.size());
  EXPECT_EQ(report.lines()[6].step, check_step::server);
  EXPECT_EQ(report.lines()[6].detail, "not tried: the server is limiting requests");
  EXPECT_EQ(report.lines()[7], ok(check_step::rate_limits)) << "lines added out of order are sorted by step";
}

TEST(check_report, text_has_a_line_per_step_and_the_hints) {
  check_report report;
  report.add({check_step::configuration, check_verdict::ok, "https://x/mcp (default)", std::nullopt, {}});
  report.add({check_step::dns, check_verdict::ok, "x → 1.2.3.4", milliseconds(12), {}});
  report.add({check_step::tls, check_verdict::warn, "expires soon", milliseconds(30), "renew it"});
  report.add({check_step::tcp_connect, check_verdict::fail, "refused", milliseconds(1), "start the server"});
  report.finish();
  const auto text = render_text(report, "https://x/mcp");
  EXPECT_EQ(text.substr(0, text.find('\n')), "awork-mcp check of https://x/mcp");
  EXPECT_NE(text.find("\nok    configuration   https://x/mcp (default)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nok    DNS             x → 1.2.3.4 (12 ms)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nFAIL  TCP connect     refused (1 ms)\n                      → start the server\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nwarn  TLS             expires soon (30 ms)\n                      → renew it\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\nskip  authentication  not tried: TCP connect failed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nResult: FAIL (TCP connect); exit status 1\n"), std::string::npos) << text;

  check_report warned;
  warned.add({check_step::tls, check_verdict::warn, "soon", std::nullopt, "renew"});
  warned.finish();
  EXPECT_NE(render_text(warned, "u").find("Result: ok, with warnings (TLS); exit status 0"), std::string::npos);
}

TEST(check_report, json_is_one_object_with_every_step) {
  check_report report;
  report.add({check_step::configuration, check_verdict::ok, "a \"quoted\" url", std::nullopt, {}});
  report.add({check_step::tcp_connect, check_verdict::fail, "refused", milliseconds(3), "start it"});
  report.finish();
  const auto text = render_json(report, "https://x/mcp?…");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "one line";
  const auto value = boost::json::parse(text);
  EXPECT_EQ(value.at("url"), "https://x/mcp?…");
  EXPECT_EQ(value.at("ok"), false);
  EXPECT_EQ(value.at("exitCode"), 1);
  const auto& steps = value.at("steps").as_array();
  ASSERT_EQ(steps.size(), all_steps.size());
  EXPECT_EQ(steps[0].at("detail"), "a \"quoted\" url");
  EXPECT_FALSE(steps[0].as_object().contains("ms"));
  EXPECT_FALSE(steps[0].as_object().contains("hint"));
  EXPECT_EQ(steps[3].at("step"), "tcp");
  EXPECT_EQ(steps[3].at("verdict"), "fail");
  EXPECT_EQ(steps[3].at("ms"), 3);
  EXPECT_EQ(steps[3].at("hint"), "start it");
  EXPECT_EQ(steps[7].at("step"), "rate_limits");
  EXPECT_EQ(steps[7].at("verdict"), "skip");
}
