# Cross-compiling the macOS program on Debian with Zig's clang (its libc++, macOS headers and
# libSystem stubs; no Apple SDK): used by the `macos-arm64` and `macos-x86_64` presets, set up by
# scripts/build-macos.sh, which exports AWORK_MCP_ZIG_TOOLS (a folder of cc, c++, ar and ranlib
# wrappers, each `zig <tool> -target <arch>-macos.<version>`) and AWORK_MCP_OPENSSL_ROOT.
#
#  - libc++ is linked in statically by Zig: the program loads only /usr/lib/libSystem.B.dylib;
#  - OpenSSL is a static build of Debian's OpenSSL for the same target (scripts/build-openssl.sh);
#  - the header-only libraries are the build machine's (cmake/host-headers.cmake).

set(CMAKE_SYSTEM_NAME Darwin)
if(DEFINED ENV{AWORK_MCP_ZIG_TOOLS})
  set(AWORK_MCP_ZIG_TOOLS "$ENV{AWORK_MCP_ZIG_TOOLS}" CACHE PATH "Zig's tool wrappers for the target (scripts/build-macos.sh)" FORCE)
endif()
if(NOT AWORK_MCP_ZIG_TOOLS OR NOT EXISTS "${AWORK_MCP_ZIG_TOOLS}/c++")
  message(FATAL_ERROR "No Zig tools for this target (AWORK_MCP_ZIG_TOOLS='${AWORK_MCP_ZIG_TOOLS}'): build with scripts/build-macos.sh")
endif()
if(AWORK_MCP_ZIG_TOOLS MATCHES "/aarch64-macos")
  set(CMAKE_SYSTEM_PROCESSOR arm64)
else()
  set(CMAKE_SYSTEM_PROCESSOR x86_64)
endif()
set(CMAKE_C_COMPILER "${AWORK_MCP_ZIG_TOOLS}/cc")
set(CMAKE_CXX_COMPILER "${AWORK_MCP_ZIG_TOOLS}/c++")
set(CMAKE_AR "${AWORK_MCP_ZIG_TOOLS}/ar" CACHE FILEPATH "Zig's ar")
set(CMAKE_RANLIB "${AWORK_MCP_ZIG_TOOLS}/ranlib" CACHE FILEPATH "Zig's ranlib")
# A release build without debug information (Zig's -s; 12 MB -> ? MB per architecture). The
# symbol table stays (undefined symbols bind through it).
set(CMAKE_EXE_LINKER_FLAGS_RELEASE_INIT "-s")
# No Apple SDK: CMake must not look for one (xcrun) nor pass -isysroot or -arch.
set(CMAKE_OSX_SYSROOT "" CACHE PATH "" FORCE)
set(CMAKE_OSX_ARCHITECTURES "" CACHE STRING "" FORCE)

include("${CMAKE_CURRENT_LIST_DIR}/host-headers.cmake")
set(CMAKE_FIND_ROOT_PATH "${OPENSSL_ROOT_DIR}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
