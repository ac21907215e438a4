#include "config/runtime_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>
#include <utility>

#include "common/runtime_error.hpp"
#include "config/config_diagnostics.hpp"
#include "config/yaml_to_json.hpp"

namespace synapse::runtime {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kKeys = {"plugin_path", "data_home", "log_level"};

// What runtime.yaml set; unset keys keep the built-in defaults.
struct FileValues {
  std::optional<std::vector<fs::path>> plugin_path;
  std::optional<fs::path> data_home;
  std::optional<std::string> log_level;
};

// An empty variable counts as unset, as shells make `VAR=` easy to leave behind.
std::optional<std::string> env_value(const EnvLookup& env, const std::string& name) {
  auto value = env(name);
  if (!value || value->empty())
    return std::nullopt;
  return value;
}

// `~` and `~/x` name the home folder (flags after `=` and YAML values are not shell-expanded).
std::string expand_home(const std::string& text, const EnvLookup& env) {
  if (text != "~" && !text.starts_with("~/"))
    return text;
  const auto home = env_value(env, "HOME");
  return home ? *home + text.substr(1) : text;
}

// Absolute, normalised, without a trailing '/', relative paths taken from `base`.
fs::path resolve(const std::string& text, const fs::path& base, const EnvLookup& env) {
  fs::path path = expand_home(text, env);
  if (path.is_relative())
    path = base / path;
  path = path.lexically_normal();
  if (!path.has_filename() && path.has_relative_path())
    path = path.parent_path();
  return path;
}

fs::path current_dir() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  return ec ? fs::path("/") : cwd;
}

// `a:b:c` -> folders; empty entries (`a::b`, a trailing ':') are skipped.
std::vector<fs::path> split_path_list(const std::string& list, const EnvLookup& env) {
  std::vector<fs::path> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(':', start);
    if (end == std::string::npos)
      end = list.size();
    if (end > start)
      out.push_back(resolve(list.substr(start, end - start), current_dir(), env));
    start = end + 1;
  }
  return out;
}

std::string log_level_problem(const std::string& value) {
  return "'" + value + "' is not one of " + impl::join(log_levels());
}

bool is_string(const YAML::Node& node) {
  return node.IsScalar() && impl::yaml_to_json(node).is_string();
}

FileValues read_file(const fs::path& file, const std::string& display, const EnvLookup& env) {
  const auto text = impl::read_text_file(file);
  if (!text) {
    throw RuntimeError(ExitCode::usage, "runtime_config.not_found",
                       "runtime config not readable: " + display);
  }
  impl::Diagnostics diag(display, "runtime_config.invalid", "runtime config");
  const YAML::Node root = diag.load(*text);
  FileValues values;
  if (root.IsNull())
    return values;  // an empty file changes nothing
  if (!root.IsMap()) {
    diag.add(root.Mark(), "",
             "expected a mapping of runtime settings, got " + impl::describe(root));
    diag.raise();
  }
  const fs::path base = fs::absolute(file).parent_path();
  for (const impl::MapEntry& e : impl::map_entries(root, "", kKeys, diag)) {
    const YAML::Mark mark = impl::value_mark(e.key, e.value);
    const YAML::Node& v = e.value;
    if (v.IsNull())
      continue;  // `key:` with no value keeps the default
    if (e.name == "log_level") {
      const auto& levels = log_levels();
      if (!v.IsScalar()) {
        diag.add(mark, e.name,
                 "expected one of " + impl::join(levels) + ", got " + impl::describe(v));
      } else if (std::find(levels.begin(), levels.end(), v.Scalar()) == levels.end()) {
        diag.add(mark, e.name, log_level_problem(v.Scalar()));
      } else {
        values.log_level = v.Scalar();
      }
    } else if (e.name == "data_home") {
      if (!is_string(v)) {
        diag.add(mark, e.name, "expected a folder path string, got " + impl::describe(v));
      } else if (!v.Scalar().empty()) {
        values.data_home = resolve(v.Scalar(), base, env);
      }
    } else if (e.name == "plugin_path") {
      std::vector<fs::path> folders;
      if (is_string(v)) {
        // A single string is one folder (not ':'-split); "" means no folders.
        if (!v.Scalar().empty())
          folders.push_back(resolve(v.Scalar(), base, env));
      } else if (v.IsSequence()) {
        for (std::size_t i = 0; i < v.size(); ++i) {
          const YAML::Node item = v[i];
          const std::string path = "plugin_path[" + std::to_string(i) + "]";
          if (!is_string(item)) {
            diag.add(item.Mark(), path,
                     "expected a folder path string, got " + impl::describe(item));
          } else if (item.Scalar().empty()) {
            diag.add(item.Mark(), path, "must not be empty");
          } else {
            folders.push_back(resolve(item.Scalar(), base, env));
          }
        }
      } else {
        diag.add(mark, e.name,
                 "expected a list of folder paths (or one path), got " + impl::describe(v));
      }
      values.plugin_path = std::move(folders);
    }
  }
  diag.raise_if_any();
  return values;
}

