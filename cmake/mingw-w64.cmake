# Cross-compiling the Windows program (x86_64) on Debian with mingw-w64: used by the `windows`
# preset, set up by scripts/build-windows.sh.
#
#  - the compiler is mingw-w64's with the posix thread model (std::thread, std::mutex);
#  - OpenSSL is a static mingw64 build of Debian's OpenSSL (scripts/build-openssl.sh);
#  - the header-only libraries are the build machine's (cmake/host-headers.cmake).

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_awork_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_awork_triple}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_awork_triple}-g++-posix)
set(CMAKE_RC_COMPILER ${_awork_triple}-windres)

include("${CMAKE_CURRENT_LIST_DIR}/host-headers.cmake")
# Libraries and headers only from the mingw sysroot and our OpenSSL; programs from the build machine.
set(CMAKE_FIND_ROOT_PATH /usr/${_awork_triple} "${OPENSSL_ROOT_DIR}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
