// `synapse plugin new <code> --category <c>`: a new plugin project from a template (templates/
// upload, export or generic), optionally configured, built and tested (--build).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "admin/plugin_new.hpp"
#include "admin/plugin_template.hpp"
#include "cli/cli_context.hpp"
#include "common/runtime_error.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace synapse::runtime::cli {

namespace {

struct NewOptions {
  std::string code;
  std::string category;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> author;
  std::optional<std::string> version;
  std::optional<std::string> dir;
  bool force = false;
  bool build = false;
  bool json = false;
};

std::vector<char*> c_argv(std::vector<std::string>& args) {
  std::vector<char*> out;
  for (auto& a : args)
    out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

// The first line `args` prints on stdout, or nullopt when it cannot run or fails.
std::optional<std::string> first_output_line(std::vector<std::string> args) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  auto argv = c_argv(args);
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  if (rc == 0) {
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
      if (n > 0)
        out.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fds[0]);
  if (rc != 0 || wait_for(pid) != 0)
    return std::nullopt;
  out = out.substr(0, out.find('\n'));
  return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

// `git config user.name`, else $USER, else "unknown" (the Python template's author prompt).
std::string default_author() {
  if (auto name = first_output_line({"git", "config", "user.name"}))
    return *name;
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "unknown";
}

// Runs one build step with its output streamed to ours (its stdout to our stderr when stdout
// carries JSON). Throws RuntimeError "plugin_new.build_failed" naming the step.
void run_step(const std::string& step, std::vector<std::string> args, bool stdout_to_stderr,
              const std::string& hint = {}) {
  std::string line;
  for (const auto& a : args)
    line += (line.empty() ? "" : " ") + a;
  std::cerr << "synapse: " << step << ": " << line << std::endl;
  std::cout.flush();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (stdout_to_stderr)
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid = -1;
  auto argv = c_argv(args);
  const int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw RuntimeError(ExitCode::action_failed, "plugin_new.build_failed",
                       step + ": cannot run " + args[0] + ": " + std::strerror(rc) +
                           " (is it installed and in PATH?); the plugin folder was created");
  }
  if (const int code = wait_for(pid); code != 0) {
    throw RuntimeError(ExitCode::action_failed, "plugin_new.build_failed",
                       step + " failed (" + args[0] + " exited with " + std::to_string(code) +
                           "): " + line + "; the plugin folder was created" + hint);
  }
}

fs::path self_executable(const fs::path& exe_dir) {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? exe_dir / "synapse" : self;
}

// How to name `dir` on a command line: as the user gave it, or ./<code>'s relative form.
std::string shown(const fs::path& dir) {
  const std::string text = dir.string();
  return text.find_first_of(" '\"$\\") == std::string::npos ? text : "'" + text + "'";
}

int plugin_new(CliContext& context, const NewOptions& options) {
  PluginNewRequest request;
  request.code = options.code;
  request.category = options.category;
  request.name = options.name;
  request.description = options.description;
  request.author = options.author;
  request.version = options.version;
  if (!options.author)
    request.default_author = default_author();
  const PluginNewPlan plan = plan_plugin_new(request);

  const char* env_dir = std::getenv("SYNAPSE_TEMPLATES_DIR");
  const auto templates =
      find_templates(env_dir ? std::optional<std::string>(env_dir) : std::nullopt, context.exe_dir,
                     plan.template_name);
  const fs::path dir = options.dir ? fs::path(*options.dir) : fs::path(options.code);
  const fs::path absolute = fs::absolute(dir).lexically_normal();
  const auto files =
      render_template_tree(templates.dir / plan.template_name, dir, plan.variables, options.force);
  if (!options.json) {
    std::cout << "Created " << plan.variables.at("category") << " plugin " << options.code << " "
              << plan.variables.at("version") << " in " << absolute.string() << " (" << files.size()
              << " files from " << (templates.dir / plan.template_name).string() << ")"
              << std::endl;
  }

  const std::string build_dir = (dir / "build").string();
  if (options.build) {
    // The SDK beside this synapse: an installed one's prefix, or a build tree's package
    // (<build>/sdk, cmake/SynapseBuildTreeSDK.cmake). Otherwise cmake searches its defaults.
    std::error_code ec;
    const fs::path prefix = context.exe_dir.lexically_normal().parent_path();
    const bool installed = fs::is_directory(prefix / "share" / "synapse" / "templates", ec);
    const fs::path build_tree_sdk = context.exe_dir.lexically_normal() / "sdk";
    const bool in_build_tree =
        !installed && fs::is_regular_file(build_tree_sdk / "SynapseSDKConfig.cmake", ec);
    std::vector<std::string> configure = {"cmake", "-S", dir.string(), "-B", build_dir};
    if (installed)
      configure.push_back("-DCMAKE_PREFIX_PATH=" + prefix.string());
    if (in_build_tree)
      configure.push_back("-DSynapseSDK_DIR=" + build_tree_sdk.string());
    configure.push_back("-DSYNAPSE_EXECUTABLE=" + self_executable(context.exe_dir).string());
    run_step("configure", configure, options.json,
             installed || in_build_tree
                 ? ""
                 : " (this synapse is neither installed nor in its build tree, so "
                   "find_package(SynapseSDK) needs CMAKE_PREFIX_PATH to name an installed SDK)");
    run_step("build", {"cmake", "--build", build_dir, "-j"}, options.json);
    run_step("test", {"ctest", "--test-dir", build_dir, "--output-on-failure"}, options.json);
  }

  const std::string run_line =
      "synapse run " + shown(dir) + " " + plan.action + " --params '" + example_params(plan) + "'";
  if (options.json) {
    print_json({{"dir", absolute.string()},
                {"code", options.code},
                {"category", plan.variables.at("category")},
                {"version", plan.variables.at("version")},
                {"template", (templates.dir / plan.template_name).string()},
                {"files", files},
                {"built", options.build},
                {"plugin_dir", options.build ? (absolute / "build" / "plugin").string() : ""},
                {"run", run_line}});
    return 0;
  }
  if (options.build) {
    std::cout << "Built and tested: " << (absolute / "build" / "plugin").string() << "\nNext:\n  "
              << run_line << std::endl;
  } else {
    std::cout << "Next:\n  cmake -S " << shown(dir) << " -B " << shown(build_dir)
              << " && cmake --build " << shown(build_dir) << " -j && ctest --test-dir "
              << shown(build_dir) << "\n  " << run_line << std::endl;
  }
  return 0;
}

}  // namespace

