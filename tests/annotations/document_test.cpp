// The annotation document rules (docs/annotation-format.md): each rule gives a problem naming
// the JSON path and what was expected; the stored text is the document, compact, without the
// keys that name the data unit. Also the JSON reader under them (syntax, UTF-8, escapes).
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "annotations/annotation_document.hpp"
#include "common/json_cursor.hpp"

using nlohmann::json;
using synapse::DataUnitKey;
using synapse::runtime::JsonCursor;
using synapse::runtime::JsonSyntaxError;
using synapse::runtime::annotations::CheckedDocument;
using synapse::runtime::annotations::describe;
using synapse::runtime::annotations::DocumentChecker;
using synapse::runtime::annotations::stored_annotation;

namespace {

CheckedDocument check(const std::string& text) {
  DocumentChecker checker;
  return checker.check(text);
}

// Every problem as the CLI prints it for a file named doc.json.
std::vector<std::string> text_problems(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& p : check(text).problems)
    out.push_back(describe("doc.json", p));
  return out;
}

std::vector<std::string> problems(const json& doc) {
  return text_problems(doc.dump());
}

// A document whose first image holds `tool`: [annotation].
json with(const std::string& tool, const json& annotation) {
  return json{{"images", json::array({json{{tool, json::array({annotation})}}})}};
}

json box(const json& data) {
  return json{{"id", "b1"}, {"classification", "car"}, {"data", data}};
}

}  // namespace

TEST_CASE("document: a full document is valid and stored compact without naming keys",
          "[annotations][document]") {
  const std::string text = R"({
  "data_unit_id": 5,
  "classification": {"bounding_box": ["car", "person"], "polygon": ["road"]},
  "images": [
    {
      "bounding_box":   [{"id": "b1", "classification": "car", "attrs": [{"name": "color", "value": {"rgb": [1, 2, 3]}}], "data": [10, 20.5, 40, 30]}],
      "polygon":        [{"id": "p1", "classification": "road", "data": [[0, 90], [159, 90], [159, 119], [0, 119]]}],
      "polyline":       [{"id": "l1", "classification": "lane", "data": [[5, 5], [50, 60]]}],
      "keypoint":       [{"id": "k1", "classification": "nose", "data": [80, -4e1]}],
      "classification": [{"id": "c1", "classification": "outdoor", "attrs": []}],
      "relation":       [{"id": "r1", "classification": "drives_on", "data": ["b1", "p1"]}],
      "group":          [{"id": "g1", "classification": "scene", "data": ["b1", "p1", "r1"]}]
    }
  ]
})";
  const auto doc = check(text);
  INFO((doc.problems.empty() ? "" : describe("doc.json", doc.problems[0])));
  REQUIRE(doc.problems.empty());
  REQUIRE(doc.unit);
  CHECK(doc.unit->kind == DataUnitKey::Kind::id);
  CHECK(doc.unit->id == 5);
  auto expected = json::parse(text);
  expected.erase("data_unit_id");
  const auto stored = stored_annotation(text, doc.left_out);
  CHECK(json::parse(stored) == expected);
  CHECK(stored.find(' ') == std::string::npos);
  CHECK(stored.find('\n') == std::string::npos);
}

TEST_CASE("document: file_name names the unit and is removed wherever it stands",
          "[annotations][document]") {
  for (const std::string text : {
           R"({"file_name": "cat.jpg", "images": []})",
           R"({"images": [], "file_name": "cat.jpg"})",
           R"({"images": [], "file_name": "cat.jpg", "classification": {}})",
       }) {
    const auto doc = check(text);
    REQUIRE(doc.problems.empty());
    REQUIRE(doc.unit);
    CHECK(doc.unit->kind == DataUnitKey::Kind::file_name);
    CHECK(doc.unit->name == "cat.jpg");
    auto expected = json::parse(text);
    expected.erase("file_name");
    CHECK(json::parse(stored_annotation(text, doc.left_out)) == expected);
  }
  const auto by_stem = check(R"({"images": []})");
  CHECK(by_stem.problems.empty());
  CHECK_FALSE(by_stem.unit);
  CHECK(stored_annotation(R"({"images": []})", by_stem.left_out) == R"({"images":[]})");
}

