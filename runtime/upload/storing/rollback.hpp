// What one upload run created in the catalog, and how to undo it (the orchestrator's rollback
// after a failed run). Only rows THIS run created are recorded: a data file that put_stream
// found already stored (created = false) belongs to someone else and is never deleted.
//
// rollback() deletes data units first (a data file cannot go while a unit refers to it), then
// data files one by one. A file another unit still references (one created by a different run
// after ours stored the bytes) is refused by the catalog with a conflict and is reported as
// kept, as is a unit still used by a task, assignment or ground truth. Tasks go first (a task
// with an assignment is kept, and its unit with it). A row already gone (not_found) counts as
// removed: the goal is reached.
//
// Recording is thread-safe, so upload callbacks on async workers may record directly.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>

#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

struct RollbackReport {
  std::vector<synapse::CatalogId> removed_data_units;
  std::vector<synapse::CatalogId> kept_data_units;
  std::vector<synapse::CatalogId> removed_data_files;
  std::vector<synapse::CatalogId> kept_data_files;
  std::vector<synapse::CatalogId> removed_tasks;
  std::vector<synapse::CatalogId> kept_tasks;
  std::vector<std::string> errors;  // unexpected failures (busy, io, ...); those rows are kept

  nlohmann::json to_json() const;
};

class RollbackLedger {
 public:
  // Records the file when `created`; otherwise ignores it.
  void record_data_file(synapse::CatalogId id, bool created);
  // Every file of the unit this run created, failed unit or not.
  void record_uploaded(const UploadedUnit& unit);
  void record_data_unit(synapse::CatalogId id);
  void record_task(synapse::CatalogId id);

  std::vector<synapse::CatalogId> data_files() const;
  std::vector<synapse::CatalogId> data_units() const;
  std::vector<synapse::CatalogId> tasks() const;
  bool empty() const;

  // Undoes what was recorded (see above) and forgets the rows it removed, so a second call
  // only retries what was kept. Never throws a CatalogError: failures go to the report.
  RollbackReport rollback(synapse::Catalog& catalog);

 private:
  mutable std::mutex mutex_;
  // Append-only, possibly with repeats; sorted and deduplicated when read (see rollback.cpp).
  std::vector<synapse::CatalogId> data_files_;
  std::vector<synapse::CatalogId> data_units_;
  std::vector<synapse::CatalogId> tasks_;
};

}  // namespace synapse::runtime::upload
