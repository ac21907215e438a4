// `synapse plugin package <dir>` and `synapse plugin install <archive>`: the plugin author's
// path from a built folder to another machine's plugin path. The logic lives in
// runtime/packaging; this file parses the flags and prints what happened.
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"
#include "loader/plugin_locator.hpp"
#include "packaging/plugin_archive_writer.hpp"
#include "packaging/plugin_installer.hpp"

namespace fs = std::filesystem;

namespace synapse::runtime::cli {

namespace {

struct PackageArgs {
  std::string plugin;
  std::optional<fs::path> output;
  bool force = false;
};

struct InstallArgs {
  fs::path archive;
  std::optional<fs::path> plugin_dir;
  bool force = false;
};

int package(CliContext& context, const PackageArgs& args) {
  const auto& search_path = context.config().plugin_path;
  const auto plugin = resolve_plugin(args.plugin, search_path);
  const auto result = packaging::package_plugin(
      plugin, search_path, args.output.value_or(fs::current_path()), args.force);
  for (const auto& w : result.warnings)
    std::cerr << "synapse: warning: " << w << "\n";
  std::cout << "wrote " << result.archive.string() << "\n"
            << "SHA256SUMS (in " << result.top_folder << "/):\n"
            << packaging::format_sums(result.sums);
  return 0;
}

// Says whether `synapse run <code>` will find what was just installed.
void report_visibility(CliContext& context, const packaging::InstallResult& result) {
  const auto& search_path = context.config().plugin_path;
  std::error_code ec;
  bool in_path = false;
  for (const auto& entry : search_path)
    in_path = in_path || fs::equivalent(entry, result.dir.parent_path(), ec);
  if (!in_path) {
    std::cerr << "synapse: note: " << result.dir.parent_path().string()
              << " is not in the plugin path; use --plugin-path or runtime.yaml's plugin_path to "
                 "run it\n";
    return;
  }
  try {
    const auto found = resolve_plugin(result.code, search_path);
    if (!fs::equivalent(found.dir, result.dir, ec)) {
      std::cerr << "synapse: warning: `synapse run " << result.code << "` finds "
                << found.dir.string() << " first (earlier in the plugin path)\n";
    }
  } catch (const RuntimeError&) {
    // Nothing to add: the install itself succeeded.
  }
}

int install(CliContext& context, const InstallArgs& args) {
  fs::path plugin_dir;
  if (args.plugin_dir) {
    plugin_dir = *args.plugin_dir;
  } else {
    const auto& search_path = context.config().plugin_path;
    if (search_path.empty()) {
      throw RuntimeError(ExitCode::usage, "install.no_plugin_dir",
                         "the plugin path is empty; pass --plugin-dir, --plugin-path or set "
                         "plugin_path in runtime.yaml");
    }
    plugin_dir = search_path.front();
  }
  const auto result = packaging::install_plugin_archive(args.archive, plugin_dir, args.force);
  std::cout << "installed " << result.code << " " << result.version << " into "
            << result.dir.string();
  if (result.replaced) {
    std::cout << " (replaced "
              << (result.replaced_version.empty() ? "the previous install"
                                                  : "version " + result.replaced_version)
              << ")";
  }
  std::cout << "\nverified " << result.sums.size() << " files against SHA256SUMS\n";
  report_visibility(context, result);
  return 0;
}

}  // namespace

void add_plugin_archive_commands(CLI::App& plugin, CliContext& context, int& exit_code) {
  auto package_args = std::make_shared<PackageArgs>();
  auto* pack = plugin.add_subcommand(
      "package", "Check a built plugin folder and pack it into <code>-<version>.tar.gz");
  pack->add_option("plugin", package_args->plugin, "plugin folder (config.yaml + library) or code")
      ->required();
  pack->add_option("--output", package_args->output, "folder for the archive (default: .)");
  pack->add_flag("--force", package_args->force, "replace an existing archive");
  pack->callback([&, package_args] { exit_code = package(context, *package_args); });

  auto install_args = std::make_shared<InstallArgs>();
  auto* inst = plugin.add_subcommand("install",
                                     "Check a plugin archive and install it into the plugin path");
  inst->add_option("archive", install_args->archive, "<code>-<version>.tar.gz")->required();
  inst->add_option("--plugin-dir", install_args->plugin_dir,
                   "folder to install into (default: the first plugin path entry)");
  inst->add_flag("--force", install_args->force, "replace an installed plugin of the same code");
  inst->callback([&, install_args] { exit_code = install(context, *install_args); });
}

}  // namespace synapse::runtime::cli
