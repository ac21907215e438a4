// A text-converting exporter (converts_text) through the host's item loop: no JSON hook runs,
// convert_text gets the stored annotation and the item without `data`, its text is written
// indented exactly as written, text_item_exported gets what it kept; a hook that throws, text
// that is not JSON and an unannotated task each fail their item only.
#include "export_test_support.hpp"

using namespace export_test;

namespace {

json run_text_convert(ExportEnv& env, RecordingRun& run, const fs::path& record,
                      json extra = json::object()) {
  auto exporter = load_exporter("textconvert");
  extra["extra_params"] = {{"record_file", record.string()}};
  return env.run(run, exporter.get(), env.task_params(extra));
}

// What the fixture's text `{"z":1,"a":[1.50,"\/"],"id":<id>}` becomes, indented by 4: keys,
// the number and the escape as written (a tree would sort the keys and write 1.5 and "/").
std::string indented_fixture_text(synapse::CatalogId id) {
  return "{\n    \"z\": 1,\n    \"a\": [\n        1.50,\n        \"\\/\"\n    ],\n    \"id\": " +
         std::to_string(id) + "\n}";
}

}  // namespace

TEST_CASE("text conversion: convert_text's text is written as written, kept comes back",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto ids = env.add_tasks(units);
  const auto record = env.root() / "record.txt";
  RecordingRun run;
  const auto result = run_text_convert(env, run, record);
  INFO(run.transcript());
  CHECK(result.at("success") == units.size());
  CHECK(result.at("failed") == 0);

  const auto lines = lines_of(read_file(record));
  REQUIRE(lines.size() == 2 * ids.size());
  std::size_t converts = 0;
  std::size_t exports = 0;
  for (const auto& line : lines) {
    INFO(line);
    if (line.rfind("convert ", 0) == 0) {
      // The stored annotation, as stored; the item without `data`.
      const auto id = ids.at(converts);
      const auto name = sample_names().at(converts++);
      const std::string head = "convert " + std::to_string(id) + " keys=data_unit,files,id data=";
      REQUIRE(line.rfind(head, 0) == 0);
      CHECK(json::parse(line.substr(head.size())) == annotation(fs::path(name).stem().string()));
    } else {
      // In item order, after the item's outputs were saved; files.origin_file_name set.
      const auto id = ids.at(exports);
      const auto name = sample_names().at(exports++);
      CHECK(line == "exported " + std::to_string(id) + " kept=kept-" + std::to_string(id) +
                        " keys=data_unit,files,id origin=" + name);
      CHECK(env.output("exports/export/json/" + std::to_string(id) + ".json") ==
            indented_fixture_text(id));
      CHECK(env.output("exports/export/origin_files/" + name) == read_file(sample_image(name)));
    }
  }
  CHECK(converts == ids.size());
  CHECK(exports == ids.size());
}

TEST_CASE("text conversion: a throwing hook, non-JSON text, no annotation fail their item only",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  REQUIRE(units.size() >= 4);
  const auto written =
      env.catalog->put_task_annotations(env.project_id, "completed",
                                        {{units[0].id, R"({"images":[],"note":"fail"})"},
                                         {units[1].id, R"({"images":[],"note":"garbage"})"},
                                         {units[2].id, R"({"images":[]})"}});
  const auto bare =
      env.catalog->create_tasks({{0, env.project_id, units[3].id, "pending", nullptr}});
  const auto record = env.root() / "record.txt";
  RecordingRun run;
  const auto result = run_text_convert(env, run, record, {{"save_original_file", false}});
  INFO(run.transcript());
  CHECK(result.at("success") == 1);
  CHECK(result.at("failed") == 3);

  const auto json_name = [](synapse::CatalogId id) { return std::to_string(id) + ".json"; };
  const auto errors = env.output_json("exports/export/error_file_list.json").at("json_file_name");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0] == json::array({json_name(written[0].id), "convert_text failed: asked to fail"}));
  CHECK(errors[1][0] == json_name(written[1].id));
  CHECK_THAT(errors[1][1].get<std::string>(),
             Catch::StartsWith("convert_text returned text that is not JSON: "));
  CHECK(errors[2] == json::array({json_name(bare.at(0).id), "data is null"}));
  CHECK(env.output("exports/export/json/" + json_name(written[2].id)) ==
        indented_fixture_text(written[2].id));
  CHECK(files_below(env.out() / "exports/export") ==
        std::set<std::string>{"error_file_list.json", "json/" + json_name(written[2].id)});

  // The unannotated task never reached the hook; only the good item was exported.
  const auto lines = lines_of(read_file(record));
  CHECK(lines.size() == 4);
  for (const auto& line : lines)
    CHECK(line.find(" " + std::to_string(bare.at(0).id) + " ") == std::string::npos);
  CHECK(lines.back() == "exported " + std::to_string(written[2].id) + " kept=kept-" +
                            std::to_string(written[2].id) + " keys=data_unit,files,id origin=-");
}