struct Source {
  fs::path file;
  std::string display;
};

bool is_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::optional<Source> find_runtime_yaml(const RuntimeConfigOverrides& overrides,
                                        const EnvLookup& env, const fs::path& exe_dir) {
  // Named explicitly: a missing file is an error, not a reason to fall back silently.
  if (overrides.config_file) {
    const fs::path file = expand_home(overrides.config_file->string(), env);
    if (!is_file(file)) {
      throw RuntimeError(ExitCode::usage, "runtime_config.not_found",
                         "runtime config not found: " + file.string() + " (--config)");
    }
    return Source{file, file.string()};
  }
  if (auto named = env_value(env, "SYNAPSE_CONFIG")) {
    const fs::path file = expand_home(*named, env);
    if (!is_file(file)) {
      throw RuntimeError(ExitCode::usage, "runtime_config.not_found",
                         "runtime config not found: " + file.string() + " ($SYNAPSE_CONFIG)");
    }
    return Source{file, file.string()};
  }
  std::vector<fs::path> candidates;
  auto xdg = env_value(env, "XDG_CONFIG_HOME");
  if (xdg && fs::path(*xdg).is_absolute()) {
    candidates.push_back(fs::path(*xdg) / "synapse" / "runtime.yaml");
  } else if (auto home = env_value(env, "HOME")) {
    candidates.push_back(fs::path(*home) / ".config" / "synapse" / "runtime.yaml");
  }
  if (!exe_dir.empty()) {
    candidates.push_back(exe_dir / "runtime.yaml");
    candidates.push_back((exe_dir / ".." / "etc" / "synapse" / "runtime.yaml").lexically_normal());
    // The install's own sysconfdir, compiled in: with prefix /usr it is /etc, not <exe>/../etc.
    // Only with an exe_dir, i.e. for a real host run, so that tests are not steered by a file
    // this machine happens to have.
    candidates.push_back(fs::path(SYNAPSE_SYSCONF_RUNTIME_YAML).lexically_normal());
  }
  for (const auto& file : candidates) {
    if (is_file(file))
      return Source{file, file.string()};
  }
  return std::nullopt;
}

fs::path default_data_home(const EnvLookup& env) {
  // XDG says relative values must be ignored.
  auto xdg = env_value(env, "XDG_DATA_HOME");
  if (xdg && fs::path(*xdg).is_absolute())
    return (fs::path(*xdg) / "synapse").lexically_normal();
  if (auto home = env_value(env, "HOME")) {
    return resolve(*home, current_dir(), env) / ".local" / "share" / "synapse";
  }
  throw RuntimeError(ExitCode::usage, "runtime_config.invalid",
                     "no data home: set --home, $SYNAPSE_HOME, data_home in runtime.yaml, "
                     "$XDG_DATA_HOME or $HOME");
}

std::string checked_log_level(const std::string& value, const std::string& origin) {
  const auto& levels = log_levels();
  if (std::find(levels.begin(), levels.end(), value) == levels.end()) {
    throw RuntimeError(ExitCode::usage, "runtime_config.invalid",
                       origin + ": " + log_level_problem(value));
  }
  return value;
}

}  // namespace

const std::vector<std::string>& log_levels() {
  static const std::vector<std::string> values = {"trace", "debug", "info", "warn", "error", "off"};
  return values;
}

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr)
      return std::nullopt;
    return std::string(value);
  };
}

RuntimeConfig load_runtime_config(const RuntimeConfigOverrides& overrides, const EnvLookup& env,
                                  const fs::path& exe_dir) {
  RuntimeConfig config;
  std::optional<fs::path> data_home;

  if (auto source = find_runtime_yaml(overrides, env, exe_dir)) {
    FileValues file = read_file(source->file, source->display, env);
    config.source = fs::absolute(source->file).lexically_normal();
    if (file.plugin_path)
      config.plugin_path = std::move(*file.plugin_path);
    if (file.data_home)
      data_home = std::move(*file.data_home);
    if (file.log_level)
      config.log_level = *file.log_level;
  }

  // Environment, then flags. A plugin path from either REPLACES the file's list: appending
  // would make it impossible to run with exactly the folders one names.
  if (auto home = env_value(env, "SYNAPSE_HOME"))
    data_home = resolve(*home, current_dir(), env);
  if (auto list = env_value(env, "SYNAPSE_PLUGIN_PATH")) {
    config.plugin_path = split_path_list(*list, env);
  }
  if (auto level = env_value(env, "SYNAPSE_LOG_LEVEL")) {
    config.log_level = checked_log_level(*level, "$SYNAPSE_LOG_LEVEL");
  }

  if (overrides.home)
    data_home = resolve(overrides.home->string(), current_dir(), env);
  if (overrides.plugin_path)
    config.plugin_path = split_path_list(*overrides.plugin_path, env);
  if (overrides.log_level)
    config.log_level = checked_log_level(*overrides.log_level, "--log-level");

  config.data_home = data_home ? *data_home : default_data_home(env);
  return config;
}

}  // namespace synapse::runtime
