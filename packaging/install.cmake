# What `cmake --install` puts where (GNU layout), and the packages CPack makes of it: a .deb and a
# .tar.gz (scripts/package.sh builds both from the release preset into build/packages/).
#
#   bin/awork-mcp
#   share/man/man1/awork-mcp.1.gz             written by hand: packaging/awork-mcp.1
#   share/doc/awork-mcp/README.md, CHANGELOG.md, changelog.gz
#   share/doc/awork-mcp/copyright, licenses/  the licenses of what is linked in
#   share/doc/awork-mcp/examples/             config/, with the binary at /usr/bin/awork-mcp
include(GNUInstallDirs)
set(AWORK_MCP_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/awork-mcp")
set(AWORK_MCP_PACKAGING_DIR "${PROJECT_BINARY_DIR}/packaging")

# The man page, compressed as Debian's policy asks (man reads it so everywhere). Building the
# binary builds it too, so that the release preset's one target is enough to install.
find_program(AWORK_MCP_GZIP gzip REQUIRED)
set(man_page_gz "${AWORK_MCP_PACKAGING_DIR}/awork-mcp.1.gz")
add_custom_command(OUTPUT "${man_page_gz}"
  COMMAND "${CMAKE_COMMAND}" -E make_directory "${AWORK_MCP_PACKAGING_DIR}"
  COMMAND sh -c "\"$0\" -9 -n -c \"$1\" > \"$2\"" "${AWORK_MCP_GZIP}"
          "${PROJECT_SOURCE_DIR}/packaging/awork-mcp.1" "${man_page_gz}"
  DEPENDS "${PROJECT_SOURCE_DIR}/packaging/awork-mcp.1"
  COMMENT "Compressing the man page awork-mcp.1"
  VERBATIM)
add_custom_target(awork_mcp_man_page DEPENDS "${man_page_gz}")
add_dependencies(awork-mcp awork_mcp_man_page)

# The editor configurations of config/, pointing at the installed binary instead of a clone's.
foreach(example awork-mcp.toml claude_desktop_config.json vscode-mcp.json)
  file(READ "${PROJECT_SOURCE_DIR}/config/${example}" content)
  string(REPLACE "/opt/awork-mcp-bridge/build/release/awork-mcp" "/usr/bin/awork-mcp" content "${content}")
  string(REPLACE "config/awork-mcp.toml" "/usr/share/doc/awork-mcp/examples/awork-mcp.toml" content "${content}")
  file(CONFIGURE OUTPUT "${AWORK_MCP_PACKAGING_DIR}/examples/${example}" CONTENT "${content}" @ONLY)
endforeach()

# A changelog.gz, as every Debian package has one: this version, and where to read about it.
set(AWORK_MCP_PACKAGE_MAINTAINER "awork-mcp-bridge maintainers <maintainers@users.noreply.r-seed-23e59eae.example>"
    CACHE STRING "Maintainer of the packages: 'Name <address>'")
# Dated by the last commit, so that the packages change only when the sources do.
execute_process(COMMAND git -C "${PROJECT_SOURCE_DIR}" log -1 --format=%cD
                OUTPUT_VARIABLE changelog_date OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT changelog_date)
  string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)  # honours SOURCE_DATE_EPOCH
endif()
file(CONFIGURE OUTPUT "${AWORK_MCP_PACKAGING_DIR}/changelog" CONTENT "awork-mcp (@PROJECT_VERSION@) stable; urgency=medium

  * awork-mcp @PROJECT_VERSION@: see /usr/share/doc/awork-mcp/README.md.

 -- @AWORK_MCP_PACKAGE_MAINTAINER@  @changelog_date@
" @ONLY)
set(changelog_gz "${AWORK_MCP_PACKAGING_DIR}/changelog.gz")
add_custom_command(OUTPUT "${changelog_gz}"
  COMMAND sh -c "\"$0\" -9 -n -c \"$1\" > \"$2\"" "${AWORK_MCP_GZIP}" "${AWORK_MCP_PACKAGING_DIR}/changelog" "${changelog_gz}"
  DEPENDS "${AWORK_MCP_PACKAGING_DIR}/changelog"
  VERBATIM)
add_custom_target(awork_mcp_changelog DEPENDS "${changelog_gz}")
add_dependencies(awork-mcp awork_mcp_changelog)

install(TARGETS awork-mcp RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${man_page_gz}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES README.md CHANGELOG.md packaging/copyright "${changelog_gz}" DESTINATION "${AWORK_MCP_DOCDIR}")
install(FILES packaging/licenses/Apache-2.0 DESTINATION "${AWORK_MCP_DOCDIR}/licenses")
install(DIRECTORY "${AWORK_MCP_PACKAGING_DIR}/examples/" DESTINATION "${AWORK_MCP_DOCDIR}/examples")

if(NOT PROJECT_IS_TOP_LEVEL)
  return()
endif()

# ---- CPack ----------------------------------------------------------------------------------
string(TOLOWER "${CMAKE_SYSTEM_NAME}-${CMAKE_SYSTEM_PROCESSOR}" platform)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  # The arm64 cross build (cmake/aarch64-linux-gnu.cmake): Debian's and everyone's name for it,
  # not the build machine's architecture, which dpkg would report.
  string(TOLOWER "${CMAKE_SYSTEM_NAME}-arm64" platform)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()

set(CPACK_PACKAGE_NAME awork-mcp)
set(CPACK_PACKAGE_VENDOR "awork-mcp-bridge")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${AWORK_MCP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "stdio MCP bridge to awork's remote MCP server (Streamable HTTP)")
set(CPACK_PACKAGE_FILE_NAME "awork-mcp-${PROJECT_VERSION}-${platform}")  # the .tar.gz
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_GENERATOR TGZ)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  list(APPEND CPACK_GENERATOR DEB)
endif()

# The .deb: awork-mcp_<version>_<arch>.deb, installed under /usr. Its Depends are computed by
# dpkg-shlibdeps from what the binary still links dynamically (with AWORK_MCP_STATIC_DEPS, the
# release default, only the C library).
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")  # the system trust store, for https://
# The synopsis line is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "awork-mcp lets an assistant or editor that can only start a local
stdio MCP server (Claude Desktop, VS Code, Cursor, Claude Code, scripts)
use awork's remote MCP server, or any other MCP server that speaks the
Streamable HTTP transport. It relays JSON-RPC lines between stdin/stdout
and the server byte for byte, gives every request exactly one answer,
never runs a tool call twice, and keeps its memory bounded.
One small native binary; see awork-mcp(1).")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
