// Storages, data collections, projects, tasks, assignments and ground truth: CRUD and paging.
#include <catch2/catch.hpp>

#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::test::TempHome;
using synapse::runtime::test::walk_pages;
using synapse::runtime::test::write_file;

namespace {

DataCollection image_collection(const std::string& name, json schema = nullptr) {
  DataCollection c;
  c.name = name;
  c.description = "images";
  c.file_specifications = {{"image", "image", {".jpg", ".png"}, true, "main image"},
                           {"label", "text", {".txt"}, false, ""}};
  c.data_unit_meta_schema = std::move(schema);
  return c;
}

// One data unit in a fresh collection, with its own file.
DataUnit make_unit(Catalog& catalog, const TempHome& home, CatalogId collection_id, int n) {
  auto file = catalog.put_file(
      write_file(home.path() / "in" / "u.jpg", "unit " + std::to_string(n)), "u.jpg");
  return catalog.create_data_units(collection_id, {{{{"image", file.file.id}}, json::object()}})[0];
}

}  // namespace

TEST_CASE("catalog: storages: create, get, find by name, list, delete, a taken name is a conflict",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto s3 = catalog->create_storage({0, "raw", "s3", {{"bucket", "b1"}}});
  CHECK(s3.id > 0);
  CHECK(catalog->get_storage(s3.id).configuration == json{{"bucket", "b1"}});
  CHECK(catalog->find_storage("raw")->provider == "s3");
  CHECK_FALSE(catalog->find_storage("nope").has_value());

  try {
    catalog->create_storage({0, "raw", "local", json::object()});
    FAIL("duplicate name accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    CHECK_THAT(e.what(), Catch::Contains("storages") && Catch::Contains("\"raw\""));
  }

  catalog->delete_storage(s3.id);
  try {
    catalog->get_storage(s3.id);
    FAIL("deleted storage still readable");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK(std::string(e.what()) == "storages " + std::to_string(s3.id) + " does not exist");
  }
  CHECK_THROWS_AS(catalog->delete_storage(s3.id), CatalogError);
}

