#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "params/params_validator.hpp"
#include "params_test_util.hpp"

using nlohmann::json;
using synapse::runtime::apply_and_validate_ui_schema;
using synapse::runtime::test::Lines;
using synapse::runtime::test::rendered;

namespace {

// Runs the FormKit check on `extra` (updated in place) and returns the rendered errors.
Lines check(const char* ui_schema, json& extra) {
  return rendered(apply_and_validate_ui_schema(json::parse(ui_schema), extra, "/extra_params"));
}

}  // namespace

TEST_CASE("params ui_schema: value defaults fill only absent fields", "[params]") {
  json extra = json::parse(R"({"prefix": "custom_", "unknown_key": [1]})");
  const Lines errors = check(R"([
    {"$formkit": "number", "name": "frame_rate", "value": 30},
    {"$formkit": "text", "name": "prefix", "value": "img_"},
    {"$formkit": "checkbox", "name": "dedupe", "value": false},
    {"$formkit": "text", "name": "note"},
    {"$el": "h2", "children": "Settings"}
  ])",
                             extra);
  CHECK(errors.empty());
  CHECK(extra ==
        json::parse(
            R"({"frame_rate": 30, "prefix": "custom_", "dedupe": false, "unknown_key": [1]})"));
}

TEST_CASE("params ui_schema: required, number type and min/max in one call", "[params]") {
  const char* ui = R"([
    {"$formkit": "number", "name": "epochs", "validation": "required|min:1|max:10"},
    {"$formkit": "number", "name": "batch", "validation": "min:1|max:10"},
    {"$formkit": "number", "name": "workers", "validation": "+min:2"},
    {"$formkit": "text", "name": "title", "required": true},
    {"$formkit": "text", "name": "code", "validation": [["required"], ["length", 2, 4]]},
    {"$formkit": "number", "name": "scale", "validation": "between:5,1"}
  ])";
  json extra =
      json::parse(R"({"batch": 11, "workers": "3", "title": "", "code": "abcde", "scale": 7})");
  CHECK(check(ui, extra) == Lines{"/extra_params/batch: must be at most 10",
                                  "/extra_params/code: must be at most 4 characters long",
                                  "/extra_params/epochs: is required",
                                  "/extra_params/scale: must be between 1 and 5",
                                  "/extra_params/title: is required",
                                  "/extra_params/workers: must be a number, got string"});

  json low = json::parse(R"({"epochs": 0, "title": "t", "code": "a", "scale": 1})");
  CHECK(check(ui, low) == Lines{"/extra_params/code: must be at least 2 characters long",
                                "/extra_params/epochs: must be at least 1"});

  json fine =
      json::parse(R"({"epochs": 10, "batch": 1, "workers": 2.5, "title": "t", "code": "ab"})");
  CHECK(check(ui, fine).empty());
}

TEST_CASE("params ui_schema: select and radio options in every FormKit spelling", "[params]") {
  const char* ui = R"json([
    {"$formkit": "select", "name": "fps",
     "options": [{"label": "10 fps", "value": 10}, {"label": "20 fps", "value": 20}]},
    {"$formkit": "radio", "name": "split", "options": ["train", "valid"]},
    {"$formkit": "select", "name": "format", "options": {"coco": "COCO", "yolo": "YOLO"}},
    {"$formkit": "select", "name": "grouped",
     "options": [{"group": "A", "options": [{"label": "x", "value": "x"}]}, "y"]},
    {"$formkit": "select", "name": "many", "multiple": true, "options": ["a", "b"]},
    {"$formkit": "select", "name": "dynamic", "options": "$getOptions()"}
  ])json";
  json bad = json::parse(
      R"({"fps": 30, "split": "test", "format": "voc", "grouped": "z", "many": ["a", "c"],
          "dynamic": "anything"})");
  CHECK(check(ui, bad) == Lines{
                              "/extra_params/format: 'voc' is not one of 'coco', 'yolo'",
                              "/extra_params/fps: '30' is not one of '10', '20'",
                              "/extra_params/grouped: 'z' is not one of 'x', 'y'",
                              "/extra_params/many/1: 'c' is not one of 'a', 'b'",
                              "/extra_params/split: 'test' is not one of 'train', 'valid'",
                          });
  json good = json::parse(
      R"({"fps": 20, "split": "valid", "format": "coco", "grouped": "x", "many": ["b"]})");
  CHECK(check(ui, good).empty());
}

