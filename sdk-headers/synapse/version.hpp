// SDK version and plugin ABI version.
//
// SYNAPSE_ABI_VERSION changes whenever a type that crosses the host/plugin boundary changes
// layout or virtual-table order (Action, RunContext, the error types). The host refuses a
// plugin whose ABI version differs from its own, before loading it.
#pragma once

#define SYNAPSE_SDK_VERSION_MAJOR 0
#define SYNAPSE_SDK_VERSION_MINOR 1
#define SYNAPSE_SDK_VERSION_PATCH 0
#define SYNAPSE_SDK_VERSION_STRING "0.1.0"

#define SYNAPSE_ABI_VERSION 5

namespace synapse {
inline constexpr int sdk_version_major = SYNAPSE_SDK_VERSION_MAJOR;
inline constexpr int sdk_version_minor = SYNAPSE_SDK_VERSION_MINOR;
inline constexpr int sdk_version_patch = SYNAPSE_SDK_VERSION_PATCH;
inline constexpr const char* sdk_version = SYNAPSE_SDK_VERSION_STRING;
inline constexpr int abi_version = SYNAPSE_ABI_VERSION;
}  // namespace synapse
