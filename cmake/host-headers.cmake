# For the cross toolchains (mingw-w64.cmake, zig-macos.cmake): the header-only libraries (Boost,
# spdlog, fmt, CLI11) are the build machine's. Symlinks to them are staged in a folder of their
# own, so that /usr/include itself, whose glibc headers would break the target's C library, is
# never on the include path. Sets AWORK_MCP_HOST_HEADERS (CMakeLists.txt then compiles Boost.JSON
# and Boost.URL from source and uses fmt header-only).
set(_awork_headers "${CMAKE_BINARY_DIR}/host-include")
foreach(_awork_dir boost spdlog fmt CLI)
  if(NOT EXISTS "/usr/include/${_awork_dir}")
    message(FATAL_ERROR "/usr/include/${_awork_dir} is missing: run scripts/install-deps.sh (it installs the headers)")
  endif()
  if(NOT IS_SYMLINK "${_awork_headers}/${_awork_dir}")
    file(MAKE_DIRECTORY "${_awork_headers}")
    file(CREATE_LINK "/usr/include/${_awork_dir}" "${_awork_headers}/${_awork_dir}" SYMBOLIC)
  endif()
endforeach()
set(AWORK_MCP_HOST_HEADERS "${_awork_headers}" CACHE PATH "Header-only libraries for the cross build (staged symlinks)")

# OpenSSL for the target, built by scripts/build-openssl.sh (the build scripts export its folder
# as AWORK_MCP_OPENSSL_ROOT; CMake keeps it for later runs).
if(DEFINED ENV{AWORK_MCP_OPENSSL_ROOT})
  set(OPENSSL_ROOT_DIR "$ENV{AWORK_MCP_OPENSSL_ROOT}" CACHE PATH "OpenSSL for the target (scripts/build-openssl.sh)" FORCE)
endif()
if(NOT OPENSSL_ROOT_DIR OR NOT EXISTS "${OPENSSL_ROOT_DIR}/include/openssl/ssl.h")
  message(FATAL_ERROR "No OpenSSL for this target (OPENSSL_ROOT_DIR='${OPENSSL_ROOT_DIR}'): build with the preset's script (scripts/build-windows.sh, scripts/build-macos.sh)")
endif()
# The build machine's pkg-config would describe its own OpenSSL.
set(ENV{PKG_CONFIG_LIBDIR} "${OPENSSL_ROOT_DIR}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
