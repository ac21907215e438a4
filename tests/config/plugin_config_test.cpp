// config.yaml reader: the spec's examples and the repo's plugins parse, every accepted form
// yields the expected values. Errors are in plugin_config_errors_test.cpp.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "common/runtime_error.hpp"
#include "config/plugin_config.hpp"

using synapse::runtime::ActionConfig;
using synapse::runtime::ExitCode;
using synapse::runtime::parse_plugin_config;
using synapse::runtime::PluginConfig;
using synapse::runtime::read_plugin_config;
using synapse::runtime::RuntimeError;

namespace {

const std::string kConfigsDir = std::string(SYNAPSE_TEST_DATA_DIR) + "/configs";

// A valid config; tests append to it or replace lines.
const std::string kHeader =
    "name: Demo\n"
    "code: demo\n"
    "version: 1.0.0\n"
    "category: upload\n";

ActionConfig single_action(const std::string& actions_yaml) {
  const PluginConfig config = parse_plugin_config(kHeader + "actions:\n" + actions_yaml, "t.yaml");
  REQUIRE(config.actions.size() == 1);
  return config.actions.front();
}

}  // namespace

TEST_CASE("a C++ plugin config yields its fields, the library and the alias", "[config]") {
  const PluginConfig config = parse_plugin_config(kHeader +
                                                      "description: Demo uploader\n"
                                                      "actions:\n"
                                                      "  upload:\n"
                                                      "    entrypoint: libdemo.so:Uploader\n",
                                                  "config.yaml", "/plugins/demo");
  CHECK(config.name == "Demo");
  CHECK(config.code == "demo");
  CHECK(config.version == "1.0.0");
  CHECK(config.category == "upload");
  CHECK(config.description == "Demo uploader");
  CHECK(config.file == "config.yaml");
  CHECK(config.dir == "/plugins/demo");
  REQUIRE(config.actions.size() == 1);
  const ActionConfig& action = config.actions[0];
  CHECK(action.name == "upload");
  CHECK(action.entrypoint == "libdemo.so:Uploader");
  CHECK(action.library == "libdemo.so");
  CHECK(action.alias == "Uploader");
  CHECK_FALSE(action.python_entrypoint);
  CHECK(action.method == "job");
  CHECK(action.params_schema.is_null());
  CHECK(action.ui_schema.is_null());
  CHECK(action.metrics_categories.is_null());
  CHECK(action.progress_categories.empty());
  CHECK(action.raw == nlohmann::json{{"entrypoint", "libdemo.so:Uploader"}});
  CHECK(config.raw["code"] == "demo");
}

TEST_CASE("the spec's upload example (§7) parses", "[config][spec]") {
  const std::string file = kConfigsDir + "/spec_upload.yaml";
  const PluginConfig config = read_plugin_config(file);
  CHECK(config.file == file);
  CHECK(config.dir == kConfigsDir);
  CHECK(config.name == "Camera + LiDAR Uploader");
  CHECK(config.code == "cam-lidar-upload");
  CHECK(config.version == "1.2.0");
  CHECK(config.category == "upload");
  CHECK(config.raw["package_manager"] == "uv");
  CHECK(config.raw["package_manager_options"] ==
        nlohmann::json{"--index-strategy", "unsafe-best-match"});
  CHECK(config.action_names() == std::vector<std::string>{"upload"});
  const ActionConfig* upload = config.find_action("upload");
  REQUIRE(upload != nullptr);
  CHECK(upload->entrypoint == "plugin.upload.Uploader");
  CHECK(upload->python_entrypoint);
  CHECK(upload->library.empty());
  CHECK(upload->alias.empty());
  CHECK(upload->method == "job");
  CHECK(upload->raw["supported_data_type"] == "image");
  CHECK(upload->raw["excel_config"]["max_rows"] == 50000);
  REQUIRE(upload->ui_schema.is_array());
  REQUIRE(upload->ui_schema.size() == 2);
  CHECK(upload->ui_schema[0]["$formkit"] == "select");
  CHECK(upload->ui_schema[0]["value"] == "10");  // quoted: stays a string
  CHECK(upload->ui_schema[0]["options"][1] == nlohmann::json{{"label", "20 Hz"}, {"value", "20"}});
  CHECK(upload->ui_schema[1]["value"] == true);
}