TEST_CASE("catalog: storages: 250 rows page as 100, 100, 50 with id cursors", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  std::vector<CatalogId> ids;
  for (int i = 0; i < 250; ++i) {
    ids.push_back(
        catalog->create_storage({0, "s" + std::to_string(i), "local", json::object()}).id);
  }
  auto walk =
      walk_pages<StorageRecord>([&](const PageRequest& r) { return catalog->list_storages(r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.cursors ==
        std::vector<std::string>{std::to_string(ids[99]), std::to_string(ids[199]), ""});
  REQUIRE(walk.items.size() == 250);
  for (std::size_t i = 0; i < 250; ++i)
    CHECK(walk.items[i].id == ids[i]);
  CHECK(walk.items[249].name == "s249");

  // Exactly a multiple of the limit: the last full page already says "no more".
  auto exact = walk_pages<StorageRecord>(
      [&](const PageRequest& r) { return catalog->list_storages(r); }, 125);
  CHECK(exact.page_sizes == std::vector<std::size_t>{125, 125});
  CHECK(exact.cursors.back().empty());

  try {
    catalog->list_storages({"abc", 10});
    FAIL("bad cursor accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK_THAT(e.what(), Catch::Contains("\"abc\""));
  }
}

TEST_CASE("catalog: data collections keep their file specifications in order and page",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto created = catalog->create_data_collection(
      image_collection("coco", {{"type", "object"}, {"required", json::array({"w"})}}));
  auto read = catalog->get_data_collection(created.id);
  CHECK(read.name == "coco");
  CHECK(read.description == "images");
  REQUIRE(read.file_specifications.size() == 2);
  CHECK(read.file_specifications[0].name == "image");
  CHECK(read.file_specifications[0].extensions == std::vector<std::string>{".jpg", ".png"});
  CHECK(read.file_specifications[0].is_required);
  CHECK(read.file_specifications[1].name == "label");
  CHECK_FALSE(read.file_specifications[1].is_required);
  CHECK(read.data_unit_meta_schema["required"] == json::array({"w"}));
  CHECK(catalog->find_data_collection("coco")->id == created.id);
  CHECK_FALSE(catalog->find_data_collection("voc").has_value());
  CHECK(catalog->create_data_collection(image_collection("plain")).data_unit_meta_schema.is_null());
  CHECK(catalog->find_data_collection("plain")->data_unit_meta_schema.is_null());

  CHECK_THROWS_MATCHES(catalog->create_data_collection(image_collection("coco")), CatalogError,
                       Catch::Predicate<CatalogError>([](const CatalogError& e) {
                         return e.kind() == CatalogError::Kind::conflict;
                       }));
  auto twice = image_collection("twice");
  twice.file_specifications.push_back(twice.file_specifications[0]);
  try {
    catalog->create_data_collection(twice);
    FAIL("duplicate specification accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK(e.details() ==
          std::vector<std::string>{"file_specifications[2]: name \"image\" is used twice"});
  }
  CHECK_FALSE(catalog->find_data_collection("twice").has_value());

  for (int i = 0; i < 248; ++i)
    catalog->create_data_collection(image_collection(std::to_string(i)));
  auto walk = walk_pages<DataCollection>(
      [&](const PageRequest& r) { return catalog->list_data_collections(r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.items[0].file_specifications.size() == 2);
  CHECK(walk.items[249].name == "247");
}

TEST_CASE("catalog: a data collection in use cannot be deleted, an unused one can", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto used = catalog->create_data_collection(image_collection("used"));
  auto unused = catalog->create_data_collection(image_collection("unused"));
  make_unit(*catalog, home, used.id, 1);
  try {
    catalog->delete_data_collection(used.id);
    FAIL("collection with units deleted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    CHECK_THAT(e.what(), Catch::Contains("1 row(s) of data_units"));
  }
  catalog->delete_data_collection(unused.id);
  CHECK_FALSE(catalog->find_data_collection("unused").has_value());
  CHECK(catalog->get_data_collection(used.id).name == "used");
}

TEST_CASE("catalog: projects and tasks: batch create, page by project, annotate", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "desc", collection.id});
  auto other = catalog->create_project({0, "q", "", std::nullopt});
  CHECK(catalog->get_project(project.id).collection_id == collection.id);
  CHECK_FALSE(catalog->get_project(other.id).collection_id.has_value());
  CHECK(walk_pages<Project>([&](const PageRequest& r) {
          return catalog->list_projects(r);
        }).items.size() == 2);

  auto unit = make_unit(*catalog, home, collection.id, 1);
  std::vector<Task> batch;
  for (int i = 0; i < 250; ++i)
    batch.push_back({0, project.id, unit.id, "pending", nullptr});
  batch.push_back({0, other.id, unit.id, "pending", nullptr});
  auto tasks = catalog->create_tasks(batch);
  REQUIRE(tasks.size() == 251);
  CHECK(tasks[1].id == tasks[0].id + 1);
  CHECK(catalog->count_tasks(project.id) == 250);
  CHECK(catalog->count_tasks(other.id) == 1);

  auto walk =
      walk_pages<Task>([&](const PageRequest& r) { return catalog->list_tasks(project.id, r); });
  CHECK(walk.page_sizes == std::vector<std::size_t>{100, 100, 50});
  CHECK(walk.items.back().id == tasks[249].id);

  catalog->set_task_annotation(tasks[3].id, {{"boxes", json::array({1, 2})}}, "completed");
  auto annotated = catalog->get_task(tasks[3].id);
  CHECK(annotated.status == "completed");
  CHECK(annotated.annotation_data == json{{"boxes", json::array({1, 2})}});
  CHECK(catalog->get_task(tasks[4].id).annotation_data.is_null());
  CHECK_THROWS_AS(catalog->set_task_annotation(999999, json::object(), "x"), CatalogError);
}

TEST_CASE("catalog: create_tasks with a bad reference writes no task and lists every bad one",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto unit = make_unit(*catalog, home, collection.id, 1);
  try {
    catalog->create_tasks({{0, project.id, unit.id, "pending", nullptr},
                           {0, 424242, unit.id, "pending", nullptr},
                           {0, project.id, 777, "pending", nullptr}});
    FAIL("bad tasks accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK(e.details() ==
          std::vector<std::string>{"tasks[1].project_id: projects 424242 does not exist",
                                   "tasks[2].data_unit_id: data_units 777 does not exist"});
  }
  CHECK(catalog->count_tasks(project.id) == 0);
}

TEST_CASE("catalog: assignments and ground truth page by project / collection + dataset version",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto unit = make_unit(*catalog, home, collection.id, 1);
  auto task = catalog->create_tasks({{0, project.id, unit.id, "pending", nullptr}})[0];

  for (int i = 0; i < 250; ++i) {
    catalog->create_assignment({0, project.id, task.id, unit.id, {{"n", i}}});
    catalog->create_ground_truth({0, collection.id, unit.id, i % 2 ? "v2" : "v1", {{"n", i}}});
  }
  auto first = catalog->create_assignment({0, project.id, std::nullopt, unit.id, nullptr});
  CHECK_FALSE(catalog->get_assignment(first.id).task_id.has_value());
  CHECK(catalog->count_assignments(project.id) == 251);

  auto assignments = walk_pages<Assignment>(
      [&](const PageRequest& r) { return catalog->list_assignments(project.id, r); });
  CHECK(assignments.page_sizes == std::vector<std::size_t>{100, 100, 51});
  CHECK(assignments.items[7].annotation == json{{"n", 7}});
  CHECK(assignments.items[7].task_id == task.id);

  auto v1 = walk_pages<GroundTruth>(
      [&](const PageRequest& r) { return catalog->list_ground_truths(collection.id, "v1", r); },
      50);
  CHECK(v1.page_sizes == std::vector<std::size_t>{50, 50, 25});
  CHECK(v1.items[1].annotation == json{{"n", 2}});
  CHECK(v1.items[1].dataset_version == "v1");
  CHECK(catalog->count_ground_truths(collection.id, "v2") == 125);
  CHECK(catalog->count_ground_truths(collection.id, "v3") == 0);
  CHECK(catalog->get_ground_truth(v1.items[0].id).data_unit_id == unit.id);

  try {
    catalog->create_assignment({0, project.id, std::nullopt, 31337, nullptr});
    FAIL("assignment on a missing data unit accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK(std::string(e.what()) == "data_units 31337 does not exist");
  }
}

TEST_CASE("catalog: delete_tasks deletes every given task in one go", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto unit = make_unit(*catalog, home, collection.id, 1);
  auto tasks = catalog->create_tasks({{0, project.id, unit.id, "pending", nullptr},
                                      {0, project.id, unit.id, "pending", nullptr},
                                      {0, project.id, unit.id, "pending", nullptr}});
  catalog->delete_tasks({tasks[0].id, tasks[2].id});
  CHECK(catalog->count_tasks(project.id) == 1);
  CHECK(catalog->list_tasks(project.id, {}).items.at(0).id == tasks[1].id);
  CHECK_THROWS_AS(catalog->get_task(tasks[0].id), CatalogError);
  catalog->delete_tasks({});
  CHECK(catalog->count_tasks(project.id) == 1);
  // The data unit the tasks pointed at can go now that none is left.
  catalog->delete_tasks({tasks[1].id});
  catalog->delete_data_units({unit.id});
  CHECK(catalog->count_data_units(collection.id) == 0);
}

TEST_CASE("catalog: delete_tasks with a missing id deletes nothing and lists the missing ids",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto unit = make_unit(*catalog, home, collection.id, 1);
  auto tasks = catalog->create_tasks(
      {{0, project.id, unit.id, "pending", nullptr}, {0, project.id, unit.id, "pending", nullptr}});
  try {
    catalog->delete_tasks({tasks[0].id, 424242, tasks[1].id, 777});
    FAIL("missing task id accepted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
    CHECK_THAT(e.what(),
               Catch::Contains("tasks 424242, 777") && Catch::Contains("nothing was deleted"));
    CHECK(e.details() ==
          std::vector<std::string>{"tasks 424242 does not exist", "tasks 777 does not exist"});
  }
  CHECK(catalog->count_tasks(project.id) == 2);
  CHECK(catalog->get_task(tasks[0].id).id == tasks[0].id);
}

TEST_CASE("catalog: delete_tasks refuses, naming it, a task an assignment still refers to",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto unit = make_unit(*catalog, home, collection.id, 1);
  auto tasks = catalog->create_tasks(
      {{0, project.id, unit.id, "pending", nullptr}, {0, project.id, unit.id, "pending", nullptr}});
  catalog->create_assignment({0, project.id, tasks[1].id, unit.id, {{"boxes", 2}}});
  catalog->create_assignment({0, project.id, tasks[1].id, unit.id, {{"boxes", 3}}});
  try {
    catalog->delete_tasks({tasks[0].id, tasks[1].id});
    FAIL("task with assignments deleted");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::conflict);
    CHECK_THAT(e.what(), Catch::Contains("tasks " + std::to_string(tasks[1].id)) &&
                             Catch::Contains("nothing was deleted"));
    CHECK(e.details() == std::vector<std::string>{"tasks " + std::to_string(tasks[1].id) +
                                                  " is used by 2 assignment(s)"});
  }
  CHECK(catalog->count_tasks(project.id) == 2);
  CHECK(catalog->count_assignments(project.id) == 2);
  catalog->delete_tasks({tasks[0].id});
  CHECK(catalog->count_tasks(project.id) == 1);
}

TEST_CASE("catalog: find_task finds the task of a project for a data unit", "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path());
  auto collection = catalog->create_data_collection(image_collection("c"));
  auto project = catalog->create_project({0, "p", "", collection.id});
  auto other = catalog->create_project({0, "q", "", collection.id});
  auto first = make_unit(*catalog, home, collection.id, 1);
  auto second = make_unit(*catalog, home, collection.id, 2);
  auto tasks = catalog->create_tasks({{0, project.id, first.id, "pending", nullptr},
                                      {0, other.id, second.id, "done", {{"k", 1}}},
                                      {0, project.id, first.id, "pending", nullptr}});
  auto found = catalog->find_task(project.id, first.id);
  REQUIRE(found.has_value());
  CHECK(found->id == tasks[0].id);  // the lowest of the two
  CHECK(found->project_id == project.id);
  CHECK(found->data_unit_id == first.id);
  auto in_other = catalog->find_task(other.id, second.id);
  REQUIRE(in_other.has_value());
  CHECK(in_other->status == "done");
  CHECK(in_other->annotation_data == json{{"k", 1}});

  CHECK_FALSE(catalog->find_task(project.id, second.id).has_value());
  CHECK_FALSE(catalog->find_task(other.id, first.id).has_value());
  CHECK_FALSE(catalog->find_task(424242, first.id).has_value());
}
