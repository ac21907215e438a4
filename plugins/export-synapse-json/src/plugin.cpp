// export-synapse-json: the library's exported symbols (metadata and the Exporter factory). The
// code is in synapse_json_exporter.cpp, which the tests link directly.
#include <synapse/export/exporter.hpp>

#include "synapse_json_exporter.hpp"

SYNAPSE_PLUGIN(export)
SYNAPSE_EXPORTER(Exporter, export_plugins::synapse_json::SynapseJsonExporter)
