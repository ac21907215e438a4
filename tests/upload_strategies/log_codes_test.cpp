// The upload log codes of spec/upload.md §15: the 36 codes with their templates and levels,
// positional formatting, and emission through RunContext::log_code.
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "strategies_fixture.hpp"
#include "upload/steps/log_codes.hpp"

using namespace upload_strategies_test;
using synapse::MessageContext;
using synapse::runtime::upload::all_log_codes;
using synapse::runtime::upload::format_log_code;
using synapse::runtime::upload::info;
using synapse::runtime::upload::LogCode;

namespace {

struct Expected {
  const char* name;
  const char* text;
  MessageContext level;
};

constexpr MessageContext kInfo = MessageContext::info;
constexpr MessageContext kWarning = MessageContext::warning;
constexpr MessageContext kDanger = MessageContext::danger;

// spec/upload.md §15, row by row; "—" levels are emitted as info.
const std::vector<Expected> kSpec{
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
};

}  // namespace

TEST_CASE("upload_strategies: there are 36 log codes with unique names", "[log_codes]") {
  const auto& codes = all_log_codes();
  CHECK(codes.size() == 36);
  std::set<std::string> names;
  for (LogCode code : codes)
    names.insert(std::string(info(code).name));
  CHECK(names.size() == 36);
  CHECK(codes.front() == LogCode::STORAGE_VALIDATION_FAILED);
  CHECK(codes.back() == LogCode::EXCEL_UNEXPECTED_ERROR);
}

TEST_CASE("upload_strategies: every log code has the template and level of spec section 15",
          "[log_codes]") {
  const auto& codes = all_log_codes();
  REQUIRE(codes.size() == kSpec.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    INFO("code #" << i << " " << kSpec[i].name);
    CHECK(info(codes[i]).name == kSpec[i].name);
    CHECK(info(codes[i]).text == kSpec[i].text);
    CHECK(info(codes[i]).level == kSpec[i].level);
  }
}

TEST_CASE("upload_strategies: a few levels spelled out", "[log_codes]") {
  CHECK(info(LogCode::NO_FILES_FOUND).level == MessageContext::warning);
  CHECK(info(LogCode::FILE_UPLOAD_FAILED).level == MessageContext::danger);
  CHECK(info(LogCode::FILES_DISCOVERED).level == MessageContext::info);
  CHECK(info(LogCode::DATA_UNIT_BATCH_FAILED).level == MessageContext::danger);
  CHECK(info(LogCode::MISSING_REQUIRED_FILES).level == MessageContext::warning);
  CHECK(info(LogCode::IMPORT_COMPLETED).level == MessageContext::info);
}

TEST_CASE("upload_strategies: format_log_code fills the placeholders in order", "[log_codes]") {
  CHECK(format_log_code(LogCode::FILES_DISCOVERED, {"12"}) == "Discovered 12 files");
  CHECK(format_log_code(LogCode::MISSING_REQUIRED_FILES, {"3 units", "image, meta"}) ==
        "3 units missing required files: image, meta");
  CHECK(format_log_code(LogCode::EXCEL_MEMORY_ESTIMATION, {"100", "300"}) ==
        "Excel memory estimation: 100 bytes (file) * 3 = 300 bytes (estimated)");
  CHECK(format_log_code(LogCode::BATCH_PROCESSING_STARTED, {"4", "250"}) ==
        "Batch processing started: 4 batches of 250 items each");
  // An argument holding "{}" is text, not a placeholder for the next argument.
  CHECK(format_log_code(LogCode::MISSING_REQUIRED_FILES, {"{}", "x"}) ==
        "{} missing required files: x");
  // Missing arguments leave their placeholders; extra ones are ignored.
  CHECK(format_log_code(LogCode::MISSING_REQUIRED_FILES, {"1"}) == "1 missing required files: {}");
  CHECK(format_log_code(LogCode::FILES_DISCOVERED) == "Discovered {} files");
  CHECK(format_log_code(LogCode::NO_FILES_FOUND, {"ignored"}) == "Files not found on the path.");
}

TEST_CASE("upload_strategies: log_code emits the code, its level and the formatted text",
          "[log_codes]") {
  RecordingRun run;
  synapse::runtime::upload::log_code(run, LogCode::FILE_UPLOAD_FAILED, {"image/1.jpg: gone"});
  synapse::runtime::upload::log_code(run, LogCode::NO_FILES_FOUND);
  synapse::runtime::upload::log_code(run, LogCode::FILES_DISCOVERED, {"5"});

  REQUIRE(run.logged.size() == 3);
  CHECK(run.logged[0].code == "FILE_UPLOAD_FAILED");
  CHECK(run.logged[0].level == MessageContext::danger);
  CHECK(run.logged[0].text == "Failed to upload file: image/1.jpg: gone");
  CHECK(run.logged[1].code == "NO_FILES_FOUND");
  CHECK(run.logged[1].level == MessageContext::warning);
  CHECK(run.logged[1].text == "Files not found on the path.");
  CHECK(run.logged[2].code == "FILES_DISCOVERED");
  CHECK(run.logged[2].level == MessageContext::info);
  CHECK(run.logged[2].text == "Discovered 5 files");
}

TEST_CASE("upload_strategies: a RunContext without log_code gets a plain message", "[log_codes]") {
  PlainRun run;
  synapse::runtime::upload::log_code(run, LogCode::DATA_UNIT_BATCH_FAILED, {"busy"});
  REQUIRE(run.logged.size() == 1);
  CHECK(run.logged[0].code.empty());  // through log_message
  CHECK(run.logged[0].level == MessageContext::danger);
  CHECK(run.logged[0].text == "Failed to create data units batch: busy");
}