TEST_CASE("params ui_schema: checkbox with and without options", "[params]") {
  const char* ui = R"([
    {"$formkit": "checkbox", "name": "agree"},
    {"$formkit": "checkbox", "name": "tags", "options": ["a", "b", "c"]},
    {"$formkit": "checkbox", "name": "mode", "on-value": "yes", "off-value": "no"},
    {"$formkit": "checkbox", "name": "must", "options": ["a"], "validation": "required"}
  ])";
  json bad = json::parse(R"({"agree": "yes", "tags": ["a", "z"], "mode": true, "must": []})");
  CHECK(check(ui, bad) == Lines{"/extra_params/agree: must be a boolean, got string",
                                "/extra_params/mode: 'true' is not one of 'yes', 'no'",
                                "/extra_params/must: is required",
                                "/extra_params/tags/1: 'z' is not one of 'a', 'b', 'c'"});
  json scalar = json::parse(R"({"tags": "a", "must": ["a"]})");
  CHECK(check(ui, scalar) == Lines{"/extra_params/tags: must be an array, got string"});
  json good = json::parse(R"({"agree": false, "tags": ["c", "a"], "mode": "no", "must": ["a"]})");
  CHECK(check(ui, good).empty());
}

TEST_CASE("params ui_schema: groups nest values and paths", "[params]") {
  const char* ui = R"([
    {"$formkit": "group", "name": "outer", "children": [
      {"$formkit": "text", "name": "label", "value": "none"},
      {"$formkit": "group", "name": "inner", "children": [
        {"$formkit": "number", "name": "n", "validation": "required"},
        {"$el": "div", "children": [{"$formkit": "number", "name": "wrapped", "value": 3}]}
      ]}
    ]},
    {"$formkit": "list", "name": "points"}
  ])";
  json extra = json::object();
  CHECK(check(ui, extra) == Lines{"/extra_params/outer/inner/n: is required"});
  CHECK(extra == json::parse(R"({"outer": {"label": "none", "inner": {"wrapped": 3}}})"));

  json typed = json::parse(R"({"outer": {"inner": {"n": "5"}}, "points": {"x": 1}})");
  CHECK(check(ui, typed) == Lines{"/extra_params/outer/inner/n: must be a number, got string",
                                  "/extra_params/points: must be an array, got object"});

  json not_object = json::parse(R"({"outer": "flat"})");
  CHECK(check(ui, not_object) == Lines{"/extra_params/outer: must be an object, got string"});
}

TEST_CASE("params ui_schema: text types, unknown types, malformed nodes", "[params]") {
  json extra = json::parse(R"({"name": 5, "blob": {"any": "thing"}})");
  CHECK(check(R"([{"$formkit": "textarea", "name": "name"}, {"$formkit": "file", "name": "blob"},
                  {"$formkit": "text", "label": "no name: ignored", "validation": "required"}])",
              extra) == Lines{"/extra_params/name: must be a string, got integer"});

  json untouched = json::object();
  CHECK(check(R"({"$formkit": "text"})", untouched) ==
        Lines{"/: ui_schema: expected a list of FormKit nodes, got object"});
  CHECK(check(R"([{"$formkit": "text", "name": "a"}, {"name": "b"}, "oops", {"name": 3},
                  {"$formkit": "group", "name": "g", "children": [7]}])",
              untouched) == Lines{"/: ui_schema[2]: expected a mapping, got string",
                                  "/: ui_schema[3]: name must be a non-empty string, got integer",
                                  "/: ui_schema[4].children[0]: expected a mapping, got integer"});
}
