// Shared by the upload action tests: temp folders and file trees, the bundled sample data, a
// recording RunContext, a read-only view of a data home (every table's rows and the content
// store's files) for "the catalog is exactly as before" checks, and an in-process upload
// environment (real SQLite catalog + local storage in a temp dir).
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/run_context.hpp>
#include <synapse/upload/uploader.hpp>

#include "admin/collection_file.hpp"
#include "catalog/catalog_factory.hpp"
#include "upload/action/upload_action.hpp"

namespace upload_action_test {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// Files

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "upload-action") {
    std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline fs::path write_file(const fs::path& file, const std::string& content) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out)
    throw std::runtime_error("cannot write " + file.string());
  return file;
}

inline std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline fs::path source_dir() {
  return SYNAPSE_SOURCE_DIR;
}
// config/samples/sample-images: image_1/ (6 pictures), meta/ (4 sidecars), meta.xlsx.
inline fs::path sample_images() {
  return source_dir() / "config/samples/sample-images";
}
inline fs::path sample_collection_file() {
  return source_dir() / "config/collections/sample-images.yaml";
}

// Copies the sample (without its README) to `to`; returns `to`.
inline fs::path copy_sample(const fs::path& to) {
  fs::create_directories(to);
  fs::copy(sample_images() / "image_1", to / "image_1", fs::copy_options::recursive);
  fs::copy(sample_images() / "meta", to / "meta", fs::copy_options::recursive);
  fs::copy_file(sample_images() / "meta.xlsx", to / "meta.xlsx");
  return to;
}

// The sample's units: stem -> number of files (image_1 always, meta for four of them).
inline const std::map<std::string, int>& sample_units() {
  static const std::map<std::string, int> units = {{"beach", 1}, {"bird", 2},   {"cat", 2},
                                                   {"dog", 2},   {"forest", 1}, {"street", 2}};
  return units;
}
constexpr int kSampleUnits = 6;
constexpr int kSampleFiles = 10;

// Regular files below `root`, as '/'-separated relative paths.
inline std::set<std::string> files_below(const fs::path& root) {
  std::set<std::string> out;
  if (!fs::exists(root))
    return out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file())
      out.insert(fs::relative(entry.path(), root).generic_string());
  }
  return out;
}

// The content files of a data home's store (each named by its SHA-256), relative to
// <home>/files; the store's own bookkeeping files and the temporaries in .tmp are left out.
inline std::set<std::string> stored_content(const fs::path& home) {
  std::set<std::string> out;
  for (const auto& file : files_below(home / "files")) {
    const auto name = fs::path(file).filename().string();
    if (file.rfind(".tmp/", 0) != 0 && name.size() == 64 &&
        name.find_first_not_of("0123456789abcdef") == std::string::npos)
      out.insert(file);
  }
  return out;
}

