// The three targets over a real catalog: filters, counts, paging, and the items built from the
// records (first file by the collection's order, sizes, paths, the data unit).
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "catalog_env.hpp"
#include "export/item_stream.hpp"
#include "export/target_handler.hpp"

using namespace export_targets_test;
using nlohmann::json;
using synapse::runtime::exports::builtin_targets;
using synapse::runtime::exports::ItemStream;
using synapse::runtime::exports::ParamError;

namespace {

std::vector<std::string> paths_of(const std::vector<ParamError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.path + ": " + e.message);
  return out;
}

std::vector<json> read_all(ItemStream& stream) {
  std::vector<json> items;
  while (auto item = stream.next())
    items.push_back(std::move(*item));
  return items;
}

std::string bytes_of(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the registry holds the three targets and nothing else", "[targets]") {
  CHECK(builtin_targets().names() ==
        std::vector<std::string>{"assignment", "ground_truth", "task"});
  CHECK(builtin_targets().find("tasks") == nullptr);
}

TEST_CASE("task: the items carry the annotation, the first file and the data unit", "[targets]") {
  CatalogEnv env;
  const auto cat = env.add_unit("cat.jpg");
  const auto bird = env.add_unit("bird.png");
  const auto tasks = env.catalog->create_tasks({{0, env.project_id, cat.id, "pending", nullptr},
                                                {0, env.project_id, bird.id, "pending", nullptr}});
  env.catalog->set_task_annotation(tasks[0].id, {{"images", json::array()}}, "completed");

  const auto& task = *builtin_targets().find("task");
  const json filter = {{"project", env.project_id}};
  REQUIRE(task.validate_filter(filter, *env.catalog).empty());
  CHECK(task.count(filter, *env.catalog) == 2);
  CHECK(task.project_id(filter) == env.project_id);

  ItemStream stream(task, filter, *env.catalog);
  const auto items = read_all(stream);
  REQUIRE(items.size() == 2);
  CHECK(stream.read() == 2);
  const json& item = items[0];
  CHECK(item["id"] == tasks[0].id);
  CHECK(item["data"] == json{{"images", json::array()}});
  CHECK(items[1]["data"].is_null());  // not annotated

  const json& files = item["files"];  // zeta: first in the collection, last in the alphabet
  const auto stored = env.catalog->get_data_file(cat.files.at("zeta"));
  CHECK(files["id"] == stored.id);
  CHECK(files["spec"] == "zeta");
  CHECK(files["file_name_original"] == "cat.jpg");
  CHECK(files["checksum"] == stored.checksum);
  CHECK(files["size"] == stored.size);
  CHECK(files["width"] == 160);
  CHECK(files["height"] == 120);
  const std::string path = files["path"];
  CHECK(path == env.catalog->data_file_path(stored.id).string());
  CHECK(files["url"] == "file://" + path);
  CHECK(bytes_of(path) == bytes_of(sample("cat.jpg")));

  const json& unit = item["data_unit"];
  CHECK(unit["id"] == cat.id);
  CHECK(unit["meta"] == json{{"picture", "cat.jpg"}});
  CHECK(unit["files"]["zeta"] == files);
  const json& alpha = unit["files"]["alpha"];
  CHECK(alpha["spec"] == "alpha");
  CHECK(alpha["file_name_original"] == "cat.jpg.json");
  CHECK_FALSE(alpha.contains("width"));  // not an image
  CHECK(bytes_of(alpha["path"].get<std::string>()) == "{\"of\": \"cat.jpg\"}");
  CHECK(items[1]["files"]["file_name_original"] == "bird.png");
}

TEST_CASE("task: pages of any size give every item once, in id order", "[targets]") {
  CatalogEnv env;
  const auto unit = env.add_unit("dog.jpg");
  std::vector<synapse::Task> tasks(7, {0, env.project_id, unit.id, "pending", nullptr});
  const auto created = env.catalog->create_tasks(tasks);
  ItemStream stream(*builtin_targets().find("task"), {{"project", env.project_id}}, *env.catalog,
                    2);
  const auto items = read_all(stream);
  REQUIRE(items.size() == 7);
  for (std::size_t i = 0; i < items.size(); ++i)
    CHECK(items[i]["id"] == created[i].id);
}

TEST_CASE("task: the status filter skips other tasks, also across empty pages", "[targets]") {
  CatalogEnv env;
  const auto unit = env.add_unit("dog.jpg");
  std::vector<synapse::Task> tasks;
  for (int i = 0; i < 9; ++i)
    tasks.push_back(
        {0, env.project_id, unit.id, i == 1 || i == 8 ? "completed" : "pending", nullptr});
  const auto created = env.catalog->create_tasks(tasks);
  const auto& task = *builtin_targets().find("task");
  const json filter = {{"project", env.project_id}, {"status", "completed"}};
  REQUIRE(task.validate_filter(filter, *env.catalog).empty());
  CHECK(task.count(filter, *env.catalog) == 2);
  ItemStream stream(task, filter, *env.catalog, 2);  // pages 3 and 4 hold no completed task
  const auto items = read_all(stream);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["id"] == created[1].id);
  CHECK(items[1]["id"] == created[8].id);
}

