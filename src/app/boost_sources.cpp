// Boost.JSON and Boost.URL compiled into the program (AWORK_MCP_BOOST_FROM_SOURCE): for builds
// where the distribution's compiled Boost libraries do not fit (Windows cross builds, libc++).
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
