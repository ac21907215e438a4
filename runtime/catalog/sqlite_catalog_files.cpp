// SqliteCatalog: data files (rows in data_files, bytes in the content store).
//
// Rows and bytes stay consistent across processes because both change under the write lock:
// put stages and hashes the content outside any lock, then, in one BEGIN IMMEDIATE transaction,
// renames the bytes into place and inserts the row; delete removes the row and the bytes in
// its write transaction. So a put never commits a row whose bytes a concurrent delete removed,
// and a put that finds its row already there re-publishes bytes that have gone missing.
#include <fstream>

#include "catalog/catalog_util.hpp"
#include "catalog/sqlite_catalog.hpp"

namespace synapse::runtime::catalog {

namespace fs = std::filesystem;
using Kind = CatalogError::Kind;

namespace {

constexpr const char* kFileColumns =
    "SELECT id, checksum, size, original_name, location, meta, created_at FROM data_files ";

DataFile read_file(Statement& s) {
  return DataFile{s.int64(0), s.text(1), static_cast<std::uint64_t>(s.int64(2)),
                  s.text(3),  s.text(4), s.json(5),
                  s.text(6)};
}

}  // namespace

std::optional<DataFile> SqliteCatalog::find_file_locked(const std::string& checksum) {
  auto stmt = db_.prepare(std::string(kFileColumns) + "WHERE checksum = ?");
  if (!stmt.bind(1, checksum).step())
    return std::nullopt;
  return read_file(stmt);
}

DataFile SqliteCatalog::load_file(CatalogId id) {
  auto stmt = db_.prepare(std::string(kFileColumns) + "WHERE id = ?");
  if (!stmt.bind(1, id).step())
    throw_not_found("data_files", std::to_string(id));
  return read_file(stmt);
}

PutFileResult SqliteCatalog::register_staged(StagedFile& staged, const std::string& original_name,
                                             const nlohmann::json& meta) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  if (auto existing = find_file_locked(staged.sha256())) {
    // Dedup: the bytes are already stored (repair them if someone removed them by hand).
    if (!store_.contains(staged.sha256()))
      store_.publish(staged);
    tx.commit();
    return {*existing, false};
  }
  store_.publish(staged);
  DataFile file{
      0,    staged.sha256(), staged.size(), original_name, ContentStore::location(staged.sha256()),
      meta, now_iso8601()};
  auto insert = db_.prepare(
      "INSERT INTO data_files (checksum, size, original_name, location, meta, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, file.checksum)
      .bind(2, static_cast<std::int64_t>(file.size))
      .bind(3, file.original_name)
      .bind(4, file.location)
      .bind_json(5, file.meta)
      .bind(6, file.created_at)
      .run();
  file.id = db_.last_insert_rowid();
  // If the commit fails the published bytes stay without a row: harmless, the next put of the
  // same content renames over them and registers them.
  tx.commit();
  return {file, true};
}

PutFileResult SqliteCatalog::put_file(const fs::path& local_path, const std::string& original_name,
                                      const nlohmann::json& meta) {
  StagedFile staged = store_.stage_file(local_path);
  return register_staged(staged, original_name, meta);
}

PutFileResult SqliteCatalog::put_stream(std::istream& content, const std::string& original_name,
                                        const nlohmann::json& meta) {
  StagedFile staged = store_.stage(content);
  return register_staged(staged, original_name, meta);
}

DataFile SqliteCatalog::get_data_file(CatalogId id) {
  std::lock_guard lock(mutex_);
  return load_file(id);
}

std::optional<DataFile> SqliteCatalog::find_data_file_by_checksum(const std::string& checksum) {
  std::lock_guard lock(mutex_);
  return find_file_locked(checksum);
}

fs::path SqliteCatalog::data_file_path(CatalogId id) {
  std::lock_guard lock(mutex_);
  DataFile file = load_file(id);
  fs::path path = store_.root() / file.location;
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    throw CatalogError(Kind::io, "data_files " + std::to_string(id) + ": stored content " +
                                     path.string() + " is missing");
  }
  return path;
}

std::unique_ptr<std::istream> SqliteCatalog::open_data_file(CatalogId id) {
  fs::path path = data_file_path(id);
  auto stream = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*stream) {
    throw CatalogError(Kind::io,
                       "data_files " + std::to_string(id) + ": cannot open " + path.string());
  }
  return stream;
}

void SqliteCatalog::delete_data_file(CatalogId id) {
  std::lock_guard lock(mutex_);
  Transaction tx(db_);
  DataFile file = load_file(id);
  auto refs = db_.prepare("SELECT count(*) FROM data_unit_files WHERE data_file_id = ?");
  refs.bind(1, id).step();
  if (auto count = refs.int64(0); count > 0) {
    throw CatalogError(Kind::conflict, "data_files " + std::to_string(id) + " is still used by " +
                                           std::to_string(count) + " data unit file(s)");
  }
  db_.prepare("DELETE FROM data_files WHERE id = ?").bind(1, id).run();
  // Inside the write transaction: no put of the same content can register it meanwhile.
  store_.remove(file.checksum);
  tx.commit();
}

}  // namespace synapse::runtime::catalog
