// UploadContext: the state the upload steps share during one run (spec/upload.md §4.2). Steps
// read what earlier steps wrote through typed accessors instead of Python's attribute lookup;
// bag() is the free-form room for plugin steps (Python's step_data).
//
// Not thread-safe: the orchestrator runs one step at a time. Catalog and Storage are borrowed
// and may be null (unit tests, or before initialize has resolved the storage).
//
// The unit lists (organized, uploaded, data units) are Spools: in memory for small uploads,
// on a temporary file past a few thousand units, so a million-file upload stays flat.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/catalog.hpp>
#include <synapse/errors.hpp>
#include <synapse/run_context.hpp>
#include <synapse/storage.hpp>
#include <synapse/upload/spool.hpp>
#include <synapse/upload/step_result.hpp>
#include <synapse/upload/strategies.hpp>
#include <synapse/upload/units.hpp>

namespace synapse::upload {

// The strategies this run uses, one per kind (created from the StrategyRegistry when the
// upload starts). Any may be null in a unit test.
struct StrategySet {
  std::unique_ptr<ValidationStrategy> validation;
  std::unique_ptr<FileDiscoveryStrategy> file_discovery;
  std::unique_ptr<MetadataStrategy> metadata;
  std::unique_ptr<UploadStrategy> upload;
  std::unique_ptr<DataUnitStrategy> data_unit;
};

struct NamedStepResult {
  std::string step;
  StepResult result;
};

class UploadContext {
 public:
  // `params` is usually run.params(); passed separately so a test or a custom action can
  // adjust them without a RunContext of its own.
  UploadContext(RunContext& run, nlohmann::json params, Catalog* catalog = nullptr,
                Storage* storage = nullptr)
      : run_(&run), params_(std::move(params)), catalog_(catalog), storage_(storage) {}

  RunContext& run() const noexcept { return *run_; }
  const nlohmann::json& params() const noexcept { return params_; }
  // params[key], or `fallback` when params is not an object or has no such key.
  nlohmann::json param(std::string_view key, nlohmann::json fallback = nullptr) const {
    if (params_.is_object()) {
      if (auto it = params_.find(key); it != params_.end()) {
        return *it;
      }
    }
    return fallback;
  }

  Catalog* catalog() const noexcept { return catalog_; }
  void set_catalog(Catalog* catalog) noexcept { catalog_ = catalog; }
  Storage* storage() const noexcept { return storage_; }
  void set_storage(Storage* storage) noexcept { storage_ = storage; }

  // The storage the files of `spec` are read from: its own in multi-path mode, storage()
  // otherwise. Throws ActionError when there is none.
  Storage& storage_for(const std::string& spec) const {
    if (auto it = spec_storages_.find(spec); it != spec_storages_.end() && it->second) {
      return *it->second;
    }
    if (!storage_) {
      throw ActionError("upload: no storage for file specification '" + spec + "'");
    }
    return *storage_;
  }
  void set_storage_for(const std::string& spec, Storage* storage) {
    spec_storages_[spec] = storage;
  }

  // The upload's root inside storage() ('/'-separated, relative to the storage root).
  const std::string& working_path() const noexcept { return working_path_; }
  void set_working_path(std::string path) { working_path_ = std::move(path); }

  // The data collection the units go to (analyze_collection).
  const DataCollection& collection() const noexcept { return collection_; }
  void set_collection(DataCollection collection) { collection_ = std::move(collection); }

  std::vector<FileSpecification>& file_specifications() noexcept { return specs_; }
  const std::vector<FileSpecification>& file_specifications() const noexcept { return specs_; }

  StrategySet& strategies() noexcept { return strategies_; }
  const StrategySet& strategies() const noexcept { return strategies_; }

  // Units found by organize_files (after the plugin's handle_upload_files), their stored
  // form (upload_files) and the catalog data units (generate_data_units).
  Spool<OrganizedUnit>& organized_files() noexcept { return organized_files_; }
  const Spool<OrganizedUnit>& organized_files() const noexcept { return organized_files_; }
  Spool<UploadedUnit>& uploaded_files() noexcept { return uploaded_files_; }
  const Spool<UploadedUnit>& uploaded_files() const noexcept { return uploaded_files_; }
  Spool<DataUnit>& data_units() noexcept { return data_units_; }
  const Spool<DataUnit>& data_units() const noexcept { return data_units_; }

