// The assignment and ground_truth targets through the whole export, and the task status filter.
#include "export_test_support.hpp"

using namespace export_test;

TEST_CASE("assignment target: one JSON per assignment, repeated originals renamed",
          "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto tasks =
      env.catalog->create_tasks({{0, env.project_id, units[2].id, "pending", nullptr}});
  const auto a1 = env.catalog->create_assignment(
      {0, env.project_id, tasks[0].id, units[2].id, annotation("cat", 1)});
  const auto a2 = env.catalog->create_assignment(
      {0, env.project_id, tasks[0].id, units[2].id, annotation("cat", 2)});
  RecordingRun run;
  const auto result =
      env.run(run, nullptr, env.params("assignment", {{"project", env.project_id}}));
  CHECK(result["success"] == 2);
  CHECK(env.output_json("exports/export/json/" + std::to_string(a1.id) + ".json") ==
        annotation("cat", 1));
  CHECK(env.output_json("exports/export/json/" + std::to_string(a2.id) + ".json") ==
        annotation("cat", 2));
  // Both assignments show the same picture: the second copy is named after its assignment.
  CHECK(files_below(env.out() / "exports/export/origin_files") ==
        std::set<std::string>{"cat.jpg", "cat_" + std::to_string(a2.id) + ".jpg"});
  CHECK(env.output("exports/export/origin_files/cat_" + std::to_string(a2.id) + ".jpg") ==
        read_file(sample_image("cat.jpg")));
}

TEST_CASE("ground_truth target: the items of one dataset version", "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  std::vector<synapse::CatalogId> v1;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const auto g = env.catalog->create_ground_truth(
        {0, env.collection_id, units[i].id, i % 2 == 0 ? "v1" : "v2", annotation("gt")});
    if (i % 2 == 0)
      v1.push_back(g.id);
  }
  RecordingRun run;
  const auto result = env.run(run, nullptr,
                              env.params("ground_truth", {{"collection", env.collection_id},
                                                          {"ground_truth_dataset_version", "v1"}}));
  CHECK(result["items"] == 3);
  std::set<std::string> expected;
  for (const auto id : v1)
    expected.insert(std::to_string(id) + ".json");
  CHECK(files_below(env.out() / "exports/export/json") == expected);
  CHECK(files_below(env.out() / "exports/export/origin_files") ==
        std::set<std::string>{"beach.jpeg", "cat.jpg", "forest.png"});
}

TEST_CASE("task target with a status filter exports only those tasks", "[export_action]") {
  ExportEnv env;
  const auto units = env.add_samples();
  const auto done = env.add_tasks({units[0], units[1]}, "completed");
  env.add_tasks({units[2], units[3]}, "in_review");
  RecordingRun run;
  const auto result = env.run(
      run, nullptr, env.params("task", {{"project", env.project_id}, {"status", "completed"}}));
  CHECK(result["items"] == 2);
  CHECK(
      files_below(env.out() / "exports/export/json") ==
      std::set<std::string>{std::to_string(done[0]) + ".json", std::to_string(done[1]) + ".json"});
  CHECK(run.progress().back() ==
        json{{"current", 2}, {"total", 2}, {"category", "dataset_conversion"}});
}
