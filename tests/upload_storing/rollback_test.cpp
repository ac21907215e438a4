// RollbackLedger: undo exactly what one run created, never what was there before or is shared.
#include <catch2/catch.hpp>

#include "storing_fixture.hpp"
#include "upload/storing/data_unit_creator.hpp"
#include "upload/storing/rollback.hpp"

using namespace storing_test;

namespace {

struct Snapshot {
  std::set<synapse::CatalogId> units;
  std::set<std::string> checksums;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const Env& env) {
  return {env.unit_ids(), env.stored_checksums()};
}

// A run: upload (async), create units (batch), recording into the ledger as it goes.
void run(Env& env, const std::vector<OrganizedUnit>& units, RollbackLedger& ledger) {
  UploadCallbacks upload_callbacks;
  upload_callbacks.on_file_uploaded = [&](const OrganizedUnit&, const std::string&,
                                          const synapse::PutFileResult& stored) {
    ledger.record_data_file(stored.file.id, stored.created);
  };
  const auto uploaded =
      make_file_uploader("async", {4})->upload(*env.storage, *env.catalog, units, upload_callbacks);
  DataUnitCallbacks unit_callbacks;
  unit_callbacks.on_unit_created = [&](const CreatedDataUnit& c) {
    ledger.record_data_unit(c.unit.id);
  };
  make_data_unit_creator("batch", 2)
      ->create(*env.catalog, env.collection, uploaded, {}, unit_callbacks);
}

}  // namespace

TEST_CASE("rollback removes exactly what the run created and leaves earlier rows alone",
          "[upload_storing]") {
  Env env;
  // Before the run: a unit over "shared" content and a lone file.
  const auto shared =
      env.catalog->put_file(env.dir / "src" / env.write("old/shared.jpg", "shared"), "shared.jpg");
  env.catalog->put_file(env.dir / "src" / env.write("old/lone.txt", "lone"), "lone.txt");
  env.catalog->create_data_units(env.collection, {{{{"image", shared.file.id}}, {}}});
  const Snapshot before = snapshot(env);

  RollbackLedger ledger;
  run(env,
      {unit("a", {{"image", env.write("image/a.jpg", "shared")}}),  // dedup: not ours
       unit("b", {{"image", env.write("image/b.jpg", "new b")},
                  {"meta", env.write("meta/b.json", "{}")}}),
       unit("c", {{"image", env.write("image/c.jpg", "new c")}})},
      ledger);
  CHECK(ledger.data_units().size() == 3);
  CHECK(ledger.data_files().size() == 3);
  CHECK(snapshot(env) != before);

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.removed_data_units.size() == 3);
  CHECK(report.removed_data_files.size() == 3);
  CHECK(report.kept_data_files.empty());
  CHECK(report.errors.empty());
  CHECK(snapshot(env) == before);
  CHECK(env.catalog->get_data_file(shared.file.id).checksum == shared.file.checksum);
  CHECK(ledger.empty());
}

TEST_CASE("rollback keeps a file this run created that another unit now references",
          "[upload_storing]") {
  Env env;
  RollbackLedger ledger;
  run(env, {unit("x", {{"image", env.write("image/x.jpg", "x bytes")}})}, ledger);
  REQUIRE(ledger.data_files().size() == 1);
  const synapse::CatalogId ours = ledger.data_files().front();
  // Someone else (not recorded) builds a unit over the same file after our run stored it.
  const auto other = env.catalog->create_data_units(env.collection, {{{{"image", ours}}, {}}});

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.removed_data_units.size() == 1);
  CHECK(report.kept_data_files == std::vector<synapse::CatalogId>{ours});
  CHECK(report.errors.empty());
  CHECK(env.unit_ids() == std::set<synapse::CatalogId>{other.front().id});
  CHECK(env.catalog->get_data_file(ours).id == ours);
  // Still recorded: a later rollback (after the other unit goes) can retry it.
  CHECK(ledger.data_files() == std::vector<synapse::CatalogId>{ours});
}

TEST_CASE("rollback keeps units a task still uses and removes the rest", "[upload_storing]") {
  Env env;
  RollbackLedger ledger;
  run(env,
      {unit("1", {{"image", env.write("image/1.jpg", "one")}}),
       unit("2", {{"image", env.write("image/2.jpg", "two")}})},
      ledger);
  const auto units = ledger.data_units();
  REQUIRE(units.size() == 2);
  synapse::Project project;
  project.name = "p";
  project.collection_id = env.collection;
  const auto pid = env.catalog->create_project(project).id;
  synapse::Task task;
  task.project_id = pid;
  task.data_unit_id = units[0];
  ledger.record_task(env.catalog->create_tasks({task}).front().id);

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.kept_data_units == std::vector<synapse::CatalogId>{units[0]});
  CHECK(report.removed_data_units == std::vector<synapse::CatalogId>{units[1]});
  CHECK(report.kept_tasks.size() == 1);
  CHECK(report.removed_data_files.size() == 1);  // unit 2's file; unit 1's is still used
  CHECK(report.kept_data_files.size() == 1);
  CHECK(report.errors.empty());
  CHECK(report.to_json()["kept_tasks"].size() == 1);
}

TEST_CASE("record_uploaded keeps only files this run created", "[upload_storing]") {
  UploadedUnit u;
  u.files["image"].id = 5;
  u.created["image"] = true;
  u.files["meta"].id = 6;
  u.created["meta"] = false;
  u.error = "later file failed";
  RollbackLedger ledger;
  ledger.record_uploaded(u);
  CHECK(ledger.data_files() == std::vector<synapse::CatalogId>{5});
}
