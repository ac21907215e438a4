// Step 5, validate_files (spec §6.5): every organized unit through the validation strategy,
// and its meta against the collection's data_unit_meta_schema, BEFORE anything is stored. In a
// dry run the step never fails: it writes the plan (what the upload would do) instead.
#include <optional>

#include <synapse/upload/step.hpp>

#include "common/text.hpp"
#include "params/params_validator.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/steps/log_codes.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::OrganizedUnit;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;

nlohmann::json build_plan(const UploadContext& context, const UploadRun& run) {
  const auto report = run.discovery.to_json();
  const std::uint64_t units = context.organized_files().size();
  nlohmann::json metadata = {
      {"source",
       run.metadata_source.empty() ? nlohmann::json(nullptr) : nlohmann::json(run.metadata_source)},
      {"rows", context.strategies().metadata ? context.strategies().metadata->size() : 0},
      {"units_matched", run.units_with_metadata},
      {"units", run.units_before_hook},
      {"coverage",
       std::to_string(run.units_with_metadata) + "/" + std::to_string(run.units_before_hook)}};
  const bool ok = run.invalid_units.count == 0 && run.meta_schema_failures.count == 0 && units > 0;
  return {{"specs", report["specs"]},
          {"units_to_create", units},
          {"units_missing_required", report["units_missing_required"]},
          {"unmatched_files", report["unmatched_files"]},
          {"duplicate_files", report["duplicate_files"]},
          {"metadata", metadata},
          {"invalid_units", run.invalid_units.to_json()},
          {"meta_schema_failures", run.meta_schema_failures.to_json()},
          {"warnings", report["warnings"]},
          {"strategies", run.strategy_names},
          {"problems", run.plan_problems},
          {"would_succeed", ok && run.plan_problems.empty()}};
}

// The plan as a few readable lines (the JSON plan is in the result).
void log_plan(synapse::RunContext& run, const nlohmann::json& plan) {
  for (const auto& spec : plan["specs"]) {
    std::string extensions;
    for (const auto& ext : spec["extensions"])
      extensions += (extensions.empty() ? "" : " ") + ext.get<std::string>();
    run.log_message(synapse::MessageContext::info,
                    "Plan: spec '" + spec["spec"].get<std::string>() + "'" +
                        (spec["required"].get<bool>() ? " (required)" : "") + " from '" +
                        spec["source"].get<std::string>() + "': " +
                        (spec["found"].get<bool>()
                             ? std::to_string(spec["files"].get<std::uint64_t>()) + " file(s)"
                             : std::string("folder not found")) +
                        ", extensions " + (extensions.empty() ? "any" : extensions));
  }
  const auto count = [&](const char* key) {
    return std::to_string(plan[key]["count"].get<std::uint64_t>());
  };
  run.log_message(plan["would_succeed"].get<bool>() ? synapse::MessageContext::success
                                                    : synapse::MessageContext::warning,
                  "Plan: " + std::to_string(plan["units_to_create"].get<std::uint64_t>()) +
                      " data unit(s) to create; " + count("units_missing_required") +
                      " unit(s) missing a required spec; metadata matched " +
                      plan["metadata"]["coverage"].get<std::string>() + " unit(s); " +
                      count("invalid_units") + " invalid unit(s); " +
                      count("meta_schema_failures") + " unit(s) breaking the meta schema; " +
                      count("unmatched_files") +
                      " file(s) not used. Nothing was stored (dry run).");
}

class ValidateFilesStep final : public synapse::upload::Step {
 public:
  explicit ValidateFilesStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "validate_files"; }
  double progress_weight() const override { return 0.10; }

 protected:
  StepResult do_execute(UploadContext& context) override {
    synapse::RunContext& run = context.run();
    if (context.organized_files().empty()) {
      log_code(run, LogCode::NO_FILES_FOUND);
      if (context.dry_run()) {
        context.plan() = build_plan(context, run_);
        log_plan(run, context.plan());
        return StepResult::ok({{"validation_passed", false}});
      }
      return StepResult::failure("No organized files to validate");
    }
    auto* validation = context.strategies().validation.get();
    if (validation == nullptr)
      return StepResult::failure("Validation strategy not found");
    const auto& specs = context.file_specifications();
    const auto& schema = context.collection().data_unit_meta_schema;
    std::optional<CompiledJsonSchema> meta_schema;
    if (!schema.is_null())
      meta_schema.emplace(schema);

    run_.invalid_units = {};
    run_.meta_schema_failures = {};
    std::uint64_t seen = 0;
    context.organized_files().for_each([&](OrganizedUnit&& unit) {
      if (++seen % 1024 == 0 && run.is_cancelled())
        throw synapse::CancelledError("cancelled while validating files");
      const auto result = validation->validate_unit(unit, specs);
      if (!result.valid)
        run_.invalid_units.add(join(result.errors, "; "));
      if (meta_schema) {
        const auto errors = meta_schema->validate(unit.meta);
        if (!errors.empty()) {
          std::vector<std::string> texts;
          for (const auto& e : errors)
            texts.push_back(e.render());
          run_.meta_schema_failures.add("unit '" + unit.key + "' meta: " + join(texts, "; "));
        }
      }
    });

    if (context.dry_run()) {
      context.plan() = build_plan(context, run_);
      log_plan(run, context.plan());
      return StepResult::ok({{"validation_passed", context.plan()["would_succeed"]}});
    }
    if (run_.invalid_units.count > 0 || run_.meta_schema_failures.count > 0) {
      log_code(run, LogCode::VALIDATION_FAILED);
      std::string error = "File validation failed: ";
      if (run_.invalid_units.count > 0) {
        error += std::to_string(run_.invalid_units.count) +
                 " invalid unit(s): " + join(run_.invalid_units.examples, "; ");
      }
      if (run_.meta_schema_failures.count > 0) {
        error += std::string(run_.invalid_units.count > 0 ? "; " : "") +
                 std::to_string(run_.meta_schema_failures.count) +
                 " unit(s) whose meta breaks the collection's data_unit_meta_schema: " +
                 join(run_.meta_schema_failures.examples, "; ");
      }
      return StepResult::failure(error);
    }
    return StepResult::ok({{"validation_passed", true}});
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_validate_files_step(UploadRun& run) {
  return std::make_shared<ValidateFilesStep>(run);
}

}  // namespace synapse::runtime::upload
