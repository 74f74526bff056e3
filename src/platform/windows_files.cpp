// Windows side of platform/files.hpp.

#include "awork_mcp/platform/files.hpp"

#include <windows.h>
#include <shellapi.h>

#include <cstdlib>

namespace awork_mcp::platform {

namespace {

std::string last_error_text(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": error " + std::to_string(::GetLastError());
}

std::wstring widen(const std::string& s) {
  if (s.empty()) return {};
  const int n = ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<std::size_t>(n), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

}  // namespace

std::string make_private_dir(const std::filesystem::path& dir) {
  // Under %APPDATA% the user's profile ACLs already keep other users out.
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  return {};
}

std::string write_private_file(const std::filesystem::path& path, std::string_view content) {
  if (auto error = make_private_dir(path.parent_path()); !error.empty()) return error;
  return write_file_atomically(path, content);  // the profile's ACLs keep it private
}

std::string write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  // Under the user's profile the ACLs keep other users out. ReplaceFileW keeps a replaced file's
  // own ACL and attributes; a new file takes the directory's inherited ACL.
  auto temp = path;
  temp += L".tmp" + std::to_wstring(::GetCurrentProcessId());
  HANDLE file = ::CreateFileW(temp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) return last_error_text("cannot create a file beside", path);
  DWORD written = 0;
  const bool ok = ::WriteFile(file, content.data(), static_cast<DWORD>(content.size()), &written, nullptr) &&
                  written == content.size() && ::FlushFileBuffers(file);
  ::CloseHandle(file);
  if (!ok) {
    auto error = last_error_text("cannot write", path);
    ::DeleteFileW(temp.c_str());
    return error;
  }
  for (int attempt = 0;; ++attempt) {
    const bool exists = ::GetFileAttributesW(path.c_str()) != INVALID_FILE_ATTRIBUTES;
    const bool replaced = exists ? ::ReplaceFileW(path.c_str(), temp.c_str(), nullptr, REPLACEFILE_IGNORE_MERGE_ERRORS,
                                                  nullptr, nullptr)
                                 : ::MoveFileExW(temp.c_str(), path.c_str(), MOVEFILE_WRITE_THROUGH);
    if (replaced) return {};
    const DWORD code = ::GetLastError();
    const auto wait = replace_retry_wait(code, attempt);
    if (!wait) {
      auto error = "cannot replace " + path.string() + ": error " + std::to_string(code) +
                   (attempt > 0 ? " (another program kept it open through " + std::to_string(attempt + 1) + " tries)" : "");
      ::DeleteFileW(temp.c_str());
      return error;
    }
    ::Sleep(static_cast<DWORD>(wait->count()));
  }
}

std::filesystem::path executable_path() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = ::GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) return {};
    if (n < buffer.size()) {  // a full buffer means the path was cut short: try a larger one
      buffer.resize(n);
      return std::filesystem::path(buffer);
    }
    if (buffer.size() >= 32768) return {};  // the longest path Windows has
    buffer.resize(buffer.size() * 2);
  }
}

std::optional<std::string> environment_variable(const char* name) {
  const std::wstring wide_name = widen(name);
  const DWORD needed = ::GetEnvironmentVariableW(wide_name.c_str(), nullptr, 0);
  if (needed == 0) {
    if (::GetLastError() == ERROR_ENVVAR_NOT_FOUND) return std::nullopt;
    return std::string();  // set, and empty
  }
  std::wstring value(needed, L'\0');
  const DWORD n = ::GetEnvironmentVariableW(wide_name.c_str(), value.data(), needed);
  if (n >= needed) return std::nullopt;  // it changed meanwhile
  value.resize(n);
  return utf8_of(std::filesystem::path(value));
}

file_lock::attempt file_lock::try_acquire(const std::filesystem::path& path) {
  if (auto error = make_private_dir(path.parent_path()); !error.empty()) return {nullptr, error};
  HANDLE file = ::CreateFileW(path.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                              OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE)
    return {nullptr, "cannot open " + utf8_of(path) + " (Windows error " + std::to_string(::GetLastError()) + ")"};
  OVERLAPPED whole{};
  if (!::LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD, MAXDWORD, &whole)) {
    const DWORD error = ::GetLastError();
    ::CloseHandle(file);
    if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) return {};  // another process holds it
    return {nullptr, "cannot lock " + utf8_of(path) + " (Windows error " + std::to_string(error) + ")"};
  }
  return {std::unique_ptr<file_lock>(new file_lock(reinterpret_cast<std::intptr_t>(file))), {}};
}

file_lock::~file_lock() { ::CloseHandle(reinterpret_cast<HANDLE>(handle_)); }  // closing releases the lock

bool open_browser(const std::string& url) {
  if (const char* browser = std::getenv("BROWSER"); browser && *browser) {
    std::wstring command = widen(std::string(browser) + " \"" + url + "\"");
    STARTUPINFOW startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;  // no handles of ours: stdout is the protocol channel
    PROCESS_INFORMATION process{};
    if (!::CreateProcessW(nullptr, command.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr, nullptr,
                          &startup, &process))
      return false;
    ::CloseHandle(process.hThread);
    ::CloseHandle(process.hProcess);
    return true;
  }
  const auto result = ::ShellExecuteW(nullptr, L"open", widen(url).c_str(), nullptr, nullptr, SW_SHOWNORMAL);
  return reinterpret_cast<INT_PTR>(result) > 32;
}

}  // namespace awork_mcp::platform
