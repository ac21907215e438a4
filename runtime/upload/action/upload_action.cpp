#include "upload/action/upload_action.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/storage_factory.hpp"
#include "upload/params/upload_params.hpp"
#include "upload/pipeline/orchestrator.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/strategies/builtin_strategies.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::OrganizedUnit;
using synapse::upload::Spool;
using synapse::upload::UploadContext;
using synapse::upload::Uploader;

[[noreturn]] void throw_params(const std::vector<ParamError>& errors) {
  std::string text = "upload params are invalid (" + std::to_string(errors.size()) + " problem" +
                     (errors.size() == 1 ? "" : "s") + "):";
  for (const auto& e : errors)
    text += "\n  " + e.render();
  throw synapse::ParamsError(text);
}

// Parse, catalog and Excel checks; every problem of a stage listed at once.
UploadParams checked_params(const nlohmann::json& params, synapse::Catalog& catalog) {
  auto parsed = parse_upload_params(params);
  if (!parsed.ok())
    throw_params(parsed.errors);
  if (auto errors = check_against_catalog(parsed.params, catalog); !errors.empty())
    throw_params(errors);
  if (parsed.params.excel_metadata_path && !parsed.params.excel_metadata_path->empty()) {
    const auto record = catalog.get_storage(parsed.params.storage);
    auto storage = make_storage(record.provider, record.configuration);
    const auto size_of = [&](const std::string& path) -> std::optional<std::uint64_t> {
      const auto info = storage->stat(path);
      if (!info)
        return std::nullopt;
      return info->size;
    };
    if (auto errors = check_excel_metadata(parsed.params, size_of); !errors.empty())
      throw_params(errors);
  }
  return parsed.params;
}

// Runs the plugin's handle_upload_files over the organized units, chunk by chunk.
void run_handle_upload_files(Uploader& uploader, UploadContext& context) {
  Spool<OrganizedUnit> handled;
  context.organized_files().for_each_batch(
      Uploader::kHandleChunk, [&](std::vector<OrganizedUnit>&& chunk) {
        if (context.run().is_cancelled())
          throw synapse::CancelledError("cancelled in handle_upload_files");
        for (auto& unit : uploader.handle_upload_files(std::move(chunk), context))
          handled.append(std::move(unit));
      });
  context.organized_files() = std::move(handled);
}

std::string rollback_summary(const nlohmann::json& report) {
  if (report.is_null())
    return "nothing had been stored";
  const auto count = [&](const char* key) {
    return std::to_string(report.contains(key) ? report[key].size() : 0);
  };
  std::string text = "rolled back: removed " + count("removed_data_units") + " data unit(s), " +
                     count("removed_data_files") + " data file(s), " + count("removed_tasks") +
                     " task(s)";
  if (!report["kept_data_units"].empty() || !report["kept_data_files"].empty() ||
      !report["kept_tasks"].empty() || !report["errors"].empty()) {
    text += "; kept " + count("kept_data_units") + " data unit(s), " + count("kept_data_files") +
            " data file(s), " + count("kept_tasks") + " task(s) (still used elsewhere or failed)";
  }
  return text;
}

class UploadAction final : public synapse::Action {
 public:
  UploadAction(std::shared_ptr<Uploader> uploader, synapse::Catalog& catalog,
               nlohmann::json action_config)
      : uploader_(std::move(uploader)), catalog_(catalog), config_(std::move(action_config)) {}

  nlohmann::json run(synapse::RunContext& context) override {
    return run_upload(uploader_.get(), context, catalog_, context.params(), config_);
  }

 private:
  std::shared_ptr<Uploader> uploader_;
  synapse::Catalog& catalog_;
  nlohmann::json config_;
};

}  // namespace

std::shared_ptr<synapse::Action> make_upload_action(std::shared_ptr<Uploader> uploader,
                                                    synapse::Catalog& catalog,
                                                    nlohmann::json action_config) {
  return std::make_shared<UploadAction>(std::move(uploader), catalog, std::move(action_config));
}

nlohmann::json run_upload(Uploader* uploader, synapse::RunContext& run, synapse::Catalog& catalog,
                          const nlohmann::json& params, const nlohmann::json& action_config,
                          const UploadTuning& tuning) {
  ExcelLimits limits;
  try {
    limits = ExcelLimits::from_action_config(action_config.is_object() ? action_config
                                                                       : nlohmann::json::object());
  } catch (const std::exception& e) {
    throw synapse::ActionError(std::string("config.yaml: actions.upload.excel_config: ") +
                               e.what());
  }
  UploadRun state;
  state.batch_units = std::max<std::size_t>(1, tuning.batch_units);
  state.params = checked_params(params, catalog);

  auto registry = make_default_registry(state);
  synapse::upload::StrategyRegistry strategies;
  register_builtin_strategies(strategies, limits);
  if (uploader != nullptr) {
    synapse::upload::UploadPipeline pipeline(registry, strategies, params);
    try {
      uploader->configure(pipeline);
    } catch (const synapse::Error&) {
      throw;
    } catch (const std::exception& e) {
      throw synapse::ActionError(std::string("the plugin's Uploader::configure failed: ") +
                                 e.what());
    }
  }

  UploadContext context(run, params, &catalog);
  context.set_dry_run(state.params.dry_run);
  try {
    state.strategy_names = selected_strategy_names(strategies, params);
    context.strategies() = create_strategies(strategies, params);
  } catch (const synapse::upload::StrategyRegistryError& e) {
    throw synapse::ParamsError(e.what());
  }

  OrchestratorOptions options;
  options.progress_category.clear();  // the action reports its own three categories
  if (uploader != nullptr) {
    options.hooks.push_back({"organize_files", "handle_upload_files", [uploader](UploadContext& c) {
                               run_handle_upload_files(*uploader, c);
                             }});
  }
  const UploadOutcome outcome = UploadOrchestrator(options).run(registry, context);
  if (outcome.success) {
    nlohmann::json result = context.result();
    if (const auto* generate = context.step_result("generate_data_units");
        generate != nullptr && generate->data.contains("tasks_created")) {
      result["tasks_created"] = generate->data["tasks_created"];
    }
    result["strategies"] = state.strategy_names;
    result["steps"] = registry.list();
    return result;
  }
  const std::string where = outcome.failed_step.empty()
                                ? std::string()
                                : "Failed at step '" + outcome.failed_step + "': ";
  const std::string rolled = rollback_summary(state.rollback_report);
  if (outcome.cancelled)
    throw synapse::CancelledError("Upload cancelled: " + where + outcome.error + " (" + rolled +
                                  ")");
  throw synapse::ActionError("Upload failed: " + where + outcome.error + " (" + rolled + ")");
}

}  // namespace synapse::runtime::upload
