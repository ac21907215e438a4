// SqliteCatalog: data units (the rows that group one file per file specification).
#include <optional>
#include <set>

#include "catalog/catalog_util.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "params/params_validator.hpp"

namespace synapse::runtime::catalog {

using Kind = CatalogError::Kind;

DataUnit SqliteCatalog::load_unit(CatalogId id) {
  auto stmt = db_.prepare("SELECT id, collection_id, meta FROM data_units WHERE id = ?");
  if (!stmt.bind(1, id).step())
    throw_not_found("data_units", std::to_string(id));
  DataUnit unit{stmt.int64(0), stmt.int64(1), {}, stmt.json(2)};
  auto files =
      db_.prepare("SELECT spec_name, data_file_id FROM data_unit_files WHERE data_unit_id = ?");
  files.bind(1, id);
  while (files.step())
    unit.files.emplace(files.text(0), files.int64(1));
  return unit;
}

std::vector<DataUnit> SqliteCatalog::create_data_units(CatalogId collection_id,
                                                       const std::vector<NewDataUnit>& units) {
  std::lock_guard lock(mutex_);
  // Checks run inside the write transaction so that a data file deleted by another process
  // between the check and the insert cannot slip through.
  Transaction tx(db_);
  DataCollection collection = load_collection(collection_id);
  std::set<std::string> spec_names;
  for (const auto& spec : collection.file_specifications)
    spec_names.insert(spec.name);

  std::vector<std::string> problems;
  auto file_exists = db_.prepare("SELECT 1 FROM data_files WHERE id = ?");
  // Compiled once per call, not once per unit.
  std::optional<CompiledJsonSchema> meta_schema;
  if (!collection.data_unit_meta_schema.is_null())
    meta_schema.emplace(collection.data_unit_meta_schema);
  for (std::size_t i = 0; i < units.size(); ++i) {
    const std::string where = "data_units[" + std::to_string(i) + "]";
    const NewDataUnit& unit = units[i];
    if (meta_schema) {
      for (const auto& error : meta_schema->validate(unit.meta)) {
        problems.push_back(where + ".meta " + error.render());
      }
    }
    for (const auto& spec : collection.file_specifications) {
      if (spec.is_required && unit.files.count(spec.name) == 0) {
        problems.push_back(where + ".files: required file specification \"" + spec.name +
                           "\" has no file");
      }
    }
    for (const auto& [spec_name, file_id] : unit.files) {
      if (spec_names.count(spec_name) == 0) {
        problems.push_back(where + ".files: \"" + spec_name +
                           "\" is not a file specification of data_collections " +
                           std::to_string(collection_id));
      }
      bool exists = file_exists.bind(1, file_id).step();
      file_exists.reset();
      if (!exists) {
        problems.push_back(where + ".files." + spec_name + ": data_files " +
                           std::to_string(file_id) + " does not exist");
      }
    }
  }
  if (!problems.empty()) {
    throw CatalogError(Kind::invalid,
                       std::to_string(problems.size()) + " problem(s) in " +
                           std::to_string(units.size()) + " data unit(s) for data_collections " +
                           std::to_string(collection_id) + "; nothing was written",
                       problems);
  }

  std::vector<DataUnit> created;
  created.reserve(units.size());
  auto insert_unit =
      db_.prepare("INSERT INTO data_units (collection_id, meta, files_key) VALUES (?, ?, ?)");
  auto insert_file = db_.prepare(
      "INSERT INTO data_unit_files (data_unit_id, spec_name, data_file_id) VALUES (?, ?, ?)");
  for (const auto& unit : units) {
    insert_unit.bind(1, collection_id).bind_json(2, unit.meta).bind(3, files_key(unit.files)).run();
    DataUnit stored{db_.last_insert_rowid(), collection_id, unit.files, unit.meta};
    for (const auto& [spec_name, file_id] : unit.files) {
      insert_file.bind(1, stored.id).bind(2, spec_name).bind(3, file_id).run();
    }
    created.push_back(std::move(stored));
  }
  tx.commit();
  return created;
}

DataUnit SqliteCatalog::get_data_unit(CatalogId id) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  return load_unit(id);
}

