// The key-by-key checks of config.yaml (spec/plugin-config.md §2-§4). Internal header.
#pragma once

#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/config_diagnostics.hpp"
#include "config/plugin_config.hpp"

namespace synapse::runtime::impl {

// A C identifier: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view s);
// Identifiers joined by dots: `a`, `a.b`, `a.b.c`.
bool is_dotted_identifier(std::string_view s);

// What an `entrypoint` string names.
struct Entrypoint {
  enum class Kind { library_alias, alias, python, invalid };
  Kind kind = Kind::invalid;
  std::string library;  // `<library>.so` of `<library>.so:<Alias>`
  std::string alias;
  std::string reason;  // why it is invalid
};

// `<library>.so:<Alias>` (library: a file name ending in .so, no '/'; alias: a C identifier),
// `<Alias>`, or a Python entrypoint (`pkg.module.Attr`, or `pkg.module:Attr` of the later SDK),
// which is accepted here and refused by the loader so that Python plugins' configs still read.
Entrypoint parse_entrypoint(std::string_view text);

// Checks the whole document, reporting every problem to `diag`; fills what it can.
PluginConfig check_plugin_config(const YAML::Node& root, Diagnostics& diag);

}  // namespace synapse::runtime::impl
