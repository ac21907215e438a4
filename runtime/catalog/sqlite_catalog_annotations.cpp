// SqliteCatalog: what `synapse annotations import` needs. Naming data units by their files'
// names, and writing annotations in batches onto tasks, assignments or ground truth, each batch
// one transaction that updates the row it finds and creates the ones that are missing (so an
// import run twice writes the same rows).
#include <algorithm>
#include <filesystem>

#include "catalog/sqlite_catalog.hpp"
#include "common/json_cursor.hpp"

namespace synapse::runtime::catalog {

using Kind = CatalogError::Kind;

namespace {

std::string id_text(CatalogId id) {
  return std::to_string(id);
}

// "cat.jpg" -> "cat", "cat" -> "cat", "cat.tar.gz" -> "cat.tar" (std::filesystem's rule, the
// one the importer applies to its file names).
std::string stem_of(const std::string& name) {
  return std::filesystem::path(name).stem().string();
}

// The joins start from data_files (CROSS JOIN fixes that order in SQLite): without statistics
// the planner would otherwise start from the collection's units and scan all of them per name.
constexpr const char* kUnitsByFileName =
    "SELECT DISTINCT u.id FROM data_files f "
    "CROSS JOIN data_unit_files uf ON uf.data_file_id = f.id "
    "CROSS JOIN data_units u ON u.id = uf.data_unit_id "
    "WHERE f.original_name = ?1 AND u.collection_id = ?2 ORDER BY u.id";
// Every name with stem S lies in [S, S + "/"): S itself and S + "." + extension ('.' sorts just
// before '/'). The range may hold other names ("S-2.jpg"), filtered out by stem_of().
constexpr const char* kUnitsByFileStem =
    "SELECT u.id, f.original_name FROM data_files f "
    "CROSS JOIN data_unit_files uf ON uf.data_file_id = f.id "
    "CROSS JOIN data_units u ON u.id = uf.data_unit_id "
    "WHERE f.original_name >= ?1 AND f.original_name < ?2 AND u.collection_id = ?3";

// Each lookup probes the index on the data unit (or task), then checks the other columns: the
// unary '+' keeps SQLite from choosing the (collection, version) or (project) index instead,
// which it would estimate as narrower but which scans every row of the version or project.
constexpr const char* kFindTask =
    "SELECT id FROM tasks WHERE project_id = ? AND data_unit_id = ? ORDER BY id LIMIT 1";
constexpr const char* kFindAssignment =
    "SELECT id, project_id, task_id, data_unit_id, annotation FROM assignments "
    "WHERE task_id = ? AND +project_id = ? ORDER BY id LIMIT 1";
constexpr const char* kProbeAssignment =
    "SELECT id FROM assignments WHERE task_id = ? AND +project_id = ? ORDER BY id LIMIT 1";
constexpr const char* kFindGroundTruth =
    "SELECT id, collection_id, data_unit_id, dataset_version, annotation FROM ground_truths "
    "WHERE data_unit_id = ? AND +collection_id = ? AND +dataset_version = ? ORDER BY id LIMIT 1";
constexpr const char* kProbeGroundTruth =
    "SELECT id FROM ground_truths "
    "WHERE data_unit_id = ? AND +collection_id = ? AND +dataset_version = ? ORDER BY id LIMIT 1";

}  // namespace

// --- naming data units ---

std::vector<std::vector<CatalogId>> SqliteCatalog::find_data_units_by_keys(
    CatalogId collection_id, const std::vector<DataUnitKey>& keys) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);  // one snapshot for the whole batch
  auto by_id = db_.prepare("SELECT id FROM data_units WHERE id = ? AND collection_id = ?");
  auto by_name = db_.prepare(kUnitsByFileName);
  auto by_stem = db_.prepare(kUnitsByFileStem);
  std::vector<std::vector<CatalogId>> found(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const DataUnitKey& key = keys[i];
    auto& units = found[i];
    switch (key.kind) {
      case DataUnitKey::Kind::id:
        by_id.bind(1, key.id).bind(2, collection_id);
        if (by_id.step())
          units.push_back(by_id.int64(0));
        by_id.reset();
        break;
      case DataUnitKey::Kind::file_name:
        by_name.bind(1, key.name).bind(2, collection_id);
        while (by_name.step())
          units.push_back(by_name.int64(0));
        by_name.reset();
        break;
      case DataUnitKey::Kind::file_stem:
        by_stem.bind(1, key.name).bind(2, key.name + "/").bind(3, collection_id);
        while (by_stem.step()) {
          if (stem_of(by_stem.text(1)) == key.name)
            units.push_back(by_stem.int64(0));
        }
        by_stem.reset();
        std::sort(units.begin(), units.end());
        units.erase(std::unique(units.begin(), units.end()), units.end());
        break;
    }
  }
  tx.commit();
  return found;
}