TEST_CASE("document: strings with escapes and UTF-8 are kept as written",
          "[annotations][document]") {
  const std::string text =
      "{\"images\": [{\"classification\": [{\"id\": \"c1\", \"classification\": "
      "\"caf\xC3\xA9 \\\"quoted\\\" \\u00e9 \\ud83d\\ude00 , }\"}]}]}";
  const auto doc = check(text);
  REQUIRE(doc.problems.empty());
  CHECK(json::parse(stored_annotation(
            text, doc.left_out))["images"][0]["classification"][0]["classification"] ==
        "caf\xC3\xA9 \"quoted\" \xC3\xA9 \xF0\x9F\x98\x80 , }");
  // A UTF-8 byte order mark is skipped, and left out of the stored text.
  const std::string with_bom = "\xEF\xBB\xBF{\"images\": [], \"file_name\": \"a.jpg\"}";
  const auto bom = check(with_bom);
  CHECK(bom.problems.empty());
  CHECK(stored_annotation(with_bom, bom.left_out) == R"({"images":[]})");
}

TEST_CASE("document: the stored text keeps strings byte for byte, whatever they hold",
          "[annotations][document]") {
  const std::string text =
      "{ \"file_name\" : \"x.jpg\" ,\n \"images\" : [ { \"classification\" "
      ": [ { \"id\" : \"c1\" , \"classification\" : \"a \\\"b\\\" ,} "
      "\\\\\" } ] } ] }";
  const auto doc = check(text);
  REQUIRE(doc.problems.empty());
  CHECK(stored_annotation(text, doc.left_out) ==
        "{\"images\":[{\"classification\":[{\"id\":\"c1\",\"classification\":\"a \\\"b\\\" ,} "
        "\\\\\"}]}]}");
  for (const std::string middle : {R"({"images": [], "data_unit_id": 4, "classification": {}})",
                                   R"({"data_unit_id": 4, "images": []})"}) {
    const auto named = check(middle);
    REQUIRE(named.problems.empty());
    auto expected = json::parse(middle);
    expected.erase("data_unit_id");
    CHECK(json::parse(stored_annotation(middle, named.left_out)) == expected);
  }
}

TEST_CASE("document: the top level is an object with known keys and images",
          "[annotations][document]") {
  CHECK(problems(json::array()) ==
        std::vector<std::string>{"doc.json: expected a JSON object {\"images\": [...]} (see "
                                 "docs/annotation-format.md)"});
  CHECK(
      problems(json::object()) ==
      std::vector<std::string>{"doc.json: images: is required: a list with one object per image"});
  CHECK(problems(json{{"images", json::array()}, {"imagez", 1}}) ==
        std::vector<std::string>{"doc.json: imagez: unknown key; allowed: images, "
                                 "classification, data_unit_id, file_name"});
  CHECK(problems(json{{"images", 3}}) ==
        std::vector<std::string>{"doc.json: images: expected a list with one object per image"});
  CHECK(problems(json{{"images", {1}}}) ==
        std::vector<std::string>{
            "doc.json: images[0]: expected an object: tool -> list of annotations"});
  CHECK(text_problems(R"({"images": [], "images": []})") ==
        std::vector<std::string>{"doc.json: images: duplicate key"});
  CHECK(problems(json{{"images", json::array()}, {"a b", 1}}) ==
        std::vector<std::string>{"doc.json: [\"a b\"]: unknown key; allowed: images, "
                                 "classification, data_unit_id, file_name"});
}

