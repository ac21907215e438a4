#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "params/params_validator.hpp"
#include "params_test_util.hpp"

using nlohmann::json;
using synapse::runtime::apply_schema_defaults;
using synapse::runtime::validate_json_schema;
using synapse::runtime::test::Lines;
using synapse::runtime::test::rendered;

namespace {

Lines check(const char* schema, const char* value) {
  return rendered(validate_json_schema(json::parse(schema), json::parse(value)));
}

}  // namespace

TEST_CASE("params_schema: one line per problem, aggregates dropped, exact pointers", "[params]") {
  const char* schema = R"({
    "type": "object",
    "required": ["name", "storage"],
    "properties": {
      "name": {"type": "string", "minLength": 2},
      "storage": {"type": "integer"},
      "mode": {"enum": ["fast", "slow"]},
      "batch": {"type": "integer", "minimum": 1, "maximum": 64},
      "ratio": {"type": "number", "multipleOf": 0.25},
      "options": {
        "type": "object",
        "properties": {"depth": {"type": "number", "exclusiveMinimum": 0}},
        "additionalProperties": false
      },
      "items": {"type": "array", "items": {"type": "integer"}, "maxItems": 3}
    }
  })";
  const char* value = R"({
    "storage": "s3", "mode": "medium", "batch": 100, "ratio": 0.3,
    "options": {"depth": 0, "color": "red", "size": 2},
    "items": [1, "two", 3, 4]
  })";
  CHECK(check(schema, value) == Lines{
                                    "/batch: must be at most 64",
                                    "/items: must have at most 3 items",
                                    "/items/1: must be integer, got string",
                                    "/mode: 'medium' is not one of 'fast', 'slow'",
                                    "/name: is required",
                                    "/options/color: is not allowed",
                                    "/options/depth: must be greater than 0",
                                    "/options/size: is not allowed",
                                    "/ratio: must be a multiple of 0.25",
                                    "/storage: must be integer, got string",
                                });
}

TEST_CASE("params_schema: bounds and lengths keep the author's numbers", "[params]") {
  const char* schema = R"({"properties": {
    "lr": {"type": "number", "minimum": 0.0000001, "maximum": 1.5},
    "tag": {"type": "string", "minLength": 2, "maxLength": 4},
    "n": {"type": "integer", "exclusiveMaximum": 10}
  }})";
  CHECK(check(schema, R"({"lr": 0, "tag": "x", "n": 10})") ==
        Lines{"/lr: must be at least 1e-07", "/n: must be less than 10",
              "/tag: must be at least 2 characters long"});
  CHECK(check(schema, R"({"lr": 2, "tag": "abcde", "n": 9})") ==
        Lines{"/lr: must be at most 1.5", "/tag: must be at most 4 characters long"});
  CHECK(check(schema, R"({"lr": 0.5, "tag": "abc", "n": -3})").empty());
}

TEST_CASE("params_schema: types, union types, $ref targets and nested required", "[params]") {
  const char* schema = R"({
    "definitions": {"count": {"type": "integer", "minimum": 0}},
    "properties": {
      "n": {"$ref": "#/definitions/count"},
      "maybe": {"type": ["string", "null"]},
      "a/b": {"type": "object", "required": ["x~y"]}
    }
  })";
  CHECK(check(schema, R"({"n": "many", "maybe": 3, "a/b": {}})") ==
        Lines{"/a~1b/x~0y: is required", "/maybe: must be string or null, got integer",
              "/n: must be integer, got string"});
  CHECK(check(schema, R"({"n": -1, "maybe": null, "a/b": {"x~y": 1}})") ==
        Lines{"/n: must be at least 0"});
  // valijson is strict: 2.5 is a number, not an integer
  CHECK(check(schema, R"({"n": 2.5})") == Lines{"/n: must be integer, got number"});
}

TEST_CASE("params_schema: a false subschema, const, pattern and format", "[params]") {
  const char* schema = R"({"properties": {
    "legacy": false,
    "kind": {"const": "image"},
    "code": {"type": "string", "pattern": "^[a-z]+$"},
    "day": {"format": "date"}
  }})";
  CHECK(check(schema, R"({"legacy": 1, "kind": "video", "code": "A1", "day": "2024-13-01"})") ==
        Lines{"/code: does not match pattern '^[a-z]+$'", "/day: must be a valid date",
              "/kind: must be 'image'", "/legacy: is not allowed"});
  // `format` applies to strings only (valijson would throw on the array, reject the number).
  CHECK(check(schema, R"({"day": [1, 2]})").empty());
  CHECK(check(schema, R"({"day": 20240101})").empty());
  CHECK(check(schema, R"({"day": "2024-02-29"})").empty());
}

