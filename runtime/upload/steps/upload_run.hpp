// UploadRun: what the built-in steps share beyond the SDK's UploadContext — the typed params,
// the storages they opened, the discovery report, the rollback ledger and the counters the
// dry-run plan and the result are made of. Runtime-only: plugin steps see the UploadContext.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <synapse/storage.hpp>
#include <synapse/upload/strategies.hpp>

#include "upload/params/upload_params.hpp"
#include "upload/storing/file_uploader.hpp"
#include "upload/storing/rollback.hpp"

namespace synapse::runtime::upload {

// A count with the first few examples, for the plan and the error messages.
struct ProblemList {
  std::uint64_t count = 0;
  std::vector<std::string> examples;
  void add(std::string text, std::size_t max_examples = 10) {
    ++count;
    if (examples.size() < max_examples)
      examples.push_back(std::move(text));
  }
  nlohmann::json to_json() const { return {{"count", count}, {"examples", examples}}; }
};

struct UploadRun {
  UploadParams params;
  nlohmann::json strategy_names = nlohmann::json::object();
  std::vector<std::unique_ptr<synapse::Storage>> storages;  // opened by initialize
  synapse::upload::DiscoveryReport discovery;
  RollbackLedger ledger;
  nlohmann::json rollback_report;  // null until a rollback ran

  // process_metadata / organize_files
  std::string metadata_source;  // storage path of the metadata file, "" = none
  std::uint64_t units_with_metadata = 0;
  std::uint64_t units_before_hook = 0;
  // Dry run: why the upload would fail (e.g. a layout with no unit).
  std::vector<std::string> plan_problems;
  // validate_files
  ProblemList invalid_units;
  ProblemList meta_schema_failures;
  // Units per upload / data-unit batch read from the spools (UploadTuning::batch_units).
  std::size_t batch_units = kUnitsPerBatch;
};

}  // namespace synapse::runtime::upload
