// The export action's params (spec/export.md §2) as one typed struct with the defaults
// applied. Two checks, each listing every problem with its JSON pointer path (as the upload
// params do), so a user fixes a bad params file in one go:
//   1. parse_export_params: types, required fields, the target's name, extra_params against the
//      action's ui_schema (FormKit: required keys, value types, select/radio options);
//   2. check_against_catalog: the storage exists, and the target handler's filter rules
//      (required keys, records that must exist).
// The Python SDK validated and then threw the result away (runtime.md §2.3): a caller that left
// out save_original_file got no originals although the model's default is true. Here the struct
// is the single source of the values, so the default really is true.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "export/target_handler.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime::exports {

struct ExportParams {
  std::string name;  // the export folder's name: non-blank, no '/'
  std::optional<std::string> description;
  CatalogId storage = 0;  // the output storage; 0 only when parsing reported an error for it
  std::string path;       // folder inside the storage where the export folder is made ("" = root)
  std::string target;     // a name of the target registry (assignment, ground_truth, task)
  nlohmann::json filter = nlohmann::json::object();  // checked by the target's handler
  bool save_original_file = true;
  nlohmann::json extra_params = nlohmann::json::object();  // ui_schema defaults applied

  // The params as the exporter sees them (ExportContext::params()).
  nlohmann::json to_json() const;
};

struct ExportParamsCheck {
  ExportParams params;  // defaults applied; fields with an error keep their default
  std::vector<ParamError> errors;
  bool ok() const { return errors.empty(); }
};

// `ui_schema` is the action's FormKit schema from config.yaml (null: extra_params is free-form).
ExportParamsCheck parse_export_params(const nlohmann::json& params, const nlohmann::json& ui_schema,
                                      const TargetRegistry& targets = builtin_targets());

// The storage exists; the filter passes the target handler's validate_filter. A target that
// parsing rejected is skipped (already reported). CatalogErrors other than not_found propagate:
// they are catalog problems, not params problems.
std::vector<ParamError> check_against_catalog(const ExportParams& params, Catalog& catalog,
                                              const TargetRegistry& targets = builtin_targets());

}  // namespace synapse::runtime::exports