TEST_CASE("task and assignment filters: project required, existing, no unknown keys", "[targets]") {
  CatalogEnv env;
  for (const char* name : {"task", "assignment"}) {
    INFO(name);
    const auto& target = *builtin_targets().find(name);
    const auto missing = paths_of(target.validate_filter(json::object(), *env.catalog));
    REQUIRE(missing.size() == 1);
    CHECK(missing[0] == std::string("/filter/project: Project is required for ") +
                            (std::string(name) == "task" ? "Task." : "Assignment."));
    CHECK(paths_of(target.validate_filter({{"project", 999}}, *env.catalog)) ==
          std::vector<std::string>{"/filter/project: project 999 does not exist"});
    CHECK(paths_of(target.validate_filter({{"project", "1"}}, *env.catalog)) ==
          std::vector<std::string>{"/filter/project: must be an integer id, got string"});
    const auto unknown = paths_of(
        target.validate_filter({{"project", env.project_id}, {"expand", "x"}}, *env.catalog));
    REQUIRE(unknown.size() == 1);
    CHECK(unknown[0].rfind("/filter/expand: is not a filter of target '" + std::string(name) +
                               "' (supported: project",
                           0) == 0);
  }
}

TEST_CASE("assignment: one item per assignment, several may share a unit", "[targets]") {
  CatalogEnv env;
  const auto unit = env.add_unit("street.jpg");
  const auto task =
      env.catalog->create_tasks({{0, env.project_id, unit.id, "pending", nullptr}}).at(0);
  const auto a1 = env.catalog->create_assignment({0, env.project_id, task.id, unit.id, {{"v", 1}}});
  const auto a2 = env.catalog->create_assignment({0, env.project_id, task.id, unit.id, {{"v", 2}}});
  const auto& target = *builtin_targets().find("assignment");
  const json filter = {{"project", env.project_id}};
  REQUIRE(target.validate_filter(filter, *env.catalog).empty());
  CHECK(target.count(filter, *env.catalog) == 2);
  ItemStream stream(target, filter, *env.catalog);
  const auto items = read_all(stream);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["id"] == a1.id);
  CHECK(items[0]["data"] == json{{"v", 1}});
  CHECK(items[1]["id"] == a2.id);
  CHECK(items[1]["files"] == items[0]["files"]);
  CHECK(items[1]["files"]["file_name_original"] == "street.jpg");
}

TEST_CASE("ground_truth: one dataset version of one collection", "[targets]") {
  CatalogEnv env;
  const auto u1 = env.add_unit("cat.jpg");
  const auto u2 = env.add_unit("dog.jpg");
  const auto g1 =
      env.catalog->create_ground_truth({0, env.collection_id, u1.id, "v1", {{"gt", 1}}});
  env.catalog->create_ground_truth({0, env.collection_id, u2.id, "v2", {{"gt", 2}}});
  const auto g3 =
      env.catalog->create_ground_truth({0, env.collection_id, u2.id, "v1", {{"gt", 3}}});
  const auto& target = *builtin_targets().find("ground_truth");
  const json filter = {{"collection", env.collection_id}, {"ground_truth_dataset_version", "v1"}};
  REQUIRE(target.validate_filter(filter, *env.catalog).empty());
  CHECK(target.count(filter, *env.catalog) == 2);
  CHECK_FALSE(target.project_id(filter));
  ItemStream stream(target, filter, *env.catalog);
  const auto items = read_all(stream);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["id"] == g1.id);
  CHECK(items[0]["data"] == json{{"gt", 1}});
  CHECK(items[1]["id"] == g3.id);
  CHECK(items[1]["files"]["file_name_original"] == "dog.jpg");
}

TEST_CASE("ground_truth filter: version and collection required and known", "[targets]") {
  CatalogEnv env;
  const auto u1 = env.add_unit("cat.jpg");
  env.catalog->create_ground_truth({0, env.collection_id, u1.id, "v1", nullptr});
  const auto& target = *builtin_targets().find("ground_truth");
  CHECK(paths_of(target.validate_filter(json::object(), *env.catalog)) ==
        std::vector<std::string>{
            "/filter/ground_truth_dataset_version: Ground Truth dataset version is required.",
            "/filter/collection: is required: the data collection of the ground truth dataset "
            "version"});
  CHECK(paths_of(target.validate_filter(
            {{"collection", env.collection_id}, {"ground_truth_dataset_version", "v9"}},
            *env.catalog)) ==
        std::vector<std::string>{"/filter/ground_truth_dataset_version: data collection " +
                                 std::to_string(env.collection_id) +
                                 " has no ground truth of dataset version 'v9'"});
  CHECK(paths_of(target.validate_filter(
            {{"collection", 777}, {"ground_truth_dataset_version", "  "}}, *env.catalog)) ==
        std::vector<std::string>{"/filter/ground_truth_dataset_version: must not be blank",
                                 "/filter/collection: data collection 777 does not exist"});
}
