// SqliteCatalog: opening a data home, paging, storages and data collections.
#include "catalog/sqlite_catalog.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "catalog/schema.hpp"

namespace synapse::runtime::catalog {

namespace fs = std::filesystem;
using Kind = CatalogError::Kind;

namespace {

fs::path prepare_home(const fs::path& home) {
  std::error_code error;
  fs::create_directories(home, error);
  if (error) {
    throw CatalogError(Kind::unavailable,
                       "cannot create data home " + home.string() + ": " + error.message());
  }
  return home;
}

StorageRecord read_storage(Statement& s) {
  return StorageRecord{s.int64(0), s.text(1), s.text(2), s.json(3)};
}

constexpr const char* kStorageColumns = "SELECT id, name, provider, configuration FROM storages ";

}  // namespace

void throw_not_found(const std::string& table, const std::string& id) {
  throw CatalogError(Kind::not_found, table + " " + id + " does not exist");
}

PageQuery PageQuery::from(const PageRequest& page, std::string_view what) {
  PageQuery query;
  query.limit = std::clamp<std::size_t>(page.limit, 1, 1000);
  if (!page.cursor.empty()) {
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(page.cursor.c_str(), &end, 10);
    if (errno != 0 || end == page.cursor.c_str() || *end != '\0' || value < 0) {
      throw CatalogError(Kind::invalid, "invalid cursor \"" + page.cursor + "\" for " +
                                            std::string(what) + ": expected a next_cursor");
    }
    query.after = value;
  }
  return query;
}

SqliteCatalog::SqliteCatalog(const fs::path& home, int busy_timeout_ms)
    : db_(prepare_home(home) / "catalog.sqlite3", busy_timeout_ms), store_(home / "files") {
  migrate(db_);
  store_.remove_stale_temporaries();
}

void SqliteCatalog::require_row(const char* table, CatalogId id) {
  auto stmt = db_.prepare(std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
  stmt.bind(1, id);
  if (!stmt.step())
    throw_not_found(table, std::to_string(id));
}

// --- storages ---

StorageRecord SqliteCatalog::create_storage(const StorageRecord& record) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  if (auto existing = db_.prepare("SELECT id FROM storages WHERE name = ?");
      existing.bind(1, record.name).step()) {
    throw CatalogError(Kind::conflict, "storages: name \"" + record.name + "\" is taken by id " +
                                           std::to_string(existing.int64(0)));
  }
  auto insert =
      db_.prepare("INSERT INTO storages (name, provider, configuration) VALUES (?, ?, ?)");
  insert.bind(1, record.name).bind(2, record.provider).bind_json(3, record.configuration).run();
  StorageRecord stored = record;
  stored.id = db_.last_insert_rowid();
  tx.commit();
  return stored;
}

StorageRecord SqliteCatalog::get_storage(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(std::string(kStorageColumns) + "WHERE id = ?");
  if (!stmt.bind(1, id).step())
    throw_not_found("storages", std::to_string(id));
  return read_storage(stmt);
}

std::optional<StorageRecord> SqliteCatalog::find_storage(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(std::string(kStorageColumns) + "WHERE name = ?");
  if (!stmt.bind(1, name).step())
    return std::nullopt;
  return read_storage(stmt);
}

Page<StorageRecord> SqliteCatalog::list_storages(const PageRequest& page) {
  auto query = PageQuery::from(page, "storages");
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare(std::string(kStorageColumns) + "WHERE id > ? ORDER BY id LIMIT ?");
  stmt.bind(1, query.after).bind(2, static_cast<std::int64_t>(query.limit + 1));
  return collect_page<StorageRecord>(stmt, query.limit, read_storage,
                                     [](const StorageRecord& r) { return std::to_string(r.id); });
}

void SqliteCatalog::delete_storage(CatalogId id) {
  std::lock_guard lock(mutex_);
  auto stmt = db_.prepare("DELETE FROM storages WHERE id = ?");
  stmt.bind(1, id).run();
  if (db_.changes() == 0)
    throw_not_found("storages", std::to_string(id));
}

// --- data collections ---

DataCollection SqliteCatalog::load_collection(CatalogId id) {
  auto stmt = db_.prepare(
      "SELECT id, name, description, data_unit_meta_schema FROM data_collections WHERE id = ?");
  if (!stmt.bind(1, id).step())
    throw_not_found("data_collections", std::to_string(id));
  DataCollection collection{stmt.int64(0), stmt.text(1), stmt.text(2), {}, stmt.json(3)};
  auto specs = db_.prepare(
      "SELECT name, file_type, extensions, is_required, description FROM file_specifications "
      "WHERE collection_id = ? ORDER BY position");
  specs.bind(1, id);
  while (specs.step()) {
    collection.file_specifications.push_back(FileSpecification{
        specs.text(0), specs.text(1), specs.json(2).get<std::vector<std::string>>(),
        specs.int64(3) != 0, specs.text(4)});
  }
  return collection;
}

DataCollection SqliteCatalog::create_data_collection(const DataCollection& collection) {
  std::set<std::string> names;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < collection.file_specifications.size(); ++i) {
    const auto& spec = collection.file_specifications[i];
    if (spec.name.empty()) {
      problems.push_back("file_specifications[" + std::to_string(i) + "]: name is empty");
    } else if (!names.insert(spec.name).second) {
      problems.push_back("file_specifications[" + std::to_string(i) + "]: name \"" + spec.name +
                         "\" is used twice");
    }
  }
  if (!collection.data_unit_meta_schema.is_null() &&
      !collection.data_unit_meta_schema.is_object() &&
      !collection.data_unit_meta_schema.is_boolean()) {
    problems.push_back("data_unit_meta_schema: must be a JSON Schema object or null");
  }
  if (!problems.empty()) {
    throw CatalogError(Kind::invalid, "data_collections \"" + collection.name + "\" is invalid",
                       problems);
  }
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  if (auto existing = db_.prepare("SELECT id FROM data_collections WHERE name = ?");
      existing.bind(1, collection.name).step()) {
    throw CatalogError(Kind::conflict, "data_collections: name \"" + collection.name +
                                           "\" is taken by id " +
                                           std::to_string(existing.int64(0)));
  }
  auto insert = db_.prepare(
      "INSERT INTO data_collections (name, description, data_unit_meta_schema) VALUES (?, ?, ?)");
  insert.bind(1, collection.name)
      .bind(2, collection.description)
      .bind_json(3, collection.data_unit_meta_schema, true)
      .run();
  DataCollection stored = collection;
  stored.id = db_.last_insert_rowid();
  auto spec_insert = db_.prepare(
      "INSERT INTO file_specifications (collection_id, position, name, file_type, extensions, "
      "is_required, description) VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (std::size_t i = 0; i < collection.file_specifications.size(); ++i) {
    const auto& spec = collection.file_specifications[i];
    spec_insert.bind(1, stored.id)
        .bind(2, static_cast<std::int64_t>(i))
        .bind(3, spec.name)
        .bind(4, spec.file_type)
        .bind_json(5, nlohmann::json(spec.extensions))
        .bind(6, static_cast<std::int64_t>(spec.is_required))
        .bind(7, spec.description);
    spec_insert.run();
  }
  tx.commit();
  return stored;
}

