#include "upload/pipeline/orchestrator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

namespace synapse::runtime::upload {

namespace {

using synapse::upload::Step;
using synapse::upload::StepResult;

void log(RunContext& run, MessageContext level, const std::string& text) noexcept {
  try {
    run.log_message(level, text);
  } catch (...) {
  }
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    out += out.empty() ? name : ", " + name;
  }
  return out;
}

struct Executed {
  std::shared_ptr<Step> step;
  std::string name;
  StepResult result;
};

}  // namespace

std::vector<std::string> default_step_names() {
  std::vector<std::string> names;
  for (const DefaultStep& step : kDefaultSteps) {
    names.emplace_back(step.name);
  }
  return names;
}

std::optional<std::string> UploadOrchestrator::run_hooks(const std::string& after,
                                                         UploadContext& context,
                                                         UploadOutcome& outcome) const {
  for (const StepHook& hook : options_.hooks) {
    if (hook.after != after || !hook.run) {
      continue;
    }
    try {
      hook.run(context);
    } catch (const synapse::CancelledError& e) {
      outcome.cancelled = true;
      outcome.failed_step = hook.name;
      return "'" + hook.name + "' cancelled: " + e.what();
    } catch (const std::exception& e) {
      outcome.failed_step = hook.name;
      return "Exception in " + hook.name + ": " + e.what();
    } catch (...) {
      outcome.failed_step = hook.name;
      return "Exception in " + hook.name + ": unknown exception";
    }
  }
  return std::nullopt;
}

UploadOutcome UploadOrchestrator::run(StepRegistry& registry, UploadContext& context) const {
  RunContext& run = context.run();
  const std::vector<StepRegistry::StepPtr> steps = registry.steps();
  const std::vector<std::string> names = registry.list();

  // Weights are read once: a step's weight cannot change the progress scale mid-run.
  std::vector<double> weights;
  double total_weight = 0.0;
  for (const auto& step : steps) {
    weights.push_back(step->progress_weight());
    total_weight += weights.back();
  }
  if (total_weight <= 0.0) {
    weights.assign(steps.size(), 1.0);
    total_weight = static_cast<double>(steps.size());
  }

  double done_weight = 0.0;
  auto report = [&](std::size_t current_step) {
    const double fraction = total_weight > 0.0 ? std::min(done_weight / total_weight, 1.0) : 1.0;
    if (!options_.progress_category.empty()) {
      run.set_progress(static_cast<std::int64_t>(std::lround(fraction * 1000.0)), 1000,
                       options_.progress_category);
    }
    context.update_metrics("workflow", {{"current_step", current_step},
                                        {"total_steps", steps.size()},
                                        {"progress_percentage", fraction * 100.0},
                                        {"completed_weight", done_weight},
                                        {"total_weight", total_weight}});
  };

  log(run, MessageContext::info,
      "Upload workflow starting: " + std::to_string(steps.size()) + " steps (" + join(names) + ")");
  report(0);

  UploadOutcome outcome;
  std::vector<Executed> executed;  // steps to roll back on failure, in execution order
  bool failed = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (run.is_cancelled()) {
      failed = true;
      outcome.cancelled = true;
      outcome.error = "cancelled before step '" + names[i] + "'";
      break;
    }
    StepResult result = steps[i]->execute(context);
    context.record(names[i], result);
    outcome.step_results.push_back({names[i], result});
    if (result.success) {
      if (!result.skipped) {
        executed.push_back({steps[i], names[i], std::move(result)});
      }
      done_weight += weights[i];
      report(i + 1);
      if (auto error = run_hooks(names[i], context, outcome)) {
        failed = true;
        outcome.error = std::move(*error);
        log(run, outcome.cancelled ? MessageContext::warning : MessageContext::danger,
            "Upload workflow stopped at '" + outcome.failed_step + "': " + outcome.error);
        break;
      }
      continue;
    }
    failed = true;
    outcome.cancelled = result.cancelled;
    outcome.failed_step = names[i];
    outcome.error = result.error;
    log(run, result.cancelled ? MessageContext::warning : MessageContext::danger,
        "Upload workflow stopped at step '" + names[i] + "': " + result.error);
    if (result.started) {
      executed.push_back({steps[i], names[i], std::move(result)});
    }
    break;
  }

  if (!failed) {
    outcome.success = true;
    log(run, MessageContext::success, "Upload workflow completed");
    return outcome;
  }

  log(run, MessageContext::info,
      "Rolling back " + std::to_string(executed.size()) + " executed step(s)");
  for (auto it = executed.rbegin(); it != executed.rend(); ++it) {
    outcome.rolled_back.push_back(it->name);
    if (auto error = it->step->rollback(context, it->result)) {
      outcome.rollback_errors.push_back(std::move(*error));
    }
  }
  log(run, outcome.rollback_errors.empty() ? MessageContext::info : MessageContext::warning,
      "Rollback completed" +
          (outcome.rollback_errors.empty()
               ? std::string()
               : " with " + std::to_string(outcome.rollback_errors.size()) + " error(s)"));
  return outcome;
}

}  // namespace synapse::runtime::upload
