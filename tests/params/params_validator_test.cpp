#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "config/plugin_config.hpp"
#include "params/params_validator.hpp"
#include "params_test_util.hpp"

using nlohmann::json;
using synapse::runtime::ActionConfig;
using synapse::runtime::ParamError;
using synapse::runtime::validate_action_params;
using synapse::runtime::test::Lines;
using synapse::runtime::test::rendered;

namespace {

// An upload-like action: params_schema for the whole params, ui_schema for extra_params.
ActionConfig upload_action() {
  ActionConfig action;
  action.name = "upload";
  action.params_schema = json::parse(R"({
    "type": "object",
    "required": ["name", "storage"],
    "properties": {
      "name": {"type": "string"},
      "storage": {"type": "integer", "minimum": 1},
      "mode": {"enum": ["copy", "move"], "default": "copy"},
      "options": {"type": "object", "default": {},
                  "properties": {"retries": {"type": "integer", "default": 3, "maximum": 5}}},
      "extra_params": {"type": "object"}
    }
  })");
  action.ui_schema = json::parse(R"([
    {"$formkit": "select", "name": "frame_rate", "value": 10,
     "options": [{"label": "10", "value": 10}, {"label": "20", "value": 20}]},
    {"$formkit": "number", "name": "quality", "validation": "required|min:1|max:100"},
    {"$formkit": "group", "name": "naming", "children": [
      {"$formkit": "text", "name": "prefix", "value": "img_"}
    ]}
  ])");
  return action;
}

}  // namespace

TEST_CASE("params: schema and ui errors come back together, sorted by path", "[params]") {
  const auto check = validate_action_params(
      upload_action(), json::parse(R"({"storage": "s3", "mode": "rename", "options": {"retries": 9},
                      "extra_params": {"frame_rate": 30, "quality": "high"}})"));
  CHECK_FALSE(check.ok());
  CHECK(rendered(check.errors) == Lines{
                                      "/extra_params/frame_rate: '30' is not one of '10', '20'",
                                      "/extra_params/quality: must be a number, got string",
                                      "/mode: 'rename' is not one of 'copy', 'move'",
                                      "/name: is required",
                                      "/options/retries: must be at most 5",
                                      "/storage: must be integer, got string",
                                  });
}

TEST_CASE("params: a valid input gets every default and no errors", "[params]") {
  const auto check =
      validate_action_params(upload_action(), json::parse(R"({"name": "batch-1", "storage": 2,
                                       "extra_params": {"quality": 90, "sent_by_ui": true}})"));
  CHECK(check.ok());
  CHECK(rendered(check.errors).empty());
  CHECK(check.params == json::parse(R"({
    "name": "batch-1", "storage": 2, "mode": "copy", "options": {"retries": 3},
    "extra_params": {"quality": 90, "sent_by_ui": true, "frame_rate": 10,
                     "naming": {"prefix": "img_"}}
  })"));
}

TEST_CASE("params: extra_params is created, or reported when it is not an object", "[params]") {
  ActionConfig action;
  action.ui_schema = json::parse(R"([{"$formkit": "text", "name": "note", "value": "-"}])");

  const auto created = validate_action_params(action, json::object());
  CHECK(created.ok());
  CHECK(created.params == json::parse(R"({"extra_params": {"note": "-"}})"));

  const auto from_null = validate_action_params(action, json::parse(R"({"extra_params": null})"));
  CHECK(from_null.params == json::parse(R"({"extra_params": {"note": "-"}})"));

  const auto wrong = validate_action_params(action, json::parse(R"({"extra_params": [1]})"));
  CHECK(rendered(wrong.errors) == Lines{"/extra_params: must be a JSON object, got array"});
  CHECK(wrong.params == json::parse(R"({"extra_params": [1]})"));
}

TEST_CASE("params: not an object is one error at the root", "[params]") {
  const ActionConfig action = upload_action();
  CHECK(rendered(validate_action_params(action, json::array({1, 2})).errors) ==
        Lines{"/: params must be a JSON object, got array"});
  CHECK(rendered(validate_action_params(action, json("x")).errors) ==
        Lines{"/: params must be a JSON object, got string"});
  const auto null_params = validate_action_params(action, json());
  REQUIRE(null_params.errors.size() == 1);
  CHECK(null_params.errors[0].path.empty());
  CHECK(null_params.errors[0].message == "params must be a JSON object, got null");
}

TEST_CASE("params: an invalid params_schema is reported, ui_schema still checked", "[params]") {
  ActionConfig action;
  action.params_schema = json::parse(R"({"type": "object", "properties": {"a": {"type": 5}}})");
  action.ui_schema =
      json::parse(R"([{"$formkit": "number", "name": "n", "validation": "required"}])");
  const auto check = validate_action_params(action, json::parse(R"({"a": 1})"));
  REQUIRE(check.errors.size() == 2);
  CHECK(check.errors[0].path.empty());
  CHECK(check.errors[0].message.starts_with("params_schema is not a valid JSON Schema: "));
  CHECK(check.errors[1].render() == "/extra_params/n: is required");
}

TEST_CASE("params: no schemas at all passes the params through", "[params]") {
  const auto check = validate_action_params(ActionConfig{}, json::parse(R"({"anything": [1]})"));
  CHECK(check.ok());
  CHECK(check.params == json::parse(R"({"anything": [1]})"));
}

TEST_CASE("params: render uses / for the root", "[params]") {
  CHECK(ParamError{"", "params must be a JSON object, got array"}.render() ==
        "/: params must be a JSON object, got array");
  CHECK(ParamError{"/extra_params/frame_rate", "is required"}.render() ==
        "/extra_params/frame_rate: is required");
}
