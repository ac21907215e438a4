// SqliteCatalog: data files (rows in data_files, bytes in the content store).
//
// Rows and bytes stay consistent across processes because both change under the write lock:
// put stages and hashes the content outside any lock, then, in one BEGIN IMMEDIATE transaction,
// renames the bytes into place and inserts the row; delete removes the row and the bytes in
// its write transaction. So a put never commits a row whose bytes a concurrent delete removed,
// and a put that finds its row already there re-publishes bytes that have gone missing.
//
// commit_files keeps that rule for a batch: only the first durability barrier (flushing the
// staged bytes, the expensive one) runs outside the locks; the renames, the second barrier and
// the inserts happen in one write transaction. Most staged files sit at their final name
// already (ContentStore::stage_unsynced): then the first barrier makes bytes and names durable
// at once, and the second barrier is skipped when nothing had to be renamed.
#include <fstream>
#include <unordered_map>

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

// What stage_stream hands out: a temporary of the content store of one data home.
class StoreStagedContent final : public StagedContent {
 public:
  StoreStagedContent(StagedFile file, std::string store_root)
      : file_(std::move(file)), store_root_(std::move(store_root)) {}
  const std::string& checksum() const override { return file_.sha256(); }
  std::uint64_t size() const override { return file_.size(); }
  StagedFile& file() { return file_; }
  const std::string& store_root() const { return store_root_; }

 private:
  StagedFile file_;         // removes the temporary when destroyed unpublished
  std::string store_root_;  // a string: see StagedFile::temp_
};

std::string describe(const std::vector<FileToCommit>& files, std::size_t i) {
  return "files[" + std::to_string(i) + "] \"" + files[i].original_name + "\"";
}

// A failure of the batch as a whole (lock, barrier, commit), naming its files.
CatalogError batch_error(const CatalogError& e, const std::vector<FileToCommit>& files) {
  std::string which = describe(files, 0);
  if (files.size() > 1)
    which += " to " + describe(files, files.size() - 1);
  return CatalogError(e.kind(),
                      "commit_files of " + std::to_string(files.size()) + " file(s) (" + which +
                          "): " + e.what() + "; nothing of the batch was registered",
                      e.details());
}

// A failure of one file of the batch, already named; rethrown as a plain CatalogError.
class FileError : public CatalogError {
 public:
  FileError(const CatalogError& e, const std::vector<FileToCommit>& files, std::size_t i)
      : CatalogError(e.kind(),
                     "commit_files: " + describe(files, i) + ": " + e.what() +
                         "; nothing of the batch was registered",
                     e.details()) {}
};

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
      0,    staged.sha256(), staged.size(), original_name, store_.location(staged.sha256()),
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

std::unique_ptr<StagedContent> SqliteCatalog::stage_stream(std::istream& content) {
  // No lock: the content store's staging touches no shared state.
  return std::make_unique<StoreStagedContent>(store_.stage_unsynced(content),
                                              store_.root().native());
}

std::vector<PutFileResult> SqliteCatalog::commit_files(std::vector<FileToCommit> files) {
  // `files` owns the staged content: whatever is not published is removed when it goes.
  std::vector<StagedFile*> staged(files.size());
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto* content = dynamic_cast<StoreStagedContent*>(files[i].content.get());
    if (files[i].content == nullptr) {
      problems.push_back(describe(files, i) + ": no staged content");
    } else if (content == nullptr || content->store_root() != store_.root().native()) {
      problems.push_back(describe(files, i) +
                         ": not staged by stage_stream of this data home's catalog");
    } else {
      staged[i] = &content->file();
    }
  }
  if (!problems.empty()) {
    throw CatalogError(
        Kind::invalid,
        "commit_files: " + problems.front() + "; nothing of the batch was registered", problems);
  }
  if (files.empty())
    return {};

  // Barrier 1, outside every lock: the flush of the staged bytes, the costly part, does not
  // hold up other writers nor this catalog's other threads.
  try {
    store_.sync_barrier();
  } catch (const CatalogError& e) {
    throw batch_error(e, files);
  }

  std::lock_guard lock(mutex_);
  std::vector<PutFileResult> results(files.size());
  try {
    Transaction tx(db_);
    // Which row serves each file: its own (new or already registered), or that of an earlier
    // file of the batch with the same checksum.
    std::vector<std::size_t> source(files.size());
    std::unordered_map<std::string, std::size_t> first_with;
    std::vector<std::size_t> to_insert;
    std::vector<std::size_t> to_publish;
    // One prepared lookup for the batch (preparing per file cost more than the lookup).
    auto lookup = db_.prepare(std::string(kFileColumns) + "WHERE checksum = ?");
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string& checksum = staged[i]->sha256();
      auto [it, first] = first_with.emplace(checksum, i);
      source[i] = it->second;
      if (!first) {
        // Its staged copy is discarded with `files`, unless it sits at the final name (made
        // there by stage_stream): then it is the bytes the row serves, or the first file's
        // publish renames over it; either way it must stay.
        if (staged[i]->in_place())
          to_publish.push_back(i);
        continue;
      }
      lookup.reset();
      if (lookup.bind(1, checksum).step()) {
        results[i] = {read_file(lookup), false};
        // In place: the row's bytes had gone and these took their name (keep them). Else
        // repair bytes removed by hand, as put does.
        if (staged[i]->in_place() || !store_.contains(checksum))
          to_publish.push_back(i);
      } else {
        to_publish.push_back(i);  // also over final bytes left without a row by a killed run
        to_insert.push_back(i);
      }
    }

    // Renames, then barrier 2 (when something was renamed): the renames are durable before
    // any row is written.
    std::vector<StagedFile*> publish;
    publish.reserve(to_publish.size());
    for (std::size_t i : to_publish)
      publish.push_back(staged[i]);
    try {
      store_.publish_batch(publish);
    } catch (const PublishError& e) {
      throw FileError(e, files, to_publish[e.index()]);
    }

    const std::string now = now_iso8601();
    auto insert = db_.prepare(
        "INSERT INTO data_files (checksum, size, original_name, location, meta, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    for (std::size_t i : to_insert) {
      const StagedFile& file = *staged[i];
      DataFile row{0,
                   file.sha256(),
                   file.size(),
                   files[i].original_name,
                   store_.location(file.sha256()),
                   std::move(files[i].meta),
                   now};
      try {
        insert.bind(1, row.checksum)
            .bind(2, static_cast<std::int64_t>(row.size))
            .bind(3, row.original_name)
            .bind(4, row.location)
            .bind_json(5, row.meta)
            .bind(6, row.created_at)
            .run();
      } catch (const CatalogError& e) {
        throw FileError(e, files, i);
      }
      row.id = db_.last_insert_rowid();
      results[i] = {std::move(row), true};
    }
    tx.commit();

    for (std::size_t i = 0; i < files.size(); ++i) {
      if (source[i] != i)
        results[i] = {results[source[i]].file, false};
    }
  } catch (const FileError& e) {
    throw CatalogError(e);
  } catch (const CatalogError& e) {
    throw batch_error(e, files);  // the lock, a lookup, the commit: the batch as a whole
  }
  return results;
}

DataFile SqliteCatalog::get_data_file(CatalogId id) {
  std::lock_guard lock(mutex_);
  return load_file(id);
}

std::vector<DataFile> SqliteCatalog::get_data_files(const std::vector<CatalogId>& ids) {
  return load_each(ids, &SqliteCatalog::load_file);
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
