#include "upload/strategies/builtin_strategies.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "common/text.hpp"
#include "upload/discovery/file_discovery.hpp"
#include "upload/storing/data_unit_creator.hpp"
#include "upload/storing/file_uploader.hpp"
#include "upload/strategies/default_validation.hpp"
#include "upload/strategies/metadata_strategies.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::DataUnitStrategy;
using synapse::upload::FileDiscoveryStrategy;
using synapse::upload::MetadataStrategy;
using synapse::upload::StrategyKind;
using synapse::upload::StrategyRegistry;
using synapse::upload::UploadStrategy;
using synapse::upload::ValidationStrategy;

std::int64_t int_param(const nlohmann::json& params, const char* key, std::int64_t fallback) {
  const auto it = params.find(key);
  return it != params.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

bool bool_param(const nlohmann::json& params, const char* key, bool fallback) {
  const auto it = params.find(key);
  return it != params.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string string_param(const nlohmann::json& params, const char* key) {
  const auto it = params.find(key);
  return it != params.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string pick(const StrategyRegistry& registry, StrategyKind kind, const nlohmann::json& params,
                 const char* override_key, std::string fallback) {
  if (auto forced = registry.selected(kind))
    return *forced;
  if (std::string name = string_param(params, override_key); !name.empty())
    return name;
  return fallback;
}

}  // namespace

void register_builtin_strategies(StrategyRegistry& registry, const ExcelLimits& excel_limits) {
  registry.add<ValidationStrategy>("default",
                                   [](const nlohmann::json&) { return make_default_validation(); });
  for (const char* name : {"flat", "recursive", "by_extension"}) {
    registry.add<FileDiscoveryStrategy>(name, [name = std::string(name)](const nlohmann::json&) {
      return make_file_discovery(name);
    });
  }
  registry.add<MetadataStrategy>(
      "excel", [excel_limits](const nlohmann::json&) { return make_excel_metadata(excel_limits); });
  registry.add<MetadataStrategy>(
      "csv", [excel_limits](const nlohmann::json&) { return make_csv_metadata(excel_limits); });
  registry.add<MetadataStrategy>("none", [](const nlohmann::json&) { return make_no_metadata(); });
  registry.add<UploadStrategy>("sync",
                               [](const nlohmann::json&) { return make_file_uploader("sync"); });
  registry.add<UploadStrategy>("async", [](const nlohmann::json& params) {
    UploaderOptions options;
    options.max_concurrent_uploads = static_cast<std::size_t>(
        std::max<std::int64_t>(1, int_param(params, "max_concurrent_uploads", 10)));
    return make_file_uploader("async", options);
  });
  registry.add<DataUnitStrategy>(
      "single", [](const nlohmann::json&) { return make_data_unit_creator("single"); });
  registry.add<DataUnitStrategy>("batch", [](const nlohmann::json& params) {
    const auto size =
        std::max<std::int64_t>(1, int_param(params, "creating_data_unit_batch_size", 1));
    return make_data_unit_creator("batch", static_cast<std::size_t>(size));
  });
}

nlohmann::json selected_strategy_names(const StrategyRegistry& registry,
                                       const nlohmann::json& params) {
  const std::string metadata_path = string_param(params, "excel_metadata_path");
  return {
      {"validation",
       pick(registry, StrategyKind::validation, params, "validation_strategy", "default")},
      {"file_discovery", pick(registry, StrategyKind::file_discovery, params, "file_discovery",
                              bool_param(params, "is_recursive", true) ? "recursive" : "flat")},
      {"metadata", pick(registry, StrategyKind::metadata, params, "metadata_strategy",
                        ends_with_ci(metadata_path, ".csv") ? "csv" : "excel")},
      {"upload", pick(registry, StrategyKind::upload, params, "upload_strategy",
                      bool_param(params, "use_async_upload", true) ? "async" : "sync")},
      {"data_unit",
       pick(registry, StrategyKind::data_unit, params, "data_unit_strategy",
            int_param(params, "creating_data_unit_batch_size", 1) > 1 ? "batch" : "single")},
  };
}

synapse::upload::StrategySet create_strategies(const StrategyRegistry& registry,
                                               const nlohmann::json& params) {
  const nlohmann::json names = selected_strategy_names(registry, params);
  synapse::upload::StrategySet set;
  set.validation = registry.create<ValidationStrategy>(names["validation"], params);
  set.file_discovery = registry.create<FileDiscoveryStrategy>(names["file_discovery"], params);
  set.metadata = registry.create<MetadataStrategy>(names["metadata"], params);
  set.upload = registry.create<UploadStrategy>(names["upload"], params);
  set.data_unit = registry.create<DataUnitStrategy>(names["data_unit"], params);
  return set;
}

}  // namespace synapse::runtime::upload
