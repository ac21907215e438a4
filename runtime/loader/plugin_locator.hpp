// Finding plugins: a plugin is a folder with config.yaml and its built library. The search path
// (RuntimeConfig::plugin_path) holds plugin folders, or folders of plugin folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/plugin_config.hpp"

namespace synapse::runtime {

using PluginPath = std::vector<std::filesystem::path>;

// Every plugin folder found in the search path, in path order, then by folder name. A folder
// whose config.yaml does not parse is reported in `problems` (one line each) and skipped.
std::vector<PluginConfig> discover_plugins(const PluginPath& search_path,
                                           std::vector<std::string>* problems = nullptr);

// `dir_or_code` is a folder holding config.yaml (or a config.yaml file), or the code of a plugin
// in the search path. Throws RuntimeError: config.* (exit 2) for a bad config.yaml,
// plugin.not_found (exit 3) when no such folder or code exists.
PluginConfig resolve_plugin(const std::string& dir_or_code, const PluginPath& search_path);

// The library file an action's entrypoint names: `<library>.so:<Alias>` -> <dir>/<library>;
// `<Alias>` -> the single *.so in the folder. When the folder holds no built library (a source
// folder such as plugins/hello), the built copy of the same code@version is used: the one in
// <dir>/build/plugin/ (a project made by `synapse plugin new`, built in place), else the first in
// the search path. Throws RuntimeError (exit 3): loader.python_entrypoint, loader.not_found,
// loader.ambiguous_library.
std::filesystem::path library_for(const PluginConfig& plugin, const ActionConfig& action,
                                  const PluginPath& search_path);

}  // namespace synapse::runtime
