#include "new_process.hpp"

#include "process.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace plugin_new_test {

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> files_below(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file())
      files.push_back(entry.path().lexically_relative(dir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Sandbox::Sandbox() {
  static std::atomic<int> counter{0};
  dir_ = fs::temp_directory_path() /
         ("synapse-plugin-new-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  fs::create_directories(dir_ / "home");
  std::ofstream(dir_ / "runtime.yaml") << "# empty: defaults + environment\n";
}

Sandbox::~Sandbox() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Result Sandbox::run(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env, const fs::path& cwd) const {
  test_support::ProcessOptions options;
  options.cwd = cwd.empty() ? dir_ : cwd;
  options.unset_prefixes = {"SYNAPSE_", "GIT_"};
  options.env["USER"] = std::nullopt;
  options.env["HOME"] = (dir_ / "home").string();
  options.env["GIT_CONFIG_NOSYSTEM"] = "1";
  options.env["SYNAPSE_CONFIG"] = (dir_ / "runtime.yaml").string();
  options.env["SYNAPSE_HOME"] = (dir_ / "home" / "data").string();
  for (const auto& [key, value] : env)
    options.env[key] = value;
  std::vector<std::string> argv{SYNAPSE_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto r = test_support::run_process(argv, options);
  return Result{r.exit_code, r.out, r.err};
}

}  // namespace plugin_new_test