TEST_CASE("params_schema: anyOf reports the failure once at the value", "[params]") {
  const char* schema =
      R"({"properties": {"size": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}})";
  const Lines lines = check(schema, R"({"size": 1.5})");
  CHECK(lines == Lines{"/size: does not match any of the schemas in 'anyOf'",
                       "/size: has a type the schema does not allow, got number"});
  CHECK(check(schema, R"({"size": "big"})").empty());
}

TEST_CASE("params_schema: an invalid schema gives one error at the root", "[params]") {
  const char* invalid[] = {
      R"({"type": "foo"})",
      R"({"minimum": "x"})",
      R"({"required": 5})",
      R"({"properties": {"a": {"pattern": "(["}}})",
      R"({"$ref": "#"})",
      R"({"allOf": [{"$ref": "#"}]})",
      R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
          "properties": {"x": {"$ref": "#/definitions/a"}}})",
      R"({"$ref": "#/definitions/missing"})",
      R"({"$ref": "http://example.com/schema.json"})",
      R"("just a string")",
      R"([1, 2])",
  };
  for (const char* schema : invalid) {
    INFO(schema);
    const auto errors = validate_json_schema(json::parse(schema), json::parse(R"({"x": 1})"));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].path.empty());
    CHECK(errors[0].message.starts_with("params_schema is not a valid JSON Schema: "));
    CHECK(errors[0].message.size() >
          std::string("params_schema is not a valid JSON Schema: ").size());
  }
  CHECK(validate_json_schema(json::parse(R"({"$ref": "#"})"), json(1))[0].message ==
        "params_schema is not a valid JSON Schema: circular reference: '#' refers back to itself "
        "without descending into a property or item");
}

TEST_CASE("params_schema: recursive schemas that descend are fine, boolean schemas", "[params]") {
  const char* tree =
      R"({"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "integer"}}})";
  CHECK(check(tree, R"({"child": {"child": {"v": "x"}}})") ==
        Lines{"/child/child/v: must be integer, got string"});
  CHECK(check("true", R"({"a": 1})").empty());
  CHECK(check("false", R"({"a": 1})") == Lines{"/: does not match params_schema"});
}

TEST_CASE("params_schema defaults: absent properties, nested objects, no invention", "[params]") {
  const json schema = json::parse(R"({
    "definitions": {"split": {"type": "string", "default": "train"}},
    "type": "object",
    "properties": {
      "split": {"$ref": "#/definitions/split"},
      "seed": {"type": "integer", "default": 7},
      "augment": {"type": "object", "default": {},
                  "properties": {"flip": {"default": true}, "angle": {"default": 15}}},
      "limits": {"type": "object", "properties": {"max": {"default": 10}, "min": {"default": 0}}},
      "absent": {"type": "object", "properties": {"x": {"default": 1}}},
      "layers": {"type": "array", "items": {"properties": {"act": {"default": "relu"}}}}
    },
    "allOf": [{"properties": {"verbose": {"default": false}}}]
  })");
  json value = json::parse(R"({"seed": 1, "limits": {"min": 5}, "layers": [{}, {"act": "tanh"}]})");
  apply_schema_defaults(schema, value);
  CHECK(value == json::parse(R"({
    "split": "train", "seed": 1, "verbose": false,
    "augment": {"flip": true, "angle": 15},
    "limits": {"max": 10, "min": 5},
    "layers": [{"act": "relu"}, {"act": "tanh"}]
  })"));

  json not_object = json::array({1});
  apply_schema_defaults(schema, not_object);
  CHECK(not_object == json::array({1}));
}

TEST_CASE("params_schema defaults: recursive and cyclic schemas terminate", "[params]") {
  // The recursive property has a default: it is inserted once, not nested forever.
  const json tree = json::parse(R"({"properties": {
    "name": {"default": "root"},
    "child": {"$ref": "#", "default": {}}
  }})");
  json value = json::object();
  apply_schema_defaults(tree, value);
  CHECK(value == json::parse(R"({"name": "root", "child": {}})"));

  // Present data is followed as deep as it goes.
  json nested = json::parse(R"({"child": {"child": {}}})");
  apply_schema_defaults(tree, nested);
  CHECK(nested["child"]["child"]["name"] == "root");
  CHECK(nested["child"]["name"] == "root");

  // allOf leading back to itself (rejected by validation) does not hang the defaults pass.
  const json cyclic = json::parse(
      R"({"allOf": [{"$ref": "#"}, {"$ref": "#"}], "properties": {"a": {"default": 1}}})");
  json plain = json::object();
  apply_schema_defaults(cyclic, plain);
  CHECK(plain == json::parse(R"({"a": 1})"));
}
