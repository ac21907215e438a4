// Step 4, organize_files (spec §6.4, §11.2): discovers the files through the file_discovery
// strategy (or per asset in multi-path mode), groups them into units streamed in key order to
// the organized-files spool, and gives each unit its meta (origin_file_stem,
// origin_file_extension, then the matching metadata row). A layout that yields no unit fails
// with what was expected and what was found, instead of Python's "Required data not
// available from workflow steps".
#include <synapse/upload/step.hpp>

#include "common/text.hpp"
#include "upload/discovery/file_discovery.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/steps/log_codes.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::MessageContext;
using synapse::upload::OrganizedUnit;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;

// "image_1/ (uploads/image_1): 0 files" lines and the problems, for the no-unit error.
std::string describe_found(const synapse::upload::DiscoveryReport& report) {
  std::vector<std::string> parts;
  for (const auto& spec : report.specs) {
    parts.push_back("spec '" + spec.spec + "'" + (spec.required ? " (required)" : "") + " in " +
                    (spec.source.empty() ? "<root>" : spec.source) + ": " +
                    (spec.found ? std::to_string(spec.files) + " file(s)" : "folder not found"));
  }
  if (report.units_missing_required > 0) {
    std::vector<std::string> examples;
    for (const auto& m : report.missing_required_examples)
      examples.push_back("'" + m.key + "' lacks " + join(m.missing));
    parts.push_back(std::to_string(report.units_missing_required) +
                    " unit(s) missing a required spec (" + join(examples, "; ") + ")");
  }
  if (report.unmatched_files > 0) {
    std::vector<std::string> examples;
    for (const auto& u : report.unmatched_examples)
      examples.push_back(u.path + ": " + u.reason);
    parts.push_back(std::to_string(report.unmatched_files) + " file(s) not used (" +
                    join(examples, "; ") + ")");
  }
  return join(parts, "; ");
}

class OrganizeFilesStep final : public synapse::upload::Step {
 public:
  explicit OrganizeFilesStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "organize_files"; }
  double progress_weight() const override { return 0.15; }

 protected:
  void validate_prerequisites(const UploadContext& context) const override {
    if (context.file_specifications().empty())
      throw synapse::ActionError("File specifications not available");
    if (run_.params.use_single_path && context.storage() == nullptr)
      throw synapse::ActionError("Working directory path not set");
  }

  StepResult do_execute(UploadContext& context) override {
    synapse::RunContext& run = context.run();
    const auto& specs = context.file_specifications();
    const auto* metadata = context.strategies().metadata.get();
    log_code(run, LogCode::FILE_ORGANIZATION_STARTED);

    context.organized_files().clear();
    run_.units_with_metadata = 0;
    std::uint64_t seen = 0;
    const auto on_unit = [&](OrganizedUnit&& unit) {
      if (++seen % 1024 == 0 && run.is_cancelled())
        throw synapse::CancelledError("cancelled while organizing files");
      // The origin file is the unit's file of the first spec (collection order) it has.
      for (const auto& spec : specs) {
        if (auto it = unit.files.find(spec.name); it != unit.files.end()) {
          const std::string name = base_name(it->second);
          const auto dot = name.rfind('.');
          const bool has_ext = dot != std::string::npos && dot > 0;
          unit.meta["origin_file_stem"] = has_ext ? name.substr(0, dot) : name;
          unit.meta["origin_file_extension"] = has_ext ? name.substr(dot) : "";
          break;
        }
      }
      if (metadata != nullptr) {
        nlohmann::json row = metadata->meta_for(unit);
        if (row.is_object()) {
          ++run_.units_with_metadata;
          for (auto& [column, value] : row.items())
            unit.meta[column] = value;
        }
      }
      context.organized_files().append(std::move(unit));
    };

    synapse::upload::DiscoveryOptions options;
    options.recursive = run_.params.is_recursive;
    if (const auto group = context.param("group_by"); group.is_string() && group == "folder")
      options.group_by = synapse::upload::GroupBy::folder;

    if (run_.params.use_single_path) {
      auto* discovery = context.strategies().file_discovery.get();
      if (discovery == nullptr)
        return StepResult::failure("File discovery strategy not found");
      discovery->discover(*context.storage(), context.working_path(), specs, options, on_unit,
                          run_.discovery);
    } else {
      std::vector<AssetSource> sources;
      for (const auto& [spec, asset] : run_.params.assets) {
        sources.push_back(
            {spec, &context.storage_for(spec), asset.path, run_.params.asset_is_recursive(asset)});
      }
      discover_assets(sources, specs, options, on_unit, run_.discovery);
    }
    const auto& report = run_.discovery;

    std::vector<std::string> found;
    for (const auto& spec : report.specs) {
      if (spec.found)
        found.push_back(spec.spec);
    }
    if (report.strategy != "by_extension") {
      log_code(run, LogCode::TYPE_DIRECTORIES_FOUND, {join(found)});
      log_code(run, LogCode::TYPE_STRUCTURE_DETECTED);
    }
    for (const auto& warning : report.warnings)
      run.log_message(MessageContext::warning, warning);
    if (report.units_missing_required > 0) {
      std::vector<std::string> examples;
      for (const auto& m : report.missing_required_examples)
        examples.push_back(m.key + " (" + join(m.missing) + ")");
      log_code(run, LogCode::MISSING_REQUIRED_FILES,
               {std::to_string(report.units_missing_required) + " unit(s)", join(examples)});
    }
    if (report.unmatched_files > 0) {
      run.log_message(MessageContext::warning,
                      std::to_string(report.unmatched_files) +
                          " file(s) match no file specification and are not uploaded");
    }
    if (context.organized_files().empty()) {
      log_code(run, LogCode::NO_FILES_FOUND_WARNING);
      const std::string root = report.root.empty() ? context.working_path() : report.root;
      std::vector<std::string> expected;
      for (const auto& spec : specs)
        expected.push_back(spec.name + "/" + (spec.is_required ? " (required)" : ""));
      std::string error = std::string("no data unit to upload under '") + root + "' (" +
                          report.strategy + " discovery). Expected: " +
                          (report.strategy == "by_extension"
                               ? std::string("files of every spec side by side, the spec "
                                             "chosen by extension")
                               : "one folder per file specification: " + join(expected)) +
                          ", files pairing up by stem. Found: " + describe_found(report);
      if (context.dry_run()) {
        // The plan says why nothing would be uploaded instead of the run failing here.
        run.log_message(MessageContext::warning, error);
        run_.plan_problems.push_back(std::move(error));
        return StepResult::ok({{"units", 0}});
      }
      return StepResult::failure(error);
    }
    run_.units_before_hook = context.organized_files().size();
    log_code(run, LogCode::FILES_DISCOVERED, {std::to_string(context.organized_files().size())});
    return StepResult::ok(
        {{"units", context.organized_files().size()}},
        {{"files_count", context.organized_files().size()}, {"type_dirs", found}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    context.organized_files().clear();
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_organize_files_step(UploadRun& run) {
  return std::make_shared<OrganizeFilesStep>(run);
}

}  // namespace synapse::runtime::upload
