#include "packaging/plugin_library_checks.hpp"

#include <algorithm>

#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "loader/plugin_metadata.hpp"
#include "loader/undefined_symbols.hpp"

namespace synapse::runtime::packaging {

std::vector<CheckedLibrary> check_plugin_libraries(const PluginConfig& plugin,
                                                   const PluginPath& search_path) {
  std::vector<CheckedLibrary> libraries;
  for (const auto& action : plugin.actions) {
    if (action.entrypoint.empty())
      continue;  // restapi / serve without a library
    const auto library = library_for(plugin, action, search_path);
    const auto meta = read_plugin_metadata(library);
    check_compatible(meta);
    check_category(meta, plugin.category, plugin.file);
    check_exports(meta, action.alias);
    auto known = std::find_if(libraries.begin(), libraries.end(),
                              [&](const CheckedLibrary& l) { return l.file == library; });
    if (known != libraries.end()) {
      known->actions.push_back(action.name);
      continue;  // its symbols were checked with the first action that named it
    }
    // nullopt: no `ldd` on this machine; `plugin validate` skips the check the same way.
    if (const auto undefined = find_undefined_symbols(library); undefined && !undefined->empty()) {
      throw RuntimeError(ExitCode::load_failed, "loader.undefined_symbol",
                         library.string() + ": undefined symbol" +
                             (undefined->size() == 1 ? "" : "s") + ": " + join(*undefined));
    }
    libraries.push_back({library, {action.name}});
  }
  return libraries;
}

}  // namespace synapse::runtime::packaging
