// runtime.yaml reader: lookup order, precedence file < env < flags, relative paths, errors.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/runtime_error.hpp"
#include "config/runtime_config.hpp"

namespace fs = std::filesystem;
using synapse::runtime::EnvLookup;
using synapse::runtime::ExitCode;
using synapse::runtime::load_runtime_config;
using synapse::runtime::RuntimeConfig;
using synapse::runtime::RuntimeConfigOverrides;
using synapse::runtime::RuntimeError;

namespace {

// A fresh folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("synapse-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const fs::path& relative, const std::string& text) const {
    const fs::path file = path_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  fs::path path_;
};

EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  };
}

RuntimeConfigOverrides with_config(const fs::path& file) {
  RuntimeConfigOverrides overrides;
  overrides.config_file = file;
  return overrides;
}

// The RuntimeError that loading raises (fails the test if none).
RuntimeError load_error(const RuntimeConfigOverrides& overrides, const EnvLookup& env,
                        const fs::path& exe_dir = {}) {
  try {
    load_runtime_config(overrides, env, exe_dir);
  } catch (const RuntimeError& e) {
    return e;
  }
  FAIL("expected a RuntimeError");
  throw;  // unreachable
}

}  // namespace

TEST_CASE("without a runtime.yaml the built-in defaults apply", "[runtime_config]") {
  const RuntimeConfig config = load_runtime_config({}, fake_env({{"HOME", "/home/ann"}}), {});
  CHECK(config.plugin_path.empty());
  CHECK(config.data_home == "/home/ann/.local/share/synapse");
  CHECK(config.log_level == "info");
  CHECK(config.source.empty());
}

TEST_CASE("the default data home follows $XDG_DATA_HOME when it is absolute", "[runtime_config]") {
  CHECK(load_runtime_config({}, fake_env({{"HOME", "/h"}, {"XDG_DATA_HOME", "/xdg/data"}}), {})
            .data_home == "/xdg/data/synapse");
  // The XDG spec says relative values are ignored.
  CHECK(
      load_runtime_config({}, fake_env({{"HOME", "/h"}, {"XDG_DATA_HOME", "rel"}}), {}).data_home ==
      "/h/.local/share/synapse");
}

TEST_CASE("runtime.yaml values apply, relative paths taken from the file's folder",
          "[runtime_config]") {
  TempDir dir;
  const fs::path file = dir.write("etc/runtime.yaml",
                                  "plugin_path:\n  - plugins\n  - ../more/\n  - /abs/plugins\n"
                                  "data_home: data\nlog_level: debug\n");
  const RuntimeConfig config = load_runtime_config(with_config(file), fake_env({}), {});
  CHECK(config.plugin_path ==
        std::vector<fs::path>{dir.path() / "etc/plugins", dir.path() / "more", "/abs/plugins"});
  CHECK(config.data_home == dir.path() / "etc/data");
  CHECK(config.log_level == "debug");
  CHECK(config.source == file);
}

TEST_CASE("plugin_path may be a single folder, an empty data_home means the default",
          "[runtime_config]") {
  TempDir dir;
  const fs::path file = dir.write("runtime.yaml", "plugin_path: p\ndata_home: \"\"\n");
  const RuntimeConfig config =
      load_runtime_config(with_config(file), fake_env({{"HOME", "/h"}}), {});
  CHECK(config.plugin_path == std::vector<fs::path>{dir.path() / "p"});
  CHECK(config.data_home == "/h/.local/share/synapse");
  CHECK(config.log_level == "info");
}

