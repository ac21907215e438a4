# CMake functions for building synapse plugins. Used by this repository's own build and, once
# installed, by find_package(SynapseSDK) (lib/cmake/SynapseSDK/SynapsePlugin.cmake).
#
# synapse_add_plugin(<target> SOURCES <src>... [CONFIG <config.yaml>] [README <README.md>]
#                    [STAGE_DIR <dir>] [INSTALL] [INSTALL_DIR <dir>] [COMPONENT <component>])
#
# Builds a plugin as a MODULE library with the flags every plugin needs, so that no author can
# forget them:
#   -fvisibility=hidden -fvisibility-inlines-hidden  only the SDK's aliases are exported, so two
#                                                    plugins cannot shadow each other's symbols;
#   -fno-gnu-unique                                  without it glibc ignores dlclose() and the
#                                                    library can never be unloaded;
#   -Wl,--no-undefined is NOT used: a MODULE may legitimately rely on libraries the host loads,
#   the host loads with RTLD_NOW instead, so a missing symbol is an error at load, not a crash.
#
# Staging: the library, its config.yaml (default: config.yaml of the calling folder) and its
# README.md (default: README.md of the calling folder, when there is one) are put in STAGE_DIR,
# a ready-to-run plugin folder (`synapse plugin validate <STAGE_DIR>`). Default STAGE_DIR:
# ${SYNAPSE_PLUGIN_STAGING_DIR}/<target> when that variable is set (synapse's own build), else
# ${CMAKE_CURRENT_BINARY_DIR}/plugin. Two plugins may not share a STAGE_DIR.
#
# Install (only when asked): INSTALL puts the plugin folder in
# ${SynapseSDK_PLUGIN_DIR}/<code>/, the folder the installed synapse searches (with
# find_package(SynapseSDK) that is an absolute path inside the SDK's prefix; inside synapse's
# own build it is <libdir>/synapse/plugins under the install prefix). INSTALL_DIR <dir> installs
# to <dir>/<code>/ instead (relative to the install prefix, or absolute). <code> is the `code:`
# of config.yaml. COMPONENT names the install component.
#
# synapse_add_plugin_library(<target> SOURCES <src>... [INCLUDE_DIRS <dir>...])
#
# A STATIC library of plugin code, compiled like the plugin itself (PIC, hidden visibility, no
# STB_GNU_UNIQUE), linking Synapse::sdk publicly. Link it into the plugin's MODULE and into unit
# tests that call the code directly, without the host. INCLUDE_DIRS are added PUBLIC.
#
# synapse_add_plugin_tests(<plugin target> SOURCES <src>... [LIBS <lib>...] [NO_VALIDATE])
#
# The tests of a plugin made by synapse_add_plugin(). Call it where testing is enabled
# (include(CTest) or enable_testing(), typically inside `if(BUILD_TESTING)`); add_test() is
# silently ignored elsewhere.
#   <plugin target>_tests               a Catch2 v2 executable of SOURCES, linked with LIBS
#                                       (usually the synapse_add_plugin_library() of the plugin)
#                                       and Catch2::Catch2WithMain; each TEST_CASE is a ctest
#                                       test named <plugin target>.<test case name>.
#   <plugin target>.plugin_validate     `synapse plugin validate` on the staged plugin folder
#                                       (the plugin's LIBRARY_OUTPUT_DIRECTORY, its STAGE_DIR),
#                                       the checks the host makes when it loads the plugin.
# Catch2 2 is found (REQUIRED) unless Catch2::Catch2WithMain already exists. The validating
# `synapse` is SYNAPSE_EXECUTABLE (set by find_package(SynapseSDK) when the host is installed,
# or -DSYNAPSE_EXECUTABLE=...), else the `synapse` target of an enclosing synapse build; with
# neither there is no host to run, and the validate test is left out with a status message.
# NO_VALIDATE leaves it out on purpose.

