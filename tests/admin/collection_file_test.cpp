// Data collection YAML files: the shipped sample parses; every mistake is reported at once with
// file:line:column and key path.
#include <catch2/catch.hpp>

#include "admin/collection_file.hpp"
#include "common/runtime_error.hpp"

using synapse::runtime::parse_collection_file;
using synapse::runtime::read_collection_file;
using synapse::runtime::RuntimeError;

TEST_CASE("the shipped sample collection parses with normalised extensions", "[admin]") {
  const auto c = read_collection_file(std::string(SYNAPSE_SOURCE_DIR) +
                                      "/config/collections/sample-images.yaml");
  CHECK(c.name == "sample-images");
  REQUIRE(c.file_specifications.size() == 2);
  CHECK(c.file_specifications[0].name == "image_1");
  CHECK(c.file_specifications[0].file_type == "image");
  CHECK(c.file_specifications[0].extensions == std::vector<std::string>{".jpg", ".jpeg", ".png"});
  CHECK(c.file_specifications[0].is_required);
  CHECK(c.file_specifications[1].name == "meta");
  CHECK_FALSE(c.file_specifications[1].is_required);
  CHECK(c.data_unit_meta_schema["properties"]["split"]["enum"].size() == 3);
}

TEST_CASE("every problem of a collection file is reported with its position", "[admin]") {
  const std::string text =
      "name: demo\n"
      "colour: blue\n"
      "file_specifications:\n"
      "  - name: image_1\n"
      "    extensions: jpg\n"
      "  - name: image_1\n"
      "    is_required: yes please\n"
      "data_unit_meta_schema: [1]\n";
  try {
    parse_collection_file(text, "c.yaml");
    FAIL("a bad collection file was accepted");
  } catch (const RuntimeError& e) {
    CHECK(e.id() == "collection.invalid");
    CHECK(e.details() ==
          std::vector<std::string>{
              "c.yaml:2:1: colour: unknown key; allowed keys are: name, description, "
              "file_specifications, data_unit_meta_schema",
              "c.yaml:5:5: file_specifications[0].extensions: expected a list of extensions like "
              "[jpg, png], got a string ('jpg')",
              "c.yaml:6:5: file_specifications[1].name: 'image_1' is already the name of another "
              "specification",
              "c.yaml:7:5: file_specifications[1].is_required: expected true or false, got a "
              "string ('yes please')",
              "c.yaml:8:1: data_unit_meta_schema: expected a JSON Schema mapping, got a list"});
  }
}

TEST_CASE("a collection file needs a name and at least one specification", "[admin]") {
  try {
    parse_collection_file("description: nothing\n", "c.yaml");
    FAIL("accepted");
  } catch (const RuntimeError& e) {
    CHECK(e.details() ==
          std::vector<std::string>{"c.yaml:1:1: name: required key is missing",
                                   "c.yaml:1:1: file_specifications: required key is missing"});
  }
}
