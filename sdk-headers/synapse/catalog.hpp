// Catalog: the records an action reads and writes (storages, data collections and their file
// specifications, data files, data units, projects, tasks, assignments, ground truth, jobs and
// their events). One interface; the runtime ships an embedded SQLite implementation (and later
// an HTTP one), plugins receive a Catalog& and never know which.
//
// Conventions every implementation follows:
// - get_*(id) throws CatalogError not_found; find_*(key) returns std::nullopt instead.
// - list_* pages by key (cursor = the last id of the previous page, as text), so a table is
//   never loaded whole; Page::next_cursor is empty on the last page.
// - A call that changes several rows is one transaction: it happens entirely or not at all.
// - Every failure is a CatalogError (also opening the catalog); messages name the table, id or
//   field and, for a batch, details() lists every bad item, not just the first.
// - JSON fields hold any JSON value; "no value" is null unless a field says otherwise.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/errors.hpp>
#include <synapse/visibility.hpp>

namespace synapse {

using CatalogId = std::int64_t;

class SYNAPSE_SYMBOL_VISIBLE CatalogError : public Error {
 public:
  enum class Kind {
    not_found,     // no row with that id / key
    conflict,      // a unique key is taken, or the row is still referenced
    invalid,       // the input breaks a rule (meta schema, missing file spec, bad cursor, ...)
    busy,          // the database stayed locked for the whole busy timeout: retry
    unavailable,   // the catalog cannot be opened or reached: retry
    io,            // reading or writing stored bytes failed
    incompatible,  // the catalog was written by a newer synapse (schema too new): never retry
  };
  CatalogError(Kind kind, const std::string& message, std::vector<std::string> details = {})
      : Error(message), kind_(kind), details_(std::move(details)) {}
  Kind kind() const noexcept { return kind_; }
  // One line per problem for batch calls (e.g. "data_units[3].meta /width: is required").
  const std::vector<std::string>& details() const noexcept { return details_; }

 private:
  Kind kind_;
  std::vector<std::string> details_;
};

struct PageRequest {
  std::string cursor;       // "" = from the start; otherwise a previous Page::next_cursor
  std::size_t limit = 100;  // clamped to [1, 1000]
};

template <class T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;  // empty = this was the last page
};

struct StorageRecord {
  CatalogId id = 0;
  std::string name;      // unique
  std::string provider;  // "local", "s3", "sftp"
  nlohmann::json configuration = nlohmann::json::object();
};

struct FileSpecification {
  std::string name;  // unique within its collection, e.g. "image_1"
  std::string file_type;
  std::vector<std::string> extensions;  // e.g. {".jpg", ".png"}; empty = any
  bool is_required = false;
  std::string description;
};

struct DataCollection {
  CatalogId id = 0;
  std::string name;  // unique
  std::string description;
  std::vector<FileSpecification> file_specifications;  // in the order they were given
  nlohmann::json data_unit_meta_schema;  // JSON Schema for DataUnit::meta; null = none
};

struct DataFile {
  CatalogId id = 0;
  std::string checksum;  // SHA-256 of the content, lowercase hex; unique
  std::uint64_t size = 0;
  std::string original_name;  // base name the content was first stored under
  std::string location;       // path in the content store, relative to it: "aa/bb/<checksum>"
  nlohmann::json meta = nlohmann::json::object();
  std::string created_at;  // ISO 8601 UTC, e.g. "2025-01-31T12:00:00.123Z"
};

// Result of put_file (and of each file of commit_files): the row for that content, and whether
// this call created it (false: the same bytes were already stored and the existing row, with its
// name and meta, is returned).
struct PutFileResult {
  DataFile file;
  bool created = false;
};

// Bytes written into the store and hashed (stage_stream), not yet durable nor registered: no row
// refers to them, so no other call can see them (content under its final name without a row is
// never trusted: the next store of that content rewrites or registers it). They become a data file
// only through commit_files; destroying the object uncommitted removes the bytes. Only the catalog
// that staged it (or another catalog of the same data home) can commit it.
class SYNAPSE_SYMBOL_VISIBLE StagedContent {
 public:
  virtual ~StagedContent() = default;
  virtual const std::string& checksum() const = 0;  // SHA-256, lowercase hex, as DataFile
  virtual std::uint64_t size() const = 0;
};

