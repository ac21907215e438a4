#include "upload/metadata/excel_limits.hpp"

#include <array>
#include <cctype>
#include <string>

#include "upload/metadata/metadata_error.hpp"

namespace synapse::runtime::upload {

namespace {

std::string compose(const std::string& detail, const std::string& file, const std::string& sheet,
                    const std::string& cell) {
  std::string where;
  if (!file.empty())
    where += file;
  if (!sheet.empty())
    where += (where.empty() ? "" : ", ") + std::string("sheet '") + sheet + "'";
  if (!cell.empty())
    where += (where.empty() ? "" : ", ") + std::string("cell ") + cell;
  return where.empty() ? detail : where + ": " + detail;
}

struct Field {
  const char* name;
  std::int64_t ExcelLimits::*member;
  std::int64_t min;
  std::int64_t max;
};

constexpr std::array<Field, 8> kFields{{
    {"max_file_size_mb", &ExcelLimits::max_file_size_mb, 1, 1000},
    {"max_rows", &ExcelLimits::max_rows, 1, 100000},
    {"max_columns", &ExcelLimits::max_columns, 1, 16384},
    {"max_memory_usage_mb", &ExcelLimits::max_memory_usage_mb, 1, 1000},
    {"max_filename_length", &ExcelLimits::max_filename_length, 1, 1000},
    {"max_column_name_length", &ExcelLimits::max_column_name_length, 1, 500},
    {"max_metadata_value_length", &ExcelLimits::max_metadata_value_length, 1, 10000},
    {"validation_check_interval", &ExcelLimits::validation_check_interval, 100, 10000},
}};

[[noreturn]] void config_error(const std::string& detail) {
  throw ExcelMetadataError(ErrorCategory::config, codes::invalid_excel_config,
                           "invalid excel_config: " + detail);
}

}  // namespace

ExcelMetadataError::ExcelMetadataError(ErrorCategory category, std::string code,
                                       const std::string& detail, std::string file,
                                       std::string sheet, std::string cell)
    : std::runtime_error(compose(detail, file, sheet, cell)),
      category_(category),
      code_(std::move(code)),
      detail_(detail),
      file_(std::move(file)),
      sheet_(std::move(sheet)),
      cell_(std::move(cell)) {}

const char* ExcelMetadataError::sdk_class() const noexcept {
  switch (category_) {
    case ErrorCategory::security:
      return "ExcelSecurityError";
    case ErrorCategory::parsing:
      return "ExcelParsingError";
    case ErrorCategory::config:
      break;
  }
  return "ExcelConfigError";
}

void ExcelLimits::validate() const {
  for (const Field& f : kFields) {
    const std::int64_t v = this->*f.member;
    if (v < f.min || v > f.max) {
      config_error(std::string(f.name) + "=" + std::to_string(v) + " is outside " +
                   std::to_string(f.min) + ".." + std::to_string(f.max));
    }
  }
  // Same cross-check as the SDK: bounds the worst-case cell count of one sheet.
  if (max_rows * max_columns > 50'000'000) {
    config_error("max_rows x max_columns = " + std::to_string(max_rows * max_columns) +
                 " exceeds 50000000");
  }
}

ExcelLimits ExcelLimits::from_json(const nlohmann::json& excel_config) {
  ExcelLimits limits;
  if (excel_config.is_null())
    return limits;
  if (!excel_config.is_object())
    config_error("expected a mapping, got " + std::string(excel_config.type_name()));
  for (const auto& [key, value] : excel_config.items()) {
    const Field* field = nullptr;
    for (const Field& f : kFields) {
      // Accept the field name or its all-upper-case alias, not arbitrary mixed case.
      std::string upper = f.name;
      for (char& c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (key == f.name || key == upper)
        field = &f;
    }
    if (field == nullptr)
      config_error("unknown key '" + key + "'");
    if (!value.is_number_integer()) {
      config_error(key + " must be an integer, got " + std::string(value.type_name()));
    }
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > 1'000'000'000ULL) {
      config_error(key + " is out of range");
    }
    limits.*(field->member) = value.get<std::int64_t>();
  }
  limits.validate();
  return limits;
}

ExcelLimits ExcelLimits::from_action_config(const nlohmann::json& action_config) {
  if (!action_config.is_object() || !action_config.contains("excel_config"))
    return {};
  return from_json(action_config.at("excel_config"));
}

}  // namespace synapse::runtime::upload
