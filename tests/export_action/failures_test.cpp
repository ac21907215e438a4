// What fails one item and what stops the export: a throwing hook, null data, an original that
// cannot be saved, zero items, cancellation, bad params.
#include "export_test_support.hpp"

using namespace export_test;

namespace {

std::string id_json(synapse::CatalogId id) {
  return std::to_string(id) + ".json";
}

}  // namespace

TEST_CASE("a hook that throws fails its item only, recorded in error_file_list.json",
          "[export_action]") {
  ExportEnv env;
  const auto ids = env.add_tasks(env.add_samples());
  auto exporter = load_exporter("failing");
  RecordingRun run;
  const auto result =
      env.run(run, exporter.get(), env.task_params({{"extra_params", {{"fail_id", ids[2]}}}}));
  INFO(run.transcript());
  CHECK(result["items"] == 6);
  CHECK(result["success"] == 5);
  CHECK(result["failed"] == 1);
  CHECK(result["errors_file"] == "exports/export/error_file_list.json");
  CHECK(env.output("exports/export/error_file_list.json") ==
        "{\n"
        "    \"json_file_name\": [\n"
        "        [\n"
        "            \"" +
            id_json(ids[2]) +
            "\",\n"
            "            \"convert_data failed: refusing item " +
            std::to_string(ids[2]) +
            "\"\n"
            "        ]\n"
            "    ],\n"
            "    \"origin_file_name\": []\n"
            "}");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(fs::exists(env.out() / "exports/export/json" / id_json(ids[i])) == (i != 2));
    CHECK(fs::exists(env.out() / "exports/export/origin_files" / sample_names()[i]) == (i != 2));
  }
  const auto failed = run.with_code("FILE_EXPORT_FAILED");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].level == synapse::MessageContext::danger);
  const auto events = run.events("export_data_file");
  REQUIRE(events.size() == 6);
  CHECK(events[2]["status"] == "failed");
  CHECK(events[2]["error"] == "convert_data failed: refusing item " + std::to_string(ids[2]));
  CHECK(run.metrics("data_file") == json{{"stand_by", 0}, {"success", 5}, {"failed", 1}});
  CHECK(run.with_code("EXPORT_COMPLETED").size() == 1);
}

TEST_CASE("null data: NULL_DATA_DETECTED, the original saved, no JSON", "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto ids = env.add_tasks({units[0], units[1]});
  const auto bare =
      env.catalog->create_tasks({{0, env.project_id, units[2].id, "pending", nullptr}});
  RecordingRun run;
  const auto result = env.run(run, nullptr, env.task_params());
  CHECK(result["success"] == 2);
  CHECK(result["failed"] == 1);
  const auto id = bare.at(0).id;
  CHECK_FALSE(fs::exists(env.out() / "exports/export/json" / id_json(id)));
  CHECK(fs::exists(env.out() / "exports/export/origin_files/cat.jpg"));  // Python's order
  const auto events = run.events("export_event");
  REQUIRE(events.size() == 1);
  CHECK(events[0]["target_id"] == id);
  CHECK(events[0]["info"] == "Data is null for export item");
  CHECK(events[0]["status"] == "warning");
  const auto errors = env.output_json("exports/export/error_file_list.json");
  CHECK(errors["json_file_name"] == json::array({json::array({id_json(id), "data is null"})}));
  CHECK(run.metrics("original_file") == json{{"stand_by", 0}, {"success", 3}, {"failed", 0}});
  CHECK(run.metrics("data_file") == json{{"stand_by", 0}, {"success", 2}, {"failed", 1}});
}

TEST_CASE("an original that cannot be saved: listed under origin_file_name, no JSON",
          "[export_action]") {
  ExportEnv env;
  const auto ids = env.add_tasks(env.add_samples());
  auto exporter = load_exporter("failing");
  RecordingRun run;
  const auto result = env.run(run, exporter.get(),
                              env.task_params({{"extra_params", {{"drop_files_id", ids[1]}}}}));
  CHECK(result["failed"] == 1);
  CHECK_FALSE(fs::exists(env.out() / "exports/export/json" / id_json(ids[1])));
  const auto errors = env.output_json("exports/export/error_file_list.json");
  CHECK(errors["json_file_name"].empty());
  REQUIRE(errors["origin_file_name"].size() == 1);
  CHECK(errors["origin_file_name"][0][0] == id_json(ids[1]));
  CHECK(errors["origin_file_name"][0][1].get<std::string>().find("no `files` object") !=
        std::string::npos);
  // As Python: the item's JSON was never attempted, so data_file keeps it as stand_by.
  CHECK(run.metrics("data_file") == json{{"stand_by", 1}, {"success", 5}, {"failed", 0}});
  CHECK(run.metrics("original_file") == json{{"stand_by", 0}, {"success", 5}, {"failed", 1}});
}

