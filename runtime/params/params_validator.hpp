// Params validation for an action: JSON Schema (`params_schema`, checked with valijson) for the
// whole params object, FormKit rules (`ui_schema`) for params.extra_params. Defaults from both
// are applied to the params that the action then receives (the Python SDK validated and threw
// the result away). Every error is reported, each with its JSON pointer path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synapse::runtime {

struct ActionConfig;

struct ParamError {
  std::string path;            // JSON pointer, "" for the root, e.g. "/extra_params/frame_rate"
  std::string message;         // e.g. "is required", "must be a number, got string"
  std::string render() const;  // "<path or />: <message>"
};

struct ParamsCheck {
  nlohmann::json params;  // input with defaults applied
  std::vector<ParamError> errors;
  bool ok() const { return errors.empty(); }
};

// Applies `default`s of a JSON Schema (object properties, recursively) where a value is absent.
void apply_schema_defaults(const nlohmann::json& schema, nlohmann::json& value);

// Validates `value` against a JSON Schema (draft 4/6/7 subset that valijson supports).
// A schema that itself is invalid yields one error at path "" naming the problem.
std::vector<ParamError> validate_json_schema(const nlohmann::json& schema,
                                             const nlohmann::json& value);

// The same with the schema compiled once, for checking many values (e.g. the meta of every
// unit of an upload: compiling per value cost more than the check). Copies share the compiled
// schema; validate() is const and may run on several threads.
class CompiledJsonSchema {
 public:
  explicit CompiledJsonSchema(const nlohmann::json& schema);
  std::vector<ParamError> validate(const nlohmann::json& value) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// FormKit ui_schema (a list of nodes): applies `value` defaults into `extra_params` and checks
// required, number, text, checkbox, select/radio options, group nesting. `base_path` prefixes
// the reported paths ("/extra_params").
std::vector<ParamError> apply_and_validate_ui_schema(const nlohmann::json& ui_schema,
                                                     nlohmann::json& extra_params,
                                                     const std::string& base_path);

// Both of the above for one action: params_schema on the whole params, ui_schema on
// params.extra_params (created as {} when the action has a ui_schema).
ParamsCheck validate_action_params(const ActionConfig& action, nlohmann::json params);

}  // namespace synapse::runtime
