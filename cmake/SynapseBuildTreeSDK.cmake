# The SDK as a package of this build tree, <build>/sdk/SynapseSDKConfig.cmake: a plugin project
# finds it with -DSynapseSDK_DIR=<build>/sdk, no install needed (`synapse plugin new --build`
# does that when the synapse it runs is not installed).
include(CMakePackageConfigHelpers)
export(TARGETS synapse_sdk NAMESPACE Synapse:: FILE ${PROJECT_BINARY_DIR}/sdk/SynapseSDKTargets.cmake)
configure_file(${CMAKE_CURRENT_LIST_DIR}/SynapseSDKBuildTreeConfig.cmake.in
               ${PROJECT_BINARY_DIR}/sdk/SynapseSDKConfig.cmake @ONLY)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/sdk/SynapseSDKConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
