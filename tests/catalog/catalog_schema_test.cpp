// Opening a data home: schema versions, migrations, refusing a newer catalog, lock timeouts.
#include <catch2/catch.hpp>

#include "catalog/schema.hpp"
#include "catalog/sqlite_db.hpp"
#include "catalog_test_util.hpp"

using nlohmann::json;
using namespace synapse;
using synapse::runtime::open_catalog;
using synapse::runtime::catalog::Db;
using synapse::runtime::catalog::latest_schema_version;
using synapse::runtime::catalog::migrate;
using synapse::runtime::catalog::schema_version;
using synapse::runtime::test::TempHome;

namespace {

int version_of(const std::filesystem::path& home) {
  Db db(home / "catalog.sqlite3", 1000);
  return schema_version(db);
}

}  // namespace

TEST_CASE("catalog: opening a new home creates the folder, database and content store",
          "[catalog]") {
  TempHome home;
  auto nested = home.path() / "a" / "b";
  auto catalog = open_catalog(nested);
  CHECK(std::filesystem::is_regular_file(nested / "catalog.sqlite3"));
  CHECK(std::filesystem::is_directory(nested / "files" / ".tmp"));
  CHECK(latest_schema_version() >= 1);
  CHECK(version_of(nested) == latest_schema_version());
  Db db(nested / "catalog.sqlite3", 1000);
  auto mode = db.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.text(0) == "wal");
}

TEST_CASE("catalog: opening twice is idempotent and keeps the data", "[catalog]") {
  TempHome home;
  CatalogId id = 0;
  {
    auto catalog = open_catalog(home.path());
    id = catalog->create_storage({0, "raw", "local", {{"location", "/data"}}}).id;
  }
  auto first = open_catalog(home.path());
  auto second = open_catalog(home.path());  // two connections at once, too
  CHECK(version_of(home.path()) == latest_schema_version());
  CHECK(second->get_storage(id).configuration == json{{"location", "/data"}});
  CHECK(first->find_storage("raw")->id == id);
}

TEST_CASE("catalog: a catalog from a newer synapse is refused with a clear message and left as is",
          "[catalog]") {
  TempHome home;
  open_catalog(home.path());
  {
    Db db(home.path() / "catalog.sqlite3", 1000);
    db.exec("PRAGMA user_version = 99");
  }
  try {
    open_catalog(home.path());
    FAIL("newer catalog opened");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::incompatible);
    CHECK_THAT(e.what(), Catch::Contains("schema version 99") && Catch::Contains("newer synapse") &&
                             Catch::Contains("catalog.sqlite3"));
  }
  CHECK(version_of(home.path()) == 99);
}

TEST_CASE("catalog: an unopenable home is unavailable", "[catalog]") {
  TempHome home;
  auto blocker = synapse::runtime::test::write_file(home.path() / "file", "x");
  try {
    open_catalog(blocker / "home");
    FAIL("home below a regular file opened");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::unavailable);
    CHECK_THAT(e.what(), Catch::Contains("file/home"));
  }
}

TEST_CASE("catalog: a writer that holds the lock past the busy timeout gives busy, not a hang",
          "[catalog]") {
  TempHome home;
  auto catalog = open_catalog(home.path(), {200});
  Db other(home.path() / "catalog.sqlite3", 200);
  other.exec("BEGIN IMMEDIATE");
  try {
    catalog->create_storage({0, "raw", "local", json::object()});
    FAIL("write went through a held lock");
  } catch (const CatalogError& e) {
    CHECK(e.kind() == CatalogError::Kind::busy);
    CHECK_THAT(e.what(), Catch::Contains("BEGIN IMMEDIATE"));
  }
  other.exec("ROLLBACK");
  CHECK(catalog->create_storage({0, "raw", "local", json::object()}).id > 0);
}

