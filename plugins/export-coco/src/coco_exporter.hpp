// The export-coco plugin's Exporter: convert_data (or, on the host's text path, convert_text)
// turns each item's annotation into its COCO fragment (which the host saves as
// json/<id>.json), item_exported (text_item_exported) appends it to the InstancesWriter,
// finish() writes instances.json at the export folder's root.
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

  // The host's text path: the same conversion without a tree per annotation.
  bool converts_text() const override { return true; }
  ConvertedText convert_text(const nlohmann::json& item, std::string_view data,
                             synapse::exports::ExportContext& context) override;
  void text_item_exported(const nlohmann::json& item, std::string&& kept,
                          synapse::exports::ExportContext& context) override;
  void finish(synapse::exports::ExportContext& context) override;

 private:
  std::optional<CocoConverter> converter_;
  std::optional<InstancesWriter> writer_;
};

}  // namespace export_plugins::coco
