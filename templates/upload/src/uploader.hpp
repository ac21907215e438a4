// The plugin's Uploader. The host runs the upload itself (discovery, metadata, validation,
// storing, data units, rollback on failure); an Uploader customises it with two hooks:
//
//   configure(pipeline)              once, before anything runs: add, insert, replace, remove or
//                                    reorder steps (pipeline.steps()), register or force
//                                    strategies (pipeline.strategies());
//   handle_upload_files(units, ctx)  after organize_files, before validate_files: filter, edit
//                                    or add organized units (Python's BaseUploader pipeline).
//
// See synapse/upload/uploader.hpp, step_registry.hpp and strategy_registry.hpp.
#pragma once

#include <vector>

#include <synapse/upload/uploader.hpp>

namespace plugin {

class PluginUploader final : public synapse::upload::Uploader {
 public:
  // Inserts SummarizeUnitsStep (summary_step.hpp) right after organize_files.
  void configure(synapse::upload::UploadPipeline& pipeline) override;

  // Called with the organized units in key order, in chunks of at most kHandleChunk (10000)
  // units; returns the units to upload. This template keeps every unit that filter_files()
  // accepts; edit a unit's `meta` or `files` here to change what is stored.
  std::vector<synapse::upload::OrganizedUnit> handle_upload_files(
      std::vector<synapse::upload::OrganizedUnit> units,
      synapse::upload::UploadContext& context) override;

  // Python's filter_files(item): true keeps the unit. Keeps everything; e.g. return
  // !unit.key.starts_with("tmp_") to leave out the units whose key starts with tmp_.
  bool filter_files(const synapse::upload::OrganizedUnit& unit) const;
};

}  // namespace plugin
