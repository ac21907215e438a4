// config.yaml reader errors: every kind of mistake is reported with its exact text
// (file:line:column, key path), all problems of a file at once, in file order.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/runtime_error.hpp"
#include "config/plugin_config.hpp"

using synapse::runtime::ActionConfig;
using synapse::runtime::ExitCode;
using synapse::runtime::parse_plugin_config;
using synapse::runtime::PluginConfig;
using synapse::runtime::RuntimeError;

namespace {

// A valid config; tests append to it or replace lines.
const std::string kHeader =
    "name: Demo\n"
    "code: demo\n"
    "version: 1.0.0\n"
    "category: upload\n";

// The detail lines of the config.invalid error `yaml` raises (fails the test if none).
std::vector<std::string> problems(const std::string& yaml) {
  try {
    parse_plugin_config(yaml, "config.yaml");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "config.invalid");
    CHECK(e.exit_code() == ExitCode::usage);
    return e.details();
  }
  FAIL("expected config.invalid for:\n" << yaml);
  return {};
}

std::string only_problem(const std::string& yaml) {
  const auto details = problems(yaml);
  REQUIRE(details.size() == 1);
  return details.front();
}

ActionConfig single_action(const std::string& actions_yaml) {
  const PluginConfig config = parse_plugin_config(kHeader + "actions:\n" + actions_yaml, "t.yaml");
  REQUIRE(config.actions.size() == 1);
  return config.actions.front();
}

}  // namespace

