// synapse: the host's command line. Exit codes: README "Exit codes" (design.md §4).

#include <csignal>
#include <cstdio>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <synapse/version.hpp>

#include "action/error_mapping.hpp"
#include "catalog/catalog_factory.hpp"
#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"
#include "loader/plugin_metadata.hpp"

namespace fs = std::filesystem;
using namespace synapse::runtime;

namespace {

fs::path executable_dir(const char* argv0) {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    self = fs::absolute(argv0, ec);
  return self.parent_path();
}

std::string version_text() {
  const auto& host = host_metadata();
  return std::string("synapse ") + SYNAPSE_SDK_VERSION_STRING + " (plugin ABI " +
         std::to_string(*host.abi) + ", " + host.compiler + ", " + host.stdlib +
         ", nlohmann-json " + host.json_version + ")";
}

}  // namespace

namespace synapse::runtime::cli {

void print_json(const nlohmann::json& value) {
  std::cout << value.dump(2) << std::endl;
}

CliContext::CliContext() = default;
CliContext::~CliContext() = default;

synapse::Catalog& CliContext::catalog() {
  if (!catalog_)
    catalog_ = open_catalog(config().data_home);
  return *catalog_;
}

const RuntimeConfig& CliContext::config() {
  if (!config_)
    config_ = load_runtime_config(overrides, process_environment(), exe_dir);
  return *config_;
}

}  // namespace synapse::runtime::cli

int main(int argc, char** argv) {
  // A closed stdout (`synapse run ... | head`) must not kill the run half-way and leave its job
  // record "running": writes then fail with EPIPE, which the event sinks report and survive.
  std::signal(SIGPIPE, SIG_IGN);
  // The host's own diagnostics go to stderr; stdout is for results and JSON lines.
  spdlog::set_default_logger(spdlog::stderr_color_st("synapse"));
  spdlog::set_pattern("%^synapse %l%$: %v");
  cli::CliContext context;
  context.exe_dir = executable_dir(argv[0]);
  int exit_code = 0;

  CLI::App app{"synapse: runs Synapse plugin actions (.so plugins described by config.yaml)"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--config", context.overrides.config_file, "runtime.yaml to use");
  app.add_option("--home", context.overrides.home, "data home (overrides $SYNAPSE_HOME)");
  app.add_option("--plugin-path", context.overrides.plugin_path,
                 "':'-separated plugin search path (overrides $SYNAPSE_PLUGIN_PATH)");
  app.add_option("--log-level", context.overrides.log_level,
                 "trace, debug, info, warn, error or off");

  cli::add_plugin_commands(app, context, exit_code);
  cli::add_run_command(app, context, exit_code);
  cli::add_jobs_commands(app, context, exit_code);
  cli::add_catalog_commands(app, context, exit_code);
  cli::add_annotations_commands(app, context, exit_code);
  cli::add_storage_commands(app, context, exit_code);
  cli::add_doctor_command(app, context, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return to_int(ExitCode::usage);
  } catch (const RuntimeError& e) {
    std::cerr << "synapse: " << e.render() << "\n";
    return to_int(e.exit_code());
  } catch (const synapse::CatalogError& e) {
    const auto mapped = to_runtime_error(e);
    std::cerr << "synapse: " << mapped.render() << "\n";
    return to_int(mapped.exit_code());
  } catch (const synapse::StorageError& e) {
    const auto mapped = to_runtime_error(e);
    std::cerr << "synapse: " << mapped.render() << "\n";
    return to_int(mapped.exit_code());
  } catch (const std::exception& e) {
    std::cerr << "synapse: error[internal]: " << e.what() << "\n";
    return to_int(ExitCode::action_failed);
  }
  return exit_code;
}
