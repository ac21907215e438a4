#include "synapse_json_exporter.hpp"

#include <string>

namespace export_plugins::synapse_json {

nlohmann::json SynapseJsonExporter::convert_data(nlohmann::json item,
                                                 synapse::exports::ExportContext& /*context*/) {
  return item;
}

void SynapseJsonExporter::item_exported(const nlohmann::json& /*converted*/,
                                        synapse::exports::ExportContext& /*context*/) {
  ++exported_;
}

void SynapseJsonExporter::finish(synapse::exports::ExportContext& context) {
  context.run().log_message(synapse::MessageContext::info,
                            "export-synapse-json: " + std::to_string(exported_) +
                                " annotations written as Synapse DM v2 JSON");
}

}  // namespace export_plugins::synapse_json