TEST_CASE("zero items is a successful empty export", "[export_action]") {
  ExportEnv env;
  env.add_samples();  // units, but no task
  const auto record = env.root() / "hooks.txt";
  auto exporter = load_exporter("recorder");
  RecordingRun run;
  // Python crashed here (set_progress(0, 0) broke an assertion).
  const auto result = env.run(
      run, exporter.get(), env.task_params({{"extra_params", {{"record_file", record.string()}}}}));
  CHECK(result == json{{"export_path", "exports"},
                       {"output_path", "exports/export"},
                       {"items", 0},
                       {"success", 0},
                       {"failed", 0}});
  CHECK(fs::is_directory(env.out() / "exports/export/json"));
  CHECK(fs::is_empty(env.out() / "exports/export/json"));
  CHECK(fs::is_directory(env.out() / "exports/export/origin_files"));
  CHECK(files_below(env.out() / "exports/export") == std::set<std::string>{"summary.json"});
  CHECK(lines_of(read_file(record)) ==
        std::vector<std::string>{
            "start count=0 output=exports/export project=" + std::to_string(env.project_id),
            "finish"});
  REQUIRE(run.with_code("NO_RESULTS_FOUND").size() == 1);
  CHECK(run.with_code("NO_RESULTS_FOUND")[0].level == synapse::MessageContext::warning);
  CHECK(run.progress().empty());
  CHECK(run.metrics("data_file") == json{{"stand_by", 0}, {"success", 0}, {"failed", 0}});
  CHECK(run.with_code("EXPORT_COMPLETED").size() == 1);
}

TEST_CASE("cancellation stops between items and leaves EXPORT_INCOMPLETE.json", "[export_action]") {
  ExportEnv env;
  const auto ids = env.add_tasks(env.add_samples());
  const auto record = env.root() / "hooks.txt";
  auto exporter = load_exporter("recorder");
  RecordingRun run;
  run.cancel_after(3);  // the loop asks once per item
  CHECK_THROWS_AS(env.run(run, exporter.get(),
                          env.task_params({{"extra_params", {{"record_file", record.string()}}}})),
                  synapse::CancelledError);
  CHECK(env.output_json("exports/export/EXPORT_INCOMPLETE.json") ==
        json{{"reason", "cancelled"}, {"exported", 3}, {"total", 6}});
  CHECK(files_below(env.out() / "exports/export/json").size() == 3);
  const auto lines = lines_of(read_file(record));
  CHECK(std::find(lines.begin(), lines.end(), "finish") == lines.end());
  CHECK(run.events("export_data_file").size() == 3);
  CHECK(run.with_code("EXPORT_COMPLETED").empty());
}

TEST_CASE("params problems name their fields and are all reported", "[export_action]") {
  ExportEnv env;
  RecordingRun run;
  const json params = {{"name", ""}, {"storage", 1}, {"target", "frames"}, {"filter", 3}};
  try {
    env.run(run, nullptr, params);
    FAIL("no ParamsError");
  } catch (const synapse::ParamsError& e) {
    const std::string text = e.what();
    INFO(text);
    CHECK(text.find("export params are invalid (4 problems)") != std::string::npos);
    CHECK(text.find("/name: must not be blank") != std::string::npos);
    CHECK(text.find("/path: is required") != std::string::npos);
    CHECK(text.find("/target: Unknown target: 'frames' (supported: assignment, ground_truth, "
                    "task)") != std::string::npos);
    CHECK(text.find("/filter: must be an object, got integer") != std::string::npos);
  }
  CHECK(run.with_code("TARGET_VALIDATION_FAILED").size() == 1);

  RecordingRun second;
  try {
    env.run(second, nullptr, env.params("task", {{"project", 999}}, {{"storage", 42}}));
    FAIL("no ParamsError");
  } catch (const synapse::ParamsError& e) {
    const std::string text = e.what();
    CHECK(text.find("/storage: storage 42 does not exist") != std::string::npos);
    CHECK(text.find("/filter/project: project 999 does not exist") != std::string::npos);
  }
  CHECK(second.with_code("STORAGE_VALIDATION_FAILED").size() == 1);
  CHECK(second.with_code("FILTER_VALIDATION_FAILED").size() == 1);
  CHECK(second.with_code("EXPORT_STARTED").empty());
  CHECK_FALSE(fs::exists(env.out() / "exports"));
}

TEST_CASE("extra_params are checked against the action's ui_schema", "[export_action]") {
  ExportEnv env;
  env.add_tasks(env.add_samples());
  const json config = {{"ui_schema", json::parse(R"([
    {"$formkit": "select", "name": "format", "options": ["coco", "yolo"]},
    {"$formkit": "number", "name": "limit", "required": true}
  ])")}};
  RecordingRun run;
  try {
    env.run(run, nullptr, env.task_params({{"extra_params", {{"format", "xml"}}}}), config);
    FAIL("no ParamsError");
  } catch (const synapse::ParamsError& e) {
    const std::string text = e.what();
    CHECK(text.find("/extra_params/format: 'xml' is not one of 'coco', 'yolo'") !=
          std::string::npos);
    CHECK(text.find("/extra_params/limit: is required") != std::string::npos);
  }
  RecordingRun ok;
  CHECK(env.run(ok, nullptr,
                env.task_params({{"extra_params", {{"format", "yolo"}, {"limit", 2}}}}),
                config)["success"] == 6);
}
