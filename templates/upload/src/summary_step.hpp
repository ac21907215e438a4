// A custom upload step. The host's upload runs 8 steps (initialize, process_metadata,
// analyze_collection, organize_files, validate_files, upload_files, generate_data_units,
// cleanup); Uploader::configure() inserts this one right after organize_files, so it sees the
// units as handle_upload_files left them. It counts the units and their files per file
// specification, logs one line, emits a `unit_summary` event and keeps the summary in the
// context's bag() (free-form room for plugin steps) under "unit_summary".
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/upload/step.hpp>
#include <synapse/upload/units.hpp>

namespace plugin {

// What the step counts; a class of its own so the tests check it without an upload.
class UnitSummary {
 public:
  void add(const synapse::upload::OrganizedUnit& unit);

  std::int64_t units() const { return units_; }
  std::int64_t files() const { return files_; }
  // {"units": 2, "files": 3, "files_per_spec": {"image_1": 2, "meta": 1}}
  nlohmann::json to_json() const;
  // "2 units, 3 files (image_1: 2, meta: 1)"
  std::string describe() const;

 private:
  std::int64_t units_ = 0;
  std::int64_t files_ = 0;
  std::map<std::string, std::int64_t> files_per_spec_;
};

class SummarizeUnitsStep final : public synapse::upload::Step {
 public:
  static constexpr const char* kName = "summarize_units";

  std::string name() const override { return kName; }
  // Counting is quick next to storing files: no share of the progress bar.
  double progress_weight() const override { return 0.0; }

 protected:
  // Step::execute() wraps this: logging, timing, the cancellation check before it starts, and
  // any exception turned into a failed result (the upload then rolls back).
  synapse::upload::StepResult do_execute(synapse::upload::UploadContext& context) override;
};

}  // namespace plugin
