// The export-yolo plugin's Exporter: convert_data turns each item's annotation into its label
// lines (the host saves that fragment as json/<id>.json), item_exported writes
// labels/<stem>.txt, finish() writes classes.txt and data.yaml. Nothing per item is kept.
#pragma once

#include <cstddef>
#include <optional>

#include <synapse/export/exporter.hpp>

#include "yolo_converter.hpp"

namespace export_plugins::yolo {

class YoloExporter final : public synapse::exports::Exporter {
 public:
  void start(synapse::exports::ExportContext& context) override;
  nlohmann::json convert_data(nlohmann::json item,
                              synapse::exports::ExportContext& context) override;
  void item_exported(const nlohmann::json& converted,
                     synapse::exports::ExportContext& context) override;
  void finish(synapse::exports::ExportContext& context) override;

 private:
  std::optional<YoloConverter> converter_;
  std::size_t label_files_ = 0;
  std::size_t renamed_label_files_ = 0;
};

}  // namespace export_plugins::yolo
