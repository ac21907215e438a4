#include "action/action_runner.hpp"

#include <spdlog/spdlog.h>
#include <synapse/action.hpp>

#include "action/cancellation.hpp"
#include "action/run_context_impl.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "events/job_store.hpp"
#include "loader/plugin_library.hpp"
#include "loader/plugin_locator.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime {

namespace {

nlohmann::json error_json(const std::string& id, const std::string& message,
                          const std::vector<std::string>& details = {}) {
  return {{"id", id}, {"message", message}, {"details", details}};
}

nlohmann::json error_json(const RuntimeError& e) {
  return error_json(e.id(), e.message(), e.details());
}

const char* status_of(ExitCode code) {
  switch (code) {
    case ExitCode::success:
      return "succeeded";
    case ExitCode::cancelled:
      return "cancelled";
    default:
      return "failed";
  }
}

const ActionConfig& find_action(const PluginConfig& plugin, const std::string& name) {
  if (const auto* action = plugin.find_action(name))
    return *action;
  throw RuntimeError(ExitCode::usage, "run.unknown_action",
                     "plugin " + plugin.code + " has no action '" + name +
                         "'; its actions are: " + join(plugin.action_names()));
}

nlohmann::json validated_params(const ActionConfig& action, const nlohmann::json& params) {
  auto check = validate_action_params(action, params);
  if (check.ok())
    return std::move(check.params);
  std::vector<std::string> details;
  for (const auto& e : check.errors)
    details.push_back(e.render());
  throw RuntimeError(ExitCode::usage, "params.invalid",
                     "params of action '" + action.name + "' are invalid (" +
                         std::to_string(details.size()) + " problem" +
                         (details.size() == 1 ? "" : "s") + ")",
                     std::move(details));
}

// Runs the plugin's code; converts whatever it throws into an exit code and an error, copying
// messages while the plugin (which may own the exception's code) is still loaded.
ExitCode invoke(synapse::Action& action, RunContextImpl& context, nlohmann::json& result,
                nlohmann::json& error) {
  try {
    result = action.run(context);
    return ExitCode::success;
  } catch (const synapse::CancelledError& e) {
    error = error_json("run.cancelled", std::string("the action stopped: ") + e.what());
    return ExitCode::cancelled;
  } catch (const synapse::ParamsError& e) {
    error = error_json("run.params_rejected", e.what());
    return ExitCode::usage;
  } catch (const synapse::TransientError& e) {
    error = error_json("run.transient", e.what());
    return ExitCode::transient;
  } catch (const std::exception& e) {
    error = error_json("run.action_failed", e.what());
  } catch (...) {
    error = error_json("run.action_failed", "the action threw a non-standard exception");
  }
  return stop_requested() ? ExitCode::cancelled : ExitCode::action_failed;
}

}  // namespace

RunOutcome run_action(const RuntimeConfig& config, const RunRequest& request,
                      const std::vector<std::shared_ptr<EventSink>>& sinks) {
  const std::string job_id = request.job_id.empty() ? new_job_id() : request.job_id;
  if (!is_valid_job_id(job_id)) {
    throw RuntimeError(ExitCode::usage, "run.bad_job_id",
                       "job id '" + job_id + "' must be 1 to 100 characters of A-Z a-z 0-9 _ -");
  }
  JobStore store(config.data_home);
  if (store.exists(job_id)) {
    throw RuntimeError(ExitCode::usage, "run.job_exists", "job " + job_id + " already exists");
  }

  JobRecord record;
  record.id = job_id;
  record.plugin = request.plugin;
  record.action = request.action;
  record.status = "pending";
  record.created_at = event_datetime_now();
  record.params = request.params;
  store.save(record);

  EventBus bus(job_id);
  bus.add_sink(store.event_sink(job_id));
  for (const auto& sink : sinks)
    bus.add_sink(sink);

  RunOutcome outcome;
  outcome.job_id = job_id;
  std::shared_ptr<synapse::Action> action;  // declared before the context: destroyed after it
  try {
    const auto plugin = resolve_plugin(request.plugin, config.plugin_path);
    record.plugin = plugin.code + "@" + plugin.version;
    const auto& action_config = find_action(plugin, request.action);
    record.params = validated_params(action_config, request.params);

    const auto library_file = library_for(plugin, action_config, config.plugin_path);
    spdlog::debug("job {}: {} action {} from {} ({})", job_id, record.plugin, action_config.name,
                  plugin.dir.string(), library_file.string());
    auto library = PluginLibrary::open(library_file);
    spdlog::debug("job {}: loaded {} (ABI {}, SDK {}, {})", job_id, library_file.string(),
                  library->metadata().abi.value_or(-1), library->metadata().sdk_version,
                  library->metadata().compiler);
    if (library->metadata().category != plugin.category) {
      throw RuntimeError(ExitCode::load_failed, "loader.category_mismatch",
                         library->metadata().library.string() + ": built as category '" +
                             library->metadata().category + "', but " + plugin.file.string() +
                             " says '" + plugin.category + "'");
    }
    action = library->create_action(action_config.alias);

    record.status = "running";
    record.started_at = event_datetime_now();
    store.save(record);

    RunContextImpl context(record.params, action_config, bus,
                           [&](const nlohmann::json& progress, const nlohmann::json& metrics) {
                             record.progress = progress;
                             record.metrics = metrics;
                             store.save(record);
                           });
    outcome.exit_code = invoke(*action, context, outcome.result, outcome.error);
    record.progress = context.progress_record();
    record.metrics = context.metrics_record();
  } catch (const RuntimeError& e) {
    outcome.exit_code = e.exit_code();
    outcome.error = error_json(e);
  }
  action.reset();  // the plugin's destructor runs, then its library unloads

  outcome.status = status_of(outcome.exit_code);
  record.status = outcome.status;
  record.finished_at = event_datetime_now();
  record.exit_code = to_int(outcome.exit_code);
  record.result = outcome.result;
  record.error = outcome.error;
  bus.publish("result", {{"status", outcome.status},
                         {"exit_code", record.exit_code},
                         {"result", outcome.result},
                         {"error", outcome.error}});
  bus.close();
  store.save(record);
  return outcome;
}

}  // namespace synapse::runtime