TEST_CASE("the spec's export example (§8) parses", "[config][spec]") {
  const PluginConfig config = read_plugin_config(kConfigsDir + "/spec_export.yaml");
  CHECK(config.name == "COCO Exporter");
  CHECK(config.code == "coco-export");
  CHECK(config.version == "0.3.1");
  CHECK(config.category == "export");
  CHECK(config.raw["package_manager"] == "pip");
  CHECK(config.action_names() == std::vector<std::string>{"export"});
  const ActionConfig& exporter = config.actions.at(0);
  CHECK(exporter.entrypoint == "plugin.export.Exporter");
  CHECK(exporter.python_entrypoint);
  CHECK(exporter.method == "job");
  REQUIRE(exporter.ui_schema.size() == 1);
  CHECK(exporter.ui_schema[0]["name"] == "split");
  CHECK(exporter.ui_schema[0]["value"] == "train");
  CHECK(exporter.ui_schema[0]["options"].size() == 2);
}

TEST_CASE("the spec's neural_net example (§9) parses, restapi without entrypoint",
          "[config][spec]") {
  const PluginConfig config = read_plugin_config(kConfigsDir + "/spec_neural_net.yaml");
  CHECK(config.name == "Tiny Detector");
  CHECK(config.category == "neural_net");
  CHECK(config.raw["data_type"] == "image");
  CHECK(config.raw["tasks"] == nlohmann::json{"image.object_detection"});
  CHECK(config.action_names() == std::vector<std::string>{"train", "inference", "deployment"});
  const ActionConfig* train = config.find_action("train");
  REQUIRE(train != nullptr);
  CHECK(train->entrypoint == "plugin.train.train");
  CHECK(train->python_entrypoint);
  CHECK(train->raw["hyperparameters"]["ui_schemas"][0]["value"] == 50);
  CHECK(train->raw["metrics"]["epoch"] == nlohmann::json{"loss", "map50"});
  CHECK(train->raw["options"]["visualize"] == false);
  const ActionConfig* inference = config.find_action("inference");
  REQUIRE(inference != nullptr);
  CHECK(inference->method == "restapi");
  CHECK(inference->entrypoint.empty());
  CHECK_FALSE(inference->python_entrypoint);
  CHECK(inference->raw["endpoints"][0]["path"] == "/predict");
  CHECK(config.find_action("deployment")->entrypoint == "plugin.inference.TinyDetInference");
  CHECK(config.find_action("tune") == nullptr);
}

TEST_CASE("the repo's hello plugin config parses from its folder", "[config]") {
  const std::string dir = std::string(SYNAPSE_SOURCE_DIR) + "/plugins/hello";
  const PluginConfig config = read_plugin_config(dir);
  CHECK(config.file == std::filesystem::path(dir) / "config.yaml");
  CHECK(config.dir == dir);
  CHECK(config.code == "hello");
  CHECK(config.category == "custom");
  const ActionConfig* greet = config.find_action("greet");
  REQUIRE(greet != nullptr);
  CHECK(greet->library == "libhello.so");
  CHECK(greet->alias == "Greet");
  CHECK(greet->method == "job");
  REQUIRE(greet->progress_categories.size() == 2);
  CHECK(greet->progress_categories[0].name == "prepare");
  CHECK(greet->progress_categories[0].proportion == 10);
  CHECK(greet->progress_categories[1].name == "greet");
  CHECK(greet->progress_categories[1].proportion == 90);
  CHECK(greet->params_schema["required"] == nlohmann::json{"name"});
  CHECK(greet->params_schema["properties"]["steps"]["default"] == 5);
  CHECK(greet->params_schema["additionalProperties"] == false);
  REQUIRE(greet->ui_schema.size() == 2);
  CHECK(greet->ui_schema[1]["value"] == false);
}

TEST_CASE("a missing config file is config.not_found naming the file", "[config]") {
  try {
    read_plugin_config("/nonexistent/plugin");
    FAIL("no error");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "config.not_found");
    CHECK(e.exit_code() == ExitCode::usage);
    CHECK(e.message() == "plugin config not found: /nonexistent/plugin/config.yaml");
  }
  try {
    read_plugin_config("/nonexistent/other.yaml");
    FAIL("no error");
  } catch (const RuntimeError& e) {
    CHECK(e.message() == "plugin config not found: /nonexistent/other.yaml");
  }
}