// One file of a commit_files batch: the staged bytes and what put_stream would have been given.
struct FileToCommit {
  std::unique_ptr<StagedContent> content;
  std::string original_name;
  nlohmann::json meta = nlohmann::json::object();
};

struct NewDataUnit {
  std::map<std::string, CatalogId> files;  // file specification name -> data file id
  nlohmann::json meta = nlohmann::json::object();
};

struct DataUnit {
  CatalogId id = 0;
  CatalogId collection_id = 0;
  // Keyed by specification name; the collection's file_specifications give their order.
  std::map<std::string, CatalogId> files;
  nlohmann::json meta = nlohmann::json::object();
};

// How a caller names a data unit it did not create (e.g. an annotation file, see
// docs/annotation-format.md): by id, by the original name of one of its files ("cat.jpg"), or
// by the stem of that name ("cat" names the unit holding "cat.jpg", "cat.png" or "cat").
struct DataUnitKey {
  enum class Kind { id, file_name, file_stem };
  Kind kind = Kind::id;
  CatalogId id = 0;  // Kind::id
  std::string name;  // Kind::file_name: a base name; Kind::file_stem: a stem
};

struct Project {
  CatalogId id = 0;
  std::string name;
  std::string description;
  std::optional<CatalogId> collection_id;
};

struct Task {
  CatalogId id = 0;
  CatalogId project_id = 0;
  CatalogId data_unit_id = 0;
  std::string status = "pending";
  nlohmann::json annotation_data;  // null until annotated
};

struct Assignment {
  CatalogId id = 0;
  CatalogId project_id = 0;
  std::optional<CatalogId> task_id;
  CatalogId data_unit_id = 0;
  nlohmann::json annotation;
};

struct GroundTruth {
  CatalogId id = 0;
  CatalogId collection_id = 0;
  CatalogId data_unit_id = 0;
  std::string dataset_version;
  nlohmann::json annotation;
};

// One annotation to write for one data unit (put_*_annotations), as JSON text: the catalog
// stores JSON as text, so an importer that checked the document itself hands over the text and
// spares a parse and a dump per item (which cost more than the write).
struct AnnotationWrite {
  CatalogId data_unit_id = 0;
  std::string annotation_json;  // any JSON text (refused as invalid if it is not JSON / UTF-8)
};

// What a put_*_annotations call did for one item: the task / assignment / ground truth row that
// holds the annotation now, and whether the call created it (false: it updated it).
struct AnnotationWritten {
  CatalogId id = 0;
  bool created = false;
  // put_assignment_annotations only: the assignment's task, and whether the call created it.
  CatalogId task_id = 0;
  bool task_created = false;
};

struct Job {
  std::string id;  // create_job generates one when empty
  std::string plugin;
  std::string action;
  std::string status = "pending";
  nlohmann::json params = nlohmann::json::object();
  nlohmann::json progress = nlohmann::json::object();
  nlohmann::json metrics = nlohmann::json::object();
  nlohmann::json result;
  nlohmann::json error;
  std::string created_at;  // set by create_job when empty
  std::string started_at;  // "" = not yet
  std::string finished_at;
  std::optional<int> exit_code;
};

struct JobEvent {
  std::int64_t seq = 0;  // 1, 2, ... per job; assigned by append_job_events
  std::string event;     // e.g. "progress", "upload_data_file"
  nlohmann::json data;
  std::string datetime;  // ISO 8601 UTC; set by append_job_events when empty
};

class SYNAPSE_SYMBOL_VISIBLE Catalog {
 public:
  virtual ~Catalog() = default;