  // Dry run: the steps that change the catalog do nothing, and plan() says what they would do.
  bool dry_run() const noexcept { return dry_run_; }
  void set_dry_run(bool dry_run) noexcept { dry_run_ = dry_run; }
  nlohmann::json& plan() noexcept { return plan_; }
  const nlohmann::json& plan() const noexcept { return plan_; }

  // Local metrics, one object per category (e.g. "data_files", "workflow").
  nlohmann::json& metrics() noexcept { return metrics_; }
  const nlohmann::json& metrics() const noexcept { return metrics_; }
  // Merges `values` (an object) into metrics()[category], creating it when missing.
  void update_metrics(std::string_view category, const nlohmann::json& values) {
    nlohmann::json& slot = metrics_[std::string(category)];
    if (!slot.is_object()) {
      slot = nlohmann::json::object();
    }
    slot.update(values);
  }

  std::vector<std::string>& errors() noexcept { return errors_; }
  const std::vector<std::string>& errors() const noexcept { return errors_; }
  void add_error(std::string error) { errors_.push_back(std::move(error)); }
  bool has_errors() const noexcept { return !errors_.empty(); }

  // Every result in the order recorded (a step recorded twice appears twice).
  const std::vector<NamedStepResult>& step_results() const noexcept { return step_results_; }
  // The latest result of `step`, or nullptr.
  const StepResult* step_result(std::string_view step) const noexcept {
    for (auto it = step_results_.rbegin(); it != step_results_.rend(); ++it) {
      if (it->step == step) {
        return &it->result;
      }
    }
    return nullptr;
  }

  // step name -> rollback_data of its latest result (successful or not: a step that failed
  // half-way may need it to undo what it did).
  nlohmann::json& rollback_data() noexcept { return rollback_data_; }
  const nlohmann::json& rollback_data() const noexcept { return rollback_data_; }

  // Python's context.update(result), minus the attribute-by-data-key copying (C++ steps write
  // the typed fields directly): keeps the result, its rollback data, and its error if failed.
  void record(std::string step, const StepResult& result) {
    rollback_data_[step] = result.rollback_data;
    if (!result.success && !result.error.empty()) {
      errors_.push_back(result.error);
    }
    step_results_.push_back({std::move(step), result});
  }

  // Free-form state for plugin steps; never read by the built-in steps.
  nlohmann::json& bag() noexcept { return bag_; }
  const nlohmann::json& bag() const noexcept { return bag_; }

  // The action's result dictionary (spec/upload.md §4.3).
  nlohmann::json result() const {
    nlohmann::json out_metrics = nlohmann::json::object();
    for (const char* key : {"data_files", "data_units"}) {
      out_metrics[key] = metrics_.contains(key) ? metrics_[key] : nlohmann::json::object();
    }
    nlohmann::json out = {{"uploaded_files_count", uploaded_files_.size()},
                          {"generated_data_units_count", data_units_.size()},
                          {"success", errors_.empty()},
                          {"errors", errors_},
                          {"metrics", std::move(out_metrics)}};
    if (dry_run_) {
      out["dry_run"] = true;
      out["plan"] = plan_;
    }
    return out;
  }

 private:
  RunContext* run_;
  nlohmann::json params_;
  Catalog* catalog_;
  Storage* storage_;
  std::map<std::string, Storage*> spec_storages_;
  std::string working_path_;
  DataCollection collection_;
  std::vector<FileSpecification> specs_;
  StrategySet strategies_;
  Spool<OrganizedUnit> organized_files_;
  Spool<UploadedUnit> uploaded_files_;
  Spool<DataUnit> data_units_;
  bool dry_run_ = false;
  nlohmann::json plan_ = nlohmann::json::object();
  nlohmann::json metrics_ = nlohmann::json::object();
  std::vector<std::string> errors_;
  std::vector<NamedStepResult> step_results_;
  nlohmann::json rollback_data_ = nlohmann::json::object();
  nlohmann::json bag_ = nlohmann::json::object();
};

}  // namespace synapse::upload
