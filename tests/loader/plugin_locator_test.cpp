// library_for() on a plugin project built in place (`synapse plugin new`, then cmake in
// <dir>/build): the library staged in <dir>/build/plugin/ is found when it is the same
// code@version, and ignored otherwise.
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "common/runtime_error.hpp"
#include "loader/plugin_locator.hpp"

namespace fs = std::filesystem;
using namespace synapse::runtime;

namespace {

const std::string kFixture = "fixture_good";

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A temporary plugin project: the fixture's config.yaml at its root, nothing built yet.
class Project {
 public:
  Project() {
    dir_ = fs::temp_directory_path() /
           ("synapse-locator-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(fixture_dir() / "config.yaml", dir_ / "config.yaml");
  }
  ~Project() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }
  fs::path staged() const { return dir_ / "build" / "plugin"; }

  // Stages the fixture's library in build/plugin/ with the project's config.yaml, its version
  // replaced by `version` when given.
  void build(const std::string& version = {}) const {
    fs::create_directories(staged());
    std::string config = read_text(dir_ / "config.yaml");
    if (!version.empty())
      config = std::regex_replace(config, std::regex("version: [^\\n]*"), "version: " + version);
    std::ofstream(staged() / "config.yaml") << config;
    fs::copy_file(library(fixture_dir()), library(staged()));
  }

  static fs::path fixture_dir() { return fs::path(SYNAPSE_FIXTURE_DIR) / kFixture; }
  static fs::path library(const fs::path& dir) { return dir / ("lib" + kFixture + ".so"); }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
};

fs::path locate(const fs::path& dir) {
  const auto config = read_plugin_config(dir);
  REQUIRE(config.find_action("echo") != nullptr);
  return library_for(config, *config.find_action("echo"), {});
}

}  // namespace

TEST_CASE("library_for uses the library built in <dir>/build/plugin", "[loader][locator]") {
  Project project;
  project.build();
  CHECK(locate(project.dir()) == Project::library(project.staged()));
}

TEST_CASE("library_for prefers a library in the folder itself over build/plugin",
          "[loader][locator]") {
  Project project;
  project.build();
  fs::copy_file(Project::library(Project::fixture_dir()), Project::library(project.dir()));
  CHECK(locate(project.dir()) == Project::library(project.dir()));
}

TEST_CASE("library_for ignores a build/plugin of another version", "[loader][locator]") {
  Project project;
  project.build("9.9.9");
  try {
    locate(project.dir());
    FAIL("expected loader.not_found");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "loader.not_found");
    CHECK_THAT(e.message(), Catch::Matchers::Contains((project.staged()).string()));
  }
}

TEST_CASE("library_for without any build names where it looked", "[loader][locator]") {
  Project project;
  try {
    locate(project.dir());
    FAIL("expected loader.not_found");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "loader.not_found");
    CHECK_THAT(e.message(), Catch::Matchers::Contains("build the plugin first"));
  }
}
