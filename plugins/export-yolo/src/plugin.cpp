// export-yolo: the library's exported symbols (metadata and the Exporter factory). The code is
// in yolo_exporter.cpp / yolo_converter.cpp, which the tests link directly.
#include <synapse/export/exporter.hpp>

#include "yolo_exporter.hpp"

SYNAPSE_PLUGIN(export)
SYNAPSE_EXPORTER(Exporter, export_plugins::yolo::YoloExporter)