std::vector<DataUnit> SqliteCatalog::get_data_units(const std::vector<CatalogId>& ids) {
  return load_each(ids, &SqliteCatalog::load_unit);
}

Page<DataUnit> SqliteCatalog::list_data_units(CatalogId collection_id, const PageRequest& page) {
  auto query = PageQuery::from(page, "data_units");
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  Page<CatalogId> ids;
  {
    auto stmt = db_.prepare(
        "SELECT id FROM data_units WHERE collection_id = ? AND id > ? ORDER BY id LIMIT ?");
    stmt.bind(1, collection_id)
        .bind(2, query.after)
        .bind(3, static_cast<std::int64_t>(query.limit + 1));
    ids = collect_page<CatalogId>(
        stmt, query.limit, [](Statement& s) { return s.int64(0); },
        [](CatalogId id) { return std::to_string(id); });
  }
  Page<DataUnit> result;
  result.next_cursor = ids.next_cursor;
  result.items.reserve(ids.items.size());
  for (CatalogId id : ids.items)
    result.items.push_back(load_unit(id));
  return result;
}

std::vector<DataUnit> SqliteCatalog::find_data_units_by_files(
    CatalogId collection_id, const std::map<std::string, CatalogId>& files) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  // One probe of data_units_by_files; the candidates (normally one) are confirmed against
  // data_unit_files, because two maps may share a key (see files_key).
  std::vector<CatalogId> candidates;
  {
    auto stmt = db_.prepare(
        "SELECT id FROM data_units WHERE collection_id = ? AND files_key = ? ORDER BY id");
    stmt.bind(1, collection_id).bind(2, files_key(files));
    while (stmt.step())
      candidates.push_back(stmt.int64(0));
  }
  std::vector<DataUnit> found;
  for (CatalogId id : candidates) {
    DataUnit unit = load_unit(id);
    if (unit.files == files)
      found.push_back(std::move(unit));
  }
  return found;
}

std::int64_t SqliteCatalog::count_data_units(CatalogId collection_id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("SELECT count(*) FROM data_units WHERE collection_id = ?");
  stmt.bind(1, collection_id).step();
  return stmt.int64(0);
}

void SqliteCatalog::delete_data_units(const std::vector<CatalogId>& ids) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  std::vector<std::string> missing;
  std::vector<std::string> used;
  auto exists = db_.prepare("SELECT 1 FROM data_units WHERE id = ?");
  auto users = db_.prepare(
      "SELECT (SELECT count(*) FROM tasks WHERE data_unit_id = ?1) + "
      "(SELECT count(*) FROM assignments WHERE data_unit_id = ?1) + "
      "(SELECT count(*) FROM ground_truths WHERE data_unit_id = ?1)");
  for (CatalogId id : ids) {
    bool found = exists.bind(1, id).step();
    exists.reset();
    if (!found) {
      missing.push_back("data_units " + std::to_string(id) + " does not exist");
      continue;
    }
    users.bind(1, id).step();
    std::int64_t count = users.int64(0);
    users.reset();
    if (count > 0) {
      used.push_back("data_units " + std::to_string(id) + " is used by " + std::to_string(count) +
                     " task(s), assignment(s) or ground truth row(s)");
    }
  }
  if (!missing.empty()) {
    throw CatalogError(Kind::not_found,
                       "delete_data_units: some ids do not exist; nothing was deleted", missing);
  }
  if (!used.empty()) {
    throw CatalogError(Kind::conflict,
                       "delete_data_units: some data units are still in use; nothing was deleted",
                       used);
  }
  auto remove = db_.prepare("DELETE FROM data_units WHERE id = ?");
  for (CatalogId id : ids)
    remove.bind(1, id).run();  // data_unit_files cascade
  tx.commit();
}

}  // namespace synapse::runtime::catalog
