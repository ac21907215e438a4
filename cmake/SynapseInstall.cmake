# Install rules: `cmake --install <build> [--prefix P] [--component runtime|dev]`.
#   runtime  bin/synapse, the shipped plugins (<libdir>/synapse/plugins/<code>/, installed by
#            synapse_add_plugin(... INSTALL) in plugins/), the default runtime.yaml, the samples
#   dev      the SDK headers, the CMake package SynapseSDK, synapse-sdk.pc, the plugin templates
# Every destination is relative to the prefix (relocatable) except a sysconfdir outside it:
# prefix /usr puts runtime.yaml in /etc/synapse, which the host finds by a compiled-in path.
include(CMakePackageConfigHelpers)

# --- runtime ------------------------------------------------------------------------------------
# The host links only static libraries of its own (and system shared libraries), so it needs no
# RPATH; the plugins are dlopen()ed by full path.
if(SYNAPSE_BUILD_RUNTIME)
  install(TARGETS synapse RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

  cmake_path(IS_PREFIX CMAKE_INSTALL_PREFIX "${CMAKE_INSTALL_FULL_SYSCONFDIR}" NORMALIZE
             sysconf_in_prefix)
  if(sysconf_in_prefix)
    set(sysconf_dest ${CMAKE_INSTALL_SYSCONFDIR}/synapse)
    # Relative to the prefix on both sides, so the result holds for any --prefix.
    file(RELATIVE_PATH yaml_to_plugins /prefix/${sysconf_dest}
         /prefix/${SYNAPSE_INSTALL_PLUGIN_DIR})
  else()
    set(sysconf_dest ${CMAKE_INSTALL_FULL_SYSCONFDIR}/synapse)
    file(RELATIVE_PATH yaml_to_plugins ${sysconf_dest}
         ${CMAKE_INSTALL_PREFIX}/${SYNAPSE_INSTALL_PLUGIN_DIR})
  endif()
  set(SYNAPSE_YAML_TO_PLUGINS ${yaml_to_plugins})
  configure_file(${CMAKE_CURRENT_LIST_DIR}/runtime.yaml.in
                 ${PROJECT_BINARY_DIR}/install/runtime.yaml @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/install/runtime.yaml DESTINATION ${sysconf_dest}
          COMPONENT runtime)
  set(SYNAPSE_INSTALLED_RUNTIME_YAML ${sysconf_dest}/runtime.yaml)
endif()

install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/samples ${PROJECT_SOURCE_DIR}/config/collections
        DESTINATION ${SYNAPSE_INSTALL_DATA_DIR} COMPONENT runtime USE_SOURCE_PERMISSIONS)

# --- dev ----------------------------------------------------------------------------------------
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sdk-headers/synapse
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)

# `synapse plugin new` copies these from <exe dir>/../share/synapse/templates. Guarded only
# because git does not keep an empty folder.
if(EXISTS ${PROJECT_SOURCE_DIR}/templates)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/templates/ DESTINATION ${SYNAPSE_INSTALL_DATA_DIR}/templates
          COMPONENT dev USE_SOURCE_PERMISSIONS)
endif()

install(TARGETS synapse_sdk EXPORT SynapseSDKTargets COMPONENT dev)
install(EXPORT SynapseSDKTargets NAMESPACE Synapse:: DESTINATION ${SYNAPSE_INSTALL_CMAKE_DIR}
        COMPONENT dev)
set(SYNAPSE_INSTALL_BINDIR ${CMAKE_INSTALL_BINDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/SynapseSDKConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/SynapseSDKConfig.cmake
  INSTALL_DESTINATION ${SYNAPSE_INSTALL_CMAKE_DIR}
  PATH_VARS SYNAPSE_INSTALL_PLUGIN_DIR SYNAPSE_INSTALL_DATA_DIR SYNAPSE_INSTALL_BINDIR)
# 0.x: a minor release may break the SDK, so only the same major.minor is compatible. Not
# ARCH_INDEPENDENT: a plugin must match the host's architecture.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/install/SynapseSDKConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/SynapseSDKConfig.cmake
              ${PROJECT_BINARY_DIR}/install/SynapseSDKConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/sdk-headers/cmake/SynapsePlugin.cmake
        DESTINATION ${SYNAPSE_INSTALL_CMAKE_DIR} COMPONENT dev)

# pkg-config, for builds without CMake. Header-only, so arch-independent: share/pkgconfig. The
# prefix is found from the .pc file's own folder, so the file is right for any --prefix.
set(pc_dir ${CMAKE_INSTALL_DATADIR}/pkgconfig)
file(RELATIVE_PATH pc_to_prefix /prefix/${pc_dir} /prefix)
string(REGEX REPLACE "/$" "" pc_to_prefix "${pc_to_prefix}")
set(SYNAPSE_PC_PREFIX "\${pcfiledir}/${pc_to_prefix}")
if(IS_ABSOLUTE ${CMAKE_INSTALL_INCLUDEDIR})
  set(SYNAPSE_PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
else()
  set(SYNAPSE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/synapse-sdk.pc.in ${PROJECT_BINARY_DIR}/install/synapse-sdk.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/install/synapse-sdk.pc DESTINATION ${pc_dir} COMPONENT dev)
