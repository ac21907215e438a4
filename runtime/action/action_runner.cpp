#include "action/action_runner.hpp"

#include <spdlog/spdlog.h>
#include <synapse/action.hpp>

#include "action/cancellation.hpp"
#include "action/catalog_names.hpp"
#include "action/error_mapping.hpp"
#include "action/job_liveness.hpp"
#include "action/job_recorder.hpp"
#include "action/run_context_impl.hpp"
#include "common/clock.hpp"
#include "common/runtime_error.hpp"
#include "common/text.hpp"
#include "export/export_action.hpp"
#include "loader/plugin_library.hpp"
#include "loader/plugin_locator.hpp"
#include "params/params_validator.hpp"
#include "upload/action/upload_action.hpp"

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
  // The message is built before `details` is moved: the order in which a call's arguments are
  // evaluated is unspecified (g++ moved first and printed "0 problems").
  std::string message = "params of action '" + action.name + "' are invalid (" +
                        std::to_string(details.size()) + " problem" +
                        (details.size() == 1 ? "" : "s") + ")";
  throw RuntimeError(ExitCode::usage, "params.invalid", std::move(message), std::move(details));
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

RunOutcome run_action(const RuntimeConfig& config, synapse::Catalog& catalog,
                      const RunRequest& request,
                      const std::vector<std::shared_ptr<EventSink>>& sinks) {
  synapse::Job job;
  job.id = request.job_id.empty() ? new_job_id() : request.job_id;
  job.plugin = request.plugin;
  job.action = request.action;
  job.params = request.params;
  JobRecorder recorder(catalog, std::move(job));
  auto& record = recorder.job();
  // Held until after the final save below: `synapse jobs` tells a live run from a killed one.
  const JobLivenessLock liveness(config.data_home, record.id);

  EventBus bus(record.id);
  bus.add_sink(recorder.event_sink());
  for (const auto& sink : sinks)
    bus.add_sink(sink);

  RunOutcome outcome;
  outcome.job_id = record.id;
  std::shared_ptr<synapse::Action> action;  // declared before the context: destroyed after it
  try {
    const auto plugin = resolve_plugin(request.plugin, config.plugin_path);
    record.plugin = plugin.code + "@" + plugin.version;
    const auto& action_config = find_action(plugin, request.action);
    record.params = validated_params(action_config, request.params);

    const auto library_file = library_for(plugin, action_config, config.plugin_path);
    spdlog::debug("job {}: {} action {} from {} ({})", record.id, record.plugin, action_config.name,
                  plugin.dir.string(), library_file.string());
    auto library = PluginLibrary::open(library_file);
    spdlog::debug("job {}: loaded {} (ABI {}, SDK {}, {})", record.id, library_file.string(),
                  library->metadata().abi.value_or(-1), library->metadata().sdk_version,
                  library->metadata().compiler);
    check_category(library->metadata(), plugin.category, plugin.file);
    if (library->metadata().exports_uploader(action_config.alias)) {
      // The upload category's machinery runs the action; the plugin customises it.
      if (plugin.category != "upload") {
        throw RuntimeError(ExitCode::load_failed, "loader.not_an_action",
                           plugin.file.string() + ": action '" + action_config.name +
                               "' names an Uploader, which only an upload plugin can use");
      }
      record.params = resolve_catalog_names(std::move(record.params), catalog, NamedParams::upload);
      action = upload::make_upload_action(library->create_uploader(action_config.alias), catalog,
                                          action_config.raw);
    } else if (library->metadata().exports_exporter(action_config.alias)) {
      // The export category's machinery runs the action; the plugin converts the items.
      if (plugin.category != "export") {
        throw RuntimeError(ExitCode::load_failed, "loader.not_an_action",
                           plugin.file.string() + ": action '" + action_config.name +
                               "' names an Exporter, which only an export plugin can use");
      }
      if (request.dry_run) {
        throw RuntimeError(ExitCode::usage, "run.dry_run_unsupported",
                           "--dry-run is supported by upload actions only; action '" +
                               action_config.name + "' of " + plugin.code + " is an export");
      }
      record.params =
          resolve_catalog_names(std::move(record.params), catalog, NamedParams::exports);
      action = exports::make_export_action(library->create_exporter(action_config.alias), catalog,
                                           action_config.raw);
    } else {
      if (request.dry_run) {
        throw RuntimeError(ExitCode::usage, "run.dry_run_unsupported",
                           "--dry-run is supported by upload actions only; action '" +
                               action_config.name + "' of " + plugin.code + " is not one");
      }
      action = library->create_action(action_config.alias);
    }

    record.status = "running";
    record.started_at = now_iso8601();
    recorder.save();

    RunContextImpl context(record.params, action_config, bus,
                           [&](const nlohmann::json& progress, const nlohmann::json& metrics) {
                             record.progress = progress;
                             record.metrics = metrics;
                             recorder.save();
                           });
    outcome.exit_code = invoke(*action, context, outcome.result, outcome.error);
    record.progress = context.progress_record();
    record.metrics = context.metrics_record();
  } catch (const RuntimeError& e) {
    outcome.exit_code = e.exit_code();
    outcome.error = error_json(e);
  } catch (const synapse::CatalogError& e) {
    const auto mapped = to_runtime_error(e);
    outcome.exit_code = mapped.exit_code();
    outcome.error = error_json(mapped);
  }
  action.reset();  // the plugin's destructor runs, then its library unloads

  outcome.status = status_of(outcome.exit_code);
  record.status = outcome.status;
  record.finished_at = now_iso8601();
  record.exit_code = to_int(outcome.exit_code);
  record.result = outcome.result;
  record.error = outcome.error;
  bus.publish("result", {{"status", outcome.status},
                         {"exit_code", to_int(outcome.exit_code)},
                         {"result", outcome.result},
                         {"error", outcome.error}});
  bus.close();
  recorder.save();
  return outcome;
}

}  // namespace synapse::runtime