TEST_CASE("catalog: a version 1 catalog is migrated, its units are found by their files",
          "[catalog]") {
  TempHome home;
  {
    // The catalog as synapse with schema version 1 left it, filled by hand.
    Db db(home.path() / "catalog.sqlite3", 1000);
    migrate(db, 1);
    REQUIRE(schema_version(db) == 1);
    db.exec(R"sql(
INSERT INTO data_collections (id, name, description, data_unit_meta_schema)
  VALUES (1, 'old', '', NULL), (2, 'other', '', NULL);
INSERT INTO file_specifications VALUES
  (1, 0, 'image', 'image', '[]', 1, ''), (1, 1, 'label', 'text', '[]', 0, ''),
  (2, 0, 'image', 'image', '[]', 1, '');
INSERT INTO data_files (id, checksum, size, original_name, location, meta, created_at) VALUES
  (1, 'c1', 1, 'a.jpg', 'c1', '{}', '2025-01-01T00:00:00.000Z'),
  (2, 'c2', 1, 'a.txt', 'c2', '{}', '2025-01-01T00:00:00.000Z');
INSERT INTO data_units (id, collection_id, meta) VALUES
  (1, 1, '{"n":1}'), (2, 1, '{"n":2}'), (3, 2, '{"n":3}'), (4, 1, '{"n":4}');
INSERT INTO data_unit_files VALUES (1, 'label', 2), (1, 'image', 1), (2, 'image', 1), (3, 'image', 1);
INSERT INTO projects (id, name, description, collection_id) VALUES (1, 'p', '', 1);
INSERT INTO tasks (id, project_id, data_unit_id, status, annotation_data) VALUES
  (1, 1, 2, 'pending', 'null');
)sql");
  }
  auto catalog = open_catalog(home.path());
  CHECK(version_of(home.path()) == latest_schema_version());
  auto both = catalog->find_data_units_by_files(1, {{"image", 1}, {"label", 2}});
  REQUIRE(both.size() == 1);
  CHECK(both[0].id == 1);
  CHECK(both[0].meta == json{{"n", 1}});
  CHECK(catalog->find_data_units_by_files(1, {{"image", 1}}).front().id == 2);
  CHECK(catalog->find_data_units_by_files(2, {{"image", 1}}).front().id == 3);
  CHECK(catalog->find_data_units_by_files(1, {}).front().id == 4);  // a unit without files
  CHECK(catalog->find_data_units_by_files(1, {{"label", 2}}).empty());
  CHECK(catalog->find_task(1, 2)->id == 1);
  CHECK_FALSE(catalog->find_task(1, 1));

  // Units created after the migration are found alongside the old ones.
  auto fresh = catalog->create_data_units(1, {{{{"label", 2}, {"image", 2}}, {}}})[0];
  CHECK(catalog->find_data_units_by_files(1, {{"image", 2}, {"label", 2}}).front().id == fresh.id);
  Db db(home.path() / "catalog.sqlite3", 1000);
  auto key = db.prepare("SELECT files_key FROM data_units WHERE id = ?");
  REQUIRE(key.bind(1, std::int64_t{1}).step());
  CHECK(key.text(0) == "image=1\nlabel=2");
}

TEST_CASE("catalog: the lookups by files map and by project + data unit use an index",
          "[catalog]") {
  TempHome home;
  open_catalog(home.path());
  Db db(home.path() / "catalog.sqlite3", 1000);
  auto plan = [&](const std::string& sql) {
    auto stmt = db.prepare("EXPLAIN QUERY PLAN " + sql);
    std::string text;
    while (stmt.step())
      text += stmt.text(3) + "\n";
    return text;
  };
  auto units = plan(
      "SELECT id FROM data_units WHERE collection_id = 1 AND files_key = 'image=1' ORDER BY id");
  CHECK_THAT(units, Catch::Contains("USING COVERING INDEX data_units_by_files"));
  CHECK_THAT(units, !Catch::Contains("TEMP B-TREE"));
  auto tasks = plan("SELECT * FROM tasks WHERE project_id = 1 AND data_unit_id = 2 ORDER BY id");
  CHECK_THAT(tasks, Catch::Contains("USING INDEX tasks_by_project_data_unit"));
  CHECK_THAT(tasks, !Catch::Contains("TEMP B-TREE"));
  CHECK_THAT(plan("SELECT count(*) FROM assignments WHERE task_id = 1"),
             Catch::Contains("USING COVERING INDEX assignments_by_task"));
}