TEST_CASE("document: the naming keys are checked", "[annotations][document]") {
  const std::string id_rule =
      "doc.json: data_unit_id: expected a positive integer (the id of a data unit)";
  for (const json& bad : {json(0), json(-3), json(2.5), json("5"), json(nullptr)})
    CHECK(problems(json{{"images", json::array()}, {"data_unit_id", bad}}) ==
          std::vector<std::string>{id_rule});
  const std::string name_rule =
      "doc.json: file_name: expected a file name without '/' (the original name of a file of "
      "the data unit, e.g. \"cat.jpg\")";
  for (const json& bad : {json(""), json("a/cat.jpg"), json(".."), json(7)})
    CHECK(problems(json{{"images", json::array()}, {"file_name", bad}}) ==
          std::vector<std::string>{name_rule});
  CHECK(problems(json{{"images", json::array()}, {"file_name", "a.jpg"}, {"data_unit_id", 3}}) ==
        std::vector<std::string>{"doc.json: file_name: give data_unit_id or file_name, not both"});
  CHECK_FALSE(check(json{{"images", json::array()}, {"data_unit_id", 0}}.dump()).unit);
}

TEST_CASE("document: unknown tools are refused, each tool holds a list of objects",
          "[annotations][document]") {
  CHECK(problems(with("bbox", box({1, 2, 3, 4}))) ==
        std::vector<std::string>{"doc.json: images[0].bbox: unknown tool; allowed: bounding_box, "
                                 "polygon, polyline, keypoint, classification, relation, group"});
  CHECK(problems(json{{"images", {{{"polygon", {{"id", "x"}}}}}}}) ==
        std::vector<std::string>{"doc.json: images[0].polygon: expected a list of annotations"});
  CHECK(problems(with("keypoint", "k1")) ==
        std::vector<std::string>{"doc.json: images[0].keypoint[0]: expected an object {\"id\", "
                                 "\"classification\", \"data\"}"});
}

TEST_CASE("document: every annotation needs an id, a class and (but a classification) data",
          "[annotations][document]") {
  CHECK(problems(with("bounding_box", json::object())) ==
        std::vector<std::string>{
            "doc.json: images[0].bounding_box[0].id: is required",
            "doc.json: images[0].bounding_box[0].classification: is required",
            "doc.json: images[0].bounding_box[0].data: is required: expected [x, y, width, "
            "height] with width, height >= 0"});
  CHECK(problems(with("classification", json{{"id", "c1"}})) ==
        std::vector<std::string>{
            "doc.json: images[0].classification[0].classification: is required"});
  CHECK(problems(with("classification",
                      json{{"id", "c1"}, {"classification", "day"}, {"data", {1, 2}}})) ==
        std::vector<std::string>{
            "doc.json: images[0].classification[0].data: a whole-image classification has no "
            "data"});
  CHECK(
      problems(with(
          "bounding_box",
          json{{"id", "b1"}, {"classification", ""}, {"colour", "red"}, {"data", {1, 2, 3, 4}}})) ==
      std::vector<std::string>{
          "doc.json: images[0].bounding_box[0].classification: expected a class name (a "
          "non-empty string)",
          "doc.json: images[0].bounding_box[0].colour: unknown key; allowed: id, "
          "classification, attrs, data"});
  CHECK(problems(with("classification", json{{"id", "c1"}, {"classification", "x"}, {"y", 1}})) ==
        std::vector<std::string>{"doc.json: images[0].classification[0].y: unknown key; allowed: "
                                 "id, classification, attrs"});
}

TEST_CASE("document: ids follow the pattern and are unique in the document",
          "[annotations][document]") {
  for (const json& bad : {json("b 1"), json(""), json(3), json("é")}) {
    CHECK(problems(with("bounding_box",
                        json{{"id", bad}, {"classification", "car"}, {"data", {1, 2, 3, 4}}})) ==
          std::vector<std::string>{"doc.json: images[0].bounding_box[0].id: expected an id: a "
                                   "string matching ^[A-Za-z0-9_-]+$"});
  }
  const json doc = {
      {"images",
       {{{"bounding_box", {box({1, 2, 3, 4})}}},
        {{"keypoint", {{{"id", "b1"}, {"classification", "nose"}, {"data", {1, 2}}}}}}}}};
  CHECK(problems(doc) ==
        std::vector<std::string>{"doc.json: images[1].keypoint[0].id: \"b1\" is already the id of "
                                 "images[0].bounding_box[0]"});
}

