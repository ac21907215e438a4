// An exporter that replaces the host's loop (Exporter::export_all).
#include "export_test_support.hpp"

using namespace export_test;

TEST_CASE("export_all reads the items lazily and returns its own result", "[export_action]") {
  ExportEnv env;
  const auto ids = env.add_tasks(env.add_samples());
  auto exporter = load_exporter("whole");
  RecordingRun run;
  const auto result = env.run(run, exporter.get(), env.task_params());
  CHECK(result["written"] == 6);
  CHECK(result["export_path"] == "exports");
  CHECK(result["output_path"] == "exports/export");
  // The scratch folder existed for the export and is gone now.
  REQUIRE(result["scratch"].is_string());
  CHECK_FALSE(fs::exists(result["scratch"].get<std::string>()));
  // The host wrote nothing but what the exporter wrote.
  CHECK(files_below(env.out() / "exports/export") == std::set<std::string>{"all.jsonl"});
  const auto lines = lines_of(env.output("exports/export/all.jsonl"));
  REQUIRE(lines.size() == 6);
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK(json::parse(lines[i]) ==
          json{{"id", ids[i]}, {"file", sample_names()[i]}, {"width", 160}});
  CHECK(run.progress().back() ==
        json{{"current", 6}, {"total", 6}, {"category", "dataset_conversion"}});
  CHECK(run.metrics("data_file") == json{{"stand_by", 6}, {"success", 0}, {"failed", 0}});
  CHECK(run.events("export_data_file").empty());
}

TEST_CASE("export_all cancelled: EXPORT_INCOMPLETE.json and exit as cancelled", "[export_action]") {
  ExportEnv env;
  env.add_tasks(env.add_samples());
  auto exporter = load_exporter("whole");
  RecordingRun run;
  run.cancel_after(2);
  CHECK_THROWS_AS(env.run(run, exporter.get(), env.task_params()), synapse::CancelledError);
  const auto marker = env.output_json("exports/export/EXPORT_INCOMPLETE.json");
  CHECK(marker["reason"] == "cancelled");
  CHECK(marker["exported"] == 3);  // the third item was read, then the exporter stopped
  CHECK(marker["total"] == 6);
  CHECK_FALSE(fs::exists(env.out() / "exports/export/all.jsonl"));  // never committed
}
