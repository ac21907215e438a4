#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

namespace synapse::runtime::upload {

// Mirrors the SDK's ExcelSecurityConfig (spec §12.1). Defaults are the SDK defaults.
struct ExcelLimits {
  std::int64_t max_file_size_mb = 10;
  std::int64_t max_rows = 100000;
  std::int64_t max_columns = 50;
  std::int64_t max_memory_usage_mb = 30;
  std::int64_t max_filename_length = 255;
  std::int64_t max_column_name_length = 100;
  std::int64_t max_metadata_value_length = 1000;
  std::int64_t validation_check_interval = 1000;

  std::uint64_t max_file_size_bytes() const { return std::uint64_t(max_file_size_mb) << 20; }
  std::uint64_t max_memory_usage_bytes() const { return std::uint64_t(max_memory_usage_mb) << 20; }

  // Checks every field range and the rows x columns cross-check; throws ExcelMetadataError
  // (code invalid_excel_config) naming the field.
  void validate() const;

  // Builds limits from the `excel_config` mapping of config.yaml. Like the pydantic model
  // (extra="forbid"), unknown keys are refused; upper-case aliases (MAX_ROWS) are accepted.
  // Values must be JSON integers (bool refused). null/empty object -> defaults.
  static ExcelLimits from_json(const nlohmann::json& excel_config);
  // Reads action_config["excel_config"]; missing -> defaults (SDK from_action_config).
  static ExcelLimits from_action_config(const nlohmann::json& action_config);
};

}  // namespace synapse::runtime::upload