TEST_CASE("an unknown top-level key is reported with the allowed keys", "[config][errors]") {
  CHECK(only_problem(kHeader + "colour: red\nactions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:5:1: colour: unknown key; allowed keys are: name, code, version, category, "
        "description, readme, package_manager, package_manager_options, data_type, tasks, task, "
        "supported_data_type, annotation_category, annotation_type, smart_tool, actions, "
        "wheels_dir");
}

TEST_CASE("an unknown action key is reported with the allowed action keys", "[config][errors]") {
  CHECK(only_problem(kHeader + "actions:\n  upload:\n    entrypoint: A\n    colour: red\n") ==
        "config.yaml:8:5: actions.upload.colour: unknown key; allowed keys are: entrypoint, "
        "method, description, ui_schema, options, supported_data_type, excel_config, dataset, "
        "hyperparameters, metrics, visualizations, endpoints, model, directory, input_type, "
        "params_schema, progress_categories, metrics_categories");
}

TEST_CASE("missing required keys are reported at the enclosing mapping", "[config][errors]") {
  CHECK(problems("name: Demo\nversion: 1.0.0\n") ==
        std::vector<std::string>{"config.yaml:1:1: code: required key is missing",
                                 "config.yaml:1:1: category: required key is missing",
                                 "config.yaml:1:1: actions: required key is missing"});
  CHECK(only_problem(kHeader + "actions:\n  upload:\n    method: job\n") ==
        "config.yaml:7:5: actions.upload.entrypoint: required key is missing (only methods "
        "restapi and serve may omit it)");
  CHECK(only_problem(kHeader + "actions: {}\n") ==
        "config.yaml:5:1: actions: at least one action is required");
}

TEST_CASE("enum values outside their lists are reported with the allowed values",
          "[config][errors]") {
  CHECK(only_problem("name: Demo\ncode: demo\nversion: 1.0.0\ncategory: uploader\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:4:1: category: 'uploader' is not one of neural_net, export, upload, "
        "smart_tool, post_annotation, pre_annotation, data_validation, custom");
  CHECK(only_problem(kHeader + "actions:\n  upload:\n    entrypoint: A\n    method: jobs\n") ==
        "config.yaml:8:5: actions.upload.method: 'jobs' is not one of job, task, restapi, serve");
  CHECK(only_problem(kHeader + "data_type: lidar\nactions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:5:1: data_type: 'lidar' is not one of image, text, video, pcd, audio");
  CHECK(only_problem(kHeader + "package_manager: conda\nactions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:5:1: package_manager: 'conda' is not one of pip, uv");
  CHECK(only_problem(kHeader + "actions:\n  a:\n    entrypoint: A\n    method: [job]\n") ==
        "config.yaml:8:5: actions.a.method: expected one of job, task, restapi, serve, got a "
        "list");
  CHECK(only_problem(kHeader +
                     "actions:\n  a:\n    entrypoint: A\n    supported_data_type: [image, x]\n") ==
        "config.yaml:8:34: actions.a.supported_data_type[1]: 'x' is not one of image, text, "
        "video, pcd, audio");
}

TEST_CASE("values of the wrong type say what was expected and what was found", "[config][errors]") {
  CHECK(only_problem("name: Demo\ncode: demo\ncategory: upload\nversion: {major: 1}\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:4:1: version: expected a string like 1.2.3, got a mapping");
  CHECK(only_problem("name: 2024\ncode: demo\nversion: 1.0.0\ncategory: upload\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:1:1: name: expected a string, got an integer (2024)");
  CHECK(only_problem(kHeader + "description: true\nactions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:5:1: description: expected a string, got a boolean (true)");
  CHECK(only_problem(kHeader + "actions: [upload]\n") ==
        "config.yaml:5:1: actions: expected a mapping of action name to action settings, got a "
        "list");
  CHECK(only_problem(kHeader + "actions:\n  upload: plugin.upload.Uploader\n") ==
        "config.yaml:6:3: actions.upload: expected a mapping of action settings, got a string "
        "('plugin.upload.Uploader')");
  CHECK(only_problem(kHeader + "tasks: image.detection\nactions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:5:1: tasks: expected a list of strings, got a string ('image.detection')");
  CHECK(only_problem(kHeader + "actions:\n  a:\n    entrypoint: A\n    params_schema: [x]\n") ==
        "config.yaml:8:5: actions.a.params_schema: expected a JSON Schema mapping, got a list");
  CHECK(only_problem(kHeader + "actions:\n  a:\n    entrypoint: A\n    ui_schema: 5\n") ==
        "config.yaml:8:5: actions.a.ui_schema: expected a list of FormKit nodes, got an integer "
        "(5)");
}

TEST_CASE("an empty value is reported at its key, not at the next line", "[config][errors]") {
  CHECK(only_problem("name: Demo\ncode: demo\nversion:\ncategory: upload\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:3:1: version: expected a string like 1.2.3, got null");
  CHECK(only_problem(kHeader + "actions:\n  upload:\n  other:\n    entrypoint: A\n") ==
        "config.yaml:6:3: actions.upload: expected a mapping of action settings, got null");
}

TEST_CASE("code, version, task and action names must match their patterns", "[config][errors]") {
  CHECK(only_problem("name: Demo\ncode: My Plugin\nversion: 1.0.0\ncategory: upload\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:2:1: code: 'My Plugin' must match ^[a-z0-9_-]+$ (lowercase letters, "
        "digits, _ and -)");
  CHECK(only_problem("name: Demo\ncode: demo\nversion: '1.2'\ncategory: upload\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:3:1: version: '1.2' is not a version like 1.2.3 (X.Y.Z, optionally "
        "-prerelease and +build)");
  CHECK(only_problem("name: Demo\ncode: demo\nversion: 1.2\ncategory: upload\n"
                     "actions:\n  a:\n    entrypoint: A\n") ==
        "config.yaml:3:1: version: expected a string like 1.2.3, got a number (1.2)");
  CHECK(problems(kHeader + "tasks: [image.detection, Image, image.detection]\n"
                           "actions:\n  a:\n    entrypoint: A\n") ==
        std::vector<std::string>{
            "config.yaml:5:26: tasks[1]: 'Image' must look like <data_type>.<task>, e.g. "
            "image.object_detection",
            "config.yaml:5:33: tasks[2]: 'image.detection' is listed twice"});
  CHECK(only_problem(kHeader + "actions:\n  Upload-1:\n    entrypoint: A\n") ==
        "config.yaml:6:3: actions.Upload-1: action name must match ^[a-z_][a-z0-9_]*$ "
        "(lowercase letters, digits, _)");
}

TEST_CASE("malformed entrypoints are reported with the expected forms", "[config][errors]") {
  const auto problem_for = [](const std::string& entrypoint) {
    return only_problem(kHeader + "actions:\n  up:\n    entrypoint: '" + entrypoint + "'\n");
  };
  const std::string at = "config.yaml:7:5: actions.up.entrypoint: ";
  const std::string forms = "; expected '<library>.so:<Alias>' or '<Alias>'";
  CHECK(problem_for("lib.so:") ==
        at + "'lib.so:' is not a valid entrypoint (the alias after ':' is empty)" + forms);
  CHECK(problem_for(":X") ==
        at + "':X' is not a valid entrypoint (the library before ':' is empty)" + forms);
  CHECK(problem_for("lib.so:9bad") ==
        at + "'lib.so:9bad' is not a valid entrypoint (the alias '9bad' is not a C identifier)" +
            forms);
  CHECK(problem_for("foo bar") ==
        at + "'foo bar' is not a valid entrypoint (an alias must be a C identifier)" + forms);
  CHECK(problem_for("lib/x.so:X") ==
        at +
            "'lib/x.so:X' is not a valid entrypoint (the library must be a file name in the "
            "plugin folder, without '/')" +
            forms);
  CHECK(problem_for("libx.so") ==
        at + "'libx.so' is not a valid entrypoint (a library needs an alias: 'libx.so:<Alias>')" +
            forms);
  CHECK(problem_for("lib x:X") ==
        at + "'lib x:X' is not a valid entrypoint (the library 'lib x' does not end in .so)" +
            forms);
  CHECK(problem_for("") == at + "'' is not a valid entrypoint (it is empty)" + forms);
}

TEST_CASE("progress categories are integers that sum to 100", "[config][errors]") {
  CHECK(only_problem(
            kHeader +
            "actions:\n  a:\n    entrypoint: A\n    progress_categories: {x: 10, y: 20}\n") ==
        "config.yaml:8:5: actions.a.progress_categories: proportions sum to 30, they must sum to "
        "100");
  CHECK(problems(kHeader + "actions:\n  a:\n    entrypoint: A\n    progress_categories:\n"
                           "      x: '50'\n      y: -5\n      z: 1.5\n") ==
        std::vector<std::string>{
            "config.yaml:9:7: actions.a.progress_categories.x: expected an integer from 0 to "
            "100, got a string ('50')",
            "config.yaml:10:7: actions.a.progress_categories.y: expected an integer from 0 to "
            "100, got an integer (-5)",
            "config.yaml:11:7: actions.a.progress_categories.z: expected an integer from 0 to "
            "100, got a number (1.5)"});
  const ActionConfig a =
      single_action("  a:\n    entrypoint: A\n    progress_categories: {b: 0, a: 40, c: 60}\n");
  REQUIRE(a.progress_categories.size() == 3);
  CHECK(a.progress_categories[0].name == "b");  // declaration order, not sorted
  CHECK(a.progress_categories[2].proportion == 60);
}

TEST_CASE("a duplicate key is an error pointing at the second one", "[config][errors]") {
  CHECK(only_problem(kHeader + "actions:\n  a:\n    entrypoint: A\n    entrypoint: B\n") ==
        "config.yaml:8:5: actions.a.entrypoint: duplicate key (first defined at line 7)");
}

TEST_CASE("a YAML syntax error is one problem with the yaml-cpp mark", "[config][errors]") {
  try {
    parse_plugin_config("name: Demo\ncode: [demo\nversion: 1.0.0\n", "plugins/x/config.yaml");
    FAIL("no error");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "config.invalid");
    CHECK(e.message() == "plugins/x/config.yaml: 1 problem in plugin config");
    CHECK(e.details() ==
          std::vector<std::string>{"plugins/x/config.yaml:3:8: end of sequence flow not found"});
  }
  CHECK(only_problem("name: Demo\n  code: demo\n") == "config.yaml:2:7: illegal map value");
}

TEST_CASE("a document that is not a mapping is rejected", "[config][errors]") {
  CHECK(only_problem("") ==
        "config.yaml:1:1: the file is empty; expected a mapping of plugin "
        "settings");
  CHECK(only_problem("- name\n") ==
        "config.yaml:1:1: expected a mapping of plugin settings, got a list");
}

TEST_CASE("all problems of a file are reported together, in file order", "[config][errors]") {
  const std::string yaml =
      "name: Demo\n"
      "code: Demo\n"
      "colour: red\n"
      "category: uploader\n"
      "actions:\n"
      "  upload:\n"
      "    entrypoint: 'lib.so:'\n"
      "    method: jobs\n"
      "    progress_categories: {a: 50}\n";
  try {
    parse_plugin_config(yaml, "config.yaml");
    FAIL("no error");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "config.invalid");
    CHECK(e.exit_code() == ExitCode::usage);
    CHECK(e.message() == "config.yaml: 7 problems in plugin config");
    REQUIRE(e.details().size() == 7);
    CHECK(e.details()[0] == "config.yaml:1:1: version: required key is missing");
    CHECK(e.details()[1].starts_with("config.yaml:2:1: code: 'Demo' must match"));
    CHECK(e.details()[2].starts_with("config.yaml:3:1: colour: unknown key"));
    CHECK(e.details()[3].starts_with("config.yaml:4:1: category: 'uploader' is not one of"));
    CHECK(e.details()[4].starts_with("config.yaml:7:5: actions.upload.entrypoint: 'lib.so:'"));
    CHECK(e.details()[5].starts_with("config.yaml:8:5: actions.upload.method: 'jobs'"));
    CHECK(e.details()[6] ==
          "config.yaml:9:5: actions.upload.progress_categories: proportions sum to 50, they "
          "must sum to 100");
    CHECK(
        e.render().starts_with("error[config.invalid]: config.yaml: 7 problems in plugin "
                               "config\n  config.yaml:1:1: version: required key is missing\n"));
  }
}
