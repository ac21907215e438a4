// Unit tests of the Exporter's hooks, without the host: each hook is called with a sample item
// (the shape the host builds, see src/exporter.hpp) through a FakeExportContext.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/testing/fake_contexts.hpp>

#include "exporter.hpp"

namespace {

nlohmann::json sample_item() {
  return nlohmann::json::parse(R"({
    "id": 42,
    "data": {
      "classification": {"bounding_box": ["car", "person"]},
      "images": [{
        "bounding_box": [
          {"id": "b1", "classification": "car", "data": [10, 20, 40, 30]},
          {"id": "b2", "classification": "person", "data": [60, 10, 20, 50]}
        ],
        "polygon": [
          {"id": "p1", "classification": "road", "data": [[0, 90], [159, 90], [159, 119]]}
        ]
      }]
    },
    "files": {"id": 7, "spec": "image_1", "file_name_original": "cat.jpg",
              "path": "/store/ab/cd/abcd", "width": 160, "height": 120},
    "data_unit": {"id": 5, "meta": {}, "files": {}}
  })");
}

nlohmann::json params_with_counts(bool add) {
  auto params = synapse::testing::FakeExportContext::default_params();
  params["extra_params"]["add_shape_counts"] = add;
  return params;
}

}  // namespace

TEST_CASE("count_shapes counts the annotations of every image per tool", "[exporter]") {
  const auto counts = plugin::count_shapes(sample_item()["data"]);
  CHECK(counts == nlohmann::json::parse(R"({"bounding_box": 2, "polygon": 1})"));
  CHECK(plugin::count_shapes(nlohmann::json()) == nlohmann::json::object());
  CHECK(plugin::count_shapes(nlohmann::json::parse(R"({"images": []})")).empty());
}

TEST_CASE("convert_data adds the shape counts and keeps id and files", "[exporter]") {
  synapse::testing::FakeExportContext context(params_with_counts(true));
  plugin::PluginExporter exporter;
  const auto item = sample_item();

  const auto converted = exporter.convert_data(item, context);

  CHECK(converted["id"] == 42);
  CHECK(converted["files"] == item["files"]);
  CHECK(converted["data"]["images"] == item["data"]["images"]);
  CHECK(converted["data"]["shape_counts"]["bounding_box"] == 2);
  CHECK(converted["data"]["shape_counts"]["polygon"] == 1);
}

TEST_CASE("convert_data leaves the item alone when add_shape_counts is false", "[exporter]") {
  synapse::testing::FakeExportContext context(params_with_counts(false));
  CHECK(plugin::PluginExporter().convert_data(sample_item(), context) == sample_item());
}

TEST_CASE("convert_data passes an item without annotation through", "[exporter]") {
  synapse::testing::FakeExportContext context;
  auto item = sample_item();
  item["data"] = nullptr;
  CHECK(plugin::PluginExporter().convert_data(item, context) == item);
}

TEST_CASE("before_convert and after_convert pass the item through", "[exporter]") {
  synapse::testing::FakeExportContext context;
  plugin::PluginExporter exporter;
  CHECK(exporter.before_convert(sample_item(), context) == sample_item());
  CHECK(exporter.after_convert(sample_item(), context) == sample_item());
}

TEST_CASE("the hooks in the host's order, then finish, report the totals", "[exporter]") {
  synapse::testing::FakeExportContext context(params_with_counts(true));
  context.set_count(2);
  plugin::PluginExporter exporter;
  for (int i = 0; i < 2; ++i) {
    auto item = exporter.before_convert(sample_item(), context);
    item = exporter.convert_data(std::move(item), context);
    item = exporter.after_convert(std::move(item), context);
    exporter.item_exported(item, context);
  }
  exporter.finish(context);

  CHECK(exporter.exported() == 2);
  CHECK(context.fake_run().has_message("Exported 2 item(s); shapes: bounding_box: 4, polygon: 2"));
  CHECK(context.outputs().empty());  // the host, not this exporter, writes json/<id>.json
}
