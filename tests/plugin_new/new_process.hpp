// Runs the built `synapse` in a folder of its own for the `plugin new` tests, with a clean
// environment: no SYNAPSE_* variable from the caller, HOME in the sandbox (so no git identity of
// the user's leaks into the default author), plus what a test adds.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace plugin_new_test {

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Runs synapse with `args` in dir() (or `cwd`), with `env` added to the environment.
  Result run(const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {},
             const std::filesystem::path& cwd = {}) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

std::string read_file(const std::filesystem::path& file);

// Every regular file below `dir`, relative, sorted.
std::vector<std::string> files_below(const std::filesystem::path& dir);

}  // namespace plugin_new_test
