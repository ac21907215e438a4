// PluginConfig: a plugin's config.yaml, read and checked (spec/plugin-config.md §2 and §4).
//
// Every key the Python SDK knows is accepted (a Python plugin's config.yaml must parse); keys
// nobody knows are rejected with the list of allowed ones. All problems of a file are
// collected and reported together; each names file:line:column and the key path, e.g.
//   config.yaml:12:5: actions.upload.method: 'jobs' is not one of job, task, restapi, serve
// The position is the key's for a bad value, an unknown or a duplicate key, the list item's
// for a bad item, and the enclosing mapping's for a missing key.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace synapse::runtime {

// One declared progress category and its proportion (percent; all of an action sum to 100).
struct ProgressCategory {
  std::string name;
  int proportion = 0;
};

struct ActionConfig {
  std::string name;
  // `entrypoint` as written; empty when absent (allowed only for method restapi).
  std::string entrypoint;
  // Parsed entrypoint: `<library>.so:<Alias>` -> library + alias; `<Alias>` -> alias only.
  std::string library;
  std::string alias;
  // A Python entrypoint (`pkg.module.Attr` or `pkg.module:Attr`): accepted so that a Python
  // plugin's config.yaml reads, with library and alias empty; the loader refuses to run it.
  bool python_entrypoint = false;
  std::string method = "job";  // job | task | restapi | serve
  std::string description;
  nlohmann::json params_schema;  // JSON Schema for the whole params object; null when absent
  nlohmann::json ui_schema;  // FormKit nodes checked against params.extra_params; null when absent
  std::vector<ProgressCategory> progress_categories;  // declaration order
  nlohmann::json metrics_categories;                  // object or null
  nlohmann::json raw;                                 // the whole action mapping
};

struct PluginConfig {
  std::filesystem::path file;  // path of config.yaml as given
  std::filesystem::path dir;   // the plugin folder
  std::string name;
  std::string code;
  std::string version;
  std::string category;
  std::string description;
  std::vector<ActionConfig> actions;  // file order
  nlohmann::json raw;                 // the whole file as JSON

  const ActionConfig* find_action(std::string_view action_name) const;
  std::vector<std::string> action_names() const;
};

// Reads `<dir>/config.yaml` (or the file itself when `path` names a file).
// Throws RuntimeError: "config.not_found" (exit 2) when the file is missing,
// "config.invalid" (exit 2) with one detail line per problem otherwise.
PluginConfig read_plugin_config(const std::filesystem::path& path);

// Same, from text (tests); `display_name` is used in messages in place of a path.
PluginConfig parse_plugin_config(std::string_view yaml_text, const std::string& display_name,
                                 const std::filesystem::path& dir = {});

// The values the config reader accepts, for messages and `plugin info`.
const std::vector<std::string>& plugin_categories();
const std::vector<std::string>& run_methods();
const std::vector<std::string>& data_types();
const std::vector<std::string>& package_managers();

// The config.yaml that read_plugin_config(path) reads: `path/config.yaml` when `path` is a
// folder (or does not exist and does not end in .yaml/.yml), else `path` itself.
std::filesystem::path plugin_config_file(const std::filesystem::path& path);

}  // namespace synapse::runtime