// --- writing annotations ---

void SqliteCatalog::check_annotation_items(const std::vector<AnnotationWrite>& items,
                                           std::optional<CatalogId> collection,
                                           const std::string& owner) {
  std::vector<std::string> problems;
  auto unit = db_.prepare("SELECT collection_id FROM data_units WHERE id = ?");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string where = "items[" + std::to_string(i) + "]";
    const AnnotationWrite& item = items[i];
    unit.bind(1, item.data_unit_id);
    if (!unit.step()) {
      problems.push_back(where + ".data_unit_id: data_units " + id_text(item.data_unit_id) +
                         " does not exist");
    } else {
      if (collection && unit.int64(0) != *collection) {
        problems.push_back(where + ".data_unit_id: data unit " + id_text(item.data_unit_id) +
                           " belongs to data collection " + id_text(unit.int64(0)) + ", not to " +
                           owner + " " + id_text(*collection));
      }
      // Checked as strictly as nlohmann::json reads it back (SQLite's json_valid() lets
      // malformed UTF-8 and lone surrogates through), and faster.
      if (!is_json_text(item.annotation_json))
        problems.push_back(where + ".annotation_json: not valid JSON text (UTF-8)");
    }
    unit.reset();
  }
  if (!problems.empty()) {
    throw CatalogError(Kind::invalid,
                       std::to_string(problems.size()) + " problem(s) in " +
                           std::to_string(items.size()) + " annotation(s); nothing was written",
                       problems);
  }
}

std::vector<AnnotationWritten> SqliteCatalog::put_task_annotations(
    CatalogId project_id, const std::string& status, const std::vector<AnnotationWrite>& items) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  auto project = db_.prepare("SELECT collection_id FROM projects WHERE id = ?");
  if (!project.bind(1, project_id).step())
    throw_not_found("projects", id_text(project_id));
  const auto collection = project.optional_int64(0);
  project.reset();
  check_annotation_items(items, collection, "the data collection of project");

  auto find = db_.prepare(kFindTask);
  auto update = db_.prepare("UPDATE tasks SET annotation_data = ?, status = ? WHERE id = ?");
  auto insert = db_.prepare(
      "INSERT INTO tasks (project_id, data_unit_id, status, annotation_data) VALUES (?, ?, ?, ?)");
  std::vector<AnnotationWritten> written(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const AnnotationWrite& item = items[i];
    const bool exists = find.bind(1, project_id).bind(2, item.data_unit_id).step();
    const CatalogId task = exists ? find.int64(0) : 0;
    find.reset();
    if (exists) {
      update.bind(1, item.annotation_json).bind(2, status).bind(3, task).run();
      written[i] = {task, false};
    } else {
      insert.bind(1, project_id)
          .bind(2, item.data_unit_id)
          .bind(3, status)
          .bind(4, item.annotation_json)
          .run();
      written[i] = {db_.last_insert_rowid(), true};
    }
  }
  tx.commit();
  return written;
}

std::optional<Assignment> SqliteCatalog::find_assignment(CatalogId project_id, CatalogId task_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(kFindAssignment);
  if (!stmt.bind(1, task_id).bind(2, project_id).step())
    return std::nullopt;
  return Assignment{stmt.int64(0), stmt.int64(1), stmt.optional_int64(2), stmt.int64(3),
                    stmt.json(4)};
}

void SqliteCatalog::set_assignment_annotation(CatalogId id, const nlohmann::json& annotation) {
  std::lock_guard lock(mutex_);
  db_.prepare("UPDATE assignments SET annotation = ? WHERE id = ?")
      .bind_json(1, annotation)
      .bind(2, id)
      .run();
  if (db_.changes() == 0)
    throw_not_found("assignments", id_text(id));
}

