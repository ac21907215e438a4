// Step 3, analyze_collection (spec §6.3): reads the data collection and its file
// specifications, reporting progress on `analyze_collection` (0/2, 1/2, 2/2).
#include <synapse/upload/step.hpp>

#include "upload/steps/default_steps.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::StepResult;
using synapse::upload::UploadContext;

class AnalyzeCollectionStep final : public synapse::upload::Step {
 public:
  explicit AnalyzeCollectionStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "analyze_collection"; }
  double progress_weight() const override { return 0.05; }

 protected:
  StepResult do_execute(UploadContext& context) override {
    synapse::RunContext& run = context.run();
    run.set_progress(0, 2, "analyze_collection");
    synapse::DataCollection collection;
    try {
      collection = context.catalog()->get_data_collection(run_.params.data_collection);
    } catch (const std::exception& e) {
      return StepResult::failure("Failed to analyze collection " +
                                 std::to_string(run_.params.data_collection) + ": " + e.what());
    }
    run.set_progress(1, 2, "analyze_collection");
    if (collection.file_specifications.empty()) {
      return StepResult::failure("data collection '" + collection.name +
                                 "' has no file specifications: nothing tells which files "
                                 "make up a data unit");
    }
    context.file_specifications() = collection.file_specifications;
    nlohmann::json names = nlohmann::json::array();
    for (const auto& spec : collection.file_specifications)
      names.push_back(spec.name);
    context.set_collection(std::move(collection));
    run.set_progress(2, 2, "analyze_collection");
    return StepResult::ok({{"file_specifications", names}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    context.file_specifications().clear();
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_analyze_collection_step(UploadRun& run) {
  return std::make_shared<AnalyzeCollectionStep>(run);
}

}  // namespace synapse::runtime::upload
