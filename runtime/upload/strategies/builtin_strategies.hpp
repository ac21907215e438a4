// The built-in upload strategies registered in every upload's StrategyRegistry, and the
// selection of one strategy per kind from the params (spec/upload.md §12, design.md §5).
//
//   kind            names                          selected by (first that applies)
//   validation      default                        params.validation_strategy
//   file_discovery  flat recursive by_extension    params.file_discovery, else is_recursive
//   metadata        excel csv none                 params.metadata_strategy, else the
//                                                  excel_metadata_path suffix (.csv -> csv)
//   upload          sync async                     params.upload_strategy, else use_async_upload
//   data_unit       single batch                   params.data_unit_strategy, else
//                                                  creating_data_unit_batch_size > 1
// A plugin's StrategyRegistry::select() overrides all of these. Unlike Python, an unknown name
// is an error listing the registered ones (Python fell back to `default` silently).
#pragma once

#include <nlohmann/json.hpp>
#include <synapse/upload/strategy_registry.hpp>
#include <synapse/upload/upload_context.hpp>

#include "upload/metadata/excel_limits.hpp"

namespace synapse::runtime::upload {

void register_builtin_strategies(synapse::upload::StrategyRegistry& registry,
                                 const ExcelLimits& excel_limits);

// The strategy name of each kind for these params: {"validation": "default", ...}.
nlohmann::json selected_strategy_names(const synapse::upload::StrategyRegistry& registry,
                                       const nlohmann::json& params);

// Creates the five strategies; throws StrategyRegistryError for an unknown name.
synapse::upload::StrategySet create_strategies(const synapse::upload::StrategyRegistry& registry,
                                               const nlohmann::json& params);

}  // namespace synapse::runtime::upload
