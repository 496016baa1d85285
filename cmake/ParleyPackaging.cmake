# Install rules and Debian packages (cpack -G DEB, see ./scripts/package).
#
# Three components, one .deb each:
#   server  parley-server (window and --headless), its systemd unit, config file,
#           desktop entry, icons, AppStream metainfo, service user (postinst)
#   client  parley-client, desktop entry, icons, metainfo (when client-gui/ builds it)
#   cli     parley-cli
# Library dependencies are found by dpkg-shlibdeps; the version is PROJECT_VERSION.
include_guard(GLOBAL)
include(GNUInstallDirs)
# `install` (and so cpack) needs only the programs it installs, not the test suites
# and benchmarks: ./scripts/package builds those targets first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(PARLEY_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/cmake/packaging)
set(PARLEY_GENERATED_DIST ${CMAKE_BINARY_DIR}/dist)

# Desktop entry, icons and metainfo of one program (<id> e.g. org.parley.Client).
function(parley_install_desktop_app component id dist_dir)
  install(FILES ${dist_dir}/${id}.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT ${component})
  install(FILES ${dist_dir}/${id}.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT ${component})
  foreach(size 48 128 256)
    install(FILES ${dist_dir}/${id}-${size}.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            RENAME ${id}.png COMPONENT ${component})
  endforeach()
  configure_file(${dist_dir}/${id}.metainfo.xml ${PARLEY_GENERATED_DIST}/${id}.metainfo.xml @ONLY)
  install(FILES ${PARLEY_GENERATED_DIST}/${id}.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT ${component})
endfunction()

# copyright and changelog.gz in /usr/share/doc/<package> (Debian policy 12.5, 12.7).
function(parley_install_package_docs component package)
  install(FILES ${PARLEY_PACKAGING_DIR}/copyright
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
  install(FILES ${PARLEY_GENERATED_DIST}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
endfunction()

configure_file(${PARLEY_PACKAGING_DIR}/changelog.in ${PARLEY_GENERATED_DIST}/changelog @ONLY)
# gzip -9n: no timestamp or name in the header, so the package is reproducible.
execute_process(COMMAND gzip -9nf ${PARLEY_GENERATED_DIST}/changelog)

set(PARLEY_COMPONENTS)
set(PARLEY_PACKAGED_TARGETS)

# One program in its package <package> (component <component>): the executable,
# copyright and changelog; nothing when the target is not built here.
macro(parley_package_program target component package)
  if(TARGET ${target})
    list(APPEND PARLEY_PACKAGED_TARGETS ${target})
    list(APPEND PARLEY_COMPONENTS ${component})
    install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${component})
    parley_install_package_docs(${component} ${package})
  endif()
endmacro()

# A man page per program, made from its --help and --version by help2man.
find_program(PARLEY_HELP2MAN help2man)
function(parley_install_man_page target component summary)
  if(NOT PARLEY_HELP2MAN OR NOT TARGET ${target})
    return()
  endif()
  set(page ${PARLEY_GENERATED_DIST}/${target}.1.gz)
  add_custom_command(OUTPUT ${page}
    # offscreen: the window programs answer --help without a display.
    COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${PARLEY_HELP2MAN} --no-info --no-discard-stderr -n "${summary}" $<TARGET_FILE:${target}>
            | gzip -9n > ${page}
    DEPENDS ${target} VERBATIM)
  add_custom_target(${target}_man_page DEPENDS ${page})
  list(APPEND PARLEY_MAN_PAGE_TARGETS ${target}_man_page)
  set(PARLEY_MAN_PAGE_TARGETS ${PARLEY_MAN_PAGE_TARGETS} PARENT_SCOPE)
  install(FILES ${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
endfunction()

parley_package_program(parley-server server parley-server)
parley_package_program(parley-client client parley-client)
parley_package_program(parley-cli cli parley-cli)

set(PARLEY_MAN_PAGE_TARGETS)
parley_install_man_page(parley-server server "Parley messenger server (window or --headless service)")
parley_install_man_page(parley-cli cli "Parley terminal client, interactive and for scripts")
parley_install_man_page(parley-client client "Parley desktop client: contacts, chat, history")

if(TARGET parley-server)
  set(dist ${PROJECT_SOURCE_DIR}/server-gui/dist)
  install(FILES ${dist}/parley-server.service DESTINATION lib/systemd/system COMPONENT server)
  install(FILES ${dist}/parley-server.conf DESTINATION /etc/parley COMPONENT server)
  install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/parley-server
          COMPONENT server)
  parley_install_desktop_app(server org.parley.Server ${dist})
endif()
if(TARGET parley-client)
  parley_install_desktop_app(client org.parley.Client ${PROJECT_SOURCE_DIR}/client-gui/dist)
endif()

# `cmake --build build --target parley_packaged_programs` before cpack.
add_custom_target(parley_packaged_programs DEPENDS ${PARLEY_PACKAGED_TARGETS} ${PARLEY_MAN_PAGE_TARGETS})

# ---- Windows: Qt's DLLs and plugins next to the programs (windeployqt) --------
# Not built or tried on this project's Linux machines: see docs/windows.md.
if(WIN32)
  get_target_property(parley_qmake Qt5::qmake IMPORTED_LOCATION)
  get_filename_component(parley_qt_bin ${parley_qmake} DIRECTORY)
  find_program(PARLEY_WINDEPLOYQT windeployqt HINTS ${parley_qt_bin})
  foreach(program ${PARLEY_PACKAGED_TARGETS})
    install(CODE "execute_process(COMMAND \"${PARLEY_WINDEPLOYQT}\" --release --no-translations
                  --dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\"
                  \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${program}.exe\")")
  endforeach()
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
  include(InstallRequiredSystemLibraries)   # the MSVC runtime DLLs
endif()

# ---- CPack: Debian packages (Linux), an NSIS installer (Windows) -------------
if(WIN32)
  set(CPACK_GENERATOR NSIS)
  set(CPACK_NSIS_DISPLAY_NAME "Parley ${PROJECT_VERSION}")
  set(CPACK_NSIS_PACKAGE_NAME "Parley")
  set(CPACK_PACKAGE_INSTALL_DIRECTORY "Parley")
  set(CPACK_NSIS_MODIFY_PATH OFF)
  set(CPACK_PACKAGE_EXECUTABLES parley-server "Parley Server" parley-client "Parley")
else()
  set(CPACK_GENERATOR DEB)
endif()
set(CPACK_PACKAGE_NAME parley)
set(CPACK_PACKAGE_VENDOR "The Parley developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Parley developers <parley@example.org>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${PARLEY_COMPONENTS})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "Parley developers <parley@example.org>")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME parley-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "libqt5sql5-sqlite, libqt5sql5-odbc")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/server-gui/dist/debian/postinst
    ${PROJECT_SOURCE_DIR}/server-gui/dist/debian/postrm
    ${PROJECT_SOURCE_DIR}/server-gui/dist/debian/conffiles)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "self-hosted team messenger: server\nParley routes one-to-one and room messages, keeps messages for users\nwho are offline and relays resumable, verified file transfers. The\nserver runs from a window or as a systemd service (parley-server.service).")
set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME parley-client)
set(CPACK_COMPONENT_CLIENT_DESCRIPTION
    "self-hosted team messenger: desktop client\nThe Parley desktop client: contacts with presence, double-click to chat,\nhistory, notifications.")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "libqt5sql5-sqlite")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME parley-cli)
set(CPACK_COMPONENT_CLI_DESCRIPTION
    "self-hosted team messenger: terminal client\nparley-cli talks to a Parley server from a terminal or a script: register,\nchat, send and receive files.")

include(CPack)
