// Runs the built `synapse` executable as a child process for the CLI tests.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cli_test {

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh data home and plugin path (built plugins + fixtures) for one test.
class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Runs synapse with `args`, SYNAPSE_HOME and SYNAPSE_PLUGIN_PATH set to the sandbox's.
  Result run(const std::vector<std::string>& args) const;

  // Starts synapse in the background with stdout/stderr sent to files in the sandbox.
  pid_t start(const std::vector<std::string>& args) const;
  // Waits for a child started with start(); returns its exit code (128+signal if killed).
  static int wait(pid_t pid);

  const std::filesystem::path& home() const { return home_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::filesystem::path home_;
};

std::string read_file(const std::filesystem::path& file);

}  // namespace cli_test
