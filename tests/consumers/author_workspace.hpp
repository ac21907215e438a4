// A plugin author's machine in a folder: its own HOME and data home, the SDK installed by the
// `consumers.install_sdk` ctest fixture into SYNAPSE_CONSUMER_PREFIX, and helpers to run the
// commands an author types (synapse, cmake, ctest, pkg-config, g++).
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace consumers_test {

namespace fs = std::filesystem;
using nlohmann::json;

inline const fs::path kPrefix = SYNAPSE_CONSUMER_PREFIX;
inline const fs::path kSource = SYNAPSE_SOURCE_DIR;
// The build tree's synapse: the add_subdirectory form has no installed one.
inline const fs::path kBuildTreeSynapse = SYNAPSE_EXE;

class AuthorWorkspace {
 public:
  explicit AuthorWorkspace(const std::string& name);
  ~AuthorWorkspace();
  AuthorWorkspace(const AuthorWorkspace&) = delete;
  AuthorWorkspace& operator=(const AuthorWorkspace&) = delete;

  const fs::path& dir() const { return dir_; }
  fs::path home() const { return dir_ / "home"; }
  fs::path data_home() const { return dir_ / "data"; }
  // The installed synapse, as on the author's PATH.
  fs::path synapse() const { return kPrefix / "bin" / "synapse"; }

  test_support::ProcessResult run(const std::vector<std::string>& argv,
                                  const fs::path& cwd = {}) const;
  // run() that must exit 0; the test stops with the command's output otherwise.
  test_support::ProcessResult ok(const std::vector<std::string>& argv,
                                 const fs::path& cwd = {}) const;

  // `cmake -S project -B project/build` (Ninja, ccache when present, extra args), build, ctest.
  void build_and_test(const fs::path& project, const std::vector<std::string>& cmake_args) const;

  // tools/sample-catalog.sh with this synapse: storages samples + exports, the sample
  // collection and project, the sample images uploaded by `uploader`, annotations imported.
  void sample_catalog(const std::string& uploader, const fs::path& synapse) const;

  // The JSON result `synapse run` prints on stdout.
  static json result_of(const test_support::ProcessResult& run);

 private:
  fs::path dir_;
};

}  // namespace consumers_test
