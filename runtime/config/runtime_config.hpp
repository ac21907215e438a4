// RuntimeConfig: where the host looks for plugins, where it keeps its data, how loud it is.
//
// Precedence, lowest to highest: built-in defaults < runtime.yaml < environment
// ($SYNAPSE_HOME, $SYNAPSE_PLUGIN_PATH, $SYNAPSE_LOG_LEVEL) < command-line flags.
// runtime.yaml is the first that exists of: --config FILE, $SYNAPSE_CONFIG,
// ${XDG_CONFIG_HOME:-~/.config}/synapse/runtime.yaml, <exe dir>/runtime.yaml,
// <exe dir>/../etc/synapse/runtime.yaml, <install sysconfdir>/synapse/runtime.yaml (compiled in;
// /etc/synapse with prefix /usr). The last three only when exe_dir is given. Relative paths
// inside it are relative to its folder.
//
// Details:
// - --config and $SYNAPSE_CONFIG name a file explicitly: if it is missing that is an error
//   ("runtime_config.not_found"), never a silent fall-back to the next candidate.
// - $SYNAPSE_PLUGIN_PATH and --plugin-path are ':'-separated (empty entries skipped) and
//   REPLACE the plugin_path of runtime.yaml (and the env value, for the flag); they do not
//   append. In runtime.yaml, plugin_path is a list of folders or a single folder (not split).
// - data_home: --home > $SYNAPSE_HOME > runtime.yaml `data_home` (empty = default) >
//   $XDG_DATA_HOME/synapse > $HOME/.local/share/synapse.
// - An empty environment variable counts as unset. A leading `~` means $HOME. Every returned
//   path is absolute and normalised; env and flag paths are relative to the current folder.
// - A bad $SYNAPSE_LOG_LEVEL or --log-level throws "runtime_config.invalid" naming it.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace synapse::runtime {

struct RuntimeConfig {
  std::vector<std::filesystem::path> plugin_path;
  std::filesystem::path data_home;
  std::string log_level = "info";  // trace debug info warn error off
  std::filesystem::path source;    // runtime.yaml that was read; empty if none
};

struct RuntimeConfigOverrides {
  std::optional<std::filesystem::path> config_file;  // --config
  std::optional<std::filesystem::path> home;         // --home
  std::optional<std::string> plugin_path;            // --plugin-path (':'-separated)
  std::optional<std::string> log_level;              // --log-level
};

// Returns the value of an environment variable or nullopt (injectable for tests).
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_environment();

// The accepted log levels, quietest last: trace debug info warn error off.
const std::vector<std::string>& log_levels();

// Throws RuntimeError "runtime_config.invalid" (exit 2) naming file:line:column and key for a
// bad runtime.yaml, and "runtime_config.not_found" when --config names a missing file.
RuntimeConfig load_runtime_config(const RuntimeConfigOverrides& overrides, const EnvLookup& env,
                                  const std::filesystem::path& exe_dir);

}  // namespace synapse::runtime
