// export-coco: instances.json parsed back from the export folder and checked against the COCO
// rules, the category order rule, clipping and degenerate shapes, and items it cannot convert.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <synapse/errors.hpp>

#include "coco_converter.hpp"
#include "coco_exporter.hpp"
#include "fake_export_context.hpp"

using namespace export_plugins_test;
using export_plugins::CategoryOrder;
using export_plugins::coco::CocoConverter;
using export_plugins::coco::CocoExporter;

namespace {

double shoelace(const json& flat) {
  double twice = 0;
  const std::size_t n = flat.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    twice += flat[2 * i].get<double>() * flat[2 * j + 1].get<double>() -
             flat[2 * j].get<double>() * flat[2 * i + 1].get<double>();
  }
  return std::abs(twice) / 2;
}

// Every rule a COCO instances file must keep; returns the number of annotations checked. The
// broken rules are collected and checked once (a large export has many thousand annotations).
std::size_t check_coco_rules(const json& coco) {
  REQUIRE(coco.is_object());
  for (const char* key : {"info", "images", "annotations", "categories"})
    REQUIRE(coco.contains(key));
  std::vector<std::string> broken;
  const auto expect = [&](bool ok, const char* rule, const json& where) {
    if (!ok && broken.size() < 20)
      broken.push_back(std::string(rule) + ": " + where.dump());
  };
  std::map<std::int64_t, json> images;
  for (const json& image : coco["images"]) {
    REQUIRE(image["id"].is_number_integer());
    expect(images.emplace(image["id"].get<std::int64_t>(), image).second, "unique image id", image);
    expect(image["file_name"].is_string(), "file_name", image);
    expect(image["width"].get<std::int64_t>() > 0, "width > 0", image);
    expect(image["height"].get<std::int64_t>() > 0, "height > 0", image);
  }
  std::set<std::int64_t> categories;
  for (const json& category : coco["categories"]) {
    expect(categories.insert(category["id"].get<std::int64_t>()).second, "unique category id",
           category);
    expect(category["name"].is_string(), "category name", category);
    expect(category["supercategory"] == "", "supercategory", category);
  }
  std::set<std::int64_t> annotation_ids;
  for (const json& a : coco["annotations"]) {
    expect(annotation_ids.insert(a["id"].get<std::int64_t>()).second, "unique annotation id", a);
    const auto image_it = images.find(a["image_id"].get<std::int64_t>());
    if (image_it == images.end()) {
      expect(false, "image_id exists", a);
      continue;
    }
    expect(categories.count(a["category_id"].get<std::int64_t>()) == 1, "category_id exists", a);
    expect(a["iscrowd"] == 0, "iscrowd 0", a);
    const double width = image_it->second["width"].get<double>();
    const double height = image_it->second["height"].get<double>();
    const json& b = a["bbox"];
    REQUIRE(b.size() == 4);
    const double x = b[0].get<double>(), y = b[1].get<double>();
    const double w = b[2].get<double>(), h = b[3].get<double>();
    expect(x >= 0 && y >= 0 && w > 0 && h > 0, "bbox positive", a);
    expect(x + w <= width && y + h <= height, "bbox inside the image", a);
    REQUIRE(a["segmentation"].is_array());
    REQUIRE(a["segmentation"].size() == 1);
    const json& polygon = a["segmentation"][0];
    expect(polygon.size() >= 6 && polygon.size() % 2 == 0, "segmentation >= 3 points", a);
    for (std::size_t i = 0; i + 1 < polygon.size(); i += 2) {
      const double px = polygon[i].get<double>(), py = polygon[i + 1].get<double>();
      expect(px >= x && px <= x + w && py >= y && py <= y + h, "segmentation inside bbox", a);
    }
    const double area = a["area"].get<double>();
    expect(area > 0 && area <= w * h + 1e-9, "0 < area <= bbox area", a);
    expect(std::abs(area - shoelace(polygon)) <= 1e-6 * std::max(1.0, area),
           "area = segmentation's area", a);
  }
  CHECK(broken == std::vector<std::string>{});
  return annotation_ids.size();
}

std::vector<std::string> category_names(const json& coco) {
  std::vector<std::string> names;
  for (const json& c : coco["categories"])
    names.push_back(c["name"].get<std::string>());
  return names;
}

