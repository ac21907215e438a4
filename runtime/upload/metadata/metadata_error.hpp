#pragma once

#include <stdexcept>
#include <string>

namespace synapse::runtime::upload {

// The Python SDK raises two exception classes (spec §11.3): ExcelSecurityError for limits that
// protect the host (file size, memory) and ExcelParsingError for everything else. The process
// step logs them differently (EXCEL_SECURITY_VIOLATION vs EXCEL_PARSING_ERROR), so callers need
// the category, while code() gives tests and clients a stable, finer-grained name.
enum class ErrorCategory { security, parsing, config };

class ExcelMetadataError : public std::runtime_error {
 public:
  // `file`, `sheet` and `cell` may be empty; they are folded into what() so a log line alone
  // tells an operator where to look.
  ExcelMetadataError(ErrorCategory category, std::string code, const std::string& detail,
                     std::string file = {}, std::string sheet = {}, std::string cell = {});

  ErrorCategory category() const noexcept { return category_; }
  const std::string& code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::string& file() const noexcept { return file_; }
  const std::string& sheet() const noexcept { return sheet_; }
  const std::string& cell() const noexcept { return cell_; }
  // "ExcelSecurityError" / "ExcelParsingError" / "ExcelConfigError": the SDK class name.
  const char* sdk_class() const noexcept;

 private:
  ErrorCategory category_;
  std::string code_;
  std::string detail_;
  std::string file_;
  std::string sheet_;
  std::string cell_;
};

// Stable error codes (code()). Security: file_too_large, memory_limit_exceeded.
// Parsing: file_not_found, file_access_error, invalid_file_format, workbook_missing,
// sheet_missing, invalid_xml, missing_header, too_few_columns, invalid_header, too_many_rows,
// too_many_columns, invalid_csv. Config: invalid_excel_config.
namespace codes {
inline constexpr const char* file_too_large = "file_too_large";
inline constexpr const char* memory_limit_exceeded = "memory_limit_exceeded";
inline constexpr const char* file_not_found = "file_not_found";
inline constexpr const char* file_access_error = "file_access_error";
inline constexpr const char* invalid_file_format = "invalid_file_format";
inline constexpr const char* workbook_missing = "workbook_missing";
inline constexpr const char* sheet_missing = "sheet_missing";
inline constexpr const char* invalid_xml = "invalid_xml";
inline constexpr const char* missing_header = "missing_header";
inline constexpr const char* too_few_columns = "too_few_columns";
inline constexpr const char* invalid_header = "invalid_header";
inline constexpr const char* too_many_rows = "too_many_rows";
inline constexpr const char* too_many_columns = "too_many_columns";
inline constexpr const char* invalid_csv = "invalid_csv";
inline constexpr const char* invalid_excel_config = "invalid_excel_config";
}  // namespace codes

}  // namespace synapse::runtime::upload
