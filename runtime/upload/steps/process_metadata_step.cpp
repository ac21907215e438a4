// Step 2, process_metadata (spec §6.2): loads the metadata spreadsheet into the metadata
// strategy — the file named by excel_metadata_path, else meta.xlsx / meta.xls (meta.csv for
// the csv strategy) at the top of the upload path. A security limit always fails the step; a
// parse error fails it only for a file the user named (an auto-detected one is skipped with a
// warning, as in Python).
#include <synapse/upload/step.hpp>

#include "upload/metadata/metadata_error.hpp"
#include "upload/steps/default_steps.hpp"
#include "upload/steps/log_codes.hpp"
#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::MessageContext;
using synapse::upload::StepResult;
using synapse::upload::UploadContext;

std::string join_path(const std::string& folder, const std::string& name) {
  if (folder.empty() || folder == "/")
    return folder + name;
  return folder.back() == '/' ? folder + name : folder + "/" + name;
}

class ProcessMetadataStep final : public synapse::upload::Step {
 public:
  explicit ProcessMetadataStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "process_metadata"; }
  double progress_weight() const override { return 0.10; }

 protected:
  bool can_skip(const UploadContext& context) const override {
    const auto* strategy = context.strategies().metadata.get();
    return strategy == nullptr || strategy->name() == "none";
  }

  StepResult do_execute(UploadContext& context) override {
    auto& strategy = *context.strategies().metadata;
    synapse::RunContext& run = context.run();
    synapse::Storage& storage = *context.storage();

    std::string source;
    const bool explicit_path =
        run_.params.excel_metadata_path.has_value() && !run_.params.excel_metadata_path->empty();
    if (explicit_path) {
      source = resolve_excel_metadata_path(run_.params);
      if (!storage.stat(source)) {
        log_code(run, LogCode::EXCEL_FILE_NOT_FOUND_PATH);
        return StepResult::failure("Excel metadata file not found: " + source);
      }
    } else if (run_.params.use_single_path) {
      const char* const candidates[] = {"meta.xlsx", "meta.xls", "meta.csv"};
      for (const char* candidate : candidates) {
        const std::string path = join_path(context.working_path(), candidate);
        const bool csv = std::string(candidate).ends_with(".csv");
        if ((strategy.name() == "csv") == csv && storage.stat(path)) {
          source = path;
          break;
        }
      }
    }
    if (source.empty()) {
      return StepResult::ok({{"metadata_rows", 0}}, {{"metadata_processed", false}});
    }

    try {
      ReadStreamIStream in(storage.open_read(source));
      strategy.load(in, source);
    } catch (const ExcelMetadataError& e) {
      if (e.category() == ErrorCategory::security) {
        log_code(run, LogCode::EXCEL_SECURITY_VIOLATION, {e.what()});
        return StepResult::failure(std::string("Excel security violation: ") + e.what());
      }
      log_code(run, LogCode::EXCEL_PARSING_ERROR, {e.what()});
      if (explicit_path)
        return StepResult::failure(std::string("Excel parsing error: ") + e.what());
      return StepResult::ok({{"metadata_rows", 0}}, {{"metadata_processed", false}});
    }
    for (const auto& warning : strategy.warnings())
      run.log_message(MessageContext::warning, "metadata " + source + ": " + warning);
    run_.metadata_source = source;
    log_code(run, LogCode::EXCEL_METADATA_LOADED, {std::to_string(strategy.size())});
    return StepResult::ok({{"metadata_rows", strategy.size()}, {"source", source}},
                          {{"metadata_processed", true}});
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_process_metadata_step(UploadRun& run) {
  return std::make_shared<ProcessMetadataStep>(run);
}

}  // namespace synapse::runtime::upload
