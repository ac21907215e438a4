#include "export/log_codes.hpp"

#include <array>
#include <cstddef>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/text.hpp"

namespace synapse::runtime::exports {

namespace {

using synapse::MessageContext;
constexpr MessageContext kInfo = MessageContext::info;
constexpr MessageContext kWarning = MessageContext::warning;
constexpr MessageContext kDanger = MessageContext::danger;

// Same order as the enum. "—" levels of the spec are emitted as info. ORIGINAL_FILE_EXPORTED and
// DATA_FILE_EXPORTED are kept for completeness but not emitted per item: the export_*_file
// events already say it, and a message per item would double the events of a large export.
constexpr std::array<LogCodeInfo, 14> kTable{{
    {"STORAGE_VALIDATION_FAILED", "Storage validation failed.", kDanger},
    {"FILTER_VALIDATION_FAILED", "Filter validation failed.", kDanger},
    {"TARGET_VALIDATION_FAILED", "Target validation failed.", kDanger},
    {"VALIDATION_FAILED", "Validation failed.", kDanger},
    {"EXPORT_STARTED", "Export process started.", kInfo},
    {"EXPORT_COMPLETED", "Export process completed.", kInfo},
    {"EXPORT_FAILED", "Export process failed: {}", kDanger},
    {"NO_RESULTS_FOUND", "No results found for export.", kWarning},
    {"RESULTS_RETRIEVED", "Retrieved {} results for export", kInfo},
    {"ORIGINAL_FILE_EXPORTED", "Original file exported successfully.", kInfo},
    {"DATA_FILE_EXPORTED", "Data file exported successfully.", kInfo},
    {"FILE_EXPORT_FAILED", "Failed to export file: {}", kDanger},
    {"TARGET_HANDLER_ERROR", "Target handler error: {}", kDanger},
    {"NULL_DATA_DETECTED", "Data is null for export item", kWarning},
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

std::string_view level_name(synapse::MessageContext level) {
  switch (level) {
    case MessageContext::success:
      return "success";
    case MessageContext::warning:
      return "warning";
    case MessageContext::danger:
      return "danger";
    case MessageContext::info:
      break;
  }
  return "info";
}

void log_export_event(synapse::RunContext& run, LogCode code, synapse::CatalogId target_id,
                      const std::vector<std::string>& args) {
  const auto& entry = info(code);
  const std::string text = format_log_code(code, args);
  run.log_code(entry.name, entry.level, text);
  run.log_event("export_event", {{"target_id", target_id},
                                 {"info", text},
                                 {"status", std::string(level_name(entry.level))},
                                 {"created", now_iso8601()}});
}

}  // namespace synapse::runtime::exports
