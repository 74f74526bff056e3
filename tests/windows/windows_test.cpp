// Tests of the Windows program only, run under wine by scripts/test-windows.sh with
// AWORK_MCP_BRIDGE_COMMAND="/usr/lib/wine/wine64 .../awork-mcp.exe". They check the Windows side
// of the OS seam where the POSIX tests use signals, /proc or the POSIX trust store. They are not
// registered with ctest: against the Linux binary some could not pass (no Windows certificate
// store, no wine to ask for the registry).

#include "mcp_fixture.hpp"
#include "test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;

namespace {

// The wine loader of AWORK_MCP_BRIDGE_COMMAND, to run wine's own tools (reg.exe).
std::string wine_loader() {
  auto command = test_support::bridge_command();
  return command.size() > 1 ? command.front() : std::string();
}

// Runs a program and returns its exit code.
int run(const std::vector<std::string>& argv) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A certificate as the Windows registry stores it: its SHA-1 thumbprint names the key, and the
// value "Blob" is a serialized store element (property CERT_CERT_PROP_ID = 32, then the DER).
struct registry_certificate {
  std::string thumbprint;
  std::string blob_hex;
};

registry_certificate registry_form(const std::string& pem_path) {
  registry_certificate out;
  FILE* f = std::fopen(pem_path.c_str(), "r");
  if (!f) return out;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) return out;
  unsigned char* der = nullptr;
  int der_length = i2d_X509(cert, &der);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  X509_digest(cert, EVP_sha1(), digest, &digest_length);
  X509_free(cert);
  char hex[3];
  for (unsigned i = 0; i < digest_length; ++i) {
    std::snprintf(hex, sizeof hex, "%02X", digest[i]);
    out.thumbprint += hex;
  }
  auto put_dword = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      std::snprintf(hex, sizeof hex, "%02X", (v >> (8 * i)) & 0xff);
      out.blob_hex += hex;
    }
  };
  put_dword(32);  // CERT_CERT_PROP_ID
  put_dword(1);
  put_dword(static_cast<std::uint32_t>(der_length));
  for (int i = 0; i < der_length; ++i) {
    std::snprintf(hex, sizeof hex, "%02X", der[i]);
    out.blob_hex += hex;
  }
  OPENSSL_free(der);
  return out;
}

// Puts a CA into the current user's ROOT store of the wine prefix for as long as it lives, as IT
// rolls out a company's TLS inspection CA.
class windows_root_ca {
 public:
  explicit windows_root_ca(const std::string& pem_path) {
    auto cert = registry_form(pem_path);
    key_ = "HKCU\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates\\" + cert.thumbprint;
    added_ = !cert.thumbprint.empty() &&
             run({wine_loader(), "reg", "add", key_, "/v", "Blob", "/t", "REG_BINARY", "/d", cert.blob_hex, "/f"}) == 0;
  }
  ~windows_root_ca() {
    if (added_) run({wine_loader(), "reg", "delete", key_, "/f"});
  }
  bool added() const { return added_; }

 private:
  std::string key_;
  bool added_ = false;
};

class windows_tls : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(wine_loader().empty()) << "run through scripts/test-windows.sh (AWORK_MCP_BRIDGE_COMMAND)"; }

  json::value initialize_through(test_server& server, std::vector<std::string> extra, std::map<std::string, std::string> env = {}) {
    bridge_process::options opts;
    opts.args = {"--url", server.url()};
    opts.args.insert(opts.args.end(), extra.begin(), extra.end());
    opts.env = std::move(env);
    bridge_process bridge(opts);
    bridge.send(initialize_line(1));
    auto line = bridge.read_line(15s);
    if (!line) {
      ADD_FAILURE() << "no answer; stderr: " << bridge.stderr_text();
      return nullptr;
    }
    return json::parse(*line);
  }

  test_support::test_pki pki;
  fake_mcp mcp;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Peak resident memory of a process (and its threads), in MB, from /proc; 0 if unknown.
double peak_rss_mb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

}  // namespace

