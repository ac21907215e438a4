// Step 1, initialize (spec §6.1): opens the storage(s) the upload reads from and checks the
// upload path exists, so a wrong path fails here with its name instead of as "no files".
#include <map>

#include <synapse/upload/step.hpp>

#include "storage/storage_factory.hpp"
#include "upload/steps/default_steps.hpp"

namespace synapse::runtime::upload {

namespace {

using synapse::upload::StepResult;
using synapse::upload::UploadContext;

class InitializeStep final : public synapse::upload::Step {
 public:
  explicit InitializeStep(UploadRun& run) : run_(run) {}
  std::string name() const override { return "initialize"; }
  double progress_weight() const override { return 0.05; }

 protected:
  void validate_prerequisites(const UploadContext& context) const override {
    if (context.catalog() == nullptr)
      throw synapse::ActionError("a catalog is required for initialization");
  }

  StepResult do_execute(UploadContext& context) override {
    const UploadParams& params = run_.params;
    std::map<synapse::CatalogId, synapse::Storage*> opened;
    const auto open = [&](synapse::CatalogId id) -> synapse::Storage* {
      if (auto it = opened.find(id); it != opened.end())
        return it->second;
      synapse::StorageRecord record;
      try {
        record = context.catalog()->get_storage(id);
      } catch (const std::exception& e) {
        throw synapse::ActionError("Failed to get storage " + std::to_string(id) + ": " + e.what());
      }
      run_.storages.push_back(make_storage(record.provider, record.configuration));
      return opened[id] = run_.storages.back().get();
    };

    synapse::Storage* storage = open(params.storage);
    context.set_storage(storage);
    nlohmann::json data = {{"storage", params.storage}};
    if (params.use_single_path) {
      const std::string path = params.path.value_or("");
      const auto info = storage->stat(path);
      if (!info || !info->is_directory) {
        return StepResult::failure(
            "Failed to get path '" + path + "' in the " + storage->provider() + " storage " +
            std::to_string(params.storage) + ": " +
            (info ? "it is a file, expected a folder" : "it does not exist"));
      }
      context.set_working_path(path);
      data["path"] = path;
    } else {
      for (const auto& [spec, asset] : params.assets)
        context.set_storage_for(spec, open(params.asset_storage(asset)));
      context.set_working_path(params.path.value_or(""));
      data["assets"] = params.assets.size();
    }
    return StepResult::ok(data,
                          {{"storage_id", params.storage}, {"path", params.path.value_or("")}});
  }

  void do_rollback(UploadContext& context, const StepResult&) override {
    context.run().log_message(synapse::MessageContext::info, "Rolling back initialization step");
  }

 private:
  UploadRun& run_;
};

}  // namespace

std::shared_ptr<synapse::upload::Step> make_initialize_step(UploadRun& run) {
  return std::make_shared<InitializeStep>(run);
}

}  // namespace synapse::runtime::upload
