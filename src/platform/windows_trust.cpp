// The Windows trust store for OpenSSL, which does not read it by itself. The system's ROOT store
// (trust anchors, among them a company's TLS inspection CA that IT rolled out) and its CA store
// (intermediates, which help build chains and are trusted only below a root) are copied into the
// TLS context at start-up.

// <wincrypt.h> defines X509_NAME and friends as macros; OpenSSL's headers undo that, so they come
// after it.
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "awork_mcp/platform/platform.hpp"

#include <cstdlib>
#include <vector>

namespace awork_mcp::platform {

namespace {

// Like curl's import of the Windows store: only certificates valid now, and only those that may
// vouch for a TLS server (no enhanced key usage at all means any usage).
bool usable_for_tls_servers(PCCERT_CONTEXT cert) {
  if (::CertVerifyTimeValidity(nullptr, cert->pCertInfo) != 0) return false;
  DWORD size = 0;
  if (!::CertGetEnhancedKeyUsage(cert, 0, nullptr, &size)) return ::GetLastError() == static_cast<DWORD>(CRYPT_E_NOT_FOUND);
  std::vector<unsigned char> buffer(size);
  auto* usage = reinterpret_cast<CERT_ENHKEY_USAGE*>(buffer.data());
  if (!::CertGetEnhancedKeyUsage(cert, 0, usage, &size)) return false;
  // No usage listed: an "all usages disabled" certificate, unless Windows found no property at all.
  if (usage->cUsageIdentifier == 0) return ::GetLastError() == static_cast<DWORD>(CRYPT_E_NOT_FOUND);
  for (DWORD i = 0; i < usage->cUsageIdentifier; ++i)
    if (std::string_view(usage->rgpszUsageIdentifier[i]) == szOID_PKIX_KP_SERVER_AUTH) return true;
  return false;
}

void add_system_store(X509_STORE* store, const wchar_t* name) {
  HCERTSTORE system = ::CertOpenSystemStoreW(0, name);
  if (!system) return;
  for (PCCERT_CONTEXT cert = ::CertEnumCertificatesInStore(system, nullptr); cert;
       cert = ::CertEnumCertificatesInStore(system, cert)) {
    if (cert->dwCertEncodingType != X509_ASN_ENCODING || !usable_for_tls_servers(cert)) continue;
    const unsigned char* der = cert->pbCertEncoded;
    if (X509* x509 = d2i_X509(nullptr, &der, static_cast<long>(cert->cbCertEncoded))) {
      X509_STORE_add_cert(store, x509);  // a certificate already there is fine
      X509_free(x509);
    }
  }
  ::CertCloseStore(system, 0);
}

}  // namespace

void load_system_trust_store(ssl::context& ctx) {
  // SSL_CERT_FILE and SSL_CERT_DIR (a ';'-separated list) replace the Windows stores, as they
  // replace OpenSSL's default paths elsewhere. Those defaults themselves (under OPENSSLDIR, a
  // path of the build machine) are never read: anyone may create folders at the root of C:.
  const char* file = std::getenv(X509_get_default_cert_file_env());
  const char* dir = std::getenv(X509_get_default_cert_dir_env());
  if (file || dir) {
    if (file && *file) SSL_CTX_load_verify_file(ctx.native_handle(), file);
    if (dir && *dir) SSL_CTX_load_verify_dir(ctx.native_handle(), dir);
  } else {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx.native_handle());
    add_system_store(store, L"ROOT");
    add_system_store(store, L"CA");
  }
  ERR_clear_error();  // a file or certificate OpenSSL could not read leaves only an error queue entry
}

}  // namespace awork_mcp::platform
