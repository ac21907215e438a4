// The export log codes of spec/export.md §6: each a stable code, a message template with
// positional `{}` placeholders and a level. log_code() formats the template and emits one
// `message` event carrying the code (RunContext::log_code); log_export_event() also emits the
// `export_event` log event of spec §5 for one item. Unknown codes cannot happen: the enum is
// the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <synapse/catalog.hpp>
#include <synapse/run_context.hpp>

namespace synapse::runtime::exports {

enum class LogCode {
  STORAGE_VALIDATION_FAILED,
  FILTER_VALIDATION_FAILED,
  TARGET_VALIDATION_FAILED,
  VALIDATION_FAILED,
  EXPORT_STARTED,
  EXPORT_COMPLETED,
  EXPORT_FAILED,
  NO_RESULTS_FOUND,
  RESULTS_RETRIEVED,
  ORIGINAL_FILE_EXPORTED,
  DATA_FILE_EXPORTED,
  FILE_EXPORT_FAILED,
  TARGET_HANDLER_ERROR,
  NULL_DATA_DETECTED,
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
// The message above, then `export_event` {target_id, info, status: <level>, created} (spec §5
// log_export_event).
void log_export_event(synapse::RunContext& run, LogCode code, synapse::CatalogId target_id,
                      const std::vector<std::string>& args = {});
// "info", "success", "warning", "danger".
std::string_view level_name(synapse::MessageContext level);

}  // namespace synapse::runtime::exports
