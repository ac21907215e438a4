#include "uploader.hpp"

#include <memory>
#include <utility>

#include "summary_step.hpp"

namespace plugin {

void PluginUploader::configure(synapse::upload::UploadPipeline& pipeline) {
  pipeline.steps().insert_after("organize_files", std::make_shared<SummarizeUnitsStep>());
}

std::vector<synapse::upload::OrganizedUnit> PluginUploader::handle_upload_files(
    std::vector<synapse::upload::OrganizedUnit> units,
    synapse::upload::UploadContext& /*context*/) {
  std::vector<synapse::upload::OrganizedUnit> kept;
  kept.reserve(units.size());
  for (auto& unit : units) {
    if (filter_files(unit))
      kept.push_back(std::move(unit));
  }
  return kept;
}

bool PluginUploader::filter_files(const synapse::upload::OrganizedUnit& /*unit*/) const {
  return true;
}

}  // namespace plugin
