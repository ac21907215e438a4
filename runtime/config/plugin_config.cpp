// Reading and checking a plugin's config.yaml. The per-key checks live in plugin_config_checks;
// this file holds the entry points and the small public accessors.
#include "config/plugin_config.hpp"

#include <algorithm>
#include <system_error>

#include "common/runtime_error.hpp"
#include "config/config_diagnostics.hpp"
#include "config/plugin_config_checks.hpp"
#include "config/yaml_to_json.hpp"

namespace synapse::runtime {

namespace fs = std::filesystem;

const ActionConfig* PluginConfig::find_action(std::string_view action_name) const {
  auto it = std::find_if(actions.begin(), actions.end(),
                         [&](const ActionConfig& a) { return a.name == action_name; });
  return it == actions.end() ? nullptr : &*it;
}

std::vector<std::string> PluginConfig::action_names() const {
  std::vector<std::string> names;
  names.reserve(actions.size());
  for (const auto& action : actions)
    names.push_back(action.name);
  return names;
}

const std::vector<std::string>& plugin_categories() {
  // The 7 categories of synapse-sdk 2025.9.3, then `custom` from the later SDK (spec §3.1).
  static const std::vector<std::string> values = {
      "neural_net",      "export",         "upload",          "smart_tool",
      "post_annotation", "pre_annotation", "data_validation", "custom"};
  return values;
}

const std::vector<std::string>& run_methods() {
  // `serve` comes from the later SDK (spec §2 [later]).
  static const std::vector<std::string> values = {"job", "task", "restapi", "serve"};
  return values;
}

const std::vector<std::string>& data_types() {
  static const std::vector<std::string> values = {"image", "text", "video", "pcd", "audio"};
  return values;
}

const std::vector<std::string>& package_managers() {
  static const std::vector<std::string> values = {"pip", "uv"};
  return values;
}

PluginConfig parse_plugin_config(std::string_view yaml_text, const std::string& display_name,
                                 const fs::path& dir) {
  impl::Diagnostics diag(display_name, "config.invalid", "plugin config");
  const YAML::Node root = diag.load(yaml_text);
  PluginConfig config = impl::check_plugin_config(root, diag);
  diag.raise_if_any();
  config.file = display_name;
  config.dir = dir;
  config.raw = impl::yaml_to_json(root);
  return config;
}

fs::path plugin_config_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return path / "config.yaml";
  // A path that does not exist is taken as a plugin folder unless it looks like a YAML file,
  // so the "not found" message names the file the caller meant.
  if (!fs::exists(path, ec) && path.extension() != ".yaml" && path.extension() != ".yml") {
    return path / "config.yaml";
  }
  return path;
}

PluginConfig read_plugin_config(const fs::path& path) {
  const fs::path file = plugin_config_file(path);
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw RuntimeError(ExitCode::usage, "config.not_found",
                       "plugin config not found: " + file.string());
  }
  const auto text = impl::read_text_file(file);
  if (!text) {
    throw RuntimeError(ExitCode::usage, "config.not_found",
                       "plugin config not readable: " + file.string());
  }
  fs::path dir = file.parent_path();
  if (dir.empty())
    dir = ".";
  return parse_plugin_config(*text, file.string(), dir);
}

}  // namespace synapse::runtime
