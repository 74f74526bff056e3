# Cross-compiling the Linux arm64 (aarch64) program on Debian 12 with Debian's cross compiler and
# its multiarch libraries: used by the `linux-arm64` preset, set up by scripts/build-linux-arm64.sh
# (g++-aarch64-linux-gnu, and libssl-dev, libboost-json/url-dev, libspdlog-dev, libfmt-dev for
# arm64 beside the build machine's own).
#
# Debian's cross compiler already searches /usr/include/aarch64-linux-gnu and
# /usr/lib/aarch64-linux-gnu (multiarch): the libraries are the same Debian packages as the
# x86_64 program's, built for arm64, linked statically in the same way.

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Programs from the build machine; libraries and packages only for arm64.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Tests that run the program go through qemu-user, with the multiarch C library (libc6:arm64 in
# /lib/aarch64-linux-gnu). Not `-L /usr/aarch64-linux-gnu`: with the cross compiler's own copy,
# Debian 12's qemu 7.2 hangs at the first pthread_create (seen with a 3-line std::thread program).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