# Captured when this file is included: functions run in their caller's scope, where the
# includer's variables are not visible (a superproject calling synapse_add_plugin).
if(DEFINED SynapseSDK_PLUGIN_DIR)
  set_property(GLOBAL PROPERTY SYNAPSE_PLUGIN_INSTALL_DIR "${SynapseSDK_PLUGIN_DIR}")
endif()

# The `code:` of a plugin's config.yaml (a top-level key), or "" when it has none readable.
function(_synapse_plugin_code config out_var)
  set(code "")
  if(EXISTS "${config}")
    file(STRINGS "${config}" lines REGEX "^code:")
    if(lines)
      list(GET lines 0 line)
      if(line MATCHES "^code:[ \t]*[\"']?([A-Za-z0-9_.-]+)[\"']?[ \t]*(#.*)?$")
        set(code ${CMAKE_MATCH_1})
      endif()
    endif()
  endif()
  set(${out_var} "${code}" PARENT_SCOPE)
endfunction()

function(synapse_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "INSTALL" "CONFIG;README;STAGE_DIR;INSTALL_DIR;COMPONENT"
                        "SOURCES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "synapse_add_plugin(${target}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "synapse_add_plugin(${target}): unknown arguments: "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Synapse::sdk)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib")
  target_compile_options(${target} PRIVATE -fvisibility=hidden -fvisibility-inlines-hidden
                                           -fno-gnu-unique)

  if(NOT ARG_STAGE_DIR)
    if(SYNAPSE_PLUGIN_STAGING_DIR)
      set(ARG_STAGE_DIR ${SYNAPSE_PLUGIN_STAGING_DIR}/${target})
    else()
      set(ARG_STAGE_DIR ${CMAKE_CURRENT_BINARY_DIR}/plugin)
    endif()
  endif()
  # One folder, one plugin: a second config.yaml would silently replace the first.
  get_property(staged GLOBAL PROPERTY SYNAPSE_PLUGIN_STAGE_DIRS)
  list(FIND staged "${ARG_STAGE_DIR}" index)
  if(NOT index EQUAL -1)
    message(FATAL_ERROR "synapse_add_plugin(${target}): STAGE_DIR ${ARG_STAGE_DIR} already holds "
                        "another plugin; give each plugin its own STAGE_DIR")
  endif()
  set_property(GLOBAL APPEND PROPERTY SYNAPSE_PLUGIN_STAGE_DIRS "${ARG_STAGE_DIR}")
  set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_STAGE_DIR})

  if(NOT ARG_CONFIG AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/config.yaml)
    set(ARG_CONFIG ${CMAKE_CURRENT_SOURCE_DIR}/config.yaml)
  endif()
  if(NOT ARG_README AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/README.md)
    set(ARG_README ${CMAKE_CURRENT_SOURCE_DIR}/README.md)
  endif()
  # Copied at build time so an edit of config.yaml or README.md reaches the staged folder.
  if(ARG_CONFIG)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ARG_CONFIG} ${ARG_STAGE_DIR}/config.yaml
      VERBATIM)
  endif()
  if(ARG_README)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ARG_README} ${ARG_STAGE_DIR}/README.md
      VERBATIM)
  endif()

  if(NOT ARG_INSTALL AND NOT ARG_INSTALL_DIR)
    return()
  endif()
  if(NOT ARG_INSTALL_DIR)
    get_property(ARG_INSTALL_DIR GLOBAL PROPERTY SYNAPSE_PLUGIN_INSTALL_DIR)
    if(NOT ARG_INSTALL_DIR)
      message(FATAL_ERROR "synapse_add_plugin(${target}): INSTALL needs SynapseSDK_PLUGIN_DIR; "
                          "pass INSTALL_DIR <dir>")
    endif()
  endif()
  if(NOT ARG_CONFIG)
    message(FATAL_ERROR "synapse_add_plugin(${target}): INSTALL needs a config.yaml (none in "
                        "${CMAKE_CURRENT_SOURCE_DIR}; pass CONFIG <file>)")
  endif()
  # The installed folder is named by the plugin's code, as `synapse plugin install` names it.
  _synapse_plugin_code(${ARG_CONFIG} code)
  if(NOT code)
    message(FATAL_ERROR "synapse_add_plugin(${target}): ${ARG_CONFIG} has no top-level "
                        "`code: <letters, digits, _ . ->` to name the installed plugin folder")
  endif()
  set(component)
  if(ARG_COMPONENT)
    set(component COMPONENT ${ARG_COMPONENT})
  endif()
  install(TARGETS ${target} LIBRARY DESTINATION ${ARG_INSTALL_DIR}/${code} ${component})
  install(FILES ${ARG_CONFIG} DESTINATION ${ARG_INSTALL_DIR}/${code} RENAME config.yaml
          ${component})
  if(ARG_README)
    install(FILES ${ARG_README} DESTINATION ${ARG_INSTALL_DIR}/${code} RENAME README.md
            ${component})
  endif()
