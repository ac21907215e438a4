// `synapse plugin new` run as a process: each template renders completely (no `{{` left, a
// config.yaml that reads back with the given values), every refusal has its id and leaves
// nothing behind, and --force writes into an existing project.
#include <fstream>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/runtime_error.hpp"
#include "config/plugin_config.hpp"
#include "new_process.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using plugin_new_test::files_below;
using plugin_new_test::read_file;
using plugin_new_test::Result;
using plugin_new_test::Sandbox;
using synapse::runtime::read_plugin_config;

namespace {

struct Expected {
  std::string code;
  std::string category;
  std::string action;
  std::string alias;
  std::string identifier;
};

Result create(const Sandbox& sandbox, const Expected& e, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {
      "plugin",  "new",       e.code,   "--category",    e.category,
      "--dir",   e.code,      "--name", "Test Plugin",   "--author",
      "Ann Lee", "--version", "1.2.3",  "--description", "Does a test thing."};
  args.insert(args.end(), extra.begin(), extra.end());
  return sandbox.run(args);
}

// No file of the project holds a placeholder the renderer left.
void check_no_placeholders(const fs::path& dir) {
  for (const auto& file : files_below(dir)) {
    INFO(file);
    CHECK(read_file(dir / file).find("{{") == std::string::npos);
    CHECK(file.find("{{") == std::string::npos);
  }
}

// No staging folder (.<name>.synapse-new-XXXXXX) is left in `parent`.
void check_no_staging(const fs::path& parent) {
  for (const auto& entry : fs::directory_iterator(parent)) {
    INFO(entry.path().string());
    CHECK(entry.path().filename().string().find(".synapse-new-") == std::string::npos);
  }
}

void check_project(const Sandbox& sandbox, const Expected& e) {
  const fs::path dir = sandbox.dir() / e.code;
  const auto files = files_below(dir);
  for (const char* needed : {".gitignore", "CMakeLists.txt", "README.md", "config.yaml"})
    CHECK(std::find(files.begin(), files.end(), needed) != files.end());
  CHECK(std::count_if(files.begin(), files.end(),
                      [](const std::string& f) { return f.rfind("src/", 0) == 0; }) >= 2);
  CHECK(std::count_if(files.begin(), files.end(), [](const std::string& f) {
          return f.rfind("tests/", 0) == 0 && f.ends_with("_test.cpp");
        }) == 1);
  check_no_placeholders(dir);
  check_no_staging(sandbox.dir());

  const auto config = read_plugin_config(dir);
  CHECK(config.code == e.code);
  CHECK(config.name == "Test Plugin");
  CHECK(config.version == "1.2.3");
  CHECK(config.category == e.category);
  CHECK(config.description == "Does a test thing.");
  REQUIRE(config.actions.size() == 1);
  CHECK(config.actions[0].name == e.action);
  CHECK(config.actions[0].entrypoint == "lib" + e.identifier + ".so:" + e.alias);
  CHECK_THAT(read_file(dir / "config.yaml"), Contains("# Author: Ann Lee"));
  CHECK_THAT(read_file(dir / "README.md"), Contains("by Ann Lee"));

  const std::string cmake = read_file(dir / "CMakeLists.txt");
  CHECK_THAT(cmake, Contains("project(" + e.identifier + " VERSION 1.2.3 LANGUAGES CXX)"));
  CHECK_THAT(cmake, Contains("synapse_add_plugin(" + e.identifier + " SOURCES"));
  CHECK_THAT(cmake, Contains("synapse_add_plugin_library(" + e.identifier + "_core"));
  CHECK_THAT(cmake, Contains("find_package(SynapseSDK 0.1 REQUIRED)"));
  // The library's category must be config.yaml's, or the host refuses the plugin.
  CHECK_THAT(read_file(dir / "src" / "plugin.cpp"), Contains("SYNAPSE_PLUGIN(" + e.category + ")"));
}

}  // namespace

