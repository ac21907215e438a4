// export-coco: the library's exported symbols (metadata and the Exporter factory). The code is
// in coco_exporter.cpp / coco_converter.cpp, which the tests link directly.
#include <synapse/export/exporter.hpp>

#include "coco_exporter.hpp"

SYNAPSE_PLUGIN(export)
SYNAPSE_EXPORTER(Exporter, export_plugins::coco::CocoExporter)
