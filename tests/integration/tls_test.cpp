// HTTPS with a CA generated at test time: trusted with --ca-file, refused for the wrong host.

#include "mcp_fixture.hpp"

#include <cstdlib>

namespace {

// Makes a CA and two server certificates signed by it: one for 127.0.0.1, one for another host.
struct test_pki {
  test_support::temp_dir dir;
  std::string ca, good_chain, good_key, wrong_chain, wrong_key;

  test_pki() {
    auto p = dir.path();
    dir.file("good.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    dir.file("wrong.ext", "subjectAltName=DNS:wrong.example\n");
    std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script =
        "set -e; cd " + p + "; exec 2>openssl.log\n"
        "openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=awork-mcp test CA'\n"
        "for name in good wrong; do\n"
        "  openssl req " + ec + " -keyout $name.key -out $name.csr -subj \"/CN=$name\"\n"
        "  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $name.ext -out $name.pem\n"
        "done\n";
    if (std::system(("sh -c \"" + escape(script) + "\"").c_str()) != 0) throw std::runtime_error("openssl failed");
    ca = p + "/ca.pem";
    good_chain = p + "/good.pem";
    good_key = p + "/good.key";
    wrong_chain = p + "/wrong.pem";
    wrong_key = p + "/wrong.key";
  }
  static std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '$' || c == '\\' || c == '`') out.push_back('\\');
      out.push_back(c);
    }
    return out;
  }
};

class tls_test : public ::testing::Test {
 protected:
  test_pki pki;
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
