# Cross-compiling the Windows program (x86_64) on Debian with mingw-w64: used by the `windows`
# preset, set up by scripts/build-windows.sh.
#
#  - the compiler is mingw-w64's with the posix thread model (std::thread, std::mutex);
#  - OpenSSL comes from AWORK_MCP_WIN_DEPS/openssl (default build/win-deps/openssl), a static
#    mingw64 build of Debian's OpenSSL made by scripts/build-windows.sh;
#  - the header-only libraries (Boost, fmt, spdlog, CLI11) are the build machine's: symlinks to
#    them are staged in AWORK_MCP_WIN_DEPS/host-include, so that /usr/include itself, whose glibc
#    headers would break mingw's, is never on the include path.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_awork_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_awork_triple}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_awork_triple}-g++-posix)
set(CMAKE_RC_COMPILER ${_awork_triple}-windres)

if(DEFINED ENV{AWORK_MCP_WIN_DEPS})
  set(_awork_deps "$ENV{AWORK_MCP_WIN_DEPS}")
else()
  get_filename_component(_awork_deps "${CMAKE_CURRENT_LIST_DIR}/../build/win-deps" ABSOLUTE)
endif()

# Libraries and headers only from the mingw sysroot and our OpenSSL; programs from the build machine.
set(CMAKE_FIND_ROOT_PATH /usr/${_awork_triple} "${_awork_deps}/openssl")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(OPENSSL_ROOT_DIR "${_awork_deps}/openssl" CACHE PATH "OpenSSL for mingw64 (scripts/build-windows.sh)")
# The build machine's pkg-config would describe its own OpenSSL.
set(ENV{PKG_CONFIG_LIBDIR} "${_awork_deps}/openssl/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

set(_awork_headers "${_awork_deps}/host-include")
foreach(_awork_dir boost spdlog fmt CLI)
  if(NOT EXISTS "/usr/include/${_awork_dir}")
    message(FATAL_ERROR "/usr/include/${_awork_dir} is missing: run scripts/build-windows.sh (it installs the headers)")
  endif()
  if(NOT IS_SYMLINK "${_awork_headers}/${_awork_dir}")
    file(MAKE_DIRECTORY "${_awork_headers}")
    file(CREATE_LINK "/usr/include/${_awork_dir}" "${_awork_headers}/${_awork_dir}" SYMBOLIC)
  endif()
endforeach()
set(AWORK_MCP_HOST_HEADERS "${_awork_headers}" CACHE PATH "Header-only libraries for the cross build (staged symlinks)")
