// A stand-in for macOS's <sys/event.h> (kqueue), with the declarations src/platform/posix.cpp uses
// copied from the macOS SDK's: only so that its __APPLE__ branch can be compiled on Linux
// (apple_branches.cpp, run by scripts/test-libcxx.sh). Never part of a real build.
#pragma once
#include <stdint.h>
#include <time.h>

struct kevent {
  uintptr_t ident;  // identifier for this event
  int16_t filter;   // filter for event
  uint16_t flags;   // general flags
  uint32_t fflags;  // filter-specific flags
  intptr_t data;    // filter-specific data
  void* udata;      // opaque user data identifier
};

#define EV_SET(kevp, a, b, c, d, e, f) \
  do {                                 \
    struct kevent* __kevp__ = (kevp);  \
    __kevp__->ident = (a);             \
    __kevp__->filter = (b);            \
    __kevp__->flags = (c);             \
    __kevp__->fflags = (d);            \
    __kevp__->data = (e);              \
    __kevp__->udata = (f);             \
  } while (0)

#define EVFILT_PROC (-5)         // attached to struct proc
#define EVFILT_USER (-10)        // user events
#define EV_CLEAR 0x0020          // clear event state after reporting
#define NOTE_TRIGGER 0x01000000U // cause the event to be triggered
#define EV_ADD 0x0001            // add event to kq (implies enable)
#define EV_ONESHOT 0x0010        // only report one occurrence
#define NOTE_EXIT 0x80000000U    // process exited

extern "C" {
int kqueue(void);
int kevent(int kq, const struct kevent* changelist, int nchanges, struct kevent* eventlist, int nevents,
           const struct timespec* timeout);
}
