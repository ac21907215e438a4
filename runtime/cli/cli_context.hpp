// What every command shares: the global flags and the runtime configuration they select.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "config/runtime_config.hpp"

namespace CLI {
class App;
}

namespace synapse {
class Catalog;
}

namespace synapse::runtime::cli {

struct CliContext {
  CliContext();
  ~CliContext();

  RuntimeConfigOverrides overrides;
  std::filesystem::path exe_dir;
  // Loaded on first use, so `--version` and `--help` never read a config file.
  const RuntimeConfig& config();
  // The embedded catalog of the data home, opened (and created) on first use.
  synapse::Catalog& catalog();

 private:
  std::optional<RuntimeConfig> config_;
  std::unique_ptr<synapse::Catalog> catalog_;
};

// Each command group adds its subcommands; the callbacks store the exit code in `exit_code`.
void add_plugin_commands(CLI::App& app, CliContext& context, int& exit_code);
// `plugin package` and `plugin install`, added to the `plugin` subcommand.
void add_plugin_archive_commands(CLI::App& plugin, CliContext& context, int& exit_code);
// `plugin new`: a plugin project from a template (runtime/cli/plugin_new_command.cpp).
void add_plugin_new_command(CLI::App& plugin, CliContext& context, int& exit_code);
void add_run_command(CLI::App& app, CliContext& context, int& exit_code);
void add_jobs_commands(CLI::App& app, CliContext& context, int& exit_code);
void add_catalog_commands(CLI::App& app, CliContext& context, int& exit_code);
void add_annotations_commands(CLI::App& app, CliContext& context, int& exit_code);
void add_storage_commands(CLI::App& app, CliContext& context, int& exit_code);
void add_doctor_command(CLI::App& app, CliContext& context, int& exit_code);

// `--params` argument: inline JSON, @file.json or @file.yaml/@file.yml. Throws RuntimeError
// "cli.bad_params" (exit 2) naming the file and position of a syntax error.
nlohmann::json read_params_argument(const std::string& argument);

// Prints a JSON value, pretty, on stdout.
void print_json(const nlohmann::json& value);

}  // namespace synapse::runtime::cli
