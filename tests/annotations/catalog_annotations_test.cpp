// The catalog calls the import uses: naming units by id / file name / stem in batches, the
// batch writes onto tasks, assignments and ground truth (all or nothing, update or create),
// the lookups, and schema migration 3 (the index on data file names) with its query plans.
#include <catch2/catch.hpp>

#include "annotations_test_support.hpp"
#include "catalog/schema.hpp"
#include "catalog/sqlite_db.hpp"

using namespace annotations_test;
using synapse::AnnotationWrite;
using synapse::CatalogError;
using synapse::DataUnitKey;
using synapse::runtime::catalog::Db;
using synapse::runtime::catalog::latest_schema_version;
using synapse::runtime::catalog::migrate;
using synapse::runtime::catalog::schema_version;

namespace {

DataUnitKey by_id(CatalogId id) {
  return {DataUnitKey::Kind::id, id, {}};
}
DataUnitKey by_name(const std::string& name) {
  return {DataUnitKey::Kind::file_name, 0, name};
}
DataUnitKey by_stem(const std::string& stem) {
  return {DataUnitKey::Kind::file_stem, 0, stem};
}

using Ids = std::vector<CatalogId>;

}  // namespace

TEST_CASE("catalog annotations: units are found by id, file name and stem, in their collection",
          "[annotations][catalog]") {
  CatalogFixture f;
  const auto cat = f.unit({{"image_1", "cat.jpg"}, {"meta", "cat.json"}});
  const auto dog = f.unit({{"image_1", "dog.png"}});
  const auto archive = f.unit({{"image_1", "cat.tar.gz"}});
  const auto plain = f.unit({{"image_1", "README"}});
  const auto cat2 = f.unit({{"image_1", "cat-2.jpg"}});
  synapse::DataCollection other;
  other.name = "other";
  other.file_specifications = {{"image_1", "image", {}, true, ""}};
  const auto other_id = f.catalog->create_data_collection(other).id;
  const auto elsewhere = f.unit({{"image_1", "bird.jpg"}}, other_id);

  const auto found = f.catalog->find_data_units_by_keys(
      f.collection,
      {by_id(cat), by_id(elsewhere), by_id(999), by_name("cat.jpg"), by_name("cat.json"),
       by_name("cat"), by_name("bird.jpg"), by_stem("cat"), by_stem("dog"), by_stem("cat.tar"),
       by_stem("README"), by_stem("cat-2"), by_stem("ca"), by_stem("bird")});
  CHECK(found == std::vector<Ids>{{cat},
                                  {},
                                  {},
                                  {cat},
                                  {cat},
                                  {},
                                  {},
                                  {cat},  // cat.jpg and cat.json: one unit, once
                                  {dog},
                                  {archive},
                                  {plain},
                                  {cat2},
                                  {},
                                  {}});
  CHECK(f.catalog->find_data_units_by_keys(other_id, {by_stem("bird")}) ==
        std::vector<Ids>{{elsewhere}});
  CHECK(f.catalog->find_data_units_by_keys(f.collection, {}).empty());
}

TEST_CASE("catalog annotations: an ambiguous name gives every unit it matches",
          "[annotations][catalog]") {
  CatalogFixture f;
  const auto jpg = f.unit({{"image_1", "cat.jpg"}});
  const auto png = f.unit({{"image_1", "cat.png"}});
  // Identical bytes are one data file, shared by two units.
  synapse::NewDataUnit shared;
  shared.files["image_1"] = f.file("same.jpg", "same bytes");
  const auto units = f.catalog->create_data_units(f.collection, {shared, shared});
  const auto found =
      f.catalog->find_data_units_by_keys(f.collection, {by_stem("cat"), by_name("same.jpg")});
  CHECK(found == std::vector<Ids>{{jpg, png}, {units[0].id, units[1].id}});
}

TEST_CASE("catalog annotations: tasks get the annotation, created once, then updated",
          "[annotations][catalog]") {
  CatalogFixture f;
  const auto a = f.unit({{"image_1", "a.jpg"}});
  const auto b = f.unit({{"image_1", "b.jpg"}});
  const auto existing = f.catalog->create_tasks({{0, f.project, a, "pending", nullptr}})[0].id;

  auto first = f.catalog->put_task_annotations(f.project, "completed",
                                               {{a, R"({"images":[]})"}, {b, R"({"n": 1})"}});
  REQUIRE(first.size() == 2);
  CHECK(first[0].id == existing);
  CHECK_FALSE(first[0].created);
  CHECK(first[1].created);
  CHECK(f.catalog->get_task(existing).annotation_data == json{{"images", json::array()}});
  CHECK(f.catalog->get_task(existing).status == "completed");
  CHECK(f.catalog->get_task(first[1].id).annotation_data == json{{"n", 1}});

  auto again = f.catalog->put_task_annotations(f.project, "completed", {{b, R"({"n": 2})"}});
  CHECK(again[0].id == first[1].id);
  CHECK_FALSE(again[0].created);
  CHECK(f.catalog->get_task(first[1].id).annotation_data == json{{"n", 2}});
  CHECK(f.catalog->count_tasks(f.project) == 2);
}