  // --- storages ---
  // `record.id` is ignored; a taken name is a conflict.
  virtual StorageRecord create_storage(const StorageRecord& record) = 0;
  virtual StorageRecord get_storage(CatalogId id) = 0;
  virtual std::optional<StorageRecord> find_storage(const std::string& name) = 0;
  virtual Page<StorageRecord> list_storages(const PageRequest& page) = 0;
  virtual void delete_storage(CatalogId id) = 0;

  // --- data collections ---
  // `collection.id` is ignored; a taken name or two specifications with one name is refused.
  virtual DataCollection create_data_collection(const DataCollection& collection) = 0;
  virtual DataCollection get_data_collection(CatalogId id) = 0;
  virtual std::optional<DataCollection> find_data_collection(const std::string& name) = 0;
  virtual Page<DataCollection> list_data_collections(const PageRequest& page) = 0;
  // Refused (conflict) while data units, projects or ground truth refer to it.
  virtual void delete_data_collection(CatalogId id) = 0;

  // --- data files (content-addressed: identical bytes are stored once) ---
  // Copies a local file into the catalog, hashing it while copying. When the checksum is
  // already stored, the existing row is returned (created = false) and nothing is copied.
  virtual PutFileResult put_file(const std::filesystem::path& local_path,
                                 const std::string& original_name,
                                 const nlohmann::json& meta = nlohmann::json::object()) = 0;
  // The same from a stream (e.g. an object read from a storage); read to its end.
  virtual PutFileResult put_stream(std::istream& content, const std::string& original_name,
                                   const nlohmann::json& meta = nlohmann::json::object()) = 0;
  // put_file/put_stream make every file durable on its own (an fsync per file, one transaction
  // per file), which caps a batch upload of small files at a few thousand files/s. A batch
  // upload stores many files in two steps instead, so durability costs one barrier per batch:
  //
  // Reads `content` to its end into the store, hashing it on the way: content up to 1 MiB is
  // hashed in memory and written straight to its final name (O_EXCL, saving a rename per small
  // file), larger content to a temporary that is then linked into place; when the final name is
  // taken, to a temporary. No fsync and no catalog lock: thread-safe and meant to be called from
  // many threads at once. The result is neither durable nor registered until commit_files;
  // destroying it uncommitted removes the bytes. A process killed meanwhile leaves either a
  // temporary (removed by the next opening of the catalog) or content under its final name with
  // no row (registered or rewritten by the next store of the same content).
  virtual std::unique_ptr<StagedContent> stage_stream(std::istream& content) = 0;
  // Makes a batch of staged files durable and registers them. One durability barrier for the
  // whole batch (syncfs or equivalent) so the staged bytes are on disk, then the staged
  // temporaries (if any) are renamed into their final place and a second barrier makes the
  // renames durable, then ONE transaction
  // registers the rows: a row is never durable before its bytes. Same dedup rule as put_stream:
  // a checksum already registered returns the existing row with created = false and the staged
  // copy is discarded; two files of the batch with the same checksum give one row (the later
  // one created = false). Final bytes already on disk without a row (left by a killed run) are
  // replaced by the staged copy and registered normally. Returns the results in input order.
  // On failure nothing of the batch is registered (no rows; bytes already moved into place stay,
  // harmless: the next store of that content registers them) and the CatalogError names the
  // file (files[i] and its original_name). The staged content is consumed either way.
  virtual std::vector<PutFileResult> commit_files(std::vector<FileToCommit> files) = 0;
  virtual DataFile get_data_file(CatalogId id) = 0;
  virtual std::optional<DataFile> find_data_file_by_checksum(const std::string& checksum) = 0;
  // The stored bytes, for reading.
  virtual std::unique_ptr<std::istream> open_data_file(CatalogId id) = 0;
  // Absolute path of the stored bytes (local catalogs only; others throw unavailable).
  // Never write to it: the content is shared by every row with that checksum.
  virtual std::filesystem::path data_file_path(CatalogId id) = 0;
  // Removes the row and its bytes; refused (conflict) while a data unit refers to it.
  virtual void delete_data_file(CatalogId id) = 0;