TEST_CASE("plugin new renders the upload template", "[plugin_new]") {
  Sandbox sandbox;
  const Expected e{"my-upload", "upload", "upload", "Uploader", "my_upload"};
  const auto r = create(sandbox, e, {});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  check_project(sandbox, e);
  CHECK_THAT(r.out, Contains("Created upload plugin my-upload 1.2.3"));
  CHECK_THAT(r.out, Contains("synapse run my-upload upload --params"));
  const auto config = read_plugin_config(sandbox.dir() / e.code);
  // The ui_schema example of Python's template, which the host's FormKit checks accept.
  const auto& ui = config.actions[0].ui_schema;
  REQUIRE(ui.is_array());
  REQUIRE(ui.size() == 3);
  CHECK(ui[0]["$formkit"] == "radio");
  CHECK(ui[0]["name"] == "file_format");
  CHECK(ui[1]["name"] == "include_metadata");
  CHECK(ui[2]["name"] == "custom_tag");
  CHECK(config.actions[0].progress_categories.size() == 3);
  CHECK_THAT(read_file(sandbox.dir() / e.code / "src" / "uploader.cpp"),
             Contains("insert_after(\"organize_files\""));
}

TEST_CASE("plugin new renders the export template", "[plugin_new]") {
  Sandbox sandbox;
  const Expected e{"coco-plus", "export", "export", "Exporter", "coco_plus"};
  const auto r = create(sandbox, e, {});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  check_project(sandbox, e);
  const auto config = read_plugin_config(sandbox.dir() / e.code);
  REQUIRE(config.actions[0].progress_categories.size() == 1);
  CHECK(config.actions[0].progress_categories[0].name == "dataset_conversion");
  CHECK(config.actions[0].progress_categories[0].proportion == 100);
  CHECK(config.actions[0].metrics_categories.contains("data_file"));
}

TEST_CASE("plugin new renders the generic template for other categories", "[plugin_new]") {
  Sandbox sandbox;
  SECTION("custom") {
    const Expected e{"my_tool", "custom", "run", "Action", "my_tool"};
    const auto r = create(sandbox, e, {});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    check_project(sandbox, e);
    const auto config = read_plugin_config(sandbox.dir() / e.code);
    CHECK(config.actions[0].params_schema["properties"].contains("count"));
    CHECK_THAT(r.out, Contains("synapse run my_tool run --params"));
  }
  SECTION("neural_net: the category's main action, the category in the library") {
    const Expected e{"tiny-det", "neural_net", "train", "Action", "tiny_det"};
    const auto r = create(sandbox, e, {});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    check_project(sandbox, e);
  }
  SECTION("a code that starts with a digit gets a valid identifier") {
    const Expected e{"3d-check", "data_validation", "validation", "Action", "plugin_3d_check"};
    const auto r = create(sandbox, e, {});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    check_project(sandbox, e);
  }
}

TEST_CASE("plugin new fills in the defaults", "[plugin_new]") {
  Sandbox sandbox;
  fs::create_directories(sandbox.dir() / "work");
  const auto r = sandbox.run({"plugin", "new", "cam-lidar_upload", "--category", "upload"},
                             {{"USER", "tester"}}, sandbox.dir() / "work");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path dir = sandbox.dir() / "work" / "cam-lidar_upload";  // ./<code>
  const auto config = read_plugin_config(dir);
  CHECK(config.name == "Cam Lidar Upload");
  CHECK(config.version == "0.1.0");
  CHECK(config.description == "A synapse upload plugin.");
  CHECK_THAT(read_file(dir / "config.yaml"), Contains("# Author: tester"));
}

TEST_CASE("plugin new quotes YAML-special names and descriptions", "[plugin_new]") {
  Sandbox sandbox;
  const std::string name = R"(Cam: "Lidar" #1 \ all)";
  const auto r = sandbox.run({"plugin", "new", "odd", "--category", "export", "--dir", "odd",
                              "--name", name, "--description", "- a: b", "--author", "x"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto config = read_plugin_config(sandbox.dir() / "odd");
  CHECK(config.name == name);
  CHECK(config.description == "- a: b");
}

TEST_CASE("plugin new --json describes what it created", "[plugin_new]") {
  Sandbox sandbox;
  const auto r = sandbox.run(
      {"plugin", "new", "j", "--category", "smart_tool", "--dir", "j", "--author", "x", "--json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const auto out = nlohmann::json::parse(r.out);
  CHECK(out["code"] == "j");
  CHECK(out["category"] == "smart_tool");
  CHECK(fs::equivalent(out["dir"].get<std::string>(), sandbox.dir() / "j"));
  CHECK(out["files"].size() == files_below(sandbox.dir() / "j").size());
  CHECK_THAT(out["run"].get<std::string>(), Contains("synapse run j auto_label"));
}