TEST_CASE("catalog annotations: a bad item writes nothing and every bad item is listed",
          "[annotations][catalog]") {
  CatalogFixture f;
  const auto a = f.unit({{"image_1", "a.jpg"}});
  synapse::DataCollection other;
  other.name = "other";
  other.file_specifications = {{"image_1", "image", {}, true, ""}};
  const auto other_id = f.catalog->create_data_collection(other).id;
  const auto stranger = f.unit({{"image_1", "s.jpg"}}, other_id);
  const std::vector<AnnotationWrite> items = {{a, "{}"},       {424242, "{}"},  {stranger, "{}"},
                                              {a, "{\"a\": "}, {a, "\"\xFF\""}, {a, "\"\\ud800\""}};
  try {
    f.catalog->put_task_annotations(f.project, "completed", items);
    FAIL("expected CatalogError");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::invalid);
    CHECK(e.details() ==
          std::vector<std::string>{"items[1].data_unit_id: data_units 424242 does not exist",
                                   "items[2].data_unit_id: data unit " + std::to_string(stranger) +
                                       " belongs to data collection " + std::to_string(other_id) +
                                       ", not to the data collection of project " +
                                       std::to_string(f.collection),
                                   "items[3].annotation_json: not valid JSON text (UTF-8)",
                                   "items[4].annotation_json: not valid JSON text (UTF-8)",
                                   "items[5].annotation_json: not valid JSON text (UTF-8)"});
  }
  CHECK(f.catalog->count_tasks(f.project) == 0);
  CHECK_THROWS_AS(f.catalog->put_ground_truth_annotations(f.collection, "v1", {{stranger, "{}"}}),
                  CatalogError);
  CHECK(f.catalog->count_ground_truths(f.collection, "v1") == 0);
  try {
    f.catalog->put_assignment_annotations(9999, {{a, "{}"}});
    FAIL("expected CatalogError");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::not_found);
  }
  // An unbound project takes units of any collection.
  const auto free_project = f.catalog->create_project({0, "free", "", std::nullopt}).id;
  CHECK(f.catalog->put_task_annotations(free_project, "completed", {{stranger, "{}"}})[0].created);
}

TEST_CASE("catalog annotations: one assignment per task, and a task made for a unit without one",
          "[annotations][catalog]") {
  CatalogFixture f;
  const auto a = f.unit({{"image_1", "a.jpg"}});
  const auto b = f.unit({{"image_1", "b.jpg"}});
  const auto task_a = f.catalog->create_tasks({{0, f.project, a, "pending", nullptr}})[0].id;

  const auto first = f.catalog->put_assignment_annotations(f.project, {{a, "[1]"}, {b, "[2]"}});
  CHECK(first[0].task_id == task_a);
  CHECK_FALSE(first[0].task_created);
  CHECK(first[0].created);
  CHECK(first[1].task_created);
  CHECK(first[1].created);
  const auto task_b = f.catalog->get_task(first[1].task_id);
  CHECK(task_b.data_unit_id == b);
  CHECK(task_b.status == "pending");
  CHECK(task_b.annotation_data.is_null());

  const auto again = f.catalog->put_assignment_annotations(f.project, {{b, "[3]"}, {a, "[4]"}});
  CHECK(again[0].id == first[1].id);
  CHECK_FALSE(again[0].created);
  CHECK_FALSE(again[0].task_created);
  CHECK(again[1].id == first[0].id);
  CHECK(f.catalog->count_assignments(f.project) == 2);
  CHECK(f.catalog->count_tasks(f.project) == 2);
  const auto found = f.catalog->find_assignment(f.project, task_a);
  REQUIRE(found);
  CHECK(found->id == first[0].id);
  CHECK(found->annotation == json{4});
  CHECK(found->data_unit_id == a);
  CHECK(f.catalog->get_task(task_a).annotation_data.is_null());  // the task is left alone

  f.catalog->set_assignment_annotation(found->id, json{{"x", 1}});
  CHECK(f.catalog->get_assignment(found->id).annotation == json{{"x", 1}});
  CHECK_THROWS_AS(f.catalog->set_assignment_annotation(9999, json{}), CatalogError);
  CHECK_FALSE(f.catalog->find_assignment(f.project, 9999));
}

