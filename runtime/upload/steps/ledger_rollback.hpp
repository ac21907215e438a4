// Shared by upload_files and generate_data_units: undo what the run recorded in its ledger.
// The first call removes tasks, data units and data files; a second call only retries what was
// kept, so both steps can call it in reverse order without doing the work twice.
#pragma once

#include <synapse/upload/upload_context.hpp>

#include "upload/steps/upload_run.hpp"

namespace synapse::runtime::upload {

void roll_back_ledger(synapse::upload::UploadContext& context, UploadRun& run);

}  // namespace synapse::runtime::upload
