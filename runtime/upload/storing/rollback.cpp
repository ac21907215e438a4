#include "upload/storing/rollback.hpp"

#include <algorithm>
#include <exception>

namespace synapse::runtime::upload {

namespace {

// The ledger keeps plain vectors (8 bytes per id; a std::set costs ~48, i.e. 48 MB for a
// million files) and sorts them when asked: recording is append-only and may repeat an id.
std::vector<synapse::CatalogId> sorted_unique(std::vector<synapse::CatalogId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

using synapse::CatalogError;
using synapse::CatalogId;

nlohmann::json RollbackReport::to_json() const {
  return {{"removed_data_units", removed_data_units},
          {"kept_data_units", kept_data_units},
          {"removed_data_files", removed_data_files},
          {"kept_data_files", kept_data_files},
          {"removed_tasks", removed_tasks},
          {"kept_tasks", kept_tasks},
          {"errors", errors}};
}

void RollbackLedger::record_data_file(CatalogId id, bool created) {
  if (!created)
    return;
  std::lock_guard lock(mutex_);
  data_files_.push_back(id);
}

void RollbackLedger::record_uploaded(const UploadedUnit& unit) {
  for (const auto& [spec, file] : unit.files) {
    auto created = unit.created.find(spec);
    record_data_file(file.id, created != unit.created.end() && created->second);
  }
}

void RollbackLedger::record_data_unit(CatalogId id) {
  std::lock_guard lock(mutex_);
  data_units_.push_back(id);
}

void RollbackLedger::record_task(CatalogId id) {
  std::lock_guard lock(mutex_);
  tasks_.push_back(id);
}

std::vector<CatalogId> RollbackLedger::data_files() const {
  std::lock_guard lock(mutex_);
  return sorted_unique(data_files_);
}

std::vector<CatalogId> RollbackLedger::data_units() const {
  std::lock_guard lock(mutex_);
  return sorted_unique(data_units_);
}

std::vector<CatalogId> RollbackLedger::tasks() const {
  std::lock_guard lock(mutex_);
  return sorted_unique(tasks_);
}

bool RollbackLedger::empty() const {
  std::lock_guard lock(mutex_);
  return data_files_.empty() && data_units_.empty() && tasks_.empty();
}

namespace {

enum class Outcome { removed, kept };

// Runs one delete; not_found = removed, conflict = kept silently, anything else = kept with
// the error noted.
template <class Delete>
Outcome try_delete(const std::string& what, CatalogId id, Delete&& del,
                   std::vector<std::string>& errors) {
  try {
    del();
    return Outcome::removed;
  } catch (const CatalogError& e) {
    if (e.kind() == CatalogError::Kind::not_found)
      return Outcome::removed;
    if (e.kind() != CatalogError::Kind::conflict)
      errors.push_back(what + " " + std::to_string(id) + ": " + e.what());
  } catch (const std::exception& e) {
    errors.push_back(what + " " + std::to_string(id) + ": " + e.what());
  }
  return Outcome::kept;
}

}  // namespace

RollbackReport RollbackLedger::rollback(synapse::Catalog& catalog) {
  std::lock_guard lock(mutex_);
  RollbackReport report;

  // Tasks first (a unit cannot go while a task refers to it), the same way as units below.
  const std::vector<CatalogId> tasks = sorted_unique(tasks_);
  bool all_tasks_gone = tasks.empty();
  if (!tasks.empty()) {
    try {
      catalog.delete_tasks(tasks);
      all_tasks_gone = true;
    } catch (const std::exception&) {
      // Falls through to the per-task pass.
    }
  }
  for (CatalogId id : tasks) {
    const Outcome outcome =
        all_tasks_gone ? Outcome::removed
                       : try_delete(
                             "task", id, [&] { catalog.delete_tasks({id}); }, report.errors);
    if (outcome == Outcome::removed) {
      report.removed_tasks.push_back(id);
    } else {
      report.kept_tasks.push_back(id);
    }
  }

  // One call for all units first (the common case, one transaction); delete_data_units is
  // all-or-nothing, so when it is refused, retry one by one to keep only the refused ones.
  tasks_ = report.kept_tasks;  // a second call only retries what was kept
  const std::vector<CatalogId> units = sorted_unique(data_units_);
  bool all_units_gone = units.empty();
  if (!units.empty()) {
    try {
      catalog.delete_data_units(units);
      all_units_gone = true;
    } catch (const std::exception&) {
      // Falls through to the per-unit pass, which reports each refusal.
    }
  }
  for (CatalogId id : units) {
    const Outcome outcome =
        all_units_gone
            ? Outcome::removed
            : try_delete(
                  "data unit", id, [&] { catalog.delete_data_units({id}); }, report.errors);
    (outcome == Outcome::removed ? report.removed_data_units : report.kept_data_units)
        .push_back(id);
  }
  data_units_ = report.kept_data_units;

  for (CatalogId id : sorted_unique(data_files_)) {
    const Outcome outcome = try_delete(
        "data file", id, [&] { catalog.delete_data_file(id); }, report.errors);
    (outcome == Outcome::removed ? report.removed_data_files : report.kept_data_files)
        .push_back(id);
  }
  data_files_ = report.kept_data_files;
  return report;
}

}  // namespace synapse::runtime::upload
