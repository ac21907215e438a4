// An upload plugin that customises the host's pipeline in the three ways a plugin can:
//
//  1. a custom step, `report_extensions`, inserted before validate_files: it counts the
//     organized files per extension and emits one `upload_extension_report` event;
//  2. a custom validation strategy, `all_specs`, selected with params
//     `validation_strategy: all_specs`: a unit must have a file for EVERY spec, optional ones
//     included (the built-in `default` only demands the required ones);
//  3. handle_upload_files: drops the units whose key starts with `skip_` (extra_params
//     `drop_prefix` changes the prefix).
#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include <synapse/upload/uploader.hpp>

namespace {

using synapse::upload::OrganizedUnit;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;

class ReportExtensions final : public synapse::upload::Step {
 public:
  std::string name() const override { return "report_extensions"; }
  double progress_weight() const override { return 0.0; }

 protected:
  StepResult do_execute(UploadContext& context) override {
    std::map<std::string, std::int64_t> counts;
    context.organized_files().for_each([&](OrganizedUnit&& unit) {
      for (const auto& [spec, path] : unit.files) {
        const auto slash = path.find_last_of('/');
        const auto dot = path.find_last_of('.');
        const bool has_ext =
            dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
        ++counts[has_ext ? path.substr(dot) : "(none)"];
      }
    });
    nlohmann::json report(counts);
    context.run().log_event("upload_extension_report", {{"extensions", report}});
    context.bag()["extensions"] = report;
    return StepResult::ok({{"extensions", report}});
  }
};

class AllSpecsValidation final : public synapse::upload::ValidationStrategy {
 public:
  std::string name() const override { return "all_specs"; }
  synapse::upload::ValidationResult validate_unit(
      const OrganizedUnit& unit, const std::vector<synapse::FileSpecification>& specs) override {
    synapse::upload::ValidationResult result;
    for (const auto& spec : specs) {
      if (!unit.files.contains(spec.name)) {
        result.valid = false;
        result.errors.push_back("unit '" + unit.key + "' has no file for spec '" + spec.name +
                                "' (all_specs demands every spec)");
      }
    }
    return result;
  }
};

class ExampleUploader final : public synapse::upload::Uploader {
 public:
  void configure(synapse::upload::UploadPipeline& pipeline) override {
    pipeline.steps().insert_before("validate_files", std::make_shared<ReportExtensions>());
    pipeline.strategies().add<synapse::upload::ValidationStrategy>(
        "all_specs", [](const nlohmann::json&) { return std::make_unique<AllSpecsValidation>(); });
  }

  std::vector<OrganizedUnit> handle_upload_files(std::vector<OrganizedUnit> units,
                                                 UploadContext& context) override {
    std::string prefix = "skip_";
    const auto extra = context.param("extra_params");
    if (extra.is_object() && extra.contains("drop_prefix") && extra["drop_prefix"].is_string())
      prefix = extra["drop_prefix"].get<std::string>();
    std::erase_if(units, [&](const OrganizedUnit& unit) {
      return !prefix.empty() && unit.key.rfind(prefix, 0) == 0;
    });
    return units;
  }
};

}  // namespace

SYNAPSE_PLUGIN(upload)
SYNAPSE_UPLOADER(Uploader, ExampleUploader)
