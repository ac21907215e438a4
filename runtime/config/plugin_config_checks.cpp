#include "config/plugin_config_checks.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "config/yaml_to_json.hpp"

namespace synapse::runtime::impl {
namespace {

// Spec order (§2 then the later SDK's `wheels_dir`), so the "allowed keys" list reads like the
// spec's table.
// clang-format off
const std::vector<std::string> kTopLevelKeys = {
    "name", "code", "version", "category", "description", "readme", "package_manager",
    "package_manager_options", "data_type", "tasks", "task", "supported_data_type",
    "annotation_category", "annotation_type", "smart_tool", "actions", "wheels_dir"};

// Spec §4, the later SDK's `input_type`, then our own additions.
const std::vector<std::string> kActionKeys = {
    "entrypoint", "method", "description", "ui_schema", "options", "supported_data_type",
    "excel_config", "dataset", "hyperparameters", "metrics", "visualizations", "endpoints",
    "model", "directory", "input_type", "params_schema", "progress_categories",
    "metrics_categories"};
// clang-format on

const std::vector<std::string> kRequiredTopLevel = {"name", "code", "version", "category",
                                                    "actions"};

bool matches(const std::string& text, const char* pattern) {
  return std::regex_match(text, std::regex(pattern));
}

// A value and where to point at it.
struct Value {
  YAML::Node node;
  YAML::Mark mark;
};

Value value_of(const MapEntry& e) {
  return {e.value, value_mark(e.key, e.value)};
}

bool is_string(const YAML::Node& node) {
  return node.IsScalar() && yaml_to_json(node).is_string();
}

class Checker {
 public:
  explicit Checker(Diagnostics& diag) : diag_(diag) {}

  PluginConfig plugin(const YAML::Node& root) {
    PluginConfig config;
    if (!root.IsMap()) {
      diag_.add(root.Mark(), "",
                root.IsNull() ? "the file is empty; expected a mapping of plugin settings"
                              : "expected a mapping of plugin settings, got " + describe(root));
      return config;
    }
    std::set<std::string> seen;
    for (const MapEntry& e : map_entries(root, "", kTopLevelKeys, diag_)) {
      seen.insert(e.name);
      top_level(e, config);
    }
    for (const auto& key : kRequiredTopLevel) {
      if (!seen.count(key))
        diag_.add(root.Mark(), key, "required key is missing");
    }
    return config;
  }

 private:
  Diagnostics& diag_;

  void error(const Value& v, const std::string& path, std::string message) {
    diag_.add(v.mark, path, std::move(message));
  }

  std::optional<std::string> string(const Value& v, const std::string& path,
                                    std::string_view expected = "a string") {
    if (is_string(v.node))
      return v.node.Scalar();
    error(v, path, "expected " + std::string(expected) + ", got " + describe(v.node));
    return std::nullopt;
  }

  std::optional<std::string> one_of(const Value& v, const std::string& path,
                                    const std::vector<std::string>& values) {
    if (!v.node.IsScalar()) {
      error(v, path, "expected one of " + join(values) + ", got " + describe(v.node));
      return std::nullopt;
    }
    const std::string& text = v.node.Scalar();
    if (std::find(values.begin(), values.end(), text) == values.end()) {
      error(v, path, "'" + text + "' is not one of " + join(values));
      return std::nullopt;
    }
    return text;
  }

  bool mapping(const Value& v, const std::string& path, std::string_view what = "a mapping") {
    if (v.node.IsMap())
      return true;
    error(v, path, "expected " + std::string(what) + ", got " + describe(v.node));
    return false;
  }

