// ExportParams: defaults, every problem listed with its field, extra_params against a FormKit
// ui_schema, and the catalog stage (storage and the target's filter).
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "catalog_env.hpp"
#include "export/export_params.hpp"

using namespace export_targets_test;
using nlohmann::json;
using synapse::runtime::exports::check_against_catalog;
using synapse::runtime::exports::ParamError;
using synapse::runtime::exports::parse_export_params;

namespace {

std::vector<std::string> rendered(const std::vector<ParamError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.render());
  return out;
}

json minimal() {
  return {{"name", "coco"},
          {"storage", 1},
          {"path", "exports"},
          {"target", "task"},
          {"filter", {{"project", 1}}}};
}

const json kUiSchema = json::parse(R"([
  {"$formkit": "select", "name": "format", "options": ["coco", "yolo"], "value": "coco"},
  {"$formkit": "number", "name": "limit"},
  {"$formkit": "text", "name": "label", "required": true},
  {"$formkit": "checkbox", "name": "pretty"},
  {"$formkit": "radio", "name": "split", "options": [{"label": "Train", "value": "train"}]}
])");

}  // namespace

TEST_CASE("defaults are applied: save_original_file true, extra_params {}", "[params]") {
  const auto check = parse_export_params(minimal(), nullptr);
  REQUIRE(check.ok());
  const auto& p = check.params;
  CHECK(p.name == "coco");
  CHECK_FALSE(p.description);
  CHECK(p.storage == 1);
  CHECK(p.path == "exports");
  CHECK(p.target == "task");
  CHECK(p.filter == json{{"project", 1}});
  CHECK(p.save_original_file);  // Python's runtime read the raw key: absent meant false
  CHECK(p.extra_params == json::object());
  CHECK(p.to_json() == json{{"name", "coco"},
                            {"description", nullptr},
                            {"storage", 1},
                            {"path", "exports"},
                            {"target", "task"},
                            {"filter", {{"project", 1}}},
                            {"save_original_file", true},
                            {"extra_params", json::object()}});
  auto explicit_false = minimal();
  explicit_false["save_original_file"] = false;
  explicit_false["description"] = "for training";
  explicit_false["extra_params"] = nullptr;
  const auto second = parse_export_params(explicit_false, nullptr);
  REQUIRE(second.ok());
  CHECK_FALSE(second.params.save_original_file);
  CHECK(second.params.description == "for training");
  CHECK(second.params.extra_params == json::object());
}

TEST_CASE("every params problem is listed with its field", "[params]") {
  const json params = {{"name", " "},
                       {"storage", "1"},
                       {"target", "tasks"},
                       {"filter", json::array()},
                       {"save_original_file", "yes"},
                       {"extra_params", 3}};
  const auto check = parse_export_params(params, nullptr);
  CHECK(rendered(check.errors) ==
        std::vector<std::string>{
            "/name: must not be blank", "/storage: must be an integer id, got string",
            "/path: is required",
            "/target: Unknown target: 'tasks' (supported: assignment, ground_truth, task)",
            "/filter: must be an object, got array",
            "/save_original_file: must be a boolean, got string",
            "/extra_params: must be an object, got integer"});
  CHECK(rendered(parse_export_params(json::array(), nullptr).errors) ==
        std::vector<std::string>{"/: params must be a JSON object, got array"});
}

TEST_CASE("the name is a folder name", "[params]") {
  for (const char* bad : {"a/b", "..", "."}) {
    auto params = minimal();
    params["name"] = bad;
    const auto errors = parse_export_params(params, nullptr).errors;
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].path == "/name");
  }
  auto missing = minimal();
  missing.erase("name");
  CHECK(rendered(parse_export_params(missing, nullptr).errors) ==
        std::vector<std::string>{"/name: is required"});
}

TEST_CASE("extra_params is checked against the ui_schema, defaults applied", "[params]") {
  auto good = minimal();
  good["extra_params"] = {{"label", "cars"}, {"limit", 5}, {"other", "kept"}};
  const auto ok = parse_export_params(good, kUiSchema);
  REQUIRE(ok.ok());
  CHECK(ok.params.extra_params ==
        json{{"label", "cars"}, {"limit", 5}, {"other", "kept"}, {"format", "coco"}});

  auto bad = minimal();
  bad["extra_params"] = {{"format", "xml"}, {"limit", "5"}, {"pretty", "yes"}, {"split", "test"}};
  CHECK(rendered(parse_export_params(bad, kUiSchema).errors) ==
        std::vector<std::string>{"/extra_params/format: 'xml' is not one of 'coco', 'yolo'",
                                 "/extra_params/label: is required",
                                 "/extra_params/limit: must be a number, got string",
                                 "/extra_params/pretty: must be a boolean, got string",
                                 "/extra_params/split: 'test' is not one of 'train'"});
}

TEST_CASE("catalog stage: a missing storage and the target's filter problems together",
          "[params]") {
  CatalogEnv env;
  auto params = minimal();
  params["storage"] = 999;
  params["filter"] = json::object();
  const auto parsed = parse_export_params(params, nullptr);
  REQUIRE(parsed.ok());
  CHECK(rendered(check_against_catalog(parsed.params, *env.catalog)) ==
        std::vector<std::string>{"/storage: storage 999 does not exist",
                                 "/filter/project: Project is required for Task."});
  params["storage"] = env.storage_id;
  params["filter"] = {{"project", env.project_id}};
  CHECK(check_against_catalog(parse_export_params(params, nullptr).params, *env.catalog).empty());
}
