#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "upload/metadata/excel_limits.hpp"
#include "upload/metadata/metadata_table.hpp"

namespace synapse::runtime::upload {

// Applies the SDK's sheet layout rules (spec §11.3) to typed cell rows, so the Excel and CSV
// readers only decode cells and cannot drift apart on header/limit semantics.
class TableBuilder {
 public:
  TableBuilder(const ExcelLimits& limits, std::string file, std::string sheet);

  // One physical row (1-based number), cells already padded to the sheet width; null = empty.
  void add_row(std::uint64_t row_number, const std::vector<nlohmann::json>& cells);
  // Final row/column check and hand-over of the table.
  MetadataTable finish();

  bool has_header() const { return has_header_; }
  void warn(std::string message) { table_.warnings.push_back(std::move(message)); }

  // Python str() of a typed cell: ints "3", floats repr ("3.5", "1.0", "1e+16"), bools
  // "True"/"False", null "". Used for file-name keys and header names.
  static std::string python_str(const nlohmann::json& value);
  // Truncates to at most `max_chars` Unicode code points without splitting a UTF-8 sequence.
  static bool truncate_utf8(std::string& text, std::size_t max_chars);
  static std::string trim(const std::string& text);
  // "B7" style reference; column is 0-based.
  static std::string cell_ref(std::size_t column, std::uint64_t row);

 private:
  [[noreturn]] void fail(const char* code, const std::string& detail, const std::string& cell);
  void check_counts(std::uint64_t row_number);

  ExcelLimits limits_;
  std::string file_;
  std::string sheet_;
  bool has_header_ = false;
  std::uint64_t data_rows_ = 0;
  MetadataTable table_;
};

}  // namespace synapse::runtime::upload
