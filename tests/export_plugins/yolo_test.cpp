// export-yolo: label lines (exact normalisation, clipping, polygon -> box, segmentation mode),
// label file names, classes.txt and data.yaml, all read back from the export folder.
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>
#include <synapse/errors.hpp>

#include "fake_export_context.hpp"
#include "yolo_converter.hpp"
#include "yolo_exporter.hpp"

using namespace export_plugins_test;
using export_plugins::yolo::YoloExporter;
using Lines = std::vector<std::string>;

namespace {

Lines lines_of(const std::string& text) {
  Lines lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// Every label line: a valid class id, then coordinates in [0, 1] with 6 decimals; `fields` is
// 5 for box lines, 0 for "an odd count >= 7" (polygons).
void check_label_lines(const Lines& lines, std::size_t class_count, std::size_t fields) {
  for (const std::string& line : lines) {
    INFO(line);
    std::istringstream in(line);
    std::vector<std::string> tokens;
    for (std::string token; in >> token;)
      tokens.push_back(token);
    if (fields != 0)
      CHECK(tokens.size() == fields);
    else
      CHECK((tokens.size() >= 7 && tokens.size() % 2 == 1));
    REQUIRE_FALSE(tokens.empty());
    CHECK(std::stoul(tokens[0]) < class_count);
    for (std::size_t i = 1; i < tokens.size(); ++i) {
      const auto dot = tokens[i].find('.');
      REQUIRE(dot != std::string::npos);
      CHECK(tokens[i].size() - dot - 1 == 6);
      const double value = std::stod(tokens[i]);
      CHECK(value >= 0.0);
      CHECK(value <= 1.0);
      CHECK(tokens[i][0] != '-');
    }
  }
}

std::vector<json> mixed_items() {
  const json lists = {{"bounding_box", {"car", "person"}}};
  return {
      make_item(1, "street.jpg", 200, 100,
                dm_doc({{"bounding_box",
                         {box("b1", "car", 50, 25, 100, 50), box("b2", "person", -20, 90, 40, 40),
                          box("gone", "car", 300, 0, 5, 5)}},
                        {"polygon",
                         {polygon("p1", "road", {{10, 10}, {30, 10}, {20, 40}}),
                          polygon("p2", "road", {{-50, 50}, {250, 50}, {100, 150}})}}},
                       lists)),
      make_item(2, "tiny.png", 3, 3,
                dm_doc({{"bounding_box", {box("b1", "person", 0, 0, 1, 1)}}}, lists)),
      make_item(3, "blank.jpg", 10, 10, dm_doc(json::object())),
  };
}

}  // namespace

TEST_CASE("export_plugins: YOLO box lines are normalised exactly", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  const auto outcomes = run_export(exporter, context, mixed_items());
  for (const auto& outcome : outcomes)
    CHECK(outcome.error == "");
  CHECK(lines_of(context.read("labels/street.txt")) ==
        Lines{
            "0 0.500000 0.500000 0.500000 0.500000",  // car: centre (100, 50), 100 x 50
            "1 0.050000 0.950000 0.100000 0.100000",  // person clipped to (0,90)-(20,100)
            "2 0.100000 0.250000 0.100000 0.300000",  // road triangle -> its box (10,10)-(30,40)
            "2 0.500000 0.750000 1.000000 0.500000",  // road clipped to (0,50)-(200,100)
        });
  CHECK(context.read("labels/tiny.txt") == "1 0.166667 0.166667 0.333333 0.333333\n");
  // An annotated image without objects: an empty label file (a background image).
  CHECK(context.has("labels/blank.txt"));
  CHECK(context.read("labels/blank.txt") == "");
  CHECK(context.read("classes.txt") == "car\nperson\nroad\n");
  // json/<id>.json: the image's fragment.
  const json fragment = context.read_json("json/2.json");
  CHECK(fragment == json({{"image", "tiny.png"},
                          {"width", 3},
                          {"height", 3},
                          {"labels", {"1 0.166667 0.166667 0.333333 0.333333"}}}));
  const std::string warning = context.recorder().messages_of(synapse::MessageContext::warning);
  CHECK_THAT(warning, Catch::Contains("1 degenerate (zero area after clipping)"));
  CHECK_THAT(warning, Catch::Contains("(2 clipped to the image)"));
}

TEST_CASE("export_plugins: YOLO values stay in [0, 1] with valid class ids", "[yolo]") {
  for (const bool segmentation : {false, true}) {
    INFO("segmentation " << segmentation);
    FakeExportContext context(json{{"segmentation", segmentation}});
    YoloExporter exporter;
    std::vector<json> items = mixed_items();
    // Shapes all over the place, partly or wholly outside the image.
    json boxes = json::array();
    json polygons = json::array();
    for (int i = 0; i < 40; ++i) {
      const double x = (i * 37) % 260 - 60;
      const double y = (i * 53) % 200 - 50;
      boxes.push_back(box("b" + std::to_string(i), "k" + std::to_string(i % 4), x, y, 45, 33));
      polygons.push_back(polygon("p" + std::to_string(i), "k" + std::to_string(i % 3),
                                 {{x, y}, {x + 70, y + 10}, {x + 30, y + 80}, {x - 20, y + 40}}));
    }
    items.push_back(make_item(4, "many.jpg", 160, 120,
                              dm_doc({{"bounding_box", boxes}, {"polygon", polygons}})));
    run_export(exporter, context, items);
    const std::size_t classes = lines_of(context.read("classes.txt")).size();
    CHECK(classes == 7);
    for (const char* file : {"labels/street.txt", "labels/tiny.txt", "labels/many.txt"})
      check_label_lines(lines_of(context.read(file)), classes, segmentation ? 0 : 5);
    CHECK(lines_of(context.read("labels/many.txt")).size() > 40);
  }
}

TEST_CASE("export_plugins: YOLO segmentation writes clipped polygons, boxes as corners", "[yolo]") {
  FakeExportContext context(json{{"segmentation", true}});
  YoloExporter exporter;
  run_export(exporter, context, mixed_items());
  CHECK(lines_of(context.read("labels/street.txt")) ==
        Lines{
            "0 0.250000 0.250000 0.750000 0.250000 0.750000 0.750000 0.250000 0.750000",
            "1 0.000000 0.900000 0.100000 0.900000 0.100000 1.000000 0.000000 1.000000",
            "2 0.050000 0.100000 0.150000 0.100000 0.100000 0.400000",
            // (-50,50) (250,50) (100,150) cut to the 200 x 100 image: the left side
            // y = 50 + (x + 50) / 1.5 crosses x = 0 at y = 83.33 and y = 100 at x = 25; the right
            // side, by symmetry, x = 200 at y = 83.33 and y = 100 at x = 175.
            // (the clipper starts the cycle at the last edge's first crossing)
            "2 0.125000 1.000000 0.000000 0.833333 0.000000 0.500000 1.000000 0.500000 "
            "1.000000 0.833333 0.875000 1.000000",
        });
}

TEST_CASE("export_plugins: YOLO refuses a non-boolean extra_params.segmentation", "[yolo]") {
  FakeExportContext context(json{{"segmentation", "yes"}});
  YoloExporter exporter;
  CHECK_THROWS_AS(exporter.start(context), synapse::ParamsError);
  CHECK_THROWS_WITH(exporter.start(context), Catch::Contains("extra_params.segmentation"));
}

TEST_CASE("export_plugins: YOLO data.yaml and classes.txt list the classes in id order", "[yolo]") {
  FakeExportContext context(json{{"categories", {"person", "car", "a \"quoted\": name"}}});
  YoloExporter exporter;
  run_export(exporter, context, mixed_items());
  CHECK(context.read("classes.txt") == "person\ncar\na \"quoted\": name\n");
  const YAML::Node yaml = YAML::Load(context.read("data.yaml"));
  CHECK(yaml["nc"].as<int>() == 3);
  REQUIRE(yaml["names"].IsMap());
  CHECK(yaml["names"].size() == 3);
  CHECK(yaml["names"][0].as<std::string>() == "person");
  CHECK(yaml["names"][1].as<std::string>() == "car");
  CHECK(yaml["names"][2].as<std::string>() == "a \"quoted\": name");
  CHECK(yaml["path"].as<std::string>() == "");
  CHECK(yaml["train"].as<std::string>() == "images");
  CHECK(yaml["val"].as<std::string>() == "images");
  // The order is fixed: car is class 1, road (not listed) is left out.
  CHECK(lines_of(context.read("labels/street.txt")) ==
        Lines{"1 0.500000 0.500000 0.500000 0.500000", "0 0.050000 0.950000 0.100000 0.100000"});
}

TEST_CASE("export_plugins: YOLO data.yaml of an export without classes", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  run_export(exporter, context, {});
  const YAML::Node yaml = YAML::Load(context.read("data.yaml"));
  CHECK(yaml["nc"].as<int>() == 0);
  CHECK(yaml["names"].IsMap());
  CHECK(yaml["names"].size() == 0);
  CHECK(context.read("classes.txt") == "");
}

TEST_CASE("export_plugins: YOLO label files of repeated stems get the item id", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  const json doc = dm_doc({{"bounding_box", {box("b1", "a", 1, 1, 2, 2)}}});
  run_export(exporter, context,
             {make_item(1, "cat.jpg", 10, 10, doc), make_item(2, "cat.png", 10, 10, doc),
              make_item(5, "cat_9.jpg", 10, 10, doc), make_item(9, "cat.jpeg", 10, 10, doc),
              make_item(7, "dir/dog.v2.jpg", 10, 10, doc), make_item(8, ".jpg", 10, 10, doc)});
  for (const char* file : {"labels/cat.txt", "labels/cat_2.txt", "labels/cat_9.txt",
                           "labels/cat_9_2.txt", "labels/dog.v2.txt", "labels/8.txt"})
    CHECK(context.has(file));
  CHECK_THAT(context.recorder().messages_of(synapse::MessageContext::warning),
             Catch::Contains("2 label files named <stem>_<id>.txt"));
}

TEST_CASE("export_plugins: YOLO labels pair with originals the host renamed", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  const json doc = dm_doc({{"bounding_box", {box("b1", "a", 1, 1, 2, 2)}}});
  // The host writes origin_files/cat.jpg and origin_files/cat_2.jpg.
  run_export(exporter, context,
             {make_item(1, "cat.jpg", 10, 10, doc), make_item(2, "cat.jpg", 10, 10, doc)});
  CHECK(context.has("labels/cat.txt"));
  CHECK(context.has("labels/cat_2.txt"));
  CHECK(context.recorder().messages_of(synapse::MessageContext::warning) == "");
}

TEST_CASE("export_plugins: YOLO label_path asks whether a name is taken", "[yolo]") {
  using export_plugins::yolo::label_path;
  std::vector<std::string> asked;
  const auto taken_until = [&](std::size_t free_from) {
    return [&asked, free_from](const std::string& path) {
      asked.push_back(path);
      return asked.size() < free_from;
    };
  };
  CHECK(label_path("cat", 4, taken_until(1)) == "labels/cat.txt");
  asked.clear();
  CHECK(label_path("cat", 4, taken_until(3)) == "labels/cat_4_2.txt");
  CHECK(asked ==
        std::vector<std::string>{"labels/cat.txt", "labels/cat_4.txt", "labels/cat_4_2.txt"});
  CHECK(export_plugins::yolo::file_stem("a/b/archive.tar.gz") == "archive.tar");
  CHECK(export_plugins::yolo::file_stem("noext") == "noext");
}

TEST_CASE("export_plugins: YOLO fails an item without width/height", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  const json doc = dm_doc({{"bounding_box", {box("b1", "a", 1, 1, 2, 2)}}});
  const auto outcomes = run_export(
      exporter, context, {make_item(1, "w.jpg", -1, 10, doc), make_item(2, "ok.jpg", 10, 10, doc)});
  CHECK_THAT(outcomes[0].error,
             Catch::Contains("item 1 (w.jpg)") && Catch::Contains("YOLO coordinates"));
  CHECK_FALSE(context.has("labels/w.txt"));
  CHECK(outcomes[1].ok);
  CHECK(context.has("labels/ok.txt"));
}

TEST_CASE("export_plugins: YOLO class ids follow the classification lists", "[yolo]") {
  FakeExportContext context;
  YoloExporter exporter;
  run_export(exporter, context,
             {make_item(1, "a.jpg", 10, 10,
                        dm_doc({{"bounding_box", {box("b1", "x", 1, 1, 2, 2)}},
                                {"polygon", {polygon("p1", "y", {{0, 0}, {4, 0}, {0, 4}})}}},
                               {{"polygon", {"y"}}, {"bounding_box", {"z", "x"}}}))});
  // bounding_box lists before polygon lists, whatever the document's key order.
  CHECK(context.read("classes.txt") == "z\nx\ny\n");
  CHECK(lines_of(context.read("labels/a.txt"))[0].substr(0, 2) == "1 ");
}