TEST_CASE("document: the data of each tool has its shape", "[annotations][document]") {
  const std::string box_rule = "expected [x, y, width, height] with width, height >= 0";
  for (const json& bad :
       {json({1, 2, 3}), json({1, 2, -3, 4}), json({1, 2, 3, -0.5}), json({1, 2, 3, 4, 5}),
        json({1, "2", 3, 4}), json("1,2,3,4"), json({{1, 2}, {3, 4}})}) {
    CHECK(problems(with("bounding_box", box(bad))) ==
          std::vector<std::string>{"doc.json: images[0].bounding_box[0].data: " + box_rule});
  }
  CHECK(problems(with("bounding_box", box({1.5, -2, 0, 0}))).empty());
  CHECK(
      text_problems(
          R"({"images": [{"bounding_box": [{"id": "b", "classification": "c", "data": [1e400, 0, 1, 1]}]}]})") ==
      std::vector<std::string>{"doc.json: images[0].bounding_box[0].data: " + box_rule});

  auto shaped = [](const std::string& tool, const json& data) {
    return with(tool, json{{"id", "a1"}, {"classification", "x"}, {"data", data}});
  };
  CHECK(problems(shaped("keypoint", {1})) ==
        std::vector<std::string>{"doc.json: images[0].keypoint[0].data: expected a point [x, y]"});
  CHECK(problems(shaped("keypoint", {{1, 2}})) ==
        std::vector<std::string>{"doc.json: images[0].keypoint[0].data: expected a point [x, y]"});
  CHECK(problems(shaped("polygon", {{0, 0}, {1, 1}})) ==
        std::vector<std::string>{
            "doc.json: images[0].polygon[0].data: expected a list of at least 3 points [x, y]"});
  CHECK(problems(shaped("polygon", {{0, 0}, {1, 1}, {2}})) ==
        std::vector<std::string>{
            "doc.json: images[0].polygon[0].data[2]: expected a point [x, y] (two numbers)"});
  CHECK(problems(shaped("polyline", {{0, 0}})) ==
        std::vector<std::string>{
            "doc.json: images[0].polyline[0].data: expected a list of at least 2 points [x, y]"});
  CHECK(problems(shaped("polyline", {{0, 0}, {1, 1}})).empty());
  CHECK(problems(shaped("polygon", json::object())) ==
        std::vector<std::string>{
            "doc.json: images[0].polygon[0].data: expected a list of at least 3 points [x, y]"});
}

TEST_CASE("document: relations and groups refer to other annotations of the same image",
          "[annotations][document]") {
  auto doc = [](const json& relation_data, const json& group_data) {
    return json{
        {"images",
         {{{"bounding_box", {box({1, 2, 3, 4})}},
           {"relation", {{{"id", "r1"}, {"classification", "on"}, {"data", relation_data}}}},
           {"group", {{{"id", "g1"}, {"classification", "all"}, {"data", group_data}}}}},
          {{"keypoint", {{{"id", "k9"}, {"classification", "nose"}, {"data", {1, 2}}}}}}}}};
  };
  CHECK(problems(doc({"b1", "g1"}, {"b1", "r1"})).empty());  // ids may come later in the image
  // (json objects dump their keys sorted: group comes before relation.)
  CHECK(problems(doc({"b1"}, json::array())) ==
        std::vector<std::string>{
            "doc.json: images[0].group[0].data: expected a non-empty list of ids of other "
            "annotations of this image",
            "doc.json: images[0].relation[0].data: expected [from_id, to_id]: the ids of two "
            "other annotations of this image"});
  CHECK(problems(doc({"b1", "k9"}, {"nope", "g1"})) ==
        std::vector<std::string>{
            "doc.json: images[0].group[0].data[0]: \"nope\" is not the id of an annotation of "
            "images[0]",
            "doc.json: images[0].group[0].data[1]: \"g1\" is the id of this annotation itself",
            "doc.json: images[0].relation[0].data[1]: \"k9\" is not the id of an annotation of "
            "images[0]"});
  CHECK(problems(doc({"b1", 2}, {"b1"})) ==
        std::vector<std::string>{"doc.json: images[0].relation[0].data[1]: expected the id of "
                                 "another annotation of this image (a string)"});
}