TEST_CASE("catalog annotations: one ground truth per unit and version", "[annotations][catalog]") {
  CatalogFixture f;
  const auto a = f.unit({{"image_1", "a.jpg"}});
  const auto v1 = f.catalog->put_ground_truth_annotations(f.collection, "v1", {{a, "1"}});
  const auto v2 = f.catalog->put_ground_truth_annotations(f.collection, "v2", {{a, "2"}});
  CHECK(v1[0].created);
  CHECK(v2[0].created);
  CHECK(v1[0].id != v2[0].id);
  const auto again = f.catalog->put_ground_truth_annotations(f.collection, "v1", {{a, "3"}});
  CHECK(again[0].id == v1[0].id);
  CHECK_FALSE(again[0].created);
  CHECK(f.catalog->count_ground_truths(f.collection, "v1") == 1);
  const auto found = f.catalog->find_ground_truth(f.collection, a, "v1");
  REQUIRE(found);
  CHECK(found->annotation == json(3));
  CHECK(found->dataset_version == "v1");
  CHECK_FALSE(f.catalog->find_ground_truth(f.collection, a, "v3"));
  f.catalog->set_ground_truth_annotation(found->id, json{{"k", "v"}});
  CHECK(f.catalog->get_ground_truth(found->id).annotation == json{{"k", "v"}});
  CHECK_THROWS_AS(f.catalog->set_ground_truth_annotation(9999, json{}), CatalogError);
  CHECK_THROWS_AS(f.catalog->put_ground_truth_annotations(9999, "v1", {{a, "1"}}), CatalogError);
}

TEST_CASE("catalog annotations: a version 2 catalog gets the file name index",
          "[annotations][catalog]") {
  TempDir dir;
  const auto home = dir.path() / "home";
  fs::create_directories(home);
  {
    Db db(home / "catalog.sqlite3", 1000);
    migrate(db, 2);
    db.exec(R"sql(
INSERT INTO data_collections (id, name, description, data_unit_meta_schema) VALUES (1, 'c', '', NULL);
INSERT INTO file_specifications VALUES (1, 0, 'image', 'image', '[]', 1, '');
INSERT INTO data_files (id, checksum, size, original_name, location, meta, created_at) VALUES
  (1, 'c1', 1, 'cat.jpg', 'c1', '{}', '2025-01-01T00:00:00.000Z');
INSERT INTO data_units (id, collection_id, meta, files_key) VALUES (7, 1, '{}', 'image=1');
INSERT INTO data_unit_files VALUES (7, 'image', 1);
)sql");
  }
  auto catalog = synapse::runtime::open_catalog(home);
  CHECK(catalog->find_data_units_by_keys(1, {by_stem("cat"), by_name("cat.jpg")}) ==
        std::vector<Ids>{{7}, {7}});
  Db db(home / "catalog.sqlite3", 1000);
  CHECK(schema_version(db) == latest_schema_version());
  auto index = db.prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
      "'data_files_by_original_name'");
  index.step();
  CHECK(index.int64(0) == 1);
}

TEST_CASE("catalog annotations: every lookup of a batch is an index probe",
          "[annotations][catalog]") {
  TempDir dir;
  synapse::runtime::open_catalog(dir.path());
  Db db(dir.path() / "catalog.sqlite3", 1000);
  auto plan = [&](const std::string& sql) {
    auto stmt = db.prepare("EXPLAIN QUERY PLAN " + sql);
    std::string text;
    while (stmt.step())
      text += stmt.text(3) + "\n";
    return text;
  };
  const std::string join =
      " FROM data_files f CROSS JOIN data_unit_files uf ON uf.data_file_id = f.id "
      "CROSS JOIN data_units u ON u.id = uf.data_unit_id ";
  const auto by_name =
      plan("SELECT DISTINCT u.id" + join + "WHERE f.original_name = 'a' AND u.collection_id = 1");
  CHECK_THAT(by_name, Catch::Contains("data_files_by_original_name (original_name=?)"));
  CHECK_THAT(by_name, Catch::Contains("data_unit_files_by_file"));
  CHECK_THAT(by_name, !Catch::Contains("SCAN"));
  const auto by_stem =
      plan("SELECT u.id, f.original_name" + join +
           "WHERE f.original_name >= 'a' AND f.original_name < 'a/' AND u.collection_id = 1");
  CHECK_THAT(by_stem,
             Catch::Contains("data_files_by_original_name (original_name>? AND original_name<?)"));
  CHECK_THAT(by_stem, !Catch::Contains("SCAN"));
  CHECK_THAT(plan("SELECT id FROM assignments WHERE task_id = 1 AND +project_id = 2 ORDER BY id "
                  "LIMIT 1"),
             Catch::Contains("USING INDEX assignments_by_task") && !Catch::Contains("TEMP B-TREE"));
  CHECK_THAT(
      plan("SELECT id FROM ground_truths WHERE data_unit_id = 1 AND +collection_id = 2 AND "
           "+dataset_version = 'v' ORDER BY id LIMIT 1"),
      Catch::Contains("USING INDEX ground_truths_by_data_unit") && !Catch::Contains("TEMP B-TREE"));
}
