// export-synapse-json: the annotation is exported unchanged.
#include <string>

#include <catch2/catch.hpp>

#include "fake_export_context.hpp"
#include "synapse_json_exporter.hpp"

using namespace export_plugins_test;
using export_plugins::synapse_json::SynapseJsonExporter;

TEST_CASE("export_plugins: Synapse JSON passes items through unchanged", "[synapse_json]") {
  FakeExportContext context;
  SynapseJsonExporter exporter;
  const json doc =
      dm_doc({{"bounding_box", {box("b1", "car", -5, 1.5, 1e6, 2)}},  // nothing is clipped here
              {"keypoint", {{{"id", "k1"}, {"classification", "nose"}, {"data", {80, 40}}}}},
              {"relation", {{{"id", "r1"}, {"classification", "near"}, {"data", {"b1", "k1"}}}}}},
             {{"bounding_box", {"car"}}});
  const json item = make_item(42, "ünïcode name.jpg", -1, -1, doc);
  CHECK(exporter.convert_data(item, context) == item);
  CHECK(exporter.before_convert(item, context) == item);
  CHECK(exporter.after_convert(item, context) == item);

  const auto outcomes = run_export(
      exporter, context,
      {item, make_item(43, "b.jpg", 5, 5, nullptr), make_item(44, "c.jpg", 5, 5, json::object())});
  CHECK(outcomes[0].ok);
  CHECK(context.read_json("json/42.json") == doc);
  CHECK(outcomes[1].error == "data is Null");
  CHECK(context.read_json("json/44.json") == json::object());
  CHECK(exporter.exported() == 2);
  CHECK_THAT(context.recorder().messages_of(synapse::MessageContext::info),
             Catch::Contains("2 annotations written"));
}