TEST_CASE("every key of the spec and our additions is accepted", "[config]") {
  const PluginConfig config = parse_plugin_config(
      kHeader +
          "description: d\nreadme: README.md\npackage_manager: pip\n"
          "package_manager_options: [--no-cache]\ndata_type: image\ntasks: [image.classification]\n"
          "task: image.classification\nsupported_data_type: [image, pcd]\n"
          "annotation_category: image\nannotation_type: bbox\nsmart_tool: auto_labeling\n"
          "wheels_dir: wheels\n"
          "actions:\n"
          "  run:\n"
          "    entrypoint: Run\n    method: task\n    description: d\n    ui_schema: []\n"
          "    options: {visualize: true}\n    supported_data_type: image\n"
          "    excel_config: {max_rows: 10}\n    dataset: dataset\n"
          "    hyperparameters: {ui_schemas: []}\n    metrics: {epoch: [loss]}\n"
          "    visualizations: []\n    endpoints: [{method: POST, path: /x}]\n"
          "    model: {neural_net__plugin__code: det}\n    directory: app\n"
          "    input_type: image\n    params_schema: {type: object}\n"
          "    progress_categories: {all: 100}\n    metrics_categories: {loss: {}}\n",
      "config.yaml");
  const ActionConfig& run = config.actions.at(0);
  CHECK(run.method == "task");
  CHECK(run.alias == "Run");
  CHECK(run.library.empty());
  CHECK(run.params_schema == nlohmann::json{{"type", "object"}});
  CHECK(run.ui_schema == nlohmann::json::array());
  CHECK(run.metrics_categories == nlohmann::json{{"loss", nlohmann::json::object()}});
  REQUIRE(run.progress_categories.size() == 1);
  CHECK(run.progress_categories[0].proportion == 100);
  CHECK(config.raw["wheels_dir"] == "wheels");
}

TEST_CASE("restapi and serve actions may omit the entrypoint", "[config]") {
  const auto config = parse_plugin_config(
      kHeader + "actions:\n  a:\n    method: restapi\n  b:\n    method: serve\n", "config.yaml");
  CHECK(config.actions.at(0).method == "restapi");
  CHECK(config.actions.at(1).method == "serve");
  CHECK(config.actions.at(1).entrypoint.empty());
}

TEST_CASE("semantic versions with prerelease and build parts are accepted", "[config]") {
  for (const char* version : {"0.0.1", "1.2.3-rc.1", "1.2.3+build.5", "10.20.30-beta+exp.sha"}) {
    const auto config = parse_plugin_config("name: D\ncode: d\nversion: " + std::string(version) +
                                                "\ncategory: custom\nactions:\n  a:\n    "
                                                "entrypoint: A\n",
                                            "config.yaml");
    CHECK(config.version == version);
  }
}

TEST_CASE("entrypoints name a library and alias, an alias, or a Python attribute", "[config]") {
  ActionConfig a = single_action("  a:\n    entrypoint: libacme-upload_2.so:Uploader_2\n");
  CHECK(a.library == "libacme-upload_2.so");
  CHECK(a.alias == "Uploader_2");
  CHECK_FALSE(a.python_entrypoint);

  a = single_action("  a:\n    entrypoint: _Uploader\n");
  CHECK(a.library.empty());
  CHECK(a.alias == "_Uploader");
  CHECK_FALSE(a.python_entrypoint);

  for (const char* python : {"plugin.upload.Uploader", "a.b.C", "plugin.upload:Uploader"}) {
    a = single_action("  a:\n    entrypoint: " + std::string(python) + "\n");
    CHECK(a.python_entrypoint);
    CHECK(a.entrypoint == python);
    CHECK(a.library.empty());
    CHECK(a.alias.empty());
  }
}

TEST_CASE("the accepted enum values are listed for messages and plugin info", "[config]") {
  CHECK(synapse::runtime::plugin_categories() ==
        std::vector<std::string>{"neural_net", "export", "upload", "smart_tool", "post_annotation",
                                 "pre_annotation", "data_validation", "custom"});
  CHECK(synapse::runtime::run_methods() ==
        std::vector<std::string>{"job", "task", "restapi", "serve"});
  CHECK(synapse::runtime::data_types() ==
        std::vector<std::string>{"image", "text", "video", "pcd", "audio"});
  CHECK(synapse::runtime::package_managers() == std::vector<std::string>{"pip", "uv"});
}

TEST_CASE("the issue's example error: a bad method in the spec's upload config", "[config][spec]") {
  std::ifstream in(std::string(SYNAPSE_TEST_DATA_DIR) + "/configs/spec_upload.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto at = text.find("method: job");
  REQUIRE(at != std::string::npos);
  text.replace(at, 11, "method: jobs");
  try {
    parse_plugin_config(text, "config.yaml");
    FAIL("a bad method was accepted");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "config.invalid");
    CHECK(e.details() == std::vector<std::string>{
                             "config.yaml:12:5: actions.upload.method: 'jobs' is not one of job, "
                             "task, restapi, serve"});
  }
}
