// Runs a program as a child process for the tests that drive real commands (synapse, cmake,
// ctest, pkg-config, g++): argv[0] is looked up in PATH, the environment is the test's with
// changes applied, stdout and stderr are captured.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace test_support {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  // "exit 2 from `cmake --build ...`\nstdout: ...\nstderr: ..." for test messages.
  std::string describe(const std::vector<std::string>& argv) const;
};

struct ProcessOptions {
  std::filesystem::path cwd;  // empty: the test's
  // Variables to set; std::nullopt removes the variable.
  std::map<std::string, std::optional<std::string>> env;
  // Every variable whose name starts with one of these is removed first (e.g. "SYNAPSE_").
  std::vector<std::string> unset_prefixes;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace test_support
