// The 8 built-in upload steps (spec/upload.md §6, design.md §5), each in its own file, and the
// default registry that holds them in order with the code weights .05 .10 .05 .15 .10 .30 .20
// .05. They share the runtime's UploadRun (must outlive the registry's use).
#pragma once

#include <memory>

#include <synapse/upload/step.hpp>
#include <synapse/upload/step_registry.hpp>

#include "upload/steps/upload_run.hpp"

namespace synapse::runtime::upload {

std::shared_ptr<synapse::upload::Step> make_initialize_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_process_metadata_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_analyze_collection_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_organize_files_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_validate_files_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_upload_files_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_generate_data_units_step(UploadRun& run);
std::shared_ptr<synapse::upload::Step> make_cleanup_step(UploadRun& run);

// A registry with the 8 steps in order.
synapse::upload::StepRegistry make_default_registry(UploadRun& run);

}  // namespace synapse::runtime::upload
