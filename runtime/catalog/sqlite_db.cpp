#include "catalog/sqlite_db.hpp"

#include <sqlite3.h>

#include <synapse/json_writer.hpp>

#include <chrono>
#include <thread>

namespace synapse::runtime::catalog {

namespace {

using Kind = CatalogError::Kind;

Kind kind_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Kind::busy;
    case SQLITE_CONSTRAINT:
      return Kind::conflict;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return Kind::unavailable;
    default:
      return Kind::io;
  }
}

}  // namespace

void throw_sqlite(sqlite3* db, int rc, std::string_view what) {
  std::string message(what);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if ((rc & 0xff) == SQLITE_BUSY) {
    message += " (the catalog stayed locked by another process for the whole busy timeout)";
  }
  throw CatalogError(kind_of(rc), message);
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK)
    throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK)
    throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK)
    throw_sqlite(db_, rc, "bind");
  return *this;
}

Statement& Statement::bind_json(int index, const nlohmann::json& value, bool null_as_sql_null) {
  if (null_as_sql_null && value.is_null())
    return bind_null(index);
  return bind(index, synapse::json_text(value));
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  throw_sqlite(db_, rc, std::string("statement \"") + sqlite3_sql(stmt_) + "\"");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
}

void Statement::run() {
  while (step()) {
  }
  // Ready to be bound and run again (batch inserts reuse one statement); the connection keeps
  // changes() and last_insert_rowid().
  sqlite3_reset(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr)
    return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

nlohmann::json Statement::json(int column) const {
  if (is_null(column))
    return nullptr;
  return nlohmann::json::parse(text(column));
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column))
    return std::nullopt;
  return int64(column);
}

Db::Db(const std::filesystem::path& file, int busy_timeout_ms) : file_(file) {
  int rc =
      sqlite3_open_v2(file.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open catalog database " + file.string() + ": " +
                          (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    throw CatalogError(Kind::unavailable, message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  try {
    exec("PRAGMA foreign_keys = ON");
    // Switching to WAL needs a moment of exclusive access; when several processes open a new
    // catalog at once the loser gets SQLITE_BUSY without the busy handler, so retry here.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
      int wal_rc = sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
      if (wal_rc == SQLITE_OK)
        break;
      if ((wal_rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > deadline) {
        throw_sqlite(db_, wal_rc, "PRAGMA journal_mode = WAL on " + file.string());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // WAL + NORMAL is durable against process crashes (what we test) and much faster than FULL.
    exec("PRAGMA synchronous = NORMAL");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

Db::~Db() {
  for (auto& [sql, stmt] : cache_)
    sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Statement Db::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK)
      throw_sqlite(db_, rc, "prepare \"" + std::string(sql) + "\"");
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Statement(db_, it->second);
}

void Db::exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK)
    throw_sqlite(db_, rc, std::string("\"") + sql + "\"");
}

std::int64_t Db::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Db::changes() const {
  return sqlite3_changes(db_);
}

// BEGIN, COMMIT and ROLLBACK run as cached statements: sqlite3_exec compiled them on every
// call, half the cost of a short read transaction (an export makes one per page of items, an
// upload several per batch).
Transaction::Transaction(Db& db, Mode mode) : db_(db) {
  db_.prepare(mode == Mode::write ? "BEGIN IMMEDIATE" : "BEGIN").run();
}

Transaction::~Transaction() {
  if (!open_)
    return;
  try {
    db_.prepare("ROLLBACK").run();
  } catch (...) {  // nothing to report from a destructor; SQLite rolls back on close anyway
  }
}

void Transaction::commit() {
  db_.prepare("COMMIT").run();
  open_ = false;
}

}  // namespace synapse::runtime::catalog
