// Step 6, upload_files (spec §6.6): reads the organized units in batches and stores their
// files through the upload strategy (one durability barrier and one transaction per commit;
// the built-in async strategy commits each batch in parts while it stages the rest, and is
// given the next batch before the one it stores is recorded: batch_overlap.hpp).
// One `upload_data_file` event per unit, success or failed (Python logged successes twice);
// metrics `data_files` pushed after every batch; progress on `upload_data_files` per unit.
// A failing unit does not fail the step; a run where no unit could be stored does.
// Rollback removes the data files this run created (see RollbackLedger).
#include <synapse/upload/step.hpp>

#include "common/clock.hpp"
#include "upload/steps/batch_overlap.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/steps/ledger_rollback.hpp"
#include "upload/steps/log_codes.hpp"
#include "upload/steps/progress_throttle.hpp"
#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::OrganizedUnit;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;
using synapse::upload::UploadedUnit;

// Python's data_file_info: the uploaded item as a JSON string.
std::string data_file_info(const OrganizedUnit& organized, const UploadedUnit& uploaded,
                           synapse::CatalogId collection) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [spec, path] : organized.files) {
    nlohmann::json entry = {{"path", path}};
    if (auto it = uploaded.files.find(spec); it != uploaded.files.end()) {
      entry["checksum"] = it->second.checksum;
      entry["data_file_id"] = it->second.id;
    }
    files[spec] = std::move(entry);
  }
  return nlohmann::json{{"files", files}, {"meta", organized.meta}, {"data_collection", collection}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class UploadFilesStep final : public synapse::upload::Step {
 public:
  explicit UploadFilesStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "upload_files"; }
  double progress_weight() const override { return 0.30; }

 protected:
  bool can_skip(const UploadContext& context) const override { return context.dry_run(); }

  StepResult do_execute(UploadContext& context) override {
    synapse::RunContext& run = context.run();
    auto* strategy = context.strategies().upload.get();
    if (strategy == nullptr)
      return StepResult::failure("Upload strategy not found");
    const std::int64_t total = static_cast<std::int64_t>(context.organized_files().size());
    if (total == 0) {
      log_code(run, LogCode::NO_FILES_UPLOADED);
      return StepResult::failure("No organized files to upload");
    }
    log_code(run, LogCode::UPLOADING_DATA_FILES);
    std::int64_t success = 0;
    std::int64_t failed = 0;
    const auto push_metrics = [&] {
      const nlohmann::json value = {
          {"stand_by", total - success - failed}, {"success", success}, {"failed", failed}};
      context.update_metrics("data_files", value);
      run.set_metrics("data_files", value);
    };
    push_metrics();
    ProgressThrottle progress(run, "upload_data_files", total);
    std::string first_error;
    const synapse::upload::StorageForSpec sources =
        [&context](const std::string& spec) -> synapse::Storage& {
      return context.storage_for(spec);
    };
    synapse::upload::UploadCallbacks callbacks;
    callbacks.on_unit_failed = [&](const OrganizedUnit&, const std::string& error) {
      log_code(run, LogCode::FILE_UPLOAD_FAILED, {error});
    };

    context.uploaded_files().clear();
    // Records one finished batch: ledger (for rollback) first, then events, metrics, progress.
    const auto record = [&](const std::vector<OrganizedUnit>& batch,
                            std::vector<UploadedUnit>& results) {
      for (std::size_t i = 0; i < results.size(); ++i) {
        auto& unit = results[i];
        run_.ledger.record_uploaded(unit);
        const bool ok = unit.ok();
        run.log_event(
            "upload_data_file",
            {{"data_file_info", data_file_info(batch[i], unit, run_.params.data_collection)},
             {"status", ok ? "success" : "failed"},
             {"created", now_iso8601()}});
        if (ok) {
          ++success;
          context.uploaded_files().append(std::move(unit));
        } else {
          ++failed;
          if (first_error.empty())
            first_error = unit.key + ": " + unit.error;
        }
      }
      progress.advance(static_cast<std::int64_t>(results.size()));
      push_metrics();
    };
    BatchOverlap<OrganizedUnit, UploadedUnit> batches(stores_batches_concurrently(*strategy));
    try {
      context.organized_files().for_each_batch(
          run_.batch_units, [&](std::vector<OrganizedUnit>&& batch) {
            if (run.is_cancelled())
              throw synapse::CancelledError("cancelled while uploading files");
            batches.submit(
                std::move(batch),
                [&](const std::vector<OrganizedUnit>& units) {
                  return strategy->upload(sources, *context.catalog(), units, callbacks);
                },
                record);
          });
      batches.finish(record);
    } catch (...) {
      // A batch still being stored is waited for and recorded, so rollback knows its files.
      batches.abandon(record);
      throw;
    }

    if (failed > 0) {
      context.add_error(std::to_string(failed) + " of " + std::to_string(total) +
                        " unit(s) could not be uploaded; first: " + first_error);
    }
    if (success == 0) {
      log_code(run, LogCode::NO_FILES_UPLOADED);
      return StepResult::failure("File upload failed: none of the " + std::to_string(total) +
                                 " unit(s) could be stored; first error: " + first_error);
    }
    return StepResult::ok({{"uploaded", success}, {"failed", failed}},
                          {{"uploaded_files_count", success}, {"upload_method", strategy->name()}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    roll_back_ledger(context, run_);
    context.uploaded_files().clear();
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_upload_files_step(UploadRun& run) {
  return std::make_shared<UploadFilesStep>(run);
}

}  // namespace synapse::runtime::upload
