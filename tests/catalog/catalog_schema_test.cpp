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
