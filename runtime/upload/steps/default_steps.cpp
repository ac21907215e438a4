#include "upload/steps/default_steps.hpp"

namespace synapse::runtime::upload {

synapse::upload::StepRegistry make_default_registry(UploadRun& run) {
  synapse::upload::StepRegistry registry;
  registry.add(make_initialize_step(run));
  registry.add(make_process_metadata_step(run));
  registry.add(make_analyze_collection_step(run));
  registry.add(make_organize_files_step(run));
  registry.add(make_validate_files_step(run));
  registry.add(make_upload_files_step(run));
  registry.add(make_generate_data_units_step(run));
  registry.add(make_cleanup_step(run));
  return registry;
}

}  // namespace synapse::runtime::upload
