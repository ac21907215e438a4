// A thin RAII layer over sqlite3: one connection, cached prepared statements, transactions
// that roll back unless committed. Every SQLite failure becomes a synapse::CatalogError whose
// kind tells the caller what to do (busy: retry, conflict: a constraint, ...).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace synapse::runtime::catalog {

// Maps an SQLite result code to a CatalogError ("<what>: <sqlite message>").
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what);

// A cached statement borrowed from Db::prepare. Bind with 1-based indexes; the destructor
// resets it and clears its bindings so the next borrower starts clean.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);
  // JSON stored as text; `null_as_sql_null` stores a JSON null as SQL NULL.
  Statement& bind_json(int index, const nlohmann::json& value, bool null_as_sql_null = false);
  template <class T>
  Statement& bind_optional(int index, const std::optional<T>& value) {
    return value ? bind(index, static_cast<std::int64_t>(*value)) : bind_null(index);
  }

  // Steps once: true when a row is available, false when done.
  bool step();
  // Ends the current execution (bindings are kept) so the statement can run again.
  void reset();
  // Steps to completion (for statements that return no rows), then resets for reuse.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  nlohmann::json json(int column) const;  // SQL NULL -> JSON null
  std::optional<std::int64_t> optional_int64(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating) the database file, foreign_keys=ON, busy_timeout, WAL.
  Db(const std::filesystem::path& file, int busy_timeout_ms);
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Cached by SQL text: preparing once per connection keeps hot loops cheap.
  Statement prepare(std::string_view sql);
  void exec(const char* sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  const std::filesystem::path& file() const { return file_; }
  sqlite3* handle() const { return db_; }

 private:
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// BEGIN IMMEDIATE (write) takes the write lock up front, so two writers wait for each other in
// the busy handler instead of deadlocking on a read-to-write upgrade. A read transaction
// (deferred BEGIN) gives multi-statement reads one consistent snapshot.
class Transaction {
 public:
  enum class Mode { read, write };
  explicit Transaction(Db& db, Mode mode = Mode::write);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool open_ = true;
};

}  // namespace synapse::runtime::catalog