void add_plugin_new_command(CLI::App& plugin, CliContext& context, int& exit_code) {
  auto options = std::make_shared<NewOptions>();
  auto* cmd = plugin.add_subcommand("new", "Create a plugin project from a template");
  cmd->add_option("code", options->code, "plugin code: ^[a-z0-9_-]+$, at most 50 characters")
      ->required();
  cmd->add_option("--category", options->category,
                  "upload, export, or any other plugin category (neural_net, smart_tool, "
                  "pre_annotation, post_annotation, data_validation, custom)")
      ->required();
  cmd->add_option("--name", options->name, "display name (default: the code, title-cased)");
  cmd->add_option("--description", options->description,
                  "one line (default: \"A synapse <category> plugin.\")");
  cmd->add_option("--author", options->author, "default: git config user.name, else $USER");
  cmd->add_option("--version", options->version, "X.Y.Z[-pre][+build] (default: 0.1.0)");
  cmd->add_option("--dir", options->dir, "where to create the project (default: ./<code>)");
  cmd->add_flag("--force", options->force,
                "write into an existing non-empty folder (its other files are kept)");
  cmd->add_flag("--build", options->build,
                "then configure, build and test it (cmake, cmake --build, ctest)");
  cmd->add_flag("--json", options->json, "print the result as JSON");
  cmd->callback([&context, &exit_code, options] { exit_code = plugin_new(context, *options); });
}

}  // namespace synapse::runtime::cli
