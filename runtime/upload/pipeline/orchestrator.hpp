// UploadOrchestrator: runs every step of a StepRegistry in order (spec/upload.md §8,
// design.md §5) and, when one fails or the run is cancelled, rolls back what was done.
//
// Differences from Python's UploadOrchestrator, on purpose:
// - Custom (plugin) steps run like the built-in ones; nothing is silently skipped.
// - Failure is an outcome, not an exception: the caller (the upload action) decides how to
//   report it (ActionError / CancelledError).
// - Cancellation is checked before every step; a cancelled run is rolled back too.
// - The failed step itself is rolled back first when its do_execute() was entered
//   (StepResult::started): a step that failed half-way may have created records. A step
//   cancelled before it started, or skipped, is not rolled back.
// - Progress counts skipped steps as done, so a run that skips cleanup still ends at 100 %.
//
// Progress: after each step, RunContext::set_progress(permille, 1000, progress_category) with
// permille = done weight / total weight (each step weighs 1 when every weight is 0), and the
// local metrics()["workflow"] record of spec §9.2. An empty category disables set_progress
// (the action must declare the category it reports, see RunContext::set_progress).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/upload/step.hpp>
#include <synapse/upload/step_registry.hpp>
#include <synapse/upload/upload_context.hpp>

namespace synapse::runtime::upload {

using synapse::upload::NamedStepResult;
using synapse::upload::StepRegistry;
using synapse::upload::UploadContext;

// The 8 built-in steps in order with their progress weights (spec §6, the code values, sum
// 1.0). Data only: the steps themselves are built elsewhere.
struct DefaultStep {
  std::string_view name;
  double weight;
};
inline constexpr std::array<DefaultStep, 8> kDefaultSteps{{
    {"initialize", 0.05},
    {"process_metadata", 0.10},
    {"analyze_collection", 0.05},
    {"organize_files", 0.15},
    {"validate_files", 0.10},
    {"upload_files", 0.30},
    {"generate_data_units", 0.20},
    {"cleanup", 0.05},
}};
std::vector<std::string> default_step_names();

struct UploadOutcome {
  bool success = false;
  bool cancelled = false;
  // The step that failed or was cancelled while running; empty when the run was cancelled
  // between steps or succeeded.
  std::string failed_step;
  std::string error;
  // Results in run order (steps after the failure are absent).
  std::vector<NamedStepResult> step_results;
  // Steps rolled back, in rollback order (reverse of execution).
  std::vector<std::string> rolled_back;
  // One message per rollback that threw; the others still ran.
  std::vector<std::string> rollback_errors;
};

// Code run right after the step named `after` succeeds (the plugin's handle_upload_files
// after organize_files). An exception fails the run at `name` and rolls back the executed
// steps; CancelledError counts as a cancellation.
struct StepHook {
  std::string after;
  std::string name;
  std::function<void(UploadContext&)> run;
};

struct OrchestratorOptions {
  std::string progress_category = "upload_steps";
  std::vector<StepHook> hooks;
};

class UploadOrchestrator {
 public:
  explicit UploadOrchestrator(OrchestratorOptions options = {}) : options_(std::move(options)) {}

  // Never throws for a step's failure (steps never throw, see Step::execute); only for
  // resource exhaustion. Every result is also recorded in `context` (UploadContext::record).
  UploadOutcome run(StepRegistry& registry, UploadContext& context) const;

 private:
  std::optional<std::string> run_hooks(const std::string& after, UploadContext& context,
                                       UploadOutcome& outcome) const;
  OrchestratorOptions options_;
};

}  // namespace synapse::runtime::upload