  // --- data units ---
  // All or nothing: every unit is checked first (meta against the collection's
  // data_unit_meta_schema, file specification names, required specifications, data file ids)
  // and, if any fails, CatalogError invalid lists every problem and nothing is written.
  // Returns the units in input order.
  virtual std::vector<DataUnit> create_data_units(CatalogId collection_id,
                                                  const std::vector<NewDataUnit>& units) = 0;
  virtual DataUnit get_data_unit(CatalogId id) = 0;
  virtual Page<DataUnit> list_data_units(CatalogId collection_id, const PageRequest& page) = 0;
  virtual std::int64_t count_data_units(CatalogId collection_id) = 0;
  // All or nothing: a missing id is not_found, a unit still used by a task, assignment or
  // ground truth is a conflict. The data files stay (see delete_data_file).
  virtual void delete_data_units(const std::vector<CatalogId>& ids) = 0;
  // The units of `collection_id` whose files map is exactly `files` (no more, no fewer
  // specifications), ascending ids; empty if none. Several units may share files (identical
  // bytes in two units), so the caller picks by meta. An indexed lookup, so a re-run of an
  // upload can skip each unit it already created without listing the collection.
  virtual std::vector<DataUnit> find_data_units_by_files(
      CatalogId collection_id, const std::map<std::string, CatalogId>& files) = 0;
  // For each key, the ids of the units of `collection_id` it names, ascending and each once;
  // empty when none (a unit of another collection is none), several when the name is ambiguous
  // (the caller decides). file_name matches DataFile::original_name exactly; file_stem matches
  // the names whose std::filesystem stem is the key ("cat" matches "cat.jpg" and "cat", not
  // "cat.tar.gz", whose stem is "cat.tar"). One read transaction and an index probe per key:
  // meant for batches of about a thousand keys, so resolving 100,000 names never loads a table.
  virtual std::vector<std::vector<CatalogId>> find_data_units_by_keys(
      CatalogId collection_id, const std::vector<DataUnitKey>& keys) = 0;

  // --- projects, tasks ---
  virtual Project create_project(const Project& project) = 0;
  virtual Project get_project(CatalogId id) = 0;
  virtual Page<Project> list_projects(const PageRequest& page) = 0;
  // All or nothing; ids of `tasks` are ignored. Returns them in input order.
  virtual std::vector<Task> create_tasks(const std::vector<Task>& tasks) = 0;
  virtual Task get_task(CatalogId id) = 0;
  // The task of `project_id` for `data_unit_id` (the lowest id if several); std::nullopt if
  // none. Indexed, so creating tasks for an upload's units can skip those that already have one.
  virtual std::optional<Task> find_task(CatalogId project_id, CatalogId data_unit_id) = 0;
  virtual Page<Task> list_tasks(CatalogId project_id, const PageRequest& page) = 0;
  virtual std::int64_t count_tasks(CatalogId project_id) = 0;
  virtual void set_task_annotation(CatalogId id, const nlohmann::json& annotation_data,
                                   const std::string& status) = 0;
  // All or nothing, in one transaction: a missing id is not_found, a task still referred to by
  // an assignment is a conflict naming the task (the assignment holds annotation work that must
  // not lose its task). Both list every bad id in details(). E.g. an upload's rollback.
  virtual void delete_tasks(const std::vector<CatalogId>& ids) = 0;
  // For each item, the task of (project_id, data unit) (the lowest id if several) gets the
  // annotation and `status`; a unit without one gets a new task. Re-running the same batch
  // updates the same rows, so an import is idempotent. All or nothing, one transaction: a
  // missing project is not_found; a missing unit, a unit outside the project's collection (when
  // the project has one) or text that is not JSON is invalid, every bad item in details().
  // Returns the results in input order.
  virtual std::vector<AnnotationWritten> put_task_annotations(
      CatalogId project_id, const std::string& status,
      const std::vector<AnnotationWrite>& items) = 0;

