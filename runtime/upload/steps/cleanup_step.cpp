// Step 8, cleanup (spec §6.8): frees the spools' temporary files and logs IMPORT_COMPLETED.
// Unlike Python it never deletes `<process cwd>/temp`: a folder the upload did not create is
// not the upload's to remove. Skipped with skip_cleanup (the spools then live until the run
// ends) and in a dry run.
#include <synapse/upload/step.hpp>

#include "upload/steps/default_steps.hpp"
#include "upload/steps/log_codes.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::StepResult;
using synapse::upload::UploadContext;

class CleanupStep final : public synapse::upload::Step {
 public:
  explicit CleanupStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "cleanup"; }
  double progress_weight() const override { return 0.05; }

 protected:
  bool can_skip(const UploadContext& context) const override {
    return run_.params.skip_cleanup || context.dry_run();
  }

  StepResult do_execute(UploadContext& context) override {
    // The organized units are no longer needed once the data units exist; uploaded files and
    // data units stay: the result counts them.
    context.organized_files().clear();
    log_code(context.run(), LogCode::IMPORT_COMPLETED);
    return StepResult::ok({{"cleanup_completed", true}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    context.run().log_message(synapse::MessageContext::info,
                              "Cleanup step rollback - no action needed");
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_cleanup_step(UploadRun& run) {
  return std::make_shared<CleanupStep>(run);
}

}  // namespace synapse::runtime::upload
