#pragma once
// Namespace aliases shared by the I/O parts of the bridge.

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace awork_mcp {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
template <class T>
using awaitable = net::awaitable<T>;
}  // namespace awork_mcp