TEST_CASE("precedence is runtime.yaml < environment < flags", "[runtime_config]") {
  TempDir dir;
  const fs::path file = dir.write(
      "runtime.yaml", "plugin_path: [from_file]\ndata_home: /file/home\nlog_level: debug\n");
  RuntimeConfigOverrides overrides = with_config(file);

  const RuntimeConfig from_file = load_runtime_config(overrides, fake_env({}), {});
  CHECK(from_file.plugin_path == std::vector<fs::path>{dir.path() / "from_file"});
  CHECK(from_file.data_home == "/file/home");
  CHECK(from_file.log_level == "debug");

  const auto env = fake_env({{"SYNAPSE_HOME", "/env/home"},
                             {"SYNAPSE_PLUGIN_PATH", "/env/a::/env/b:"},
                             {"SYNAPSE_LOG_LEVEL", "warn"}});
  const RuntimeConfig from_env = load_runtime_config(overrides, env, {});
  // The env list REPLACES the file's list; empty entries are skipped.
  CHECK(from_env.plugin_path == std::vector<fs::path>{"/env/a", "/env/b"});
  CHECK(from_env.data_home == "/env/home");
  CHECK(from_env.log_level == "warn");

  overrides.home = "/flag/home";
  overrides.plugin_path = "/flag/p";
  overrides.log_level = "trace";
  const RuntimeConfig from_flags = load_runtime_config(overrides, env, {});
  CHECK(from_flags.plugin_path == std::vector<fs::path>{"/flag/p"});
  CHECK(from_flags.data_home == "/flag/home");
  CHECK(from_flags.log_level == "trace");
}

TEST_CASE("environment and flag paths are relative to the current folder, ~ is $HOME",
          "[runtime_config]") {
  RuntimeConfigOverrides overrides;
  overrides.plugin_path = "rel:~/plugins";
  const RuntimeConfig config =
      load_runtime_config(overrides, fake_env({{"HOME", "/home/bo"}, {"SYNAPSE_HOME", "~"}}), {});
  CHECK(config.plugin_path ==
        std::vector<fs::path>{fs::current_path() / "rel", "/home/bo/plugins"});
  CHECK(config.data_home == "/home/bo");
}

TEST_CASE("runtime.yaml is looked up in the documented order", "[runtime_config]") {
  TempDir dir;
  const fs::path exe_dir = dir.path() / "bin";
  fs::create_directories(exe_dir);
  const fs::path etc = dir.write("etc/synapse/runtime.yaml", "log_level: error\n");
  std::map<std::string, std::string> vars{{"HOME", (dir.path() / "home").string()}};

  CHECK(load_runtime_config({}, fake_env(vars), exe_dir).source == etc);

  const fs::path beside_exe = dir.write("bin/runtime.yaml", "log_level: warn\n");
  CHECK(load_runtime_config({}, fake_env(vars), exe_dir).source == beside_exe);

  const fs::path user = dir.write("home/.config/synapse/runtime.yaml", "log_level: debug\n");
  RuntimeConfig config = load_runtime_config({}, fake_env(vars), exe_dir);
  CHECK(config.source == user);
  CHECK(config.log_level == "debug");

  const fs::path xdg = dir.write("xdg/synapse/runtime.yaml", "log_level: off\n");
  vars["XDG_CONFIG_HOME"] = (dir.path() / "xdg").string();
  CHECK(load_runtime_config({}, fake_env(vars), exe_dir).source == xdg);

  const fs::path named = dir.write("named.yaml", "log_level: trace\n");
  vars["SYNAPSE_CONFIG"] = named.string();
  CHECK(load_runtime_config({}, fake_env(vars), exe_dir).log_level == "trace");

  const fs::path flag = dir.write("flag.yaml", "log_level: info\n");
  config = load_runtime_config(with_config(flag), fake_env(vars), exe_dir);
  CHECK(config.source == flag);
  CHECK(config.log_level == "info");
}

TEST_CASE("the repo's default runtime.yaml parses", "[runtime_config]") {
  const fs::path file = fs::path(SYNAPSE_SOURCE_DIR) / "config" / "runtime.yaml";
  const RuntimeConfig config =
      load_runtime_config(with_config(file), fake_env({{"HOME", "/h"}}), {});
  CHECK(config.plugin_path ==
        std::vector<fs::path>{fs::path(SYNAPSE_SOURCE_DIR) / "config/plugins"});
  CHECK(config.data_home == "/h/.local/share/synapse");
  CHECK(config.log_level == "info");
}

