// The upload log codes of spec/upload.md §15: each a stable code, a message template with
// positional `{}` placeholders and a level. log_code() formats the template and emits one
// `message` event carrying the code (RunContext::log_code), so a client can match on the code
// while a person reads the text. Unknown codes cannot happen: the enum is the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <synapse/run_context.hpp>

namespace synapse::runtime::upload {

enum class LogCode {
  STORAGE_VALIDATION_FAILED,
  COLLECTION_VALIDATION_FAILED,
  PROJECT_VALIDATION_FAILED,
  VALIDATION_FAILED,
  NO_FILES_FOUND,
  NO_FILES_UPLOADED,
  NO_DATA_UNITS_GENERATED,
  NO_TYPE_DIRECTORIES,
  EXCEL_SECURITY_VIOLATION,
  EXCEL_PARSING_ERROR,
  EXCEL_METADATA_LOADED,
  UPLOADING_DATA_FILES,
  GENERATING_DATA_UNITS,
  IMPORT_COMPLETED,
  TYPE_DIRECTORIES_FOUND,
  TYPE_STRUCTURE_DETECTED,
  FILES_DISCOVERED,
  NO_FILES_FOUND_WARNING,
  FILE_UPLOAD_FAILED,
  DATA_UNIT_BATCH_FAILED,
  FILENAME_TOO_LONG,
  MISSING_REQUIRED_FILES,
  EXCEL_FILE_NOT_FOUND,
  EXCEL_FILE_VALIDATION_STARTED,
  EXCEL_WORKBOOK_LOADED,
  FILE_ORGANIZATION_STARTED,
  BATCH_PROCESSING_STARTED,
  EXCEL_SECURITY_VALIDATION_STARTED,
  EXCEL_MEMORY_ESTIMATION,
  EXCEL_FILE_NOT_FOUND_PATH,
  EXCEL_SECURITY_VALIDATION_FAILED,
  EXCEL_PARSING_FAILED,
  EXCEL_INVALID_FILE_FORMAT,
  EXCEL_FILE_TOO_LARGE,
  EXCEL_FILE_ACCESS_ERROR,
  EXCEL_UNEXPECTED_ERROR,
};

struct LogCodeInfo {
  std::string_view name;
  std::string_view text;  // template, `{}` filled positionally
  synapse::MessageContext level;
};

const LogCodeInfo& info(LogCode code);
// All codes, in the table's order (for tests and documentation).
const std::vector<LogCode>& all_log_codes();
// The template with each `{}` replaced by the next argument (missing ones left as `{}`).
std::string format_log_code(LogCode code, const std::vector<std::string>& args = {});
// Emits the message through run.log_code with the code's level.
void log_code(synapse::RunContext& run, LogCode code, const std::vector<std::string>& args = {});

}  // namespace synapse::runtime::upload
