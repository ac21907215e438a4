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

// A run: upload (async), create units (batch), recording into the ledger as it goes, the way
// the upload steps do: only rows this run created (a reused unit or file is someone else's).
DataUnitCreation run(Env& env, const std::vector<OrganizedUnit>& units, RollbackLedger& ledger) {
  UploadCallbacks upload_callbacks;
  upload_callbacks.on_file_uploaded = [&](const OrganizedUnit&, const std::string&,
                                          const synapse::PutFileResult& stored) {
    ledger.record_data_file(stored.file.id, stored.created);
  };
  const auto uploaded =
      make_file_uploader("async", {4})
          ->upload(single_storage(*env.storage), *env.catalog, units, upload_callbacks);
  DataUnitCallbacks unit_callbacks;
  unit_callbacks.on_unit_created = [&](const CreatedDataUnit& c) {
    if (c.created)
      ledger.record_data_unit(c.unit.id);
  };
  return make_data_unit_creator("batch", 2)
      ->create(*env.catalog, env.collection, uploaded, {}, unit_callbacks);
}

}  // namespace

TEST_CASE("rollback removes exactly what the run created and leaves earlier rows alone",
          "[upload_storing]") {
  Env env;
  // Before the run: a unit over "shared" content (with a meta file, so the run's unit "a" over
  // the same image is a different unit, not a reuse) and a lone file.
  const auto shared =
      env.catalog->put_file(env.dir / "src" / env.write("old/shared.jpg", "shared"), "shared.jpg");
  const auto lone =
      env.catalog->put_file(env.dir / "src" / env.write("old/lone.txt", "lone"), "lone.txt");
  env.catalog->create_data_units(env.collection,
                                 {{{{"image", shared.file.id}, {"meta", lone.file.id}}, {}}});
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

TEST_CASE("rollback leaves alone an existing unit the run reused instead of duplicating",
          "[upload_storing]") {
  Env env;
  RollbackLedger first_ledger;
  const auto first =
      run(env, {unit("r", {{"image", env.write("image/r.jpg", "r bytes")}})}, first_ledger);
  REQUIRE(first.created.size() == 1);
  const Snapshot before = snapshot(env);

  // The same upload again: its file is found stored, so the unit is reused (created = false)
  // and nothing is recorded.
  RollbackLedger ledger;
  const auto again = run(env, {unit("r", {{"image", "image/r.jpg"}})}, ledger);
  REQUIRE(again.created.size() == 1);
  CHECK_FALSE(again.created[0].created);
  CHECK(again.created[0].unit.id == first.created[0].unit.id);
  CHECK(ledger.empty());

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.removed_data_units.empty());
  CHECK(report.removed_data_files.empty());
  CHECK(snapshot(env) == before);
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

namespace {

synapse::CatalogId make_project(Env& env) {
  synapse::Project project;
  project.name = "p";
  project.collection_id = env.collection;
  return env.catalog->create_project(project).id;
}

synapse::CatalogId make_task(Env& env, synapse::CatalogId project, synapse::CatalogId unit) {
  synapse::Task task;
  task.project_id = project;
  task.data_unit_id = unit;
  return env.catalog->create_tasks({task}).front().id;
}

}  // namespace

TEST_CASE("rollback removes the tasks the run created, then their units and files",
          "[upload_storing]") {
  Env env;
  RollbackLedger ledger;
  run(env,
      {unit("1", {{"image", env.write("image/1.jpg", "one")}}),
       unit("2", {{"image", env.write("image/2.jpg", "two")}})},
      ledger);
  const auto units = ledger.data_units();
  REQUIRE(units.size() == 2);
  const auto project = make_project(env);
  const auto task = make_task(env, project, units[0]);
  ledger.record_task(task);
  CHECK(ledger.tasks() == std::vector<synapse::CatalogId>{task});

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.removed_tasks == std::vector<synapse::CatalogId>{task});
  CHECK(report.kept_tasks.empty());
  CHECK(report.removed_data_units == units);
  CHECK(report.kept_data_units.empty());
  CHECK(report.removed_data_files.size() == 2);
  CHECK(report.kept_data_files.empty());
  CHECK(report.errors.empty());
  CHECK(report.to_json()["removed_tasks"] == nlohmann::json{task});
  CHECK(env.catalog->count_tasks(project) == 0);
  CHECK_THROWS_AS(env.catalog->get_task(task), synapse::CatalogError);
  CHECK(env.unit_ids().empty());
  CHECK(env.stored_checksums().empty());
  CHECK(ledger.empty());
}

TEST_CASE("rollback keeps a task with an assignment, and its unit and file with it",
          "[upload_storing]") {
  Env env;
  RollbackLedger ledger;
  run(env,
      {unit("1", {{"image", env.write("image/1.jpg", "one")}}),
       unit("2", {{"image", env.write("image/2.jpg", "two")}}),
       unit("3", {{"image", env.write("image/3.jpg", "three")}})},
      ledger);
  const auto units = ledger.data_units();
  REQUIRE(units.size() == 3);
  const auto project = make_project(env);
  const auto worked_on = make_task(env, project, units[0]);
  const auto untouched = make_task(env, project, units[1]);
  ledger.record_task(worked_on);
  ledger.record_task(untouched);
  synapse::Assignment assignment;
  assignment.project_id = project;
  assignment.task_id = worked_on;
  assignment.data_unit_id = units[0];
  assignment.annotation = {{"label", "cat"}};
  env.catalog->create_assignment(assignment);

  const auto report = ledger.rollback(*env.catalog);

  CHECK(report.kept_tasks == std::vector<synapse::CatalogId>{worked_on});
  CHECK(report.removed_tasks == std::vector<synapse::CatalogId>{untouched});
  CHECK(report.kept_data_units == std::vector<synapse::CatalogId>{units[0]});
  CHECK(report.removed_data_units == std::vector<synapse::CatalogId>{units[1], units[2]});
  CHECK(report.removed_data_files.size() == 2);  // units 2 and 3; unit 1's is still used
  CHECK(report.kept_data_files.size() == 1);
  CHECK(report.errors.empty());  // refusals for a reference are kept quietly, not errors
  CHECK(report.to_json()["kept_tasks"].size() == 1);
  CHECK(env.catalog->get_task(worked_on).id == worked_on);
  CHECK(env.catalog->count_tasks(project) == 1);
  CHECK(env.unit_ids() == std::set<synapse::CatalogId>{units[0]});
  // What was kept stays recorded, so a later rollback (once the assignment goes) retries it.
  CHECK(ledger.tasks() == std::vector<synapse::CatalogId>{worked_on});
  CHECK(ledger.data_units() == std::vector<synapse::CatalogId>{units[0]});
  CHECK(ledger.data_files().size() == 1);
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
