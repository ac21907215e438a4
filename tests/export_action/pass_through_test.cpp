// A pass-through exporter (passes_data_through): no convert hook runs, each stored annotation
// is written as json/<id>.json unparsed, keys in stored order, indented as Python's
// json.dump(indent=4); the folder is marked EXPORT_INCOMPLETE.json until the one sync at the
// end.
#include "export_test_support.hpp"

using namespace export_test;

namespace {

// An annotation whose keys are not in sorted order, as imported files often are.
std::string unsorted_annotation(int i) {
  return R"({"images":[{"bounding_box":[{"id":"b)" + std::to_string(i) +
         R"(","classification":"car","attrs":[],"data":[1,2,30.5,40]}]}],)"
         R"("classification":{"bounding_box":["car"]}})";
}

// Runs the passthrough fixture over the env's tasks, recording into `record`.
json run_pass_through(ExportEnv& env, RecordingRun& run, const fs::path& record,
                      json extra = json::object()) {
  auto exporter = load_exporter("passthrough");
  extra["extra_params"] = {{"record_file", record.string()}};
  return env.run(run, exporter.get(), env.task_params(extra));
}

}  // namespace

TEST_CASE("pass-through: stored annotations are copied in stored order, no hook runs",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  std::vector<synapse::AnnotationWrite> writes;
  for (std::size_t i = 0; i < units.size(); ++i)
    writes.push_back({units[i].id, unsorted_annotation(static_cast<int>(i))});
  const auto written = env.catalog->put_task_annotations(env.project_id, "completed", writes);
  const auto record = env.root() / "record.txt";
  RecordingRun run;
  const auto result = run_pass_through(env, run, record, {{"save_original_file", false}});
  INFO(run.transcript());
  CHECK(result.at("success") == units.size());
  CHECK(result.at("failed") == 0);

  std::set<std::string> expected;
  for (std::size_t i = 0; i < written.size(); ++i) {
    const auto name = "json/" + std::to_string(written[i].id) + ".json";
    expected.insert(name);
    // Python: json.dump(json.loads(text), f, indent=4) keeps the document's key order.
    CHECK(env.output("exports/export/" + name) ==
          nlohmann::ordered_json::parse(unsorted_annotation(static_cast<int>(i))).dump(4));
  }
  CHECK(files_below(env.out() / "exports/export") == expected);  // the marker is gone

  const auto lines = lines_of(read_file(record));
  REQUIRE(lines.size() == units.size() + 1);
  CHECK(lines[0] == "start marker=yes");            // marked while the items are written
  for (std::size_t i = 0; i < written.size(); ++i)  // without `data`, originals not saved
    CHECK(lines[i + 1] == "exported " + std::to_string(written[i].id) + " keys=id");
}

TEST_CASE("pass-through with originals: item_exported gets the files, not the data",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto ids = env.add_tasks(units);
  const auto record = env.root() / "record.txt";
  RecordingRun run;
  const auto result = run_pass_through(env, run, record);
  INFO(run.transcript());
  CHECK(result.at("success") == units.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& name = sample_names()[i];
    CHECK(env.output("exports/export/json/" + std::to_string(ids[i]) + ".json") ==
          annotation(fs::path(name).stem().string()).dump(4));
    CHECK(env.output("exports/export/origin_files/" + name) == read_file(sample_image(name)));
  }
  const auto lines = lines_of(read_file(record));
  REQUIRE(lines.size() == units.size() + 1);
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK(lines[i + 1] == "exported " + std::to_string(ids[i]) + " keys=data_unit,files,id");
}

TEST_CASE("pass-through: a task without annotation fails as data is null", "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  auto ids = env.add_tasks({units[0]});
  const auto bare =
      env.catalog->create_tasks({{0, env.project_id, units[1].id, "pending", nullptr}});
  const auto record = env.root() / "record.txt";
  RecordingRun run;
  const auto result = run_pass_through(env, run, record, {{"save_original_file", false}});
  CHECK(result.at("success") == 1);
  CHECK(result.at("failed") == 1);
  const auto errors = env.output_json("exports/export/error_file_list.json");
  CHECK(errors.at("json_file_name") ==
        json::array({json::array({std::to_string(bare.at(0).id) + ".json", "data is null"})}));
}