TEST_CASE("document: attrs are a list of name/value objects", "[annotations][document]") {
  auto attrs = [](const json& value) {
    return with(
        "bounding_box",
        json{{"id", "b1"}, {"classification", "car"}, {"attrs", value}, {"data", {1, 2, 3, 4}}});
  };
  CHECK(problems(attrs(json::array({json{{"name", "color"}, {"value", nullptr}}}))).empty());
  CHECK(problems(attrs(json::object())) ==
        std::vector<std::string>{"doc.json: images[0].bounding_box[0].attrs: expected a list of "
                                 "{\"name\": ..., \"value\": ...}"});
  CHECK(problems(attrs({1})) ==
        std::vector<std::string>{"doc.json: images[0].bounding_box[0].attrs[0]: expected an "
                                 "object {\"name\": ..., \"value\": ...}"});
  CHECK(problems(attrs(json::array({json{{"name", ""}, {"unit", "cm"}}}))) ==
        std::vector<std::string>{
            "doc.json: images[0].bounding_box[0].attrs[0].name: expected a non-empty string",
            "doc.json: images[0].bounding_box[0].attrs[0].unit: unknown key; allowed: name, "
            "value",
            "doc.json: images[0].bounding_box[0].attrs[0].value: is required"});
  CHECK(problems(attrs(json::array({json{{"value", 1}}}))) ==
        std::vector<std::string>{"doc.json: images[0].bounding_box[0].attrs[0].name: is required"});
}

TEST_CASE("document: the top-level classification map lists the classes each tool may use",
          "[annotations][document]") {
  json doc = with("bounding_box", box({1, 2, 3, 4}));
  doc["classification"] = {{"bounding_box", {"person", "car"}}};
  CHECK(problems(doc).empty());
  doc["classification"] = {{"bounding_box", {"person"}}, {"polygon", {"road"}}};
  CHECK(problems(doc) == std::vector<std::string>{
                             "doc.json: images[0].bounding_box[0].classification: \"car\" is not "
                             "listed in classification.bounding_box"});
  doc["classification"] = {{"polygon", {"road"}}};  // bounding boxes unrestricted
  CHECK(problems(doc).empty());
  doc["classification"] = {{"boxes", {"car"}}, {"polygon", {"", 3}}, {"keypoint", "nose"}};
  CHECK(problems(doc) ==
        std::vector<std::string>{
            "doc.json: classification.boxes: unknown tool; allowed: bounding_box, polygon, "
            "polyline, keypoint, classification, relation, group",
            "doc.json: classification.keypoint: expected a list of class names (non-empty "
            "strings)",
            "doc.json: classification.polygon[0]: expected a class name (a non-empty string)",
            "doc.json: classification.polygon[1]: expected a class name (a non-empty string)"});
  doc["classification"] = {1};
  CHECK(problems(doc) == std::vector<std::string>{"doc.json: classification: expected an "
                                                  "object: tool -> list of class names"});
}

TEST_CASE("document: every problem of a file is listed, up to a cap", "[annotations][document]") {
  json bad = json::array();
  for (int i = 0; i < 30; ++i)
    bad.push_back(json{{"id", "b" + std::to_string(i)}, {"classification", "car"}, {"data", {1}}});
  const auto doc = check(json{{"images", {{{"bounding_box", bad}}}}}.dump());
  CHECK(doc.problems.size() == CheckedDocument::kMaxProblems);
  CHECK(doc.problems_not_kept == 30 - CheckedDocument::kMaxProblems);
  CHECK(doc.left_out.empty());
  CHECK(describe("x.json", doc.problems[29 - 10]) ==
        "x.json: images[0].bounding_box[19].data: expected [x, y, width, height] with width, "
        "height >= 0");
}

