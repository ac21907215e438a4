// The checks `synapse plugin validate` runs on each action's library, shared by packaging (so
// no broken plugin gets packed) and installing (so no tampered or mismatched one gets in).
// Nothing here loads a library: metadata comes from boost::dll::library_info and undefined
// symbols from the dynamic linker's trace mode.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "config/plugin_config.hpp"
#include "loader/plugin_locator.hpp"

namespace synapse::runtime::packaging {

struct CheckedLibrary {
  std::filesystem::path file;        // where it is
  std::vector<std::string> actions;  // the actions it serves
};

// The distinct libraries of `plugin`'s actions (actions without an entrypoint have none), each
// checked: ABI/compiler/json compatible, category equal to the config's, alias exported, no
// undefined symbol. Throws the loader's RuntimeError (exit 3) for the first problem.
std::vector<CheckedLibrary> check_plugin_libraries(const PluginConfig& plugin,
                                                   const PluginPath& search_path);

}  // namespace synapse::runtime::packaging
