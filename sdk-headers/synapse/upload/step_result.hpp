// StepResult: what one upload step reports back (spec/upload.md §4.1). Kept apart from step.hpp
// so that UploadContext (which stores results) and Step (which takes a context) can include it
// without including each other.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace synapse::upload {

struct StepResult {
  bool success = true;
  // The step did nothing because can_skip() said so; counts as a success.
  bool skipped = false;
  // The step stopped because the run was cancelled (before it started or by CancelledError
  // from inside it); success is then false.
  bool cancelled = false;
  // do_execute() was entered. The orchestrator rolls a failed step back only when this is
  // true: a step that never started has nothing to undo, one that failed half-way may have.
  bool started = false;
  nlohmann::json data = nlohmann::json::object();
  // Empty on success; on failure never empty ("Unknown error" when the step gave no text).
  std::string error;
  // What do_rollback() needs to undo this step; Step::execute() adds "step_name" (as Python
  // does), so a result can be traced back to its step.
  nlohmann::json rollback_data = nlohmann::json::object();
  std::chrono::system_clock::time_point timestamp = std::chrono::system_clock::now();
  // Wall time spent in execute(), including the skip check.
  std::chrono::nanoseconds duration{0};

  explicit operator bool() const noexcept { return success; }

  static StepResult ok(nlohmann::json data = nlohmann::json::object(),
                       nlohmann::json rollback_data = nlohmann::json::object()) {
    StepResult result;
    result.data = std::move(data);
    result.rollback_data = std::move(rollback_data);
    return result;
  }

  static StepResult failure(std::string error,
                            nlohmann::json rollback_data = nlohmann::json::object()) {
    StepResult result;
    result.success = false;
    result.error = std::move(error);
    result.rollback_data = std::move(rollback_data);
    return result;
  }
};

}  // namespace synapse::upload