TEST_CASE("document: syntax errors name the line and column", "[annotations][document]") {
  CHECK(text_problems("{\n  \"images\": [\n    {\"bounding_box\": [}]\n  ]\n}") ==
        std::vector<std::string>{"doc.json:3:23: invalid JSON: expected a value, found '}'"});
  CHECK(text_problems("") ==
        std::vector<std::string>{
            "doc.json:1:1: invalid JSON: unexpected end of text, expected a value"});
  CHECK(text_problems(R"({"images": []} x)") ==
        std::vector<std::string>{
            "doc.json:1:16: invalid JSON: unexpected text after the JSON value"});
  CHECK(text_problems(R"({"images": [],})") ==
        std::vector<std::string>{"doc.json:1:15: invalid JSON: expected a key (a string)"});
  CHECK(text_problems(R"({"images": [1 2]})") ==
        std::vector<std::string>{
            "doc.json:1:15: invalid JSON: expected ',' or ']' after an array element"});
  // A syntax error replaces the rule problems found before it: the document is unreadable.
  CHECK(text_problems(R"({"imagez": 1, "images": [)").size() == 1);
}

TEST_CASE("json cursor: strict JSON, as nlohmann::json reads it", "[annotations][json]") {
  auto accepts = [](const std::string& text) {
    try {
      JsonCursor cursor(text);
      cursor.skip();
      cursor.finish();
      return true;
    } catch (const JsonSyntaxError&) {
      return false;
    }
  };
  const std::vector<std::string> texts = {"0",
                                          "-0",
                                          "1.5e+3",
                                          "1E-2",
                                          "01",
                                          "1.",
                                          ".5",
                                          "-",
                                          "+1",
                                          "1e",
                                          "NaN",
                                          "true",
                                          "tru",
                                          "null",
                                          "nul",
                                          "\"a\"",
                                          "\"a",
                                          "\"\\x\"",
                                          "\"\\u12\"",
                                          "\"\\u00e9\"",
                                          "\"\\ud800\"",
                                          "\"\\udc00\"",
                                          "\"\\ud83d\\ude00\"",
                                          "\"\\ud83d\\u0041\"",
                                          "\"\t\"",
                                          "\"\x7f\"",
                                          "\"\xC3\xA9\"",
                                          "\"\xC3\"",
                                          "\"\xC0\xAF\"",
                                          "\"\xED\xA0\x80\"",
                                          "\"\xF4\x90\x80\x80\"",
                                          "\"\xF0\x9F\x98\x80\"",
                                          "[]",
                                          "[1,]",
                                          "[,1]",
                                          "[1 2]",
                                          "{}",
                                          "{\"a\":1,}",
                                          "{\"a\" 1}",
                                          "{1:2}",
                                          "{\"a\":1}",
                                          "[[[]]]",
                                          " [ 1 , { \"a\" : [ ] } ] ",
                                          "",
                                          "[1] [2]",
                                          "\xEF\xBB\xBF[]"};
  for (const auto& text : texts) {
    INFO(text);
    // nlohmann skips a byte order mark at the start; the document checker does too, the
    // cursor itself does not.
    const bool expected = text.rfind("\xEF\xBB\xBF", 0) == 0 ? false : json::accept(text);
    CHECK(accepts(text) == expected);
  }
}

TEST_CASE("json cursor: nesting is bounded", "[annotations][json]") {
  const std::string deep =
      std::string(JsonCursor::kMaxDepth + 1, '[') + std::string(JsonCursor::kMaxDepth + 1, ']');
  JsonCursor cursor(deep);
  CHECK_THROWS_AS(cursor.skip(), JsonSyntaxError);
  const std::string ok =
      std::string(JsonCursor::kMaxDepth, '[') + std::string(JsonCursor::kMaxDepth, ']');
  JsonCursor fine(ok);
  CHECK_NOTHROW(fine.skip());
  CHECK(text_problems(std::string(100000, '[')).size() == 1);
}
