// SqliteCatalog: the embedded Catalog. <home>/catalog.sqlite3 (WAL, foreign keys, one
// transaction per multi-row change) + the content store <home>/files/.
//
// Several processes may open the same home at once (SQLite locking + BEGIN IMMEDIATE + a busy
// timeout serialise writers). One object may be shared by threads: calls are serialised by a
// mutex, except the hashing and copying of put_file/put_stream and all of stage_stream, and
// the first durability barrier of commit_files, which run outside it.
// Do not carry an open SqliteCatalog across fork(): open a new one in the child.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

#include <synapse/catalog.hpp>

#include "catalog/annotation_texts.hpp"
#include "catalog/content_store.hpp"
#include "catalog/job_event_texts.hpp"
#include "catalog/sqlite_db.hpp"

namespace synapse::runtime::catalog {

// Keyset paging: decodes the cursor (throws invalid) and clamps the limit.
struct PageQuery {
  std::int64_t after = 0;
  std::size_t limit = 100;
  static PageQuery from(const PageRequest& page, std::string_view what);
};

class SqliteCatalog final : public Catalog,
                            public AnnotationTextSource,
                            public JobEventTextAppender {
 public:
  SqliteCatalog(const std::filesystem::path& home, int busy_timeout_ms);

  StorageRecord create_storage(const StorageRecord& record) override;
  StorageRecord get_storage(CatalogId id) override;
  std::optional<StorageRecord> find_storage(const std::string& name) override;
  Page<StorageRecord> list_storages(const PageRequest& page) override;
  void delete_storage(CatalogId id) override;

  DataCollection create_data_collection(const DataCollection& collection) override;
  DataCollection get_data_collection(CatalogId id) override;
  std::optional<DataCollection> find_data_collection(const std::string& name) override;
  Page<DataCollection> list_data_collections(const PageRequest& page) override;
  void delete_data_collection(CatalogId id) override;

  PutFileResult put_file(const std::filesystem::path& local_path, const std::string& original_name,
                         const nlohmann::json& meta) override;
  PutFileResult put_stream(std::istream& content, const std::string& original_name,
                           const nlohmann::json& meta) override;
  std::unique_ptr<StagedContent> stage_stream(std::istream& content) override;
  std::vector<PutFileResult> commit_files(std::vector<FileToCommit> files) override;
  DataFile get_data_file(CatalogId id) override;
  std::vector<DataFile> get_data_files(const std::vector<CatalogId>& ids) override;
  std::optional<DataFile> find_data_file_by_checksum(const std::string& checksum) override;
  std::unique_ptr<std::istream> open_data_file(CatalogId id) override;
  std::filesystem::path data_file_path(CatalogId id) override;
  void delete_data_file(CatalogId id) override;

  std::vector<DataUnit> create_data_units(CatalogId collection_id,
                                          const std::vector<NewDataUnit>& units) override;
  DataUnit get_data_unit(CatalogId id) override;
  std::vector<DataUnit> get_data_units(const std::vector<CatalogId>& ids) override;
  Page<DataUnit> list_data_units(CatalogId collection_id, const PageRequest& page) override;
  std::int64_t count_data_units(CatalogId collection_id) override;
  void delete_data_units(const std::vector<CatalogId>& ids) override;
  std::vector<DataUnit> find_data_units_by_files(
      CatalogId collection_id, const std::map<std::string, CatalogId>& files) override;
  // sqlite_catalog_annotations.cpp
  std::vector<std::vector<CatalogId>> find_data_units_by_keys(
      CatalogId collection_id, const std::vector<DataUnitKey>& keys) override;

  Project create_project(const Project& project) override;
  Project get_project(CatalogId id) override;
  Page<Project> list_projects(const PageRequest& page) override;
  std::vector<Task> create_tasks(const std::vector<Task>& tasks) override;
  Task get_task(CatalogId id) override;
  std::optional<Task> find_task(CatalogId project_id, CatalogId data_unit_id) override;
  Page<Task> list_tasks(CatalogId project_id, const PageRequest& page) override;
  Page<TaskText> list_task_texts(CatalogId project_id, const PageRequest& page) override;
  std::int64_t count_tasks(CatalogId project_id) override;
  void set_task_annotation(CatalogId id, const nlohmann::json& annotation_data,
                           const std::string& status) override;
  void delete_tasks(const std::vector<CatalogId>& ids) override;
  // sqlite_catalog_annotations.cpp
  std::vector<AnnotationWritten> put_task_annotations(
      CatalogId project_id, const std::string& status,
      const std::vector<AnnotationWrite>& items) override;

  Assignment create_assignment(const Assignment& assignment) override;
  Assignment get_assignment(CatalogId id) override;
  Page<Assignment> list_assignments(CatalogId project_id, const PageRequest& page) override;
  std::int64_t count_assignments(CatalogId project_id) override;
  // sqlite_catalog_annotations.cpp
  std::optional<Assignment> find_assignment(CatalogId project_id, CatalogId task_id) override;
  void set_assignment_annotation(CatalogId id, const nlohmann::json& annotation) override;
  std::vector<AnnotationWritten> put_assignment_annotations(
      CatalogId project_id, const std::vector<AnnotationWrite>& items) override;
  GroundTruth create_ground_truth(const GroundTruth& ground_truth) override;
  GroundTruth get_ground_truth(CatalogId id) override;
  Page<GroundTruth> list_ground_truths(CatalogId collection_id, const std::string& dataset_version,
                                       const PageRequest& page) override;
  std::int64_t count_ground_truths(CatalogId collection_id,
                                   const std::string& dataset_version) override;
  // sqlite_catalog_annotations.cpp
  std::optional<GroundTruth> find_ground_truth(CatalogId collection_id, CatalogId data_unit_id,
                                               const std::string& dataset_version) override;
  void set_ground_truth_annotation(CatalogId id, const nlohmann::json& annotation) override;
  std::vector<AnnotationWritten> put_ground_truth_annotations(
      CatalogId collection_id, const std::string& dataset_version,
      const std::vector<AnnotationWrite>& items) override;

  Job create_job(const Job& job) override;
  Job update_job(const Job& job) override;
  Job get_job(const std::string& id) override;
  Page<Job> list_jobs(const PageRequest& page) override;
  std::vector<JobEvent> append_job_events(const std::string& job_id,
                                          const std::vector<JobEvent>& events) override;
  Page<JobEvent> list_job_events(const std::string& job_id, const PageRequest& page) override;
  void append_job_event_texts(const std::string& job_id,
                              const std::vector<JobEventText>& events) override;

 private:
  // Helpers run with mutex_ held.
  DataCollection load_collection(CatalogId id);
  std::optional<DataFile> find_file_locked(const std::string& checksum);
  DataFile load_file(CatalogId id);
  DataUnit load_unit(CatalogId id);
  Job load_job(const std::string& id);
  // Checks the job, numbers the events after its last and inserts them; returns the first seq.
  std::int64_t insert_job_events_locked(const std::string& job_id,
                                        const std::vector<JobEventText>& events);
  void require_row(const char* table, CatalogId id);  // throws not_found
  // One row per id, in order, loaded by `(this->*load)(id)` in one read transaction; takes
  // mutex_ itself (the batch getters).
  template <class Row>
  std::vector<Row> load_each(const std::vector<CatalogId>& ids,
                             Row (SqliteCatalog::*load)(CatalogId)) {
    std::vector<Row> rows;
    rows.reserve(ids.size());
    std::lock_guard lock(mutex_);
    Transaction tx(db_, Transaction::Mode::read);
    for (CatalogId id : ids)
      rows.push_back((this->*load)(id));
    return rows;
  }
  // sqlite_catalog_annotations.cpp: checks every item's unit (in `collection`, if set) and
  // JSON text; throws invalid listing every bad item.
  void check_annotation_items(const std::vector<AnnotationWrite>& items,
                              std::optional<CatalogId> collection, const std::string& owner);
  PutFileResult register_staged(StagedFile& staged, const std::string& original_name,
                                const nlohmann::json& meta);

  std::mutex mutex_;
  Db db_;
  ContentStore store_;
};

}  // namespace synapse::runtime::catalog

namespace synapse::runtime::catalog {

// Fills a page from a statement that selects up to limit + 1 rows in key order: the extra row
// only tells that there is a next page, whose cursor is the key of the last item kept.
template <class T, class Read, class Key>
Page<T> collect_page(Statement& stmt, std::size_t limit, Read read, Key key) {
  Page<T> page;
  while (stmt.step()) {
    if (page.items.size() == limit) {
      page.next_cursor = key(page.items.back());
      break;
    }
    page.items.push_back(read(stmt));
  }
  return page;
}

[[noreturn]] void throw_not_found(const std::string& table, const std::string& id);

}  // namespace synapse::runtime::catalog
