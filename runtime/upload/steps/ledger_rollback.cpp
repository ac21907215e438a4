#include "upload/steps/ledger_rollback.hpp"

namespace synapse::runtime::upload {

void roll_back_ledger(synapse::upload::UploadContext& context, UploadRun& run) {
  if (context.catalog() == nullptr || run.ledger.empty())
    return;
  const RollbackReport report = run.ledger.rollback(*context.catalog());
  const nlohmann::json summary = report.to_json();
  if (run.rollback_report.is_null()) {
    run.rollback_report = summary;
  } else {
    for (auto& [key, value] : summary.items()) {
      for (const auto& item : value)
        run.rollback_report[key].push_back(item);
    }
  }
  const bool clean = report.errors.empty() && report.kept_data_units.empty() &&
                     report.kept_data_files.empty() && report.kept_tasks.empty();
  context.run().log_message(
      clean ? synapse::MessageContext::info : synapse::MessageContext::warning,
      "Rolled back: removed " + std::to_string(report.removed_tasks.size()) + " task(s), " +
          std::to_string(report.removed_data_units.size()) + " data unit(s), " +
          std::to_string(report.removed_data_files.size()) + " data file(s)" +
          (clean ? std::string()
                 : "; kept " + std::to_string(report.kept_tasks.size()) + " task(s), " +
                       std::to_string(report.kept_data_units.size()) + " data unit(s), " +
                       std::to_string(report.kept_data_files.size()) +
                       " data file(s) still referenced elsewhere, " +
                       std::to_string(report.errors.size()) + " error(s)"));
}

}  // namespace synapse::runtime::upload
