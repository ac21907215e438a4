// The export-coco plugin's Exporter: convert_data turns each item's annotation into its COCO
// fragment (which the host saves as json/<id>.json), item_exported appends the fragment to the
// InstancesWriter, finish() writes instances.json at the export folder's root.
#pragma once

#include <optional>

#include <synapse/export/exporter.hpp>

#include "coco_converter.hpp"

namespace export_plugins::coco {

class CocoExporter final : public synapse::exports::Exporter {
 public:
  void start(synapse::exports::ExportContext& context) override;
  nlohmann::json convert_data(nlohmann::json item,
                              synapse::exports::ExportContext& context) override;
  void item_exported(const nlohmann::json& converted,
                     synapse::exports::ExportContext& context) override;
  void finish(synapse::exports::ExportContext& context) override;

 private:
  std::optional<CocoConverter> converter_;
  std::optional<InstancesWriter> writer_;
};

}  // namespace export_plugins::coco
