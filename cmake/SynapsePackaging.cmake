# Debian packages from the install components: `cpack -G DEB` in the build folder makes
#   synapse      (component runtime) the host, the shipped plugins, runtime.yaml, the samples
#   synapse-dev  (component dev)     the SDK headers, CMake package, pkg-config file, templates
# Configure with -DCMAKE_INSTALL_PREFIX=/usr for packages that follow Debian's layout
# (/usr/bin, /usr/lib/<multiarch>/synapse/plugins, /etc/synapse/runtime.yaml): the host's
# compiled-in config path and GNUInstallDirs' multiarch libdir both follow that prefix.
set(CPACK_PACKAGE_NAME synapse)
set(CPACK_PACKAGE_VENDOR "synapse")
set(CPACK_PACKAGE_CONTACT "synapse maintainers <synapse@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPackDeb would put it before each package's own synopsis
# (the first line of CPACK_DEBIAN_<COMPONENT>_DESCRIPTION).
# The packages hold the paths the binary was built for, so package for the configured prefix.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(STATUS "synapse: packages will install under ${CMAKE_INSTALL_PREFIX}; configure with "
                 "-DCMAKE_INSTALL_PREFIX=/usr for Debian's layout")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "synapse runtime")
set(CPACK_COMPONENT_DEV_DISPLAY_NAME "synapse plugin SDK")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME synapse)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION utils)
# dpkg-shlibdeps (dpkg-dev) derives Depends from the host's and plugins' shared libraries.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
# First line: the synopsis; the rest: the extended description.
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "C++ plugin runtime for synapse data pipelines
Runs synapse plugins (shared libraries described by a config.yaml) as jobs:
uploads into a local catalog and file store, annotation import, and exports
(COCO, YOLO, Synapse JSON). Ships those plugins and sample data.")
# A file under /etc is the admin's to edit: dpkg keeps their edits on upgrade.
if(SYNAPSE_INSTALLED_RUNTIME_YAML AND IS_ABSOLUTE ${SYNAPSE_INSTALLED_RUNTIME_YAML})
  file(WRITE ${PROJECT_BINARY_DIR}/cpack/runtime/conffiles "${SYNAPSE_INSTALLED_RUNTIME_YAML}\n")
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/cpack/runtime/conffiles)
endif()

# Architecture: the build's, not "all": the CMake package lives in the multiarch libdir and
# checks the architecture, as a plugin must match the host's.
set(CPACK_DEBIAN_DEV_PACKAGE_NAME synapse-dev)
# The SDK matches one host version exactly (the plugin ABI and SDK version checks); the
# headers need Boost and nlohmann_json.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "synapse (= ${CPACK_PACKAGE_VERSION}), libboost-dev (>= 1.74), nlohmann-json3-dev (>= 3)")
set(CPACK_DEBIAN_DEV_DESCRIPTION "SDK for writing synapse plugins in C++20
Headers, the CMake package (find_package(SynapseSDK) gives Synapse::sdk and
synapse_add_plugin), the pkg-config file synapse-sdk and the templates of
`synapse plugin new`.")

include(CPack)