TEST_CASE("a --config or $SYNAPSE_CONFIG file that does not exist is an error",
          "[runtime_config][errors]") {
  RuntimeError e = load_error(with_config("/nonexistent/runtime.yaml"), fake_env({}));
  CHECK(e.id() == "runtime_config.not_found");
  CHECK(e.exit_code() == ExitCode::usage);
  CHECK(e.message() == "runtime config not found: /nonexistent/runtime.yaml (--config)");

  e = load_error({}, fake_env({{"SYNAPSE_CONFIG", "/nonexistent/r.yaml"}}));
  CHECK(e.id() == "runtime_config.not_found");
  CHECK(e.message() == "runtime config not found: /nonexistent/r.yaml ($SYNAPSE_CONFIG)");
}

TEST_CASE("unknown keys and bad values in runtime.yaml are all reported at once",
          "[runtime_config][errors]") {
  TempDir dir;
  const fs::path file = dir.write("runtime.yaml",
                                  "plugin_path: [ok, 5, '']\ncolour: red\nlog_level: loud\n"
                                  "data_home: [a]\n");
  const RuntimeError e = load_error(with_config(file), fake_env({}));
  const std::string name = file.string();
  CHECK(e.id() == "runtime_config.invalid");
  CHECK(e.exit_code() == ExitCode::usage);
  CHECK(e.message() == name + ": 5 problems in runtime config");
  CHECK(e.details() ==
        std::vector<std::string>{
            name + ":1:19: plugin_path[1]: expected a folder path string, got an integer (5)",
            name + ":1:22: plugin_path[2]: must not be empty",
            name + ":2:1: colour: unknown key; allowed keys are: plugin_path, data_home, log_level",
            name + ":3:1: log_level: 'loud' is not one of trace, debug, info, warn, error, off",
            name + ":4:1: data_home: expected a folder path string, got a list"});
}

TEST_CASE("a YAML syntax error in runtime.yaml names file, line and column",
          "[runtime_config][errors]") {
  TempDir dir;
  const fs::path file = dir.write("runtime.yaml", "plugin_path: [a\n");
  const RuntimeError e = load_error(with_config(file), fake_env({}));
  CHECK(e.id() == "runtime_config.invalid");
  CHECK(e.details() ==
        std::vector<std::string>{file.string() + ":2:1: end of sequence flow not found"});
}

TEST_CASE("a bad log level from the environment or a flag names its origin",
          "[runtime_config][errors]") {
  RuntimeError e = load_error({}, fake_env({{"HOME", "/h"}, {"SYNAPSE_LOG_LEVEL", "verbose"}}));
  CHECK(e.id() == "runtime_config.invalid");
  CHECK(e.exit_code() == ExitCode::usage);
  CHECK(e.message() ==
        "$SYNAPSE_LOG_LEVEL: 'verbose' is not one of trace, debug, info, warn, error, off");

  RuntimeConfigOverrides overrides;
  overrides.log_level = "INFO";
  e = load_error(overrides, fake_env({{"HOME", "/h"}}));
  CHECK(e.message() == "--log-level: 'INFO' is not one of trace, debug, info, warn, error, off");
}

TEST_CASE("an empty environment variable counts as unset", "[runtime_config]") {
  const RuntimeConfig config = load_runtime_config(
      {}, fake_env({{"HOME", "/h"}, {"SYNAPSE_LOG_LEVEL", ""}, {"SYNAPSE_HOME", ""}}), {});
  CHECK(config.log_level == "info");
  CHECK(config.data_home == "/h/.local/share/synapse");
}

TEST_CASE("process_environment reads the real environment", "[runtime_config]") {
  ::setenv("SYNAPSE_CONFIG_TEST_VAR", "hello", 1);
  const EnvLookup env = synapse::runtime::process_environment();
  CHECK(env("SYNAPSE_CONFIG_TEST_VAR") == std::optional<std::string>("hello"));
  ::unsetenv("SYNAPSE_CONFIG_TEST_VAR");
  CHECK_FALSE(env("SYNAPSE_CONFIG_TEST_VAR").has_value());
}
