// YAML -> nlohmann::json with YAML 1.2 core-schema typing. Internal header; reuse it wherever
// a YAML value becomes JSON (ui_schema, params_schema, raw config, ...).
//
// Plain scalars are typed: null/Null/NULL/~/empty -> null; true/True/TRUE/false/... -> bool;
// 12, -3, 0x1F, 0o17 -> integer (int64; larger values become double); 1.5, 1e3, .inf, .nan ->
// double; anything else -> string. Quoted scalars (yaml-cpp tag "!") stay strings, so "10"
// is the string "10" while 10 is the integer 10. Standard tags (!!str, !!int, !!float,
// !!bool, !!null) force the type when the text allows it. Mapping keys become strings; for
// duplicate keys the last one wins.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

namespace synapse::runtime::impl {

nlohmann::json yaml_to_json(const YAML::Node& node);

// The typed value of one plain (untagged, unquoted) scalar's text.
nlohmann::json plain_scalar_to_json(const std::string& text);

}  // namespace synapse::runtime::impl
