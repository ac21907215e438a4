// The upload category's built-in action (spec/upload.md §1, §3; design.md §5): validates the
// params (UploadParams, checked against the catalog), builds the default step registry and
// the strategy registry, lets the plugin's Uploader configure both, runs every step through
// the orchestrator with the plugin's handle_upload_files after organize_files, and rolls back
// on failure or cancellation.
//
// Outcome: the result dictionary of spec §4.3 (plus `dry_run` and `plan` for a dry run);
// ParamsError (exit 2) listing every params problem; ActionError (exit 1) "Upload failed: ..."
// naming the step, the error and what the rollback removed; CancelledError (exit 130).
#pragma once

#include <cstddef>
#include <memory>

#include <nlohmann/json.hpp>
#include <synapse/action.hpp>
#include <synapse/catalog.hpp>
#include <synapse/upload/uploader.hpp>

#include "upload/storing/file_uploader.hpp"

namespace synapse::runtime::upload {

// `uploader` may be null (the pipeline then runs with the built-in steps and strategies only).
// `action_config` is the action's mapping in config.yaml (its `excel_config` is honoured).
std::shared_ptr<synapse::Action> make_upload_action(
    std::shared_ptr<synapse::upload::Uploader> uploader, synapse::Catalog& catalog,
    nlohmann::json action_config);

// Internal sizes, fixed for real runs; tests shrink them to exercise many batches with few files.
struct UploadTuning {
  // Units per upload_files / generate_data_units batch read from the spools: bounds memory;
  // with the async strategy two batches are stored at once (batch_overlap.hpp). 4,000 (one
  // commit each, see kMinCommitUnits in file_uploader.cpp): 56-60 MiB peak RSS on 100,000
  // small files, 44-47 MiB with 2,000; the benchmark's bound is 64 MiB.
  std::size_t batch_units = kUnitsPerBatch;
};

// The same work without the Action wrapper (tests call it directly).
nlohmann::json run_upload(synapse::upload::Uploader* uploader, synapse::RunContext& run,
                          synapse::Catalog& catalog, const nlohmann::json& params,
                          const nlohmann::json& action_config, const UploadTuning& tuning = {});

}  // namespace synapse::runtime::upload
