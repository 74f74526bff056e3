#pragma once
// A CA made at test time with openssl, and two server certificates it signed: "good" for
// IP:127.0.0.1 and DNS:localhost, "wrong" for another host only.

#include "bridge_process.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace test_support {

struct test_pki {
  temp_dir dir;
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

}  // namespace test_support
