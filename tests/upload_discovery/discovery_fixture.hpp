// Shared by the upload discovery tests: a temp folder to build trees in, the local storage over
// it, and a helper that runs a strategy and collects its units.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "storage/local_storage.hpp"
#include "upload/discovery/file_discovery.hpp"

namespace discovery_test {

namespace fs = std::filesystem;
using namespace synapse::runtime::upload;

struct Tree {
  fs::path dir;
  std::unique_ptr<synapse::Storage> storage;

  Tree() {
    std::string pattern = (fs::temp_directory_path() / "upload-discovery-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    storage = synapse::runtime::make_local_storage({{"location", dir.string()}});
  }
  ~Tree() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  void add(std::initializer_list<std::string> paths) const {
    for (const auto& path : paths) {
      fs::create_directories((dir / path).parent_path());
      std::ofstream(dir / path) << path;
    }
  }
  void folder(const std::string& path) const { fs::create_directories(dir / path); }
};

inline synapse::FileSpecification spec(std::string name, std::vector<std::string> extensions,
                                       bool required = true) {
  return {std::move(name), "", std::move(extensions), required, ""};
}

struct Result {
  std::vector<OrganizedUnit> units;
  DiscoveryReport report;
};

inline Result run(const std::string& strategy, Tree& tree, const std::string& root,
                  const std::vector<synapse::FileSpecification>& specs,
                  const DiscoveryOptions& options = {}) {
  Result result;
  make_file_discovery(strategy)->discover(
      *tree.storage, root, specs, options,
      [&result](OrganizedUnit&& unit) { result.units.push_back(std::move(unit)); }, result.report);
  return result;
}

inline std::vector<std::string> keys(const Result& result) {
  std::vector<std::string> out;
  for (const auto& unit : result.units) {
    out.push_back(unit.key);
  }
  return out;
}

using Files = std::map<std::string, std::string>;

}  // namespace discovery_test
