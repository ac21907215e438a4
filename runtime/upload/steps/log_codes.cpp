#include "upload/steps/log_codes.hpp"

#include <array>
#include <cstddef>

#include "common/text.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::MessageContext;
constexpr MessageContext kInfo = MessageContext::info;
constexpr MessageContext kWarning = MessageContext::warning;
constexpr MessageContext kDanger = MessageContext::danger;

// Same order as the enum. "—" levels of the spec are emitted as info.
constexpr std::array<LogCodeInfo, 36> kTable{{
    {"STORAGE_VALIDATION_FAILED", "Storage validation failed.", kDanger},
    {"COLLECTION_VALIDATION_FAILED", "Collection validation failed.", kDanger},
    {"PROJECT_VALIDATION_FAILED", "Project validation failed.", kDanger},
    {"VALIDATION_FAILED", "Validation failed.", kDanger},
    {"NO_FILES_FOUND", "Files not found on the path.", kWarning},
    {"NO_FILES_UPLOADED", "No files were uploaded.", kWarning},
    {"NO_DATA_UNITS_GENERATED", "No data units were generated.", kWarning},
    {"NO_TYPE_DIRECTORIES", "No type-based directory structure found.", kInfo},
    {"EXCEL_SECURITY_VIOLATION", "Excel security validation failed: {}", kDanger},
    {"EXCEL_PARSING_ERROR", "Excel parsing failed: {}", kDanger},
    {"EXCEL_METADATA_LOADED", "Excel metadata loaded for {} files", kInfo},
    {"UPLOADING_DATA_FILES", "Uploading data files...", kInfo},
    {"GENERATING_DATA_UNITS", "Generating data units...", kInfo},
    {"IMPORT_COMPLETED", "Import completed.", kInfo},
    {"TYPE_DIRECTORIES_FOUND", "Found type directories: {}", kInfo},
    {"TYPE_STRUCTURE_DETECTED", "Detected type-based directory structure", kInfo},
    {"FILES_DISCOVERED", "Discovered {} files", kInfo},
    {"NO_FILES_FOUND_WARNING", "No files found.", kWarning},
    {"FILE_UPLOAD_FAILED", "Failed to upload file: {}", kDanger},
    {"DATA_UNIT_BATCH_FAILED", "Failed to create data units batch: {}", kDanger},
    {"FILENAME_TOO_LONG", "Skipping file with overly long name: {}...", kWarning},
    {"MISSING_REQUIRED_FILES", "{} missing required files: {}", kWarning},
    {"EXCEL_FILE_NOT_FOUND", "Excel metadata file not found: {}", kWarning},
    {"EXCEL_FILE_VALIDATION_STARTED", "Excel file validation started", kInfo},
    {"EXCEL_WORKBOOK_LOADED", "Excel workbook loaded successfully", kInfo},
    {"FILE_ORGANIZATION_STARTED", "File organization started", kInfo},
    {"BATCH_PROCESSING_STARTED", "Batch processing started: {} batches of {} items each", kInfo},
    {"EXCEL_SECURITY_VALIDATION_STARTED",
     "Excel security validation started for file size: {} bytes", kInfo},
    {"EXCEL_MEMORY_ESTIMATION",
     "Excel memory estimation: {} bytes (file) * 3 = {} bytes (estimated)", kInfo},
    {"EXCEL_FILE_NOT_FOUND_PATH", "Excel metadata file not found", kWarning},
    {"EXCEL_SECURITY_VALIDATION_FAILED", "Excel security validation failed: {}", kDanger},
    {"EXCEL_PARSING_FAILED", "Excel parsing failed: {}", kDanger},
    {"EXCEL_INVALID_FILE_FORMAT", "Invalid Excel file format: {}", kDanger},
    {"EXCEL_FILE_TOO_LARGE", "Excel file too large to process (memory limit exceeded)", kDanger},
    {"EXCEL_FILE_ACCESS_ERROR", "File access error reading excel metadata: {}", kDanger},
    {"EXCEL_UNEXPECTED_ERROR", "Unexpected error reading excel metadata: {}", kDanger},
}};

}  // namespace

const LogCodeInfo& info(LogCode code) {
  return kTable[static_cast<std::size_t>(code)];
}

const std::vector<LogCode>& all_log_codes() {
  static const std::vector<LogCode> codes = [] {
    std::vector<LogCode> out;
    for (std::size_t i = 0; i < kTable.size(); ++i)
      out.push_back(static_cast<LogCode>(i));
    return out;
  }();
  return codes;
}

std::string format_log_code(LogCode code, const std::vector<std::string>& args) {
  return fill_template(info(code).text, args);
}

void log_code(synapse::RunContext& run, LogCode code, const std::vector<std::string>& args) {
  const auto& entry = info(code);
  run.log_code(entry.name, entry.level, format_log_code(code, args));
}

}  // namespace synapse::runtime::upload