// The files in the store's temporary folder (<home>/files/.tmp, see content_store.hpp).
inline std::set<std::string> store_temporaries(const fs::path& home) {
  std::set<std::string> out;
  for (const auto& file : files_below(home / "files")) {
    if (file.rfind(".tmp/", 0) == 0)
      out.insert(file);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A read-only SQLite view of a data home's catalog.sqlite3

class CatalogDb {
 public:
  explicit CatalogDb(const fs::path& home) {
    const auto file = (home / "catalog.sqlite3").string();
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + file + ": " + error);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  CatalogDb(const CatalogDb&) = delete;
  CatalogDb& operator=(const CatalogDb&) = delete;
  ~CatalogDb() { sqlite3_close(db_); }

  // Every row of the result, each column as text ("NULL" for null).
  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error("bad query '" + sql + "': " + sqlite3_errmsg(db_));
    std::vector<std::vector<std::string>> out;
    int rc = 0;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out.push_back(std::move(row));
    }
    const std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    if (!error.empty())
      throw std::runtime_error("query '" + sql + "' failed: " + error);
    return out;
  }

  std::int64_t count(const std::string& sql) const { return std::stoll(rows(sql).at(0).at(0)); }

  // The catalog's own tables (not sqlite_sequence: ids are never reused, by design).
  std::vector<std::string> tables() const {
    std::vector<std::string> names;
    for (const auto& row :
         rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name"))
      names.push_back(row[0]);
    return names;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Everything an upload could change in a data home: every table's row count and rows, and the
// content store's files (temporaries in files/.tmp included).
struct HomeSnapshot {
  std::map<std::string, std::int64_t> counts;
  std::map<std::string, std::string> rows;  // table -> all rows, one per line
  std::set<std::string> store_files;

  static HomeSnapshot of(const fs::path& home, const std::vector<std::string>& only_tables = {}) {
    HomeSnapshot snap;
    CatalogDb db(home);
    for (const auto& table : db.tables()) {
      if (!only_tables.empty() &&
          std::find(only_tables.begin(), only_tables.end(), table) == only_tables.end())
        continue;
      std::string text;
      for (const auto& row : db.rows("SELECT * FROM " + table + " ORDER BY 1, 2")) {
        for (const auto& cell : row)
          text += cell + "\t";
        text += "\n";
      }
      snap.counts[table] = db.count("SELECT COUNT(*) FROM " + table);
      snap.rows[table] = std::move(text);
    }
    snap.store_files = files_below(home / "files");
    return snap;
  }

  std::string describe() const {
    std::ostringstream out;
    for (const auto& [table, n] : counts)
      out << table << "=" << n << " ";
    out << "| store files=" << store_files.size();
    return out.str();
  }
};

// CHECKs that nothing changed between two snapshots, table by table.
inline void check_same(const HomeSnapshot& before, const HomeSnapshot& after) {
  INFO("before: " << before.describe());
  INFO("after:  " << after.describe());
  CHECK(after.counts == before.counts);
  for (const auto& [table, rows] : before.rows) {
    INFO("table " << table);
    CHECK(after.rows.at(table) == rows);
  }
  CHECK(after.store_files == before.store_files);
}

// The tables an upload writes to (a run of the binary also writes its job record).
inline const std::vector<std::string>& upload_tables() {
  static const std::vector<std::string> tables = {"data_files", "data_units", "data_unit_files",
                                                  "tasks"};
  return tables;
}

// ---------------------------------------------------------------------------------------------
// A RunContext that records everything

struct Message {
  std::string code;  // "" for log_message
  synapse::MessageContext level;
  std::string text;
};

struct Event {
  std::string name;
  json data;
};

struct Progress {
  std::int64_t current;
  std::int64_t total;
  std::string category;
};

class RecordingRun : public synapse::RunContext {
 public:
  explicit RecordingRun(json params = json::object()) : params_(std::move(params)) {}

  // is_cancelled() answers false to the first `calls` questions, true afterwards; -1 = never.
  void cancel_after(std::int64_t calls) { cancel_after_ = calls; }
  std::int64_t cancel_checks() const { return checks_.load(); }

  const json& params() const override { return params_; }
  void log_message(synapse::MessageContext context, std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({"", context, std::string(text)});
  }
  void log_code(std::string_view code, synapse::MessageContext context,
                std::string_view text) override {
    std::lock_guard lock(mutex_);
    messages_.push_back({std::string(code), context, std::string(text)});
  }
  void log_event(std::string_view name, const json& data) override {
    std::lock_guard lock(mutex_);
    events_.push_back({std::string(name), data});
  }
  void set_progress(std::int64_t current, std::int64_t total, std::string_view category) override {
    std::lock_guard lock(mutex_);
    progress_.push_back({current, total, std::string(category)});
  }
  void set_metrics(std::string_view category, const json& value) override {
    std::lock_guard lock(mutex_);
    metrics_.push_back({std::string(category), value});
  }
  bool is_cancelled() const noexcept override {
    const std::int64_t n = checks_.fetch_add(1);
    return cancel_after_ >= 0 && n >= cancel_after_;
  }

  std::vector<Message> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::vector<Message> with_code(const std::string& code) const {
    std::vector<Message> out;
    for (const auto& m : messages()) {
      if (m.code == code)
        out.push_back(m);
    }
    return out;
  }
  bool logged(const std::string& fragment) const {
    for (const auto& m : messages()) {
      if (m.text.find(fragment) != std::string::npos)
        return true;
    }
    return false;
  }
  std::vector<json> events(const std::string& name) const {
    std::lock_guard lock(mutex_);
    std::vector<json> out;
    for (const auto& e : events_) {
      if (e.name == name)
        out.push_back(e.data);
    }
    return out;
  }
  std::vector<Progress> progress(const std::string& category) const {
    std::lock_guard lock(mutex_);
    std::vector<Progress> out;
    for (const auto& p : progress_) {
      if (p.category == category)
        out.push_back(p);
    }
    return out;
  }
  // The last value pushed for `category` (null when none).
  json last_metrics(const std::string& category) const {
    std::lock_guard lock(mutex_);
    json last;
    for (const auto& [name, value] : metrics_) {
      if (name == category)
        last = value;
    }
    return last;
  }
  // Every message, one per line, for INFO().
  std::string transcript() const {
    std::string out;
    for (const auto& m : messages())
      out += (m.code.empty() ? "" : "[" + m.code + "] ") + m.text + "\n";
    return out;
  }

 private:
  json params_;
  std::int64_t cancel_after_ = -1;
  mutable std::atomic<std::int64_t> checks_{0};
  mutable std::mutex mutex_;
  std::vector<Message> messages_;
  std::vector<Event> events_;
  std::vector<Progress> progress_;
  std::vector<std::pair<std::string, json>> metrics_;
};

// ---------------------------------------------------------------------------------------------
// In-process environment: <tmp>/src is a local storage, <tmp>/home a data home.

inline synapse::DataCollection sample_collection() {
  return synapse::runtime::read_collection_file(sample_collection_file());
}

inline synapse::FileSpecification spec(std::string name, bool required,
                                       std::vector<std::string> extensions = {},
                                       std::string file_type = "image") {
  synapse::FileSpecification s;
  s.name = std::move(name);
  s.file_type = std::move(file_type);
  s.extensions = std::move(extensions);
  s.is_required = required;
  return s;
}

inline synapse::DataCollection collection(std::string name,
                                          std::vector<synapse::FileSpecification> specs,
                                          json meta_schema = nullptr) {
  synapse::DataCollection c;
  c.name = std::move(name);
  c.file_specifications = std::move(specs);
  c.data_unit_meta_schema = std::move(meta_schema);
  return c;
}

class UploadEnv {
  TempDir dir_;  // first: outlives the catalog opened in it

 public:
  explicit UploadEnv(const synapse::DataCollection& data_collection = sample_collection()) {
    fs::create_directories(src());
    catalog = synapse::runtime::open_catalog(home());
    synapse::StorageRecord storage;
    storage.name = "source";
    storage.provider = "local";
    storage.configuration = {{"location", src().string()}};
    storage_id = catalog->create_storage(storage).id;
    collection_id = catalog->create_data_collection(data_collection).id;
    synapse::Project p;
    p.name = "labels";
    p.collection_id = collection_id;
    project_id = catalog->create_project(p).id;
  }

  fs::path src() const { return dir_.path() / "src"; }
  fs::path home() const { return dir_.path() / "home"; }
  fs::path root() const { return dir_.path(); }

  // Upload params for `path` (inside the storage), merged with `extra`.
  json params(const std::string& path, const json& extra = json::object()) const {
    json p = {{"name", "test upload"},
              {"storage", storage_id},
              {"data_collection", collection_id},
              {"path", path}};
    p.update(extra);
    return p;
  }

  // `action_config` is the action's mapping of config.yaml (e.g. its excel_config).
  json run(RecordingRun& run, const json& params, synapse::upload::Uploader* uploader = nullptr,
           const json& action_config = json::object(),
           const synapse::runtime::upload::UploadTuning& tuning = {}) const {
    return synapse::runtime::upload::run_upload(uploader, run, *catalog, params, action_config,
                                                tuning);
  }

  HomeSnapshot snapshot() const { return HomeSnapshot::of(home()); }
  std::int64_t count(const std::string& table) const {
    return CatalogDb(home()).count("SELECT COUNT(*) FROM " + table);
  }

  std::vector<synapse::DataUnit> units() const {
    std::vector<synapse::DataUnit> out;
    synapse::PageRequest page{"", 1000};
    do {
      auto batch = catalog->list_data_units(collection_id, page);
      for (auto& u : batch.items)
        out.push_back(std::move(u));
      page.cursor = batch.next_cursor;
    } while (!page.cursor.empty());
    return out;
  }
  // origin_file_stem -> data unit.
  std::map<std::string, synapse::DataUnit> units_by_stem() const {
    std::map<std::string, synapse::DataUnit> out;
    for (auto& u : units())
      out[u.meta.value("origin_file_stem", std::string())] = u;
    return out;
  }
  std::string bytes(synapse::CatalogId data_file) const {
    auto in = catalog->open_data_file(data_file);
    return read_all(*in);
  }

  std::unique_ptr<synapse::Catalog> catalog;
  synapse::CatalogId storage_id = 0;
  synapse::CatalogId collection_id = 0;
  synapse::CatalogId project_id = 0;
};

// CHECKs that `collection` holds the sample's 6 units, each file holding the bytes of its
// source file, and the metadata of meta.xlsx.
inline void check_sample_units(synapse::Catalog& catalog, synapse::CatalogId collection) {
  const auto page = catalog.list_data_units(collection, {"", 1000});
  REQUIRE(page.items.size() == sample_units().size());
  std::set<std::string> stems;
  for (const auto& unit : page.items) {
    const auto stem = unit.meta.value("origin_file_stem", std::string());
    INFO("unit " << stem);
    stems.insert(stem);
    REQUIRE(sample_units().contains(stem));
    CHECK(static_cast<int>(unit.files.size()) == sample_units().at(stem));
    const auto image =
        fs::path("image_1") / (stem + unit.meta.value("origin_file_extension", std::string()));
    auto in = catalog.open_data_file(unit.files.at("image_1"));
    CHECK(read_all(*in) == read_file(sample_images() / image));
    if (unit.files.contains("meta")) {
      auto meta = catalog.open_data_file(unit.files.at("meta"));
      CHECK(read_all(*meta) == read_file(sample_images() / "meta" / (stem + ".json")));
    }
    CHECK(unit.meta.contains("source"));  // from meta.xlsx, read through the same storage
    CHECK(unit.meta["rating"].is_number_integer());
  }
  CHECK(stems.size() == sample_units().size());
}

// ---------------------------------------------------------------------------------------------
// Steps and uploaders for failure injection

// A step that throws when it runs.
class ThrowingStep : public synapse::upload::Step {
 public:
  explicit ThrowingStep(std::string name = "explode") : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  double progress_weight() const override { return 0.0; }

 protected:
  synapse::upload::StepResult do_execute(synapse::upload::UploadContext&) override {
    throw std::runtime_error("injected failure");
  }

 private:
  std::string name_;
};

// Inserts a ThrowingStep right after the step named `after`.
class FailAfterUploader : public synapse::upload::Uploader {
 public:
  explicit FailAfterUploader(std::string after) : after_(std::move(after)) {}
  void configure(synapse::upload::UploadPipeline& pipeline) override {
    pipeline.steps().insert_after(after_, std::make_shared<ThrowingStep>());
  }

 private:
  std::string after_;
};

// The message of the exception `f` throws as E ("" and a failed check when it throws nothing).
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no exception>";
}

}  // namespace upload_action_test
