#include "loader/plugin_locator.hpp"

#include <algorithm>

#include "common/runtime_error.hpp"
#include "common/text.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime {

namespace {

bool has_config(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "config.yaml", ec);
}

// Plugin folders directly named by, or directly inside, one search-path entry.
std::vector<fs::path> plugin_dirs_in(const fs::path& entry) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  if (has_config(entry)) {
    dirs.push_back(entry);
    return dirs;
  }
  for (fs::directory_iterator it(entry, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && has_config(it->path()))
      dirs.push_back(it->path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

std::vector<fs::path> libraries_in(const fs::path& dir) {
  std::vector<fs::path> libs;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".so")
      libs.push_back(it->path());
  }
  std::sort(libs.begin(), libs.end());
  return libs;
}

// The library of `action` inside `dir`, or an empty path when the folder has none built.
fs::path library_in_dir(const fs::path& dir, const ActionConfig& action) {
  if (!action.library.empty()) {
    std::error_code ec;
    const auto file = dir / action.library;
    return fs::exists(file, ec) ? file : fs::path{};
  }
  const auto libs = libraries_in(dir);
  if (libs.size() > 1) {
    std::vector<std::string> names;
    for (const auto& l : libs)
      names.push_back(l.filename().string());
    throw RuntimeError(ExitCode::load_failed, "loader.ambiguous_library",
                       "action '" + action.name + "': entrypoint '" + action.entrypoint +
                           "' names no library and " + dir.string() + " holds several (" +
                           join(names) + "); write it as '<library>.so:" + action.alias + "'");
  }
  return libs.empty() ? fs::path{} : libs.front();
}

}  // namespace

std::vector<PluginConfig> discover_plugins(const PluginPath& search_path,
                                           std::vector<std::string>* problems) {
  std::vector<PluginConfig> plugins;
  for (const auto& entry : search_path) {
    for (const auto& dir : plugin_dirs_in(entry)) {
      try {
        plugins.push_back(read_plugin_config(dir));
      } catch (const RuntimeError& e) {
        if (problems)
          problems->push_back(e.render());
      }
    }
  }
  return plugins;
}

PluginConfig resolve_plugin(const std::string& dir_or_code, const PluginPath& search_path) {
  std::error_code ec;
  const fs::path as_path(dir_or_code);
  if (fs::is_directory(as_path, ec) || fs::is_regular_file(as_path, ec)) {
    return read_plugin_config(as_path);
  }
  for (const auto& entry : search_path) {
    for (const auto& dir : plugin_dirs_in(entry)) {
      try {
        auto config = read_plugin_config(dir);
        if (config.code == dir_or_code)
          return config;
      } catch (const RuntimeError&) {
        // A broken neighbour must not hide the plugin asked for; `plugin list` reports it.
      }
    }
  }
  std::vector<std::string> entries(search_path.begin(), search_path.end());
  const auto searched = join(entries, ":");
  throw RuntimeError(ExitCode::load_failed, "plugin.not_found",
                     "no plugin folder or plugin code '" + dir_or_code +
                         "' (plugin path: " + (searched.empty() ? "empty" : searched) + ")");
}

fs::path library_for(const PluginConfig& plugin, const ActionConfig& action,
                     const PluginPath& search_path) {
  if (action.python_entrypoint) {
    throw RuntimeError(ExitCode::load_failed, "loader.python_entrypoint",
                       plugin.file.string() + ": actions." + action.name + ".entrypoint: '" +
                           action.entrypoint +
                           "' is a Python entrypoint; a C++ plugin names an exported alias: "
                           "'<library>.so:<Alias>' or '<Alias>'");
  }
  if (auto lib = library_in_dir(plugin.dir, action); !lib.empty())
    return lib;

  // A plugin project made by `synapse plugin new` and built in place: its build stages the
  // plugin folder in <dir>/build/plugin/. Used only when that folder is the same code@version.
  std::error_code ec;
  if (const auto staged = plugin.dir / "build" / "plugin"; has_config(staged)) {
    try {
      const auto built = read_plugin_config(staged);
      if (built.code == plugin.code && built.version == plugin.version) {
        if (auto lib = library_in_dir(staged, action); !lib.empty())
          return lib;
      }
    } catch (const RuntimeError&) {
      // A stale or broken build: fall through to the search path and its error.
    }
  }

  // A source folder (config.yaml without a built library): use the built copy of the same
  // code@version from the search path, e.g. build/plugins/hello for plugins/hello.
  for (const auto& entry : search_path) {
    for (const auto& dir : plugin_dirs_in(entry)) {
      if (fs::equivalent(dir, plugin.dir, ec))
        continue;
      try {
        const auto other = read_plugin_config(dir);
        if (other.code != plugin.code || other.version != plugin.version)
          continue;
        if (auto lib = library_in_dir(dir, action); !lib.empty())
          return lib;
      } catch (const RuntimeError&) {
      }
    }
  }
  const std::string wanted = action.library.empty() ? "a *.so library" : action.library;
  throw RuntimeError(ExitCode::load_failed, "loader.not_found",
                     "plugin library not found: " + (plugin.dir / wanted).string() +
                         " (and no built copy of " + plugin.code + "@" + plugin.version + " in " +
                         (plugin.dir / "build" / "plugin").string() +
                         " or the plugin path); build the plugin first");
}

}  // namespace synapse::runtime