std::vector<AnnotationWritten> SqliteCatalog::put_assignment_annotations(
    CatalogId project_id, const std::vector<AnnotationWrite>& items) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  auto project = db_.prepare("SELECT collection_id FROM projects WHERE id = ?");
  if (!project.bind(1, project_id).step())
    throw_not_found("projects", id_text(project_id));
  const auto collection = project.optional_int64(0);
  project.reset();
  check_annotation_items(items, collection, "the data collection of project");

  auto find_task = db_.prepare(kFindTask);
  auto insert_task = db_.prepare(
      "INSERT INTO tasks (project_id, data_unit_id, status, annotation_data) "
      "VALUES (?, ?, 'pending', 'null')");
  auto find = db_.prepare(kProbeAssignment);
  auto update = db_.prepare("UPDATE assignments SET annotation = ? WHERE id = ?");
  auto insert = db_.prepare(
      "INSERT INTO assignments (project_id, task_id, data_unit_id, annotation) "
      "VALUES (?, ?, ?, ?)");
  std::vector<AnnotationWritten> written(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const AnnotationWrite& item = items[i];
    AnnotationWritten& out = written[i];
    if (find_task.bind(1, project_id).bind(2, item.data_unit_id).step()) {
      out.task_id = find_task.int64(0);
    } else {
      insert_task.bind(1, project_id).bind(2, item.data_unit_id).run();
      out.task_id = db_.last_insert_rowid();
      out.task_created = true;
    }
    find_task.reset();
    // A new task has no assignment yet: skip the probe.
    const bool exists = !out.task_created && find.bind(1, out.task_id).bind(2, project_id).step();
    const CatalogId assignment = exists ? find.int64(0) : 0;
    find.reset();
    if (exists) {
      update.bind(1, item.annotation_json).bind(2, assignment).run();
      out.id = assignment;
    } else {
      insert.bind(1, project_id)
          .bind(2, out.task_id)
          .bind(3, item.data_unit_id)
          .bind(4, item.annotation_json)
          .run();
      out.id = db_.last_insert_rowid();
      out.created = true;
    }
  }
  tx.commit();
  return written;
}

std::optional<GroundTruth> SqliteCatalog::find_ground_truth(CatalogId collection_id,
                                                            CatalogId data_unit_id,
                                                            const std::string& dataset_version) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(kFindGroundTruth);
  if (!stmt.bind(1, data_unit_id).bind(2, collection_id).bind(3, dataset_version).step())
    return std::nullopt;
  return GroundTruth{stmt.int64(0), stmt.int64(1), stmt.int64(2), stmt.text(3), stmt.json(4)};
}

void SqliteCatalog::set_ground_truth_annotation(CatalogId id, const nlohmann::json& annotation) {
  std::lock_guard lock(mutex_);
  db_.prepare("UPDATE ground_truths SET annotation = ? WHERE id = ?")
      .bind_json(1, annotation)
      .bind(2, id)
      .run();
  if (db_.changes() == 0)
    throw_not_found("ground_truths", id_text(id));
}

std::vector<AnnotationWritten> SqliteCatalog::put_ground_truth_annotations(
    CatalogId collection_id, const std::string& dataset_version,
    const std::vector<AnnotationWrite>& items) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  require_row("data_collections", collection_id);
  check_annotation_items(items, collection_id, "data collection");

  auto find = db_.prepare(kProbeGroundTruth);
  auto update = db_.prepare("UPDATE ground_truths SET annotation = ? WHERE id = ?");
  auto insert = db_.prepare(
      "INSERT INTO ground_truths (collection_id, data_unit_id, dataset_version, annotation) "
      "VALUES (?, ?, ?, ?)");
  std::vector<AnnotationWritten> written(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const AnnotationWrite& item = items[i];
    const bool exists =
        find.bind(1, item.data_unit_id).bind(2, collection_id).bind(3, dataset_version).step();
    const CatalogId row = exists ? find.int64(0) : 0;
    find.reset();
    if (exists) {
      update.bind(1, item.annotation_json).bind(2, row).run();
      written[i] = {row, false};
    } else {
      insert.bind(1, collection_id)
          .bind(2, item.data_unit_id)
          .bind(3, dataset_version)
          .bind(4, item.annotation_json)
          .run();
      written[i] = {db_.last_insert_rowid(), true};
    }
  }
  tx.commit();
  return written;
}

}  // namespace synapse::runtime::catalog