DataCollection SqliteCatalog::get_data_collection(CatalogId id) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  return load_collection(id);
}

std::optional<DataCollection> SqliteCatalog::find_data_collection(const std::string& name) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  CatalogId id = 0;
  {
    auto stmt = db_.prepare("SELECT id FROM data_collections WHERE name = ?");
    if (!stmt.bind(1, name).step())
      return std::nullopt;
    id = stmt.int64(0);
  }
  return load_collection(id);
}

Page<DataCollection> SqliteCatalog::list_data_collections(const PageRequest& page) {
  auto query = PageQuery::from(page, "data_collections");
  std::lock_guard lock(mutex_);
  Transaction tx(db_, Transaction::Mode::read);
  Page<CatalogId> ids;
  {
    auto stmt = db_.prepare("SELECT id FROM data_collections WHERE id > ? ORDER BY id LIMIT ?");
    stmt.bind(1, query.after).bind(2, static_cast<std::int64_t>(query.limit + 1));
    ids = collect_page<CatalogId>(
        stmt, query.limit, [](Statement& s) { return s.int64(0); },
        [](CatalogId id) { return std::to_string(id); });
  }
  Page<DataCollection> result;
  result.next_cursor = ids.next_cursor;
  for (CatalogId id : ids.items)
    result.items.push_back(load_collection(id));
  return result;
}

void SqliteCatalog::delete_data_collection(CatalogId id) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  require_row("data_collections", id);
  // Checked by hand (rather than by the foreign key failing) to name what still refers to it.
  for (const char* table : {"data_units", "projects", "ground_truths"}) {
    auto stmt =
        db_.prepare(std::string("SELECT count(*) FROM ") + table + " WHERE collection_id = ?");
    stmt.bind(1, id).step();
    if (auto count = stmt.int64(0); count > 0) {
      throw CatalogError(Kind::conflict, "data_collections " + std::to_string(id) +
                                             " is still referred to by " + std::to_string(count) +
                                             " row(s) of " + table);
    }
  }
  db_.prepare("DELETE FROM data_collections WHERE id = ?").bind(1, id).run();
  tx.commit();
}

}  // namespace synapse::runtime::catalog
