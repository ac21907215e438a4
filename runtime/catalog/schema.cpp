#include "catalog/schema.hpp"

#include <iterator>
#include <map>
#include <string>

#include "catalog/catalog_util.hpp"

namespace synapse::runtime::catalog {

namespace {

// Fills data_units.files_key for the units that existed before migration 2 (the key is built
// by files_key(), the same function create_data_units uses, so old and new rows always agree).
// One ordered pass over data_unit_files: memory stays at one unit's files whatever the size.
void backfill_files_keys(Db& db) {
  auto update = db.prepare("UPDATE data_units SET files_key = ? WHERE id = ?");
  auto rows = db.prepare(
      "SELECT data_unit_id, spec_name, data_file_id FROM data_unit_files "
      "ORDER BY data_unit_id, spec_name");
  CatalogId unit = 0;
  std::map<std::string, CatalogId> files;
  auto flush = [&] {
    if (unit != 0)
      update.bind(1, files_key(files)).bind(2, unit).run();
    files.clear();
  };
  while (rows.step()) {
    if (rows.int64(0) != unit) {
      flush();
      unit = rows.int64(0);
    }
    files.emplace(rows.text(1), rows.int64(2));
  }
  flush();
}

struct Migration {
  const char* sql;
  void (*backfill)(Db&);  // run after `sql`, in the same transaction; may be null
};

// Append only: a released migration is never edited, because catalogs in the field already
// ran it. JSON columns are TEXT; ids are INTEGER PRIMARY KEY AUTOINCREMENT so an id is never
// reused after a delete (ids appear in logs and exports). Indexes serve the keyset pages
// ("WHERE parent = ? AND id > ? ORDER BY id").
constexpr Migration kMigrations[] = {
    // 1: the initial schema.
    {R"sql(
CREATE TABLE storages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  configuration TEXT NOT NULL
);
CREATE TABLE data_collections (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  data_unit_meta_schema TEXT
);
CREATE TABLE file_specifications (
  collection_id INTEGER NOT NULL REFERENCES data_collections(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  file_type TEXT NOT NULL,
  extensions TEXT NOT NULL,
  is_required INTEGER NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (collection_id, name)
);
CREATE TABLE data_files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  checksum TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  original_name TEXT NOT NULL,
  location TEXT NOT NULL,
  meta TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE data_units (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id INTEGER NOT NULL REFERENCES data_collections(id),
  meta TEXT NOT NULL
);
CREATE INDEX data_units_by_collection ON data_units (collection_id, id);
CREATE TABLE data_unit_files (
  data_unit_id INTEGER NOT NULL REFERENCES data_units(id) ON DELETE CASCADE,
  spec_name TEXT NOT NULL,
  data_file_id INTEGER NOT NULL REFERENCES data_files(id),
  PRIMARY KEY (data_unit_id, spec_name)
);
CREATE INDEX data_unit_files_by_file ON data_unit_files (data_file_id);
CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  collection_id INTEGER REFERENCES data_collections(id)
);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  data_unit_id INTEGER NOT NULL REFERENCES data_units(id),
  status TEXT NOT NULL,
  annotation_data TEXT NOT NULL
);
CREATE INDEX tasks_by_project ON tasks (project_id, id);
CREATE INDEX tasks_by_data_unit ON tasks (data_unit_id);
CREATE TABLE assignments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  task_id INTEGER REFERENCES tasks(id),
  data_unit_id INTEGER NOT NULL REFERENCES data_units(id),
  annotation TEXT NOT NULL
);
CREATE INDEX assignments_by_project ON assignments (project_id, id);
CREATE INDEX assignments_by_data_unit ON assignments (data_unit_id);
CREATE TABLE ground_truths (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  collection_id INTEGER NOT NULL REFERENCES data_collections(id),
  data_unit_id INTEGER NOT NULL REFERENCES data_units(id),
  dataset_version TEXT NOT NULL,
  annotation TEXT NOT NULL
);
CREATE INDEX ground_truths_by_version ON ground_truths (collection_id, dataset_version, id);
CREATE INDEX ground_truths_by_data_unit ON ground_truths (data_unit_id);
CREATE TABLE jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  plugin TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL,
  params TEXT NOT NULL,
  progress TEXT NOT NULL,
  metrics TEXT NOT NULL,
  result TEXT NOT NULL,
  error TEXT NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  exit_code INTEGER
);
CREATE TABLE job_events (
  job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  data TEXT NOT NULL,
  datetime TEXT NOT NULL,
  PRIMARY KEY (job_id, seq)
);
)sql",
     nullptr},
    // 2: lookups that make re-running an upload idempotent, each one index probe instead of a
    // scan: a unit by its exact files map (files_key, see files_key(); units without files
    // keep ''), a task by (project, data unit); and assignments by task, which delete_tasks
    // (and the tasks foreign key) must check for every deleted task.
    {R"sql(
ALTER TABLE data_units ADD COLUMN files_key TEXT NOT NULL DEFAULT '';
CREATE INDEX data_units_by_files ON data_units (collection_id, files_key, id);
CREATE INDEX tasks_by_project_data_unit ON tasks (project_id, data_unit_id, id);
CREATE INDEX assignments_by_task ON assignments (task_id);
)sql",
     backfill_files_keys},
    // 3: `synapse annotations import` names data units by their files' original names
    // ("cat.jpg") or stems ("cat"): one index probe (a short range for a stem) per name
    // instead of a scan of data_files.
    {R"sql(
CREATE INDEX data_files_by_original_name ON data_files (original_name);
)sql",
     nullptr},
};

}  // namespace

int latest_schema_version() {
  return static_cast<int>(std::size(kMigrations));
}

int schema_version(Db& db) {
  auto stmt = db.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.int64(0));
}

void migrate(Db& db) {
  migrate(db, latest_schema_version());
}

void migrate(Db& db, int target_version) {
  if (target_version < 0 || target_version > latest_schema_version()) {
    throw CatalogError(CatalogError::Kind::invalid,
                       "no schema version " + std::to_string(target_version));
  }
  auto refuse_if_too_new = [&](int version) {
    if (version > latest_schema_version()) {
      throw CatalogError(CatalogError::Kind::incompatible,
                         "catalog " + db.file().string() + " has schema version " +
                             std::to_string(version) + " but this synapse knows versions up to " +
                             std::to_string(latest_schema_version()) +
                             ": it was written by a newer synapse; upgrade synapse or point "
                             "SYNAPSE_HOME at another folder");
    }
  };
  // Checked before taking the write lock too, so a newer catalog is never even locked.
  int version = schema_version(db);
  refuse_if_too_new(version);
  if (version >= target_version)
    return;

  Transaction tx(db);
  version = schema_version(db);  // another process may have migrated meanwhile
  refuse_if_too_new(version);
  if (version >= target_version)
    return;
  for (int next = version; next < target_version; ++next) {
    db.exec(kMigrations[next].sql);
    if (kMigrations[next].backfill != nullptr)
      kMigrations[next].backfill(db);
  }
  db.exec(("PRAGMA user_version = " + std::to_string(target_version)).c_str());
  tx.commit();
}

}  // namespace synapse::runtime::catalog