endfunction()

function(synapse_add_plugin_library target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;INCLUDE_DIRS")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "synapse_add_plugin_library(${target}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "synapse_add_plugin_library(${target}): unknown arguments: "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  add_library(${target} STATIC ${ARG_SOURCES})
  target_link_libraries(${target} PUBLIC Synapse::sdk)
  if(ARG_INCLUDE_DIRS)
    target_include_directories(${target} PUBLIC ${ARG_INCLUDE_DIRS})
  endif()
  # Linked into a MODULE: position-independent, and hidden like the plugin's own code so that
  # nothing of it is exported from the .so.
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${target} PRIVATE -fno-gnu-unique)
endfunction()

function(synapse_add_plugin_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_VALIDATE" "" "SOURCES;LIBS")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "synapse_add_plugin_tests(${target}): SOURCES is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "synapse_add_plugin_tests(${target}): unknown arguments: "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "synapse_add_plugin_tests(${target}): no target ${target}; call "
                        "synapse_add_plugin(${target} ...) first")
  endif()

  # Imported targets are visible only below the folder that found them, so a second plugin in a
  # sibling folder finds Catch2 again; the Catch module's commands are global, included once.
  if(NOT TARGET Catch2::Catch2WithMain)
    find_package(Catch2 2 REQUIRED)
  endif()
  if(NOT COMMAND catch_discover_tests)
    include(Catch)
  endif()
  add_executable(${target}_tests ${ARG_SOURCES})
  target_link_libraries(${target}_tests PRIVATE ${ARG_LIBS} Catch2::Catch2WithMain)
  catch_discover_tests(${target}_tests TEST_PREFIX "${target}.")

  if(ARG_NO_VALIDATE)
    return()
  endif()
  # The staged folder is where synapse_add_plugin() puts the library, config.yaml and README.md.
  get_target_property(stage_dir ${target} LIBRARY_OUTPUT_DIRECTORY)
  if(NOT stage_dir)
    message(FATAL_ERROR "synapse_add_plugin_tests(${target}): ${target} has no staged plugin "
                        "folder (LIBRARY_OUTPUT_DIRECTORY); make it with synapse_add_plugin(), or "
                        "pass NO_VALIDATE")
  endif()
  set(synapse_exe "${SYNAPSE_EXECUTABLE}")
  if(NOT synapse_exe AND TARGET synapse)
    set(synapse_exe $<TARGET_FILE:synapse>)
  endif()
  if(NOT synapse_exe)
    message(STATUS "synapse_add_plugin_tests(${target}): no synapse to run, so no "
                   "${target}.plugin_validate test; set SYNAPSE_EXECUTABLE to add it")
    return()
  endif()
  add_test(NAME ${target}.plugin_validate COMMAND ${synapse_exe} plugin validate ${stage_dir})
endfunction()