  // --- assignments, ground truth (what an export reads) ---
  virtual Assignment create_assignment(const Assignment& assignment) = 0;
  virtual Assignment get_assignment(CatalogId id) = 0;
  virtual Page<Assignment> list_assignments(CatalogId project_id, const PageRequest& page) = 0;
  virtual std::int64_t count_assignments(CatalogId project_id) = 0;
  // The assignment of `project_id` for `task_id` (the lowest id if several), or std::nullopt.
  virtual std::optional<Assignment> find_assignment(CatalogId project_id, CatalogId task_id) = 0;
  virtual void set_assignment_annotation(CatalogId id, const nlohmann::json& annotation) = 0;
  // Like put_task_annotations, for assignments: each item's unit gets one assignment per
  // (project, task) holding the annotation, updated when it exists. A unit without a task in
  // the project first gets one (status "pending", no annotation: an assignment belongs to a
  // task; the task's own annotation and status are never changed here).
  virtual std::vector<AnnotationWritten> put_assignment_annotations(
      CatalogId project_id, const std::vector<AnnotationWrite>& items) = 0;
  virtual GroundTruth create_ground_truth(const GroundTruth& ground_truth) = 0;
  virtual GroundTruth get_ground_truth(CatalogId id) = 0;
  virtual Page<GroundTruth> list_ground_truths(CatalogId collection_id,
                                               const std::string& dataset_version,
                                               const PageRequest& page) = 0;
  virtual std::int64_t count_ground_truths(CatalogId collection_id,
                                           const std::string& dataset_version) = 0;
  // The ground truth of (collection, data unit, dataset version) (the lowest id if several), or
  // std::nullopt.
  virtual std::optional<GroundTruth> find_ground_truth(CatalogId collection_id,
                                                       CatalogId data_unit_id,
                                                       const std::string& dataset_version) = 0;
  virtual void set_ground_truth_annotation(CatalogId id, const nlohmann::json& annotation) = 0;
  // Like put_task_annotations, for ground truth: one row per (collection, unit, version),
  // updated when it exists. A missing collection is not_found; a unit of another collection is
  // invalid.
  virtual std::vector<AnnotationWritten> put_ground_truth_annotations(
      CatalogId collection_id, const std::string& dataset_version,
      const std::vector<AnnotationWrite>& items) = 0;

  // --- jobs and their events ---
  // A taken id is a conflict. Returns the stored job (with its id and created_at).
  virtual Job create_job(const Job& job) = 0;
  // Replaces plugin, params, status, progress, metrics, result, error, started_at,
  // finished_at, exit_code (the host learns the plugin's code@version and the params with their
  // defaults after the record was created).
  virtual Job update_job(const Job& job) = 0;
  virtual Job get_job(const std::string& id) = 0;
  // Newest first; the cursor is the last job id of the previous page.
  virtual Page<Job> list_jobs(const PageRequest& page) = 0;
  // Appends in order in one transaction; returns the events with their seq and datetime.
  virtual std::vector<JobEvent> append_job_events(const std::string& job_id,
                                                  const std::vector<JobEvent>& events) = 0;
  // Oldest first; the cursor is the last seq of the previous page.
  virtual Page<JobEvent> list_job_events(const std::string& job_id, const PageRequest& page) = 0;

  // --- batch reads ---
  // The rows with these ids, in the order given (a repeated id gives its row again); a missing
  // id is not_found, as from the single getters. These defaults call get_data_unit /
  // get_data_file once per id; SqliteCatalog reads them all in one read transaction instead of
  // one each (an export builds its items a page at a time: ~15% of a COCO export's CPU).
  virtual std::vector<DataUnit> get_data_units(const std::vector<CatalogId>& ids) {
    std::vector<DataUnit> units;
    units.reserve(ids.size());
    for (CatalogId id : ids)
      units.push_back(get_data_unit(id));
    return units;
  }
  virtual std::vector<DataFile> get_data_files(const std::vector<CatalogId>& ids) {
    std::vector<DataFile> files;
    files.reserve(ids.size());
    for (CatalogId id : ids)
      files.push_back(get_data_file(id));
    return files;
  }
};

}  // namespace synapse
