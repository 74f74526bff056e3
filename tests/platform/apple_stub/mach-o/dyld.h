// A stand-in for macOS's <mach-o/dyld.h>, with the one declaration src/platform/posix_files.cpp
// uses copied from the macOS SDK's: only so that its __APPLE__ branch can be compiled on Linux
// (apple_branches.cpp, run by scripts/test-libcxx.sh). Never part of a real build.
#pragma once
#include <stdint.h>

extern "C" int _NSGetExecutablePath(char* buf, uint32_t* bufsize);
