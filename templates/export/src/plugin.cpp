// The library's exported symbols: its metadata (ABI, SDK, compiler, category) and the factory
// of the Exporter that config.yaml names (`entrypoint: lib<target>.so:Exporter`). Exactly one
// translation unit of the plugin holds these; the code is in exporter.cpp.
#include <synapse/export/exporter.hpp>

#include "exporter.hpp"

SYNAPSE_PLUGIN(export)
SYNAPSE_EXPORTER(Exporter, plugin::PluginExporter)
