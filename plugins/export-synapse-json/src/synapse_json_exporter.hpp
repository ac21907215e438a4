// The export-synapse-json plugin's Exporter: the annotation `data` of each item is exported as
// it is stored (Synapse DM v2, docs/annotation-format.md); the host saves it as json/<id>.json
// and, when save_original_file is set, the original file as origin_files/<file_name_original>.
#pragma once

#include <cstddef>

#include <synapse/export/exporter.hpp>

namespace export_plugins::synapse_json {

class SynapseJsonExporter final : public synapse::exports::Exporter {
 public:
  // The host copies each stored annotation to json/<id>.json without parsing it.
  bool passes_data_through() const override { return true; }
  // Returns `item` unchanged (a host that ignores passes_data_through() still gets the same
  // files, keys sorted).
  nlohmann::json convert_data(nlohmann::json item,
                              synapse::exports::ExportContext& context) override;
  void item_exported(const nlohmann::json& converted,
                     synapse::exports::ExportContext& context) override;
  void finish(synapse::exports::ExportContext& context) override;

  std::size_t exported() const { return exported_; }

 private:
  std::size_t exported_ = 0;
};

}  // namespace export_plugins::synapse_json
