// Plugin project templates (templates/<name>/ in the sources, share/synapse/templates/<name>/
// installed): finding them and rendering one into a new folder, for `synapse plugin new`.
//
// A template is a folder of text files. `{{variable}}` in a file (or in a path) is replaced by the
// variable's value, `{{variable|yaml}}` by the value as a YAML double-quoted string. Any other
// `{{` (an unknown variable or filter, a `{{` that starts no placeholder) is a template error
// naming the file and line: a template that renders must leave no `{{` behind.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synapse::runtime {

using TemplateVariables = std::map<std::string, std::string>;

// `text` with its placeholders replaced. `where` names the text in errors ("config.yaml").
// Throws RuntimeError "plugin_new.template_error" (exit 3).
std::string render_template_text(std::string_view text, const TemplateVariables& variables,
                                 const std::string& where);

struct TemplatesLocation {
  std::filesystem::path dir;  // the folder holding upload/, export/, generic/
  bool installed = false;     // found as <exe dir>/../share/synapse/templates
};

// The first of: $SYNAPSE_TEMPLATES_DIR (when set, it must hold the template: no fall-back),
// <exe_dir>/templates (the build tree), <exe_dir>/../share/synapse/templates (installed) that
// holds `<template_name>/config.yaml`. Throws RuntimeError "plugin_new.templates_not_found"
// (exit 3) listing every folder it looked in.
TemplatesLocation find_templates(const std::optional<std::string>& env_dir,
                                 const std::filesystem::path& exe_dir,
                                 std::string_view template_name);

// Renders every file below `template_dir` into `destination`, all or nothing: the files are
// rendered into a temporary folder beside the destination first, so a template error or a failed
// write leaves nothing behind. Then the folder is renamed into place when `destination` does not
// exist or is empty; with `overwrite` (--force) into an existing non-empty folder, each rendered
// file replaces the file of the same name and the folder's other files are left alone (as
// cookiecutter --overwrite-if-exists), all or nothing too (file_replacement.hpp: a failure half
// way puts the replaced files back). Returns the rendered files, relative, sorted.
// Throws RuntimeError: "plugin_new.destination_exists" (exit 2) for a non-empty folder without
// `overwrite`, a destination that is not a folder, or one with a folder where the template has a
// file (or the reverse); "plugin_new.template_error" (exit 3); "plugin_new.write_failed"
// (exit 1) naming the path.
std::vector<std::string> render_template_tree(const std::filesystem::path& template_dir,
                                              const std::filesystem::path& destination,
                                              const TemplateVariables& variables, bool overwrite);

}  // namespace synapse::runtime
