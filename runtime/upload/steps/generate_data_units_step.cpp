// Step 7, generate_data_units (spec §6.7): creates one data unit per uploaded unit through the
// data_unit strategy, in batches read from the uploaded-files spool; with `project` given, one
// task per data unit. Re-runs reuse identical existing units and tasks instead of duplicating
// them. One `upload_data_unit` event per unit (Python logged each twice); metrics `data_units`
// pushed per batch; progress on `generate_data_units`. Rollback removes the tasks, units and
// data files this run created.
#include <synapse/upload/step.hpp>

#include "common/clock.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/steps/ledger_rollback.hpp"
#include "upload/steps/log_codes.hpp"
#include "upload/steps/progress_throttle.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::CreatedDataUnit;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;
using synapse::upload::UploadedUnit;

class GenerateDataUnitsStep final : public synapse::upload::Step {
 public:
  explicit GenerateDataUnitsStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "generate_data_units"; }
  double progress_weight() const override { return 0.20; }

 protected:
  bool can_skip(const UploadContext& context) const override { return context.dry_run(); }

  StepResult do_execute(UploadContext& context) override {
    synapse::RunContext& run = context.run();
    auto* strategy = context.strategies().data_unit.get();
    if (strategy == nullptr)
      return StepResult::failure("Data unit strategy not found");
    const std::int64_t total = static_cast<std::int64_t>(context.uploaded_files().size());
    if (total == 0)
      return StepResult::failure("No uploaded files to make data units from");
    synapse::Catalog& catalog = *context.catalog();
    const synapse::CatalogId collection = run_.params.data_collection;
    const auto project = run_.params.project;

    log_code(run, LogCode::GENERATING_DATA_UNITS);
    std::int64_t success = 0;
    std::int64_t failed = 0;
    std::int64_t tasks_created = 0;
    const auto push_metrics = [&] {
      const nlohmann::json value = {
          {"stand_by", total - success - failed}, {"success", success}, {"failed", failed}};
      context.update_metrics("data_units", value);
      run.set_metrics("data_units", value);
    };
    push_metrics();
    ProgressThrottle progress(run, "generate_data_units", total);
    std::string first_error;

    std::vector<CreatedDataUnit> created_in_batch;
    synapse::upload::DataUnitCallbacks callbacks;
    callbacks.on_unit_created = [&](const CreatedDataUnit& created) {
      if (created.created)
        run_.ledger.record_data_unit(created.unit.id);
      run.log_event("upload_data_unit", {{"data_unit_id", created.unit.id},
                                         {"status", "success"},
                                         {"created", now_iso8601()},
                                         {"data_unit_meta", created.unit.meta}});
      context.data_units().append(created.unit);
      created_in_batch.push_back(created);
    };
    callbacks.on_batch_failed = [&](const std::vector<std::string>& keys, const std::string& error,
                                    const std::vector<std::string>& details) {
      std::string text = error;
      for (const auto& d : details)
        text += "; " + d;
      log_code(run, LogCode::DATA_UNIT_BATCH_FAILED, {text});
      for (std::size_t i = 0; i < keys.size(); ++i) {
        run.log_event("upload_data_unit", {{"data_unit_id", nullptr},
                                           {"status", "failed"},
                                           {"created", now_iso8601()},
                                           {"data_unit_meta", nullptr}});
      }
      if (first_error.empty())
        first_error = text;
    };

    context.data_units().clear();
    context.uploaded_files().for_each_batch(
        run_.batch_units, [&](std::vector<UploadedUnit>&& batch) {
          if (run.is_cancelled())
            throw synapse::CancelledError("cancelled while generating data units");
          created_in_batch.clear();
          const auto creation = strategy->create(catalog, collection, batch, {}, callbacks);
          success += static_cast<std::int64_t>(creation.created.size());
          failed += static_cast<std::int64_t>(creation.failed.size());
          if (project)
            tasks_created += create_tasks(catalog, *project, created_in_batch);
          progress.advance(static_cast<std::int64_t>(batch.size()));
          push_metrics();
        });

    if (failed > 0) {
      context.add_error(std::to_string(failed) + " of " + std::to_string(total) +
                        " data unit(s) could not be created; first: " + first_error);
    }
    if (success == 0) {
      log_code(run, LogCode::NO_DATA_UNITS_GENERATED);
      return StepResult::failure("Data unit generation failed: " + first_error);
    }
    nlohmann::json data = {{"data_units", success}, {"failed", failed}};
    if (project)
      data["tasks_created"] = tasks_created;
    return StepResult::ok(data, {{"data_units_count", success}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    roll_back_ledger(context, run_);
    context.data_units().clear();
  }

 private:
  // One task per data unit of the project; a reused unit (re-run) keeps its existing task.
  std::int64_t create_tasks(synapse::Catalog& catalog, synapse::CatalogId project,
                            const std::vector<CreatedDataUnit>& units) {
    std::vector<synapse::Task> tasks;
    for (const auto& created : units) {
      if (!created.created && catalog.find_task(project, created.unit.id))
        continue;
      synapse::Task task;
      task.project_id = project;
      task.data_unit_id = created.unit.id;
      tasks.push_back(std::move(task));
    }
    if (tasks.empty())
      return 0;
    const auto stored = catalog.create_tasks(tasks);
    for (const auto& task : stored)
      run_.ledger.record_task(task.id);
    return static_cast<std::int64_t>(stored.size());
  }

  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_generate_data_units_step(UploadRun& run) {
  return std::make_shared<GenerateDataUnitsStep>(run);
}

}  // namespace synapse::runtime::upload
