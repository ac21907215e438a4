// `synapse plugin new`: from the command's options to the template to render and its variables.
// The options are checked here, before anything is written, against the rules the config reader
// applies to the rendered config.yaml (spec/plugin-config.md §2), so a new plugin always reads.
#pragma once

#include <optional>
#include <string>

#include "admin/plugin_template.hpp"

namespace synapse::runtime {

struct PluginNewRequest {
  std::string code;
  std::string category;
  std::optional<std::string> name;  // default: the code title-cased ("my-upload" -> "My Upload")
  std::optional<std::string> description;  // default: "A synapse <category> plugin."
  std::optional<std::string> author;       // default: `default_author`
  std::optional<std::string> version;      // default: 0.1.0
  std::string default_author = "unknown";
};

struct PluginNewPlan {
  // upload -> "upload", export -> "export", every other category -> "generic".
  std::string template_name;
  // The action config.yaml declares: upload, export, or the category's main action (Python's
  // built-in action names: neural_net -> train, smart_tool -> auto_label, data_validation ->
  // validation, pre_annotation / post_annotation -> themselves, custom -> run).
  std::string action;
  // name, code, version, version_core (X.Y.Z, for CMake's project()), category, description,
  // author, identifier (see plugin_identifier), action.
  TemplateVariables variables;
};

// Checks `request` and fills in the defaults. Throws RuntimeError (exit 2):
// "plugin_new.invalid_code" (the spec's pattern ^[a-z0-9_-]+$, at most 50 characters),
// "plugin_new.unknown_category" (listing the valid ones), "plugin_new.invalid_version",
// "plugin_new.invalid_text" (an empty name, or a control character such as a line break in the
// name, description or author).
PluginNewPlan plan_plugin_new(const PluginNewRequest& request);

// The code as a C and CMake identifier, for target and library names: '-' becomes '_', and a
// code that starts with a digit or is a name CMake reserves ("test", "all", ...) gets the prefix
// "plugin_" ("3d-scan" -> "plugin_3d_scan").
std::string plugin_identifier(const std::string& code);

// Example params for the plan's action, as the JSON a `synapse run` line takes.
std::string example_params(const PluginNewPlan& plan);

}  // namespace synapse::runtime