// The console control handler: wine delivers SIGINT to a Windows program as CTRL_C_EVENT, which
// must end the bridge as SIGTERM does on POSIX (a console close, logoff or shutdown takes the
// same path in the handler, but wine cannot send those).
TEST_F(bridge_test, ctrl_c_answers_what_is_left_and_exits_zero) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!msg.contains("method") || msg.at("method") != "tools/call") return false;
    std::this_thread::sleep_for(4s);
    reply.cut();
    return true;
  };
  start_bridge({"--drain-timeout", "0.3", "--log-level", "info"});
  handshake();
  bridge->send(request_line(31, "tools/call", {{"name", "forever"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("forever") != std::string::npos; }));
  auto start = std::chrono::steady_clock::now();
  bridge->signal(SIGINT);
  auto response = read_response(31);
  EXPECT_NE(message_of(response).find("shutting down"), std::string::npos) << response;
  EXPECT_EQ(bridge->wait(5s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(server->wait_for([](const recorded_request& r) { return r.method == "DELETE"; }, 1s));
  EXPECT_NE(bridge->stderr_text().find("shutting down: Ctrl-C"), std::string::npos) << bridge->stderr_text();
}

// The editor's death: the bridge waits on its parent's process handle. Under wine only a Windows
// process has one, so cmd.exe starts the bridge (as an editor would) and is then killed. The test
// still holds the bridge's pipes, so only the parent watch can end it.
TEST_F(bridge_test, bridge_exits_promptly_when_its_windows_parent_dies_mid_call) {
  gate release;
  mcp.on_post = [&](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    release.wait_for(20s);  // a slow tool; opened at the end of the test
    reply.cut();
    return true;
  };
  auto command = test_support::bridge_command();
  ASSERT_EQ(command.size(), 2u) << "expected AWORK_MCP_BRIDGE_COMMAND=\"wine64 path.exe\"";
  std::string exe = "Z:" + command[1];
  std::replace(exe.begin(), exe.end(), '/', '\\');
  bridge_process::options opts;
  opts.command = {command[0], "cmd", "/c", exe};
  opts.args = {"--url", server->url(), "--drain-timeout", "10", "--log-level", "info"};
  bridge = std::make_unique<bridge_process>(opts);
  ASSERT_TRUE(handshake().as_object().contains("result"));
  bridge->send(request_line(2, "tools/call", {{"name", "slow"}}));
  ASSERT_TRUE(server->wait_for([](const recorded_request& r) { return r.body.find("tools/call") != std::string::npos; }));
  auto killed = std::chrono::steady_clock::now();
  bridge->expect_exit(128 + SIGKILL);  // the process started is wine's cmd.exe, killed here
  bridge->signal(SIGKILL);  // cmd.exe, the editor, crashed
  auto line = bridge->read_line(5s);  // the end of stdout: the bridge exited
  auto took = std::chrono::steady_clock::now() - killed;
  release.open();
  EXPECT_FALSE(line) << "the orphaned bridge wrote " << *line;
  EXPECT_LT(took, 2s) << "the orphaned bridge kept running; stderr:\n" << bridge->stderr_text();
  EXPECT_NE(bridge->stderr_text().find("the editor went away (parent exited)"), std::string::npos) << bridge->stderr_text();
}

// A person typing: wine makes a console of a terminal on stdin, so this is the console path
// (ReadConsoleW). Typed lines arrive as UTF-8 whatever the console's code page; Ctrl-Z then Enter
// ends the input, as everywhere on Windows. (Wine decodes the terminal's bytes by its locale.)
TEST_F(bridge_test, console_stdin_reads_typed_lines_as_utf8_and_ctrl_z_ends_it) {
  bridge_process::options opts;
  opts.args = {"--url", server->url(), "--log-level", "info"};
  opts.env = {{"LANG", "C.UTF-8"}};
  opts.stdin_terminal = true;
  bridge = std::make_unique<bridge_process>(opts);
  bridge->send_raw(initialize_line(1) + "\r");
  ASSERT_TRUE(read_response(1).as_object().contains("result"));
  bridge->send_raw(R"({"jsonrpc":"2.0","method":"notifications/initialized"})" "\r");
  const std::string typed = "gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x98\x80";  // grüß € and an emoji (a surrogate pair)
  bridge->send_raw(request_line(2, "tools/call", {{"name", "echo"}, {"arguments", {{"message", typed}}}}) + "\r");
  auto response = read_response(2);
  EXPECT_EQ(json::value_to<std::string>(response.at("result").at("content").at(0).at("text")), typed) << response;
  bridge->send_raw("\x1a\r");
  EXPECT_EQ(bridge->wait(5s), 0) << bridge->stderr_text();
  EXPECT_NE(bridge->stderr_text().find("end of input"), std::string::npos) << bridge->stderr_text();
}

// A zero-byte write is no end of input on a Windows pipe; under wine, stdin is a Unix pipe whose
// end reads as zero bytes. Lines that arrive in pieces, slowly, are still put together.
TEST_F(bridge_test, stdin_pieces_arriving_slowly_make_one_line_and_eof_ends) {
  start_bridge();
  handshake();
  auto line = request_line(2, "ping");
  for (std::size_t i = 0; i < line.size(); i += 7) {
    bridge->send_raw(line.substr(i, 7));
    std::this_thread::sleep_for(20ms);
  }
  bridge->send_raw("\n");
  EXPECT_EQ(read_response(2).at("result"), json::object{});
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(5s), 0) << bridge->stderr_text();
}

// Large answers go through the stdout writer thread in chunks, byte for byte and in order.
TEST_F(bridge_test, large_results_arrive_whole_and_in_order) {
  mcp.on_post = [](const auto&, server_reply& reply, const json::object& msg) {
    if (!has_method(msg, "tools/call")) return false;
    auto id = msg.at("id").as_int64();
    fake_mcp::answer(reply, msg.at("id"), json::object{{"text", std::string(static_cast<std::size_t>(300000 + id), 'a' + static_cast<char>(id % 26))}}, false);
    return true;
  };
  start_bridge();
  handshake();
  for (int id = 10; id < 16; ++id) bridge->send(request_line(id, "tools/call", {{"name", "big"}}));
  std::set<long long> seen;
  for (int i = 0; i < 6; ++i) {
    auto message = read_json(20s);
    auto id = message.at("id").as_int64();
    auto text = json::value_to<std::string>(message.at("result").at("text"));
    EXPECT_EQ(text.size(), static_cast<std::size_t>(300000 + id));
    EXPECT_EQ(text.find_first_not_of(static_cast<char>('a' + id % 26)), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 6u);
}

// The Windows trust store: a CA in the ROOT store is trusted with no --ca-file.
TEST_F(windows_tls, ca_in_the_windows_root_store_is_trusted_without_ca_file) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); }, test_server::tls_files{pki.good_chain, pki.good_key});
  {
    auto refused = initialize_through(server, {});
    ASSERT_TRUE(refused.as_object().contains("error")) << "premise: the test CA is not trusted yet: " << refused;
  }
  windows_root_ca installed(pki.ca);
  ASSERT_TRUE(installed.added()) << "wine reg add failed";
  auto response = initialize_through(server, {});
  EXPECT_EQ(response.at("result").at("serverInfo").at("name"), "fake") << response;
}

