# synapse_add_plugin(<target> SOURCES <src>... [CONFIG <config.yaml>] [STAGE_DIR <dir>])
#
# Builds a plugin as a MODULE library with the flags every plugin needs, so that no author can
# forget them:
#   -fvisibility=hidden -fvisibility-inlines-hidden  only the SDK's aliases are exported, so two
#                                                    plugins cannot shadow each other's symbols;
#   -fno-gnu-unique                                  without it glibc ignores dlclose() and the
#                                                    library can never be unloaded;
#   -Wl,--no-undefined is NOT used: a MODULE may legitimately rely on libraries the host loads,
#   the host loads with RTLD_NOW instead, so a missing symbol is an error at load, not a crash.
# The library and its config.yaml are copied into STAGE_DIR (default:
# ${SYNAPSE_PLUGIN_STAGING_DIR}/<target> when that variable is set), which is a ready-to-run
# plugin folder.
function(synapse_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "CONFIG;STAGE_DIR" "SOURCES")
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "synapse_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Synapse::sdk)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib")
  target_compile_options(${target} PRIVATE -fvisibility=hidden -fvisibility-inlines-hidden
                                           -fno-gnu-unique)

  if(NOT ARG_STAGE_DIR AND SYNAPSE_PLUGIN_STAGING_DIR)
    set(ARG_STAGE_DIR ${SYNAPSE_PLUGIN_STAGING_DIR}/${target})
  endif()
  if(ARG_STAGE_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_STAGE_DIR})
  endif()
  if(NOT ARG_CONFIG AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/config.yaml)
    set(ARG_CONFIG ${CMAKE_CURRENT_SOURCE_DIR}/config.yaml)
  endif()
  if(ARG_CONFIG)
    get_target_property(out_dir ${target} LIBRARY_OUTPUT_DIRECTORY)
    if(NOT out_dir)
      set(out_dir ${CMAKE_CURRENT_BINARY_DIR})
    endif()
    # Copied at build time so an edit of config.yaml reaches the staged folder.
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${ARG_CONFIG} ${out_dir}/config.yaml
      VERBATIM)
  endif()
endfunction()
