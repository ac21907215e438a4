// Step: one stage of the upload pipeline (spec/upload.md §5), shaped like spdlog's base_sink:
// the public entry points execute() and rollback() are non-virtual and do everything every
// step needs (logging through the RunContext, timing, the cancellation check, turning
// exceptions into results), and a step only overrides the protected do_* hooks. So a plugin
// step cannot forget the bookkeeping, and the orchestrator never sees an exception from a step.
//
// name() and progress_weight() are public: the registry and the orchestrator need them, and
// being plain queries there is nothing to wrap around them.
#pragma once

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/run_context.hpp>
#include <synapse/upload/step_result.hpp>
#include <synapse/upload/upload_context.hpp>
#include <synapse/visibility.hpp>

namespace synapse::upload {

class SYNAPSE_SYMBOL_VISIBLE Step {
 public:
  virtual ~Step() = default;

  // Unique within a registry, e.g. "organize_files".
  virtual std::string name() const = 0;
  // Share of the overall progress (the 8 default steps sum to 1.0); finite and >= 0.
  virtual double progress_weight() const = 0;

  // Runs the step. Never throws: a cancelled run gives a cancelled result without calling
  // do_execute(); a skippable step gives a skipped success; CancelledError from the step gives
  // a cancelled result; any other exception a failed one ("Exception in step <name>: <what>").
  StepResult execute(UploadContext& context) noexcept {
    const auto start = std::chrono::steady_clock::now();
    RunContext& run = context.run();
    StepResult result;
    std::string step = "<unnamed>";
    bool started = false;
    try {
      step = name();
      if (run.is_cancelled()) {
        result = cancelled_result("cancelled before step '" + step + "' started");
        log(run, MessageContext::warning, "Step '" + step + "' not started: run cancelled");
      } else {
        validate_prerequisites(context);
        if (can_skip(context)) {
          result = StepResult::ok();
          result.skipped = true;
          log(run, MessageContext::info, "Step '" + step + "' skipped");
        } else {
          log(run, MessageContext::info, "Step '" + step + "' starting");
          started = true;
          result = do_execute(context);
          if (!result.success && !result.cancelled && result.error.empty()) {
            result.error = "Unknown error";
          }
          log_outcome(run, step, result);
        }
      }
    } catch (const CancelledError& e) {
      result = cancelled_result("step '" + step + "' cancelled: " + e.what());
      log_outcome(run, step, result);
    } catch (const std::exception& e) {
      result = StepResult::failure("Exception in step " + step + ": " + e.what());
      log_outcome(run, step, result);
    } catch (...) {
      result = StepResult::failure("Exception in step " + step + ": unknown exception");
      log_outcome(run, step, result);
    }
    result.started = started;
    finish(result, step, start);
    return result;
  }

  // Undoes what execute() did, given the result it returned. Never throws: returns the error
  // text when do_rollback() threw (already logged), so one failed rollback cannot stop the
  // rollback of the other steps.
  std::optional<std::string> rollback(UploadContext& context, const StepResult& result) noexcept {
    RunContext& run = context.run();
    std::string step = "<unnamed>";
    try {
      step = name();
      log(run, MessageContext::info, "Rolling back step '" + step + "'");
      do_rollback(context, result);
      return std::nullopt;
    } catch (const std::exception& e) {
      return rollback_failed(run, step, e.what());
    } catch (...) {
      return rollback_failed(run, step, "unknown exception");
    }
  }

 protected:
  // True when the step has nothing to do for this run (e.g. cleanup with skip_cleanup).
  virtual bool can_skip(const UploadContext& /*context*/) const { return false; }
  // Throw (any exception) when an earlier step did not leave what this one needs; the message
  // then becomes the step's error.
  virtual void validate_prerequisites(const UploadContext& /*context*/) const {}
  // The work. Return StepResult::failure(...) or throw to fail; throw CancelledError when
  // context.run().is_cancelled() turns true part-way through.
  virtual StepResult do_execute(UploadContext& context) = 0;
  // Undo; called for a step that succeeded, or that failed/was cancelled after do_execute()
  // was entered (result.started), with the result execute() returned.
  virtual void do_rollback(UploadContext& /*context*/, const StepResult& /*result*/) {}

 private:
  static StepResult cancelled_result(std::string error) {
    StepResult result = StepResult::failure(std::move(error));
    result.cancelled = true;
    return result;
  }

  // Logging must not turn a step's result into an exception.
  static void log(RunContext& run, MessageContext level, const std::string& text) noexcept {
    try {
      run.log_message(level, text);
    } catch (...) {
    }
  }

  static void log_outcome(RunContext& run, const std::string& step, const StepResult& result) {
    if (result.success) {
      log(run, MessageContext::info, "Step '" + step + "' completed");
    } else if (result.cancelled) {
      log(run, MessageContext::warning, "Step '" + step + "' cancelled");
    } else {
      log(run, MessageContext::danger, "Step '" + step + "' error: " + result.error);
    }
  }

  static std::string rollback_failed(RunContext& run, const std::string& step,
                                     const std::string& what) {
    std::string error = "Rollback of step '" + step + "' failed: " + what;
    log(run, MessageContext::danger, error);
    return error;
  }

  static void finish(StepResult& result, const std::string& step,
                     std::chrono::steady_clock::time_point start) {
    if (!result.rollback_data.is_object()) {
      result.rollback_data = {{"value", std::move(result.rollback_data)}};
    }
    result.rollback_data["step_name"] = step;
    result.timestamp = std::chrono::system_clock::now();
    result.duration = std::chrono::steady_clock::now() - start;
  }
};

}  // namespace synapse::upload
