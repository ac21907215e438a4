// `synapse plugin list | info <dir|code> | validate <dir|code>`. None of them runs plugin code:
// libraries are inspected with boost::dll::library_info and the dynamic linker's trace mode.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "loader/plugin_locator.hpp"
#include "loader/plugin_metadata.hpp"
#include "loader/undefined_symbols.hpp"

namespace synapse::runtime::cli {

namespace {

nlohmann::json metadata_json(const PluginMetadata& m) {
  return {{"library", m.library.string()},
          {"abi", m.abi.value_or(-1)},
          {"sdk_version", m.sdk_version},
          {"compiler", m.compiler},
          {"stdlib", m.stdlib},
          {"json_version", m.json_version},
          {"category", m.category},
          {"actions", m.actions}};
}

// Checks one action's library as `run` would, short of loading it. Returns the metadata JSON;
// throws RuntimeError for the first problem.
nlohmann::json check_action_library(const PluginConfig& plugin, const ActionConfig& action,
                                    const PluginPath& search_path, bool check_symbols) {
  const auto library = library_for(plugin, action, search_path);
  const auto meta = read_plugin_metadata(library);
  check_compatible(meta);
  check_category(meta, plugin.category, plugin.file);
  check_exports(meta, action.alias);
  if (check_symbols) {
    if (const auto undefined = find_undefined_symbols(library); undefined && !undefined->empty()) {
      throw RuntimeError(ExitCode::load_failed, "loader.undefined_symbol",
                         library.string() + ": undefined symbol" +
                             (undefined->size() == 1 ? "" : "s") + ": " + join(*undefined));
    }
  }
  return metadata_json(meta);
}

int list_plugins(CliContext& context, bool as_json) {
  std::vector<std::string> problems;
  const auto plugins = discover_plugins(context.config().plugin_path, &problems);
  for (const auto& p : problems)
    std::cerr << "synapse: warning: skipped plugin: " << p << "\n";
  if (as_json) {
    auto out = nlohmann::json::array();
    for (const auto& p : plugins) {
      out.push_back({{"code", p.code},
                     {"name", p.name},
                     {"version", p.version},
                     {"category", p.category},
                     {"actions", p.action_names()},
                     {"dir", p.dir.string()}});
    }
    print_json(out);
    return 0;
  }
  std::printf("%-20s %-10s %-16s %-24s %s\n", "CODE", "VERSION", "CATEGORY", "ACTIONS", "DIR");
  for (const auto& p : plugins) {
    std::printf("%-20s %-10s %-16s %-24s %s\n", p.code.c_str(), p.version.c_str(),
                p.category.c_str(), join(p.action_names(), ",").c_str(), p.dir.c_str());
  }
  if (plugins.empty())
    std::cerr << "no plugins in the plugin path\n";
  return 0;
}

int plugin_info(CliContext& context, const std::string& target) {
  const auto& search_path = context.config().plugin_path;
  const auto plugin = resolve_plugin(target, search_path);
  nlohmann::json out = {{"name", plugin.name},
                        {"code", plugin.code},
                        {"version", plugin.version},
                        {"category", plugin.category},
                        {"description", plugin.description},
                        {"dir", plugin.dir.string()},
                        {"actions", nlohmann::json::object()}};
  for (const auto& action : plugin.actions) {
    nlohmann::json a = {{"entrypoint", action.entrypoint},
                        {"method", action.method},
                        {"description", action.description},
                        {"has_params_schema", !action.params_schema.is_null()},
                        {"has_ui_schema", !action.ui_schema.is_null()}};
    try {
      a["library"] = check_action_library(plugin, action, search_path, false);
    } catch (const RuntimeError& e) {
      a["library_error"] = e.render();
    }
    out["actions"][action.name] = a;
  }
  print_json(out);
  return 0;
}

int validate_plugin(CliContext& context, const std::string& target) {
  const auto& search_path = context.config().plugin_path;
  const auto plugin = resolve_plugin(target, search_path);  // config errors: exit 2
  std::cout << "config " << plugin.file.string() << ": ok (" << plugin.code << "@" << plugin.version
            << ", " << plugin.category << ")\n";
  int exit_code = 0;
  for (const auto& action : plugin.actions) {
    if (action.entrypoint.empty()) {
      std::cout << "action " << action.name << ": method " << action.method
                << ", no library to check\n";
      continue;
    }
    try {
      const auto meta = check_action_library(plugin, action, search_path, true);
      std::cout << "action " << action.name << ": ok (" << meta["library"].get<std::string>()
                << ", alias " << action.alias << ", ABI " << meta["abi"].get<int>() << ", "
                << meta["compiler"].get<std::string>() << ")\n";
    } catch (const RuntimeError& e) {
      std::cout << "action " << action.name << ": FAILED\n";
      std::cerr << "synapse: " << e.render() << "\n";
      exit_code = std::max(exit_code, to_int(e.exit_code()));
    }
  }
  std::cout << (exit_code == 0 ? "valid" : "invalid") << "\n";
  return exit_code;
}

}  // namespace

void add_plugin_commands(CLI::App& app, CliContext& context, int& exit_code) {
  auto* plugin = app.add_subcommand(
      "plugin", "Plugins: list, info, validate (no plugin code is run), new, package, install");
  plugin->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = plugin->add_subcommand("list", "Plugins in the plugin path");
  list->add_flag("--json", *list_json, "print JSON");
  list->callback([&, list_json] { exit_code = list_plugins(context, *list_json); });

  auto info_target = std::make_shared<std::string>();
  auto* info = plugin->add_subcommand("info", "A plugin's config and library metadata (JSON)");
  info->add_option("plugin", *info_target, "plugin folder or code")->required();
  info->callback([&, info_target] { exit_code = plugin_info(context, *info_target); });

  auto validate_target = std::make_shared<std::string>();
  auto* validate = plugin->add_subcommand(
      "validate", "Check config.yaml, library metadata, ABI, aliases and symbols");
  validate->add_option("plugin", *validate_target, "plugin folder or code")->required();
  validate->callback(
      [&, validate_target] { exit_code = validate_plugin(context, *validate_target); });

  add_plugin_archive_commands(*plugin, context, exit_code);
  add_plugin_new_command(*plugin, context, exit_code);
}

}  // namespace synapse::runtime::cli
