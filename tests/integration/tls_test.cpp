// HTTPS with a CA generated at test time: trusted with --ca-file, refused for the wrong host.

#include "mcp_fixture.hpp"
#include "test_pki.hpp"

namespace {

class tls_test : public ::testing::Test {
 protected:
  test_support::test_pki pki;
  fake_mcp mcp;
  json::value initialize_through(test_server& server, std::vector<std::string> extra) {
    bridge_process::options opts;
    opts.args = {"--url", server.url()};
    opts.args.insert(opts.args.end(), extra.begin(), extra.end());
    bridge_process bridge(opts);
    bridge.send(initialize_line(1));
    auto line = bridge.read_line(std::chrono::seconds(10));
    if (!line) {
      ADD_FAILURE() << "no answer; stderr: " << bridge.stderr_text();
      return nullptr;
    }
    return json::parse(*line);
  }
};

}  // namespace

TEST_F(tls_test, private_ca_is_trusted_with_ca_file) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  auto response = initialize_through(server, {"--ca-file", pki.ca});
  EXPECT_EQ(response.at("result").at("serverInfo").at("name"), "fake") << response;
}

TEST_F(tls_test, untrusted_certificate_is_refused) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  auto response = initialize_through(server, {});
  ASSERT_TRUE(response.as_object().contains("error")) << response;
  auto message = json::value_to<std::string>(response.at("error").at("message"));
  EXPECT_NE(message.find("TLS"), std::string::npos) << message;
  EXPECT_EQ(mcp.initialize_count, 0);
}

TEST_F(tls_test, certificate_for_another_host_is_refused) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.wrong_chain, pki.wrong_key});
  auto response = initialize_through(server, {"--ca-file", pki.ca});
  ASSERT_TRUE(response.as_object().contains("error")) << response;
  auto message = json::value_to<std::string>(response.at("error").at("message"));
  EXPECT_NE(message.find("TLS"), std::string::npos) << message;
  EXPECT_EQ(mcp.initialize_count, 0) << "the request must not reach a server with the wrong certificate";
}

// A --ca-file that holds no certificate: every request gets an error that names the file, and the
// bridge goes on (it once logged the failure and left the request without an answer).
TEST_F(tls_test, an_unreadable_ca_file_is_an_error_for_each_request_naming_the_file) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  test_support::temp_dir dir;
  const auto not_pem = dir.file("not-a-ca.pem", "this is no certificate\n");
  bridge_process::options opts;
  opts.args = {"--url", server.url(), "--ca-file", not_pem};
  bridge_process bridge(opts);
  for (int id : {1, 2}) {
    bridge.send(initialize_line(id));
    auto line = bridge.read_line(std::chrono::seconds(10));
    ASSERT_TRUE(line) << "no answer to request " << id << "; stderr: " << bridge.stderr_text();
    auto response = json::parse(*line);
    ASSERT_TRUE(response.as_object().contains("error")) << response;
    EXPECT_EQ(response.at("id"), id);
    EXPECT_NE(message_of(response).find("--ca-file " + not_pem), std::string::npos) << response;
  }
  EXPECT_EQ(mcp.initialize_count, 0);
}

// After the first handshake, new connections (parallel calls, or after an idle period) resume the
// TLS session instead of a full handshake; only the ones opened before any session existed (the
// first, and the two opened ahead of need beside it) are full.
TEST_F(tls_test, later_connections_resume_the_tls_session) {
  mcp.on_post = [](const test_support::request&, server_reply& reply, const json::object& msg) {
    if (msg.contains("method") && msg.at("method") == "tools/call") {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // keeps each call's connection busy
      fake_mcp::answer(reply, msg.at("id"), json::object{{"content", json::array{}}}, false);
      return true;
    }
    return false;
  };
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); },
                     test_server::tls_files{pki.good_chain, pki.good_key});
  bridge_process::options opts;
  opts.args = {"--url", server.url(), "--ca-file", pki.ca};
  bridge_process bridge(opts);
  bridge.send(initialize_line(1));
  ASSERT_TRUE(bridge.read_line(std::chrono::seconds(10))) << bridge.stderr_text();
  bridge.send(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  // Requests after `initialized` wait until it is carried: once a ping is answered, the session's
  // first messages are done and the calls below meet a settled pool of connections.
  bridge.send(request_line(100, "ping"));
  ASSERT_TRUE(bridge.read_line(std::chrono::seconds(10))) << bridge.stderr_text();
  constexpr int calls = 6;
  for (int id = 2; id < 2 + calls; ++id)
    bridge.send(request_line(id, "tools/call", {{"name", "slow"}, {"arguments", json::object{}}}));
  for (int i = 0; i < calls; ++i) ASSERT_TRUE(bridge.read_line(std::chrono::seconds(10))) << bridge.stderr_text();
  EXPECT_GE(server.tls_handshakes(), 5u) << "premise: the parallel calls needed new connections";
  // Unloaded, exactly the three first handshakes are full. On a loaded 2-core machine one or two
  // more were seen full (3 of 40 runs with both cores busy: 6 handshakes, 1 or 2 resumed), as a
  // connection can start before a TLS 1.3 ticket has been read: what must hold is that later
  // connections do resume, and that no more than the parallel calls need are opened.
  EXPECT_GE(server.resumed_tls_handshakes(), 1u)
      << server.tls_handshakes() << " handshakes, " << server.resumed_tls_handshakes() << " resumed";
  EXPECT_LE(server.tls_handshakes(), static_cast<std::size_t>(calls));
}
