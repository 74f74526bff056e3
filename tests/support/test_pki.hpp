#pragma once
// A CA made at test time with openssl, and the server certificates it signed: "good" for
// IP:127.0.0.1 and DNS:localhost (90 days), "wrong" for another host only, and "soon" like good
// but expiring in 3 days (`awork-mcp check` warns under 14).

#include "bridge_process.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace test_support {

struct test_pki {
  temp_dir dir;
  std::string ca, good_chain, good_key, wrong_chain, wrong_key, soon_chain, soon_key;

  test_pki() {
    auto p = dir.path();
    dir.file("good.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    dir.file("wrong.ext", "subjectAltName=DNS:wrong.example\n");
    dir.file("soon.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    std::string script =
        "set -e; cd " + p + "; exec 2>openssl.log\n"
        "openssl req -x509 " + ec + " -keyout ca.key -out ca.pem -days 90 -subj '/CN=awork-mcp test CA'\n"
        "for name_days in good:90 wrong:2 soon:3; do\n"
        "  name=${name_days%:*}; days=${name_days#*:}\n"
        "  openssl req " + ec + " -keyout $name.key -out $name.csr -subj \"/CN=$name\"\n"
        "  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days $days -extfile $name.ext -out $name.pem\n"
        "done\n";
    if (std::system(("sh -c \"" + escape(script) + "\"").c_str()) != 0) throw std::runtime_error("openssl failed");
    ca = p + "/ca.pem";
    good_chain = p + "/good.pem";
    good_key = p + "/good.key";
    wrong_chain = p + "/wrong.pem";
    wrong_key = p + "/wrong.key";
    soon_chain = p + "/soon.pem";
    soon_key = p + "/soon.key";
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