const json& annotation_with_category(const json& coco, const std::string& name) {
  std::int64_t id = -1;
  for (const json& c : coco["categories"])
    if (c["name"] == name)
      id = c["id"].get<std::int64_t>();
  for (const json& a : coco["annotations"])
    if (a["category_id"] == id)
      return a;
  FAIL("no annotation of category " << name);
  throw std::logic_error("unreachable");
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("export_plugins: COCO instances.json keeps the format's rules", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  const std::vector<json> items = {
      make_item(11, "cat.jpg", 160, 120,
                dm_doc({{"bounding_box",
                         {box("b1", "cat", 10, 20, 40, 30), box("b2", "dog", 150, 100, 30, 30)}},
                        {"polygon", {polygon("p1", "road", {{0, 90}, {159, 90}, {159, 119}})}}})),
      make_item(12, "dog.png", 64, 48,
                dm_doc({{"polygon", {polygon("p2", "dog", {{-8, -8}, {32, 0}, {40, 60}, {0, 40}})}},
                        {"bounding_box", {box("b3", "cat", 0, 0, 64, 48)}}})),
      make_item(13, "empty.jpg", 10, 10, dm_doc(json::object())),
  };
  const auto outcomes = run_export(exporter, context, items);
  for (const auto& outcome : outcomes)
    CHECK(outcome.error == "");

  const json coco = context.read_json("instances.json");
  CHECK(check_coco_rules(coco) == 5);
  CHECK(coco["images"].size() == 3);
  CHECK(coco["info"]["description"] == "test-export");
  CHECK(coco["images"][0] ==
        json({{"id", 11}, {"file_name", "cat.jpg"}, {"width", 160}, {"height", 120}}));

  // json/<id>.json holds that image's fragment, the same entries as instances.json.
  const json fragment = context.read_json("json/12.json");
  CHECK(fragment["image"] == coco["images"][1]);
  REQUIRE(fragment["annotations"].size() == 2);
  CHECK(fragment["annotations"][0] == coco["annotations"][3]);
  CHECK(context.read_json("json/13.json")["annotations"] == json::array());

  // A box: area w*h, segmentation its 4 corners.
  const json& cat = coco["annotations"][0];
  CHECK(cat["bbox"] == json({10.0, 20.0, 40.0, 30.0}));
  CHECK(cat["area"] == 1200.0);
  CHECK(cat["segmentation"] == json({{10.0, 20.0, 50.0, 20.0, 50.0, 50.0, 10.0, 50.0}}));
  // A polygon: the shoelace area, bbox its extent.
  const json& road = coco["annotations"][2];
  CHECK(road["area"] == Approx(159.0 * 29 / 2));
  CHECK(road["bbox"] == json({0.0, 90.0, 159.0, 29.0}));
}

TEST_CASE("export_plugins: COCO categories follow the documents' classification lists", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  const json lists = {{"bounding_box", {"person", "car"}}, {"polygon", {"road", "car"}}};
  run_export(
      exporter, context,
      {make_item(1, "a.jpg", 100, 100,
                 dm_doc({{"bounding_box", {box("b1", "car", 1, 1, 5, 5)}},
                         {"polygon", {polygon("p1", "road", {{0, 0}, {9, 0}, {9, 9}})}}},
                        lists)),
       make_item(2, "b.jpg", 100, 100,
                 dm_doc({{"bounding_box",
                          {box("b1", "truck", 1, 1, 5, 5), box("b2", "person", 2, 2, 5, 5)}}},
                        lists))});
  const json coco = context.read_json("instances.json");
  check_coco_rules(coco);
  CHECK(category_names(coco) == Names{"person", "car", "road", "truck"});
  CHECK(coco["categories"][0] == json({{"id", 1}, {"name", "person"}, {"supercategory", ""}}));
  CHECK(annotation_with_category(coco, "car")["category_id"] == 2);
  CHECK(annotation_with_category(coco, "truck")["category_id"] == 4);
}

TEST_CASE("export_plugins: COCO categories without classification lists are first-seen", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  run_export(
      exporter, context,
      {make_item(1, "a.jpg", 100, 100,
                 dm_doc({{"bounding_box", {box("b1", "zebra", 1, 1, 5, 5)}},
                         {"polygon", {polygon("p1", "ant", {{0, 0}, {9, 0}, {9, 9}})}}})),
       make_item(2, "b.jpg", 100, 100,
                 dm_doc({{"bounding_box",
                          {box("b1", "mole", 1, 1, 5, 5), box("b2", "zebra", 2, 2, 5, 5)}}}))});
  const json coco = context.read_json("instances.json");
  check_coco_rules(coco);
  // Boxes are read before polygons within a document.
  CHECK(category_names(coco) == Names{"zebra", "ant", "mole"});
}

TEST_CASE("export_plugins: COCO extra_params.categories fixes the order and filters", "[coco]") {
  FakeExportContext context(json{{"categories", {"road", "car", "bus"}}});
  CocoExporter exporter;
  run_export(
      exporter, context,
      {make_item(
          1, "a.jpg", 100, 100,
          dm_doc({{"bounding_box", {box("b1", "car", 1, 1, 5, 5), box("b2", "person", 2, 2, 5, 5)}},
                  {"polygon", {polygon("p1", "road", {{0, 0}, {9, 0}, {9, 9}})}}},
                 {{"bounding_box", {"person", "car"}}}))});
  const json coco = context.read_json("instances.json");
  CHECK(check_coco_rules(coco) == 2);
  CHECK(category_names(coco) == Names{"road", "car", "bus"});
  CHECK(annotation_with_category(coco, "car")["category_id"] == 2);
  CHECK(annotation_with_category(coco, "road")["category_id"] == 1);
  CHECK_THAT(context.recorder().messages_of(synapse::MessageContext::warning),
             Catch::Contains("1 of a class not in extra_params.categories"));
}

TEST_CASE("export_plugins: COCO refuses malformed extra_params.categories", "[coco]") {
  for (const json& bad : {json("car"), json({"car", "car"}), json({"car", ""}), json({1, 2})}) {
    INFO(bad.dump());
    FakeExportContext context(json{{"categories", bad}});
    CocoExporter exporter;
    CHECK_THROWS_AS(exporter.start(context), synapse::ParamsError);
    CHECK_THROWS_WITH(exporter.start(context), Catch::Contains("extra_params.categories"));
  }
}

TEST_CASE("export_plugins: COCO clips shapes to the image and skips degenerate ones", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  run_export(
      exporter, context,
      {make_item(7, "c.jpg", 100, 80,
                 dm_doc({{"bounding_box",
                          {box("in_corner", "a", -10, -10, 30, 30),  // clipped to [0,0,20,20]
                           box("outside", "a", 200, 10, 10, 10),     // nothing left
                           box("flat", "a", 10, 10, 0, 5),           // zero width
                           box("edge", "a", 100, 0, 10, 10)}},       // touches the image, no area
                         {"polygon",
                          {polygon("square", "b", {{-10, -10}, {10, -10}, {10, 10}, {-10, 10}}),
                           polygon("line", "b", {{1, 1}, {5, 5}, {9, 9}}),  // collinear: no area
                           polygon("tri", "b", {{50, 40}, {150, 40}, {50, 140}})}}}))});
  const json coco = context.read_json("instances.json");
  REQUIRE(check_coco_rules(coco) == 3);
  const json& a = coco["annotations"];
  CHECK(a[0]["bbox"] == json({0.0, 0.0, 20.0, 20.0}));
  CHECK(a[0]["area"] == 400.0);
  CHECK(a[1]["bbox"] == json({0.0, 0.0, 10.0, 10.0}));
  CHECK(a[1]["area"] == 100.0);
  // The triangle's hypotenuse x + y = 190 passes beyond the image corner (100, 80), so what is
  // left inside the image is the rectangle (50,40)-(100,80).
  CHECK(a[2]["bbox"] == json({50.0, 40.0, 50.0, 40.0}));
  CHECK(a[2]["area"] == Approx(2000.0));
  const std::string warning = context.recorder().messages_of(synapse::MessageContext::warning);
  CHECK_THAT(warning, Catch::Contains("3 shapes written (3 clipped to the image)"));
  CHECK_THAT(warning, Catch::Contains("4 degenerate (zero area after clipping)"));
}

TEST_CASE("export_plugins: COCO fails an item without width/height, keeps the others", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  const json doc = dm_doc({{"bounding_box", {box("b1", "a", 1, 1, 5, 5)}}});
  const auto outcomes =
      run_export(exporter, context,
                 {make_item(1, "ok.jpg", 10, 10, doc), make_item(2, "nosize.jpg", -1, -1, doc),
                  make_item(3, "noheight.jpg", 10, -1, doc), make_item(4, "ok2.jpg", 10, 10, doc)});
  CHECK(outcomes[0].ok);
  CHECK_FALSE(outcomes[1].ok);
  CHECK_THAT(outcomes[1].error, Catch::Contains("item 2 (nosize.jpg)") &&
                                    Catch::Contains("files.width and files.height") &&
                                    Catch::Contains("COCO"));
  CHECK_FALSE(outcomes[2].ok);
  CHECK(outcomes[3].ok);
  const json coco = context.read_json("instances.json");
  CHECK(check_coco_rules(coco) == 2);
  REQUIRE(coco["images"].size() == 2);
  CHECK(coco["images"][1]["file_name"] == "ok2.jpg");
  CHECK_FALSE(context.has("json/2.json"));
}

TEST_CASE("export_plugins: COCO names the annotation a malformed shape came from", "[coco]") {
  CocoConverter converter;
  const auto convert = [&](json tools) {
    return converter.convert(make_item(5, "m.jpg", 10, 10, dm_doc(std::move(tools))));
  };
  CHECK_THROWS_WITH(
      convert({{"bounding_box", {box("b9", "a", 1, 1, -2, 5)}}}),
      Catch::Contains("item 5 (m.jpg)") && Catch::Contains("(id b9)") && Catch::Contains(">= 0"));
  CHECK_THROWS_WITH(convert({{"polygon", {polygon("p1", "a", {{0, 0}, {1, 1}})}}}),
                    Catch::Contains("at least 3 points"));
  CHECK_THROWS_WITH(convert({{"bounding_box", {{{"id", "b1"}, {"data", {1, 1, 2, 2}}}}}}),
                    Catch::Contains("`classification` must be a non-empty string"));
  CHECK_THROWS_WITH(converter.convert(make_item(6, "n.jpg", 10, 10, {{"foo", 1}})),
                    Catch::Contains("no `images` list"));
  // Whole messages: the item, the annotation (tool, index, id), the coordinate, the value.
  json bad_box = box("b2", "a", 1, 1, 2, 2);
  bad_box["data"][1] = "y?";
  CHECK_THROWS_WITH(convert({{"bounding_box", {box("b1", "a", 1, 1, 2, 2), bad_box}}}),
                    "item 5 (m.jpg): images[0].bounding_box[1] (id b2) y: expected a finite "
                    "number, got \"y?\"");
  json bad_point = polygon("p1", "a", {{0, 0}, {1, 1}, {2, 0}});
  bad_point["data"][2] = {2};
  CHECK_THROWS_WITH(convert({{"polygon", {bad_point}}}),
                    "item 5 (m.jpg): images[0].polygon[0] (id p1) point 2: expected a point "
                    "[x, y], got [2]");
  bad_point["data"][2] = {2, nullptr};
  CHECK_THROWS_WITH(convert({{"polygon", {bad_point}}}),
                    "item 5 (m.jpg): images[0].polygon[0] (id p1) point 2: expected a finite "
                    "number, got null");
}

TEST_CASE("export_plugins: COCO skips keypoints and polylines with a count", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  run_export(
      exporter, context,
      {make_item(
          1, "k.jpg", 100, 100,
          dm_doc({{"keypoint", {{{"id", "k1"}, {"classification", "nose"}, {"data", {5, 5}}}}},
                  {"polyline",
                   {{{"id", "l1"}, {"classification", "lane"}, {"data", {{1, 1}, {5, 5}}}}}},
                  {"bounding_box", {box("b1", "face", 1, 1, 9, 9)}}}))});
  const json coco = context.read_json("instances.json");
  CHECK(check_coco_rules(coco) == 1);
  CHECK(category_names(coco) == Names{"face"});
  const std::string warning = context.recorder().messages_of(synapse::MessageContext::warning);
  CHECK_THAT(warning, Catch::Contains("1 keypoints (not converted)"));
  CHECK_THAT(warning, Catch::Contains("1 polylines (not converted)"));
}

TEST_CASE("export_plugins: COCO leaves an unannotated item to the host", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  const auto outcomes = run_export(exporter, context, {make_item(1, "n.jpg", 10, 10, nullptr)});
  CHECK(outcomes[0].error == "data is Null");
  const json coco = context.read_json("instances.json");
  CHECK(coco["images"] == json::array());
}

TEST_CASE("export_plugins: COCO with no items writes an empty instances.json", "[coco]") {
  FakeExportContext context;
  CocoExporter exporter;
  run_export(exporter, context, {});
  const json coco = context.read_json("instances.json");
  CHECK(coco["images"] == json::array());
  CHECK(coco["annotations"] == json::array());
  CHECK(coco["categories"] == json::array());
  CHECK(coco["licenses"] == json::array());
}

TEST_CASE("export_plugins: COCO streams a large export through the scratch files", "[coco]") {
  // Over 1 MiB of output: the writer hands it over in blocks and keeps only the categories.
  FakeExportContext context;
  CocoExporter exporter;
  exporter.start(context);
  const int kItems = 3500;
  for (int i = 1; i <= kItems; ++i) {
    json item =
        make_item(i, "img" + std::to_string(i) + ".jpg", 640, 480,
                  dm_doc({{"bounding_box",
                           {box("b1", "c" + std::to_string(i % 7), i % 600, 10, 30, 40),
                            box("b2", "c" + std::to_string(i % 5), 5, i % 400, 50, 60)}},
                          {"polygon", {polygon("p", "poly", {{0, 0}, {20, 0}, {0, 20}})}}}));
    json converted = exporter.convert_data(std::move(item), context);
    exporter.item_exported(converted, context);
  }
  CHECK(std::filesystem::file_size(context.scratch_dir() / "coco_annotations.jsonl") > 0);
  exporter.finish(context);
  const json coco = context.read_json("instances.json");
  CHECK(coco["images"].size() == kItems);
  CHECK(check_coco_rules(coco) == 3 * kItems);
  CHECK(coco["categories"].size() == 8);
  CHECK(context.read("instances.json").size() > (1u << 20));  // more than one block
}

TEST_CASE("export_plugins: COCO file_name is the original's name in origin_files", "[coco]") {
  const json doc = dm_doc({{"bounding_box", {box("b1", "a", 1, 1, 2, 2)}}});
  const std::vector<json> items = {make_item(1, "cat.jpg", 10, 10, doc),
                                   make_item(2, "cat.jpg", 10, 10, doc),
                                   make_item(3, "folder/dog.jpg", 10, 10, doc)};
  SECTION("the host says how it named each original") {
    FakeExportContext context;
    CocoExporter exporter;
    run_export(exporter, context, items);
    const json coco = context.read_json("instances.json");
    CHECK(coco["images"][0]["file_name"] == "cat.jpg");
    CHECK(coco["images"][1]["file_name"] == "cat_2.jpg");  // renamed by the host
    CHECK(coco["images"][2]["file_name"] == "dog.jpg");
    CHECK(context.read_json("json/2.json")["image"]["file_name"] == "cat.jpg");
  }
  SECTION("the host does not say: files.file_name_original without its folders") {
    FakeExportContext context;
    CocoExporter exporter;
    run_export(exporter, context, items, false);
    const json coco = context.read_json("instances.json");
    CHECK(coco["images"][1]["file_name"] == "cat.jpg");
    CHECK(coco["images"][2]["file_name"] == "dog.jpg");
  }
}

TEST_CASE("export_plugins: COCO's text path writes what its JSON hooks write", "[coco]") {
  // Boxes and polygons, clipping, a degenerate shape, a class only in annotations, keypoints,
  // a repeated original name, an item that fails, an unannotated one.
  const json tools_a = {
      {"bounding_box", {box("b1", "cat", 10, 20, 40, 30), box("b2", "dog", 150, 100, 30, 30)}},
      {"polygon", {polygon("p1", "road", {{0, 90}, {159, 90}, {159.5, 119.25}})}},
      {"keypoint", {{{"id", "k"}, {"classification", "nose"}, {"data", {1, 1}}}}}};
  const json tools_b = {{"polygon", {polygon("p2", "dog", {{-8, -8}, {32, 0}, {40, 60}, {0, 40}})}},
                        {"bounding_box", {box("b3", "bird", 0, 0, 0, 48)}}};
  const std::vector<json> items = {
      make_item(11, "cat.jpg", 160, 120, dm_doc(tools_a, {{"bounding_box", {"dog", "cat"}}})),
      make_item(12, "dir/cat.jpg", 64, 48, dm_doc(tools_b)),
      make_item(13, "bad.jpg", 10, 10, dm_doc({{"bounding_box", {box("b", "a", 1, 1, -1, 1)}}})),
      make_item(14, "none.jpg", 10, 10, nullptr),
      make_item(15, "empty.jpg", 10, 10, dm_doc(json::object())),
  };
  const auto run = [&](HookPath path) {
    FakeExportContext context;
    CocoExporter exporter;
    const auto outcomes = run_export(exporter, context, items, true, path);
    std::vector<std::string> seen;
    for (const auto& outcome : outcomes)
      seen.push_back(outcome.id.dump() + ": " + (outcome.ok ? "ok" : outcome.error));
    json coco = context.read_json("instances.json");
    coco["info"].erase("date_created");
    seen.push_back(coco.dump());
    for (const char* name : {"json/11.json", "json/12.json", "json/15.json"})
      seen.push_back(context.read(name));
    CHECK_FALSE(context.has("json/13.json"));
    return seen;
  };
  const auto text = run(HookPath::declared);
  CHECK(text == run(HookPath::json));
  CHECK_THAT(text[2], Catch::Contains("13: ") && Catch::Contains("images[0].bounding_box[0]"));
  CHECK(text[3] == "14: data is Null");
  CHECK_THAT(text[5], Catch::Contains("\"file_name\":\"cat_12.jpg\""));  // renamed original
}
