// Internal helpers shared by the params sources (not part of the params API): value naming for
// messages, JSON pointer building, and the JSON Schema walks that valijson does not offer
// (locating the subschema for an instance path, `$ref` cycle detection, `format` rewriting).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "params/params_validator.hpp"

namespace synapse::runtime::params_detail {

// "null", "boolean", "integer", "number" (non-integral), "string", "array", "object".
std::string type_name(const nlohmann::json& value);

// A value as messages show it: strings as 'text', everything else as 'dump' (long dumps cut).
std::string quoted(const nlohmann::json& value);

// `'a', 'b', 'c'`.
std::string quoted_list(const std::vector<nlohmann::json>& values);

// One JSON pointer reference token ("a/b" -> "a~1b", "~" -> "~0"), with the leading "/".
std::string pointer_token(std::string_view key);

// Sorted by path then message, exact duplicates removed.
void sort_and_dedupe(std::vector<ParamError>& errors);

// One step of an instance path: an object member or an array element.
struct PathStep {
  std::string key;  // member name, or the decimal index for arrays
  bool is_index = false;
  std::size_t index = 0;
};

// Follows a local `$ref` ("#", "#/definitions/x", "<root $id>#/...") from `node`, repeatedly.
// Returns `node` itself when it has no `$ref`, nullptr when a reference cannot be resolved here.
const nlohmann::json* resolve_ref(const nlohmann::json& root, const nlohmann::json& node);

// The subschema that applies to the instance at `steps` when it can be found by plain
// `properties` / `additionalProperties` / `items` navigation; nullptr otherwise (the caller then
// falls back to valijson's generic wording).
const nlohmann::json* schema_at(const nlohmann::json& root, const std::vector<PathStep>& steps);

// Problems valijson does not report well, or nullopt: a `pattern` std::regex cannot compile
// (valijson compiles them only when a value reaches them), a `multipleOf` <= 0 (valijson divides
// by it unchecked), and a `$ref` / allOf / anyOf / oneOf /
// not / if cycle that never moves to a child value (valijson recurses on it until the stack
// overflows).
std::optional<std::string> find_schema_problem(const nlohmann::json& schema);

// `node[key]` when node is an object that has it, else nullptr.
const nlohmann::json* schema_keyword(const nlohmann::json* node, const char* key);

// One valijson error description about the value `value` itself (not an aggregate, not
// required/additionalProperties), in synapse's words. `subschema` is the schema found at the
// value's path (nullptr when unknown).
std::string describe_schema_error(const std::string& description, const nlohmann::json* value,
                                  const nlohmann::json* subschema);

// Rewrites a schema so valijson applies `format` to strings only (see json_schema_walk.cpp).
void restrict_formats_to_strings(nlohmann::json& schema, bool draft7);

}  // namespace synapse::runtime::params_detail