// SSL_CERT_FILE replaces the Windows store, as it replaces OpenSSL's default paths elsewhere.
TEST_F(windows_tls, ssl_cert_file_is_used_instead_of_the_windows_store) {
  test_server server([this](const auto& r, auto& w) { mcp.handle(r, w); }, test_server::tls_files{pki.good_chain, pki.good_key});
  auto trusted = initialize_through(server, {}, {{"SSL_CERT_FILE", pki.ca}});
  EXPECT_EQ(trusted.at("result").at("serverInfo").at("name"), "fake") << trusted;

  windows_root_ca installed(pki.ca);
  ASSERT_TRUE(installed.added()) << "wine reg add failed";
  test_support::test_pki other;
  auto refused = initialize_through(server, {}, {{"SSL_CERT_FILE", other.ca}});
  ASSERT_TRUE(refused.as_object().contains("error")) << refused;
  EXPECT_NE(message_of(refused).find("TLS"), std::string::npos) << refused;
}

// Figures, not verdicts (wine's are not Windows'): spawn to initialize response, median of 5, and
// the peak resident memory of the wine process after some traffic. Printed for test-windows.sh.
TEST_F(bridge_test, startup_and_peak_memory_under_wine) {
  std::vector<double> startup_ms;
  for (int i = 0; i < 5; ++i) {
    auto start = std::chrono::steady_clock::now();
    start_bridge();
    bridge->send(initialize_line(1));
    auto response = read_json(15s);
    startup_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    ASSERT_TRUE(response.as_object().contains("result")) << response;
    bridge->close_stdin();
    EXPECT_EQ(bridge->wait(10s), 0);
  }
  start_bridge();
  handshake();
  for (int id = 2; id < 202; ++id) bridge->send(request_line(id, "tools/call", {{"name", "echo"}, {"arguments", {{"message", "hi"}}}}));
  for (int id = 2; id < 202; ++id) read_json();
  const double peak = peak_rss_mb(bridge->pid());
  bridge->close_stdin();
  EXPECT_EQ(bridge->wait(10s), 0);
  std::printf("windows figure: startup %.0f ms (median of 5, spawn to initialize response, under wine)\n", median(startup_ms));
  if (peak > 0)
    std::printf("windows figure: peak memory %.1f MB (VmHWM of the wine process after 200 calls; includes wine's own DLLs)\n", peak);
  else
    std::printf("windows figure: peak memory unknown (no /proc/%d/status)\n", static_cast<int>(bridge->pid()));
  EXPECT_LT(median(startup_ms), 5000.0);
}
