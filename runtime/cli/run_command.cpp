// `synapse run <plugin dir | code> <action> --params ... [--events jsonl[=FILE]] [--job-id ID]
//  [--dry-run]`
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "action/action_runner.hpp"
#include "action/cancellation.hpp"
#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"

namespace synapse::runtime::cli {

namespace {

struct RunOptions {
  std::string plugin;
  std::string action;
  std::string params = "{}";
  std::string events;
  std::string job_id;
  bool quiet = false;
  bool verbose = false;
  bool dry_run = false;
};

// "jsonl" -> stdout; "jsonl=FILE" -> that file.
std::shared_ptr<EventSink> events_sink(const std::string& spec, bool& jsonl_on_stdout) {
  if (spec == "jsonl") {
    jsonl_on_stdout = true;
    return make_jsonl_sink(stdout);
  }
  if (spec.rfind("jsonl=", 0) == 0 && spec.size() > 6) {
    return make_jsonl_file_sink(spec.substr(6));
  }
  throw RuntimeError(ExitCode::usage, "cli.bad_events",
                     "--events: expected 'jsonl' or 'jsonl=FILE', got '" + spec + "'");
}

int run(CliContext& context, const RunOptions& options) {
  auto params = read_params_argument(options.params);
  if (options.dry_run) {
    if (!params.is_object())
      throw RuntimeError(ExitCode::usage, "cli.bad_params", "--params: expected a JSON object");
    params["dry_run"] = true;
  }
  const auto& config = context.config();

  std::vector<std::shared_ptr<EventSink>> sinks;
  bool jsonl_on_stdout = false;
  if (!options.events.empty())
    sinks.push_back(events_sink(options.events, jsonl_on_stdout));
  if (!options.quiet)
    sinks.push_back(make_console_sink(stderr, ::isatty(STDERR_FILENO) == 1, options.verbose));

  install_stop_signal_handlers();
  const auto outcome =
      run_action(config, context.catalog(),
                 {options.plugin, options.action, params, options.job_id, options.dry_run}, sinks);

  if (!outcome.error.is_null()) {
    std::cerr << "synapse: error[" << outcome.error.value("id", "")
              << "]: " << outcome.error.value("message", "") << "\n";
    for (const auto& line : outcome.error.value("details", nlohmann::json::array())) {
      std::cerr << "  " << line.get<std::string>() << "\n";
    }
  }
  std::cerr << "job " << outcome.job_id << " " << outcome.status << " (exit "
            << to_int(outcome.exit_code) << ")\n";
  // With JSONL on stdout the result is its last line; otherwise stdout carries the result.
  if (!jsonl_on_stdout && outcome.exit_code == ExitCode::success)
    print_json(outcome.result);
  return to_int(outcome.exit_code);
}

}  // namespace

void add_run_command(CLI::App& app, CliContext& context, int& exit_code) {
  auto options = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run an action of a plugin");
  cmd->add_option("plugin", options->plugin, "plugin folder or plugin code")->required();
  cmd->add_option("action", options->action, "action name (as in config.yaml)")->required();
  cmd->add_option("--params", options->params,
                  "params: inline JSON, @file.json or @file.yaml (default {})");
  cmd->add_option("--events", options->events,
                  "also write events as JSON lines: 'jsonl' (stdout) or 'jsonl=FILE'");
  cmd->add_option("--job-id", options->job_id, "id of the job record (default: a new id)");
  cmd->add_flag("-q,--quiet", options->quiet, "no human event lines on stderr");
  cmd->add_flag("-v,--verbose", options->verbose,
                "print every event on stderr (by default a per-item event such as "
                "export_data_file is shown 5 times, then counted)");
  cmd->add_flag("--dry-run", options->dry_run,
                "upload actions: discover, group, read metadata and validate, print the plan, "
                "change nothing");
  cmd->callback([&context, &exit_code, options] { exit_code = run(context, *options); });
}

}  // namespace synapse::runtime::cli