  // A list of strings, each optionally matching `pattern` (explained by `hint`).
  void string_list(const Value& v, const std::string& path, const char* pattern = nullptr,
                   std::string_view hint = {}) {
    if (!v.node.IsSequence()) {
      error(v, path, "expected a list of strings, got " + describe(v.node));
      return;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v.node.size(); ++i) {
      const YAML::Node item = v.node[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      auto text = string({item, item.Mark()}, item_path);
      if (!text)
        continue;
      if (pattern && !matches(*text, pattern)) {
        error({item, item.Mark()}, item_path, "'" + *text + "' " + std::string(hint));
      } else if (pattern && !seen.insert(*text).second) {
        error({item, item.Mark()}, item_path, "'" + *text + "' is listed twice");
      }
    }
  }

  // `supported_data_type`: a data type, or a list of them (the two JSON Schemas disagree).
  void data_type_or_list(const Value& v, const std::string& path) {
    if (!v.node.IsSequence()) {
      one_of(v, path, data_types());
      return;
    }
    for (std::size_t i = 0; i < v.node.size(); ++i) {
      const YAML::Node item = v.node[i];
      one_of({item, item.Mark()}, path + "[" + std::to_string(i) + "]", data_types());
    }
  }

  void top_level(const MapEntry& e, PluginConfig& config) {
    const Value v = value_of(e);
    const std::string& key = e.name;
    if (key == "name") {
      if (auto s = string(v, key)) {
        if (s->empty())
          error(v, key, "must not be empty");
        config.name = *s;
      }
    } else if (key == "code") {
      if (auto s = string(v, key)) {
        if (!matches(*s, "^[a-z0-9_-]+$")) {
          error(v, key,
                "'" + *s + "' must match ^[a-z0-9_-]+$ (lowercase letters, digits, _ and -)");
        }
        config.code = *s;
      }
    } else if (key == "version") {
      if (auto s = string(v, key, "a string like 1.2.3")) {
        if (!matches(*s,
                     "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?"
                     "(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$")) {
          error(v, key,
                "'" + *s +
                    "' is not a version like 1.2.3 (X.Y.Z, optionally "
                    "-prerelease and +build)");
        }
        config.version = *s;
      }
    } else if (key == "category") {
      if (auto s = one_of(v, key, plugin_categories()))
        config.category = *s;
    } else if (key == "description") {
      if (auto s = string(v, key))
        config.description = *s;
    } else if (key == "package_manager") {
      one_of(v, key, package_managers());
    } else if (key == "package_manager_options") {
      string_list(v, key);
    } else if (key == "data_type") {
      one_of(v, key, data_types());
    } else if (key == "tasks") {
      string_list(v, key, "^[a-z]+\\.[a-z_]+$",
                  "must look like <data_type>.<task>, e.g. image.object_detection");
    } else if (key == "supported_data_type") {
      data_type_or_list(v, key);
    } else if (key == "actions") {
      actions(v, config);
    } else {
      // readme, task, annotation_category, annotation_type, smart_tool, wheels_dir: free text
      // (the two JSON Schemas disagree on the smart-tool enums, so no enum is enforced).
      string(v, key);
    }
  }

  void actions(const Value& v, PluginConfig& config) {
    if (!mapping(v, "actions", "a mapping of action name to action settings"))
      return;
    if (v.node.size() == 0) {
      error(v, "actions", "at least one action is required");
      return;
    }
    for (const MapEntry& e : map_entries(v.node, "actions", {}, diag_)) {
      const std::string path = child_path("actions", e.name);
      if (!matches(e.name, "^[a-z_][a-z0-9_]*$")) {
        diag_.add(e.key.Mark(), path,
                  "action name must match ^[a-z_][a-z0-9_]*$ (lowercase letters, digits, _)");
      }
      action(e, path, config);
    }
  }

  void action(const MapEntry& entry, const std::string& path, PluginConfig& config) {
    const Value v = value_of(entry);
    if (!mapping(v, path, "a mapping of action settings"))
      return;
    ActionConfig action;
    action.name = entry.name;
    action.raw = yaml_to_json(v.node);
    bool has_entrypoint = false;
    for (const MapEntry& e : map_entries(v.node, path, kActionKeys, diag_)) {
      const Value item = value_of(e);
      const std::string key_path = child_path(path, e.name);
      const std::string& key = e.name;
      if (key == "entrypoint") {
        has_entrypoint = true;
        entrypoint(item, key_path, action);
      } else if (key == "method") {
        if (auto s = one_of(item, key_path, run_methods()))
          action.method = *s;
      } else if (key == "description") {
        if (auto s = string(item, key_path))
          action.description = *s;
      } else if (key == "ui_schema") {
        // Python templates write a list of FormKit nodes; the JSON Schemas say string or object.
        if (item.node.IsSequence() || item.node.IsMap() || is_string(item.node)) {
          action.ui_schema = yaml_to_json(item.node);
        } else {
          error(item, key_path, "expected a list of FormKit nodes, got " + describe(item.node));
        }
      } else if (key == "params_schema") {
        if (mapping(item, key_path, "a JSON Schema mapping")) {
          action.params_schema = yaml_to_json(item.node);
        }
      } else if (key == "progress_categories") {
        progress_categories(item, key_path, action);
      } else if (key == "metrics_categories") {
        if (mapping(item, key_path))
          action.metrics_categories = yaml_to_json(item.node);
      } else if (key == "supported_data_type") {
        data_type_or_list(item, key_path);
      } else if (key == "options" || key == "excel_config" || key == "hyperparameters" ||
                 key == "metrics" || key == "model") {
        mapping(item, key_path);
      } else if (key == "visualizations") {
        // plugin-config-schema: a list of entries; schema.json: a mapping.
        if (!item.node.IsSequence() && !item.node.IsMap()) {
          error(item, key_path, "expected a mapping or a list, got " + describe(item.node));
        }
      } else if (key == "endpoints") {
        endpoints(item, key_path);
      } else {
        string(item, key_path);  // dataset, directory, input_type
      }
    }
    if (!has_entrypoint && action.method != "restapi" && action.method != "serve") {
      diag_.add(v.node.Mark(), child_path(path, "entrypoint"),
                "required key is missing (only methods restapi and serve may omit it)");
    }
    config.actions.push_back(std::move(action));
  }

  void entrypoint(const Value& v, const std::string& path, ActionConfig& action) {
    auto text = string(v, path);
    if (!text)
      return;
    action.entrypoint = *text;
    const Entrypoint parsed = parse_entrypoint(*text);
    switch (parsed.kind) {
      case Entrypoint::Kind::library_alias:
      case Entrypoint::Kind::alias:
        action.library = parsed.library;
        action.alias = parsed.alias;
        break;
      case Entrypoint::Kind::python:
        action.python_entrypoint = true;
        break;
      case Entrypoint::Kind::invalid:
        error(v, path,
              "'" + *text + "' is not a valid entrypoint (" + parsed.reason +
                  "); expected '<library>.so:<Alias>' or '<Alias>'");
        break;
    }
  }

  void progress_categories(const Value& v, const std::string& path, ActionConfig& action) {
    if (!mapping(v, path, "a mapping of category name to proportion"))
      return;
    long long sum = 0;
    bool all_valid = true;
    for (const MapEntry& e : map_entries(v.node, path, {}, diag_)) {
      const Value item = value_of(e);
      const nlohmann::json value = yaml_to_json(e.value);
      if (!e.value.IsScalar() || !value.is_number_integer() || value.get<long long>() < 0 ||
          value.get<long long>() > 100) {
        error(item, child_path(path, e.name),
              "expected an integer from 0 to 100, got " + describe(e.value));
        all_valid = false;
        continue;
      }
      sum += value.get<long long>();
      action.progress_categories.push_back({e.name, value.get<int>()});
    }
    if (all_valid && sum != 100) {
      error(v, path, "proportions sum to " + std::to_string(sum) + ", they must sum to 100");
    }
  }

  void endpoints(const Value& v, const std::string& path) {
    if (!v.node.IsSequence()) {
      error(v, path, "expected a list of {method, path} mappings, got " + describe(v.node));
      return;
    }
    for (std::size_t i = 0; i < v.node.size(); ++i) {
      const YAML::Node item = v.node[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!mapping({item, item.Mark()}, item_path, "a mapping with method and path"))
        continue;
      for (const MapEntry& e : map_entries(item, item_path, {}, diag_)) {
        if (e.name == "method" || e.name == "path" || e.name == "description") {
          string(value_of(e), child_path(item_path, e.name));
        }
      }
    }
  }
};

}  // namespace

PluginConfig check_plugin_config(const YAML::Node& root, Diagnostics& diag) {
  return Checker(diag).plugin(root);
}

}  // namespace synapse::runtime::impl
