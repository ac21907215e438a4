// Exporter: what an export plugin exports (spec/export.md §8, design.md §6). The host runs the
// export action: it validates ExportParams, pages lazily through the target (assignment,
// ground_truth, task), creates the export folder and, for each item, calls
//
//   before_convert(item) -> convert_data(item) -> after_convert(item)      (item JSON in/out)
//
// then saves the converted item's `data` as `json/<id>.json` and, when save_original_file is
// set, copies its original file to `origin_files/<file_name_original>`; then item_exported().
// A hook that throws fails that item only: it is recorded in error_file_list.json and the
// export goes on. finish() runs after the last item (Python's additional_file_saving).
//
// An export item, as the host builds it:
//
//   {
//     "id":    42,                         // the task / assignment / ground-truth event id
//     "data":  {...} | null,               // its annotation, Synapse DM format
//                                          // (docs/annotation-format.md); null = not annotated
//     "files": {                           // the data unit's first file (first file spec)
//       "id": 7, "spec": "image_1", "file_name_original": "cat.jpg",
//       "checksum": "<sha256>", "size": 5120,
//       "path": "/abs/path/in/the/content/store", "url": "file:///abs/path/...",
//       "width": 160, "height": 120        // only for images whose header the host can read
//     },
//     "data_unit": {"id": 5, "meta": {...}, "files": {"image_1": {...}, "meta": {...}}}
//   }
//
// The hooks must keep `id`, and `files` (with `path` and `file_name_original`) when originals
// are saved. Override export_all() instead to take over the whole loop (the host still creates
// the folder, sets up progress and metrics, and writes nothing else).
//
//   #include <synapse/export/exporter.hpp>
//   class MyExporter final : public synapse::exports::Exporter { ... };
//   SYNAPSE_PLUGIN(export)
//   SYNAPSE_EXPORTER(Exporter, MyExporter)    // config.yaml: entrypoint: libmine.so:Exporter
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <synapse/export/export_context.hpp>
#include <synapse/plugin.hpp>
#include <synapse/visibility.hpp>

namespace synapse::exports {

class SYNAPSE_SYMBOL_VISIBLE Exporter {
 public:
  virtual ~Exporter() = default;

  // Once, after the export folder exists and before the first item.
  virtual void start(ExportContext& /*context*/) {}

  virtual nlohmann::json before_convert(nlohmann::json item, ExportContext& /*context*/) {
    return item;
  }
  virtual nlohmann::json convert_data(nlohmann::json item, ExportContext& /*context*/) {
    return item;
  }
  virtual nlohmann::json after_convert(nlohmann::json item, ExportContext& /*context*/) {
    return item;
  }

  // After an item's outputs were all saved (not called for a failed item): where an exporter
  // that builds one file for the whole export (COCO) appends this item. Calls come in item
  // order and on the thread that runs the other hooks, but the host saves outputs while it
  // converts the next items, so the convert hooks of a few later items may run before it.
  virtual void item_exported(const nlohmann::json& /*converted*/, ExportContext& /*context*/) {}

  // Once, after the last item, when the export was not cancelled.
  virtual void finish(ExportContext& /*context*/) {}

  // Pass-through exporters (export-synapse-json): return true when the convert hooks leave
  // `data` as it is. The host then calls none of before_convert / convert_data / after_convert,
  // never parses the annotations: it copies each one as stored to json/<id>.json, indented by 4
  // with its keys in stored order (as Python's json.dump(indent=4) of json.load), and hands
  // item_exported() the item without `data` (only {"id"} when originals are not saved).
  virtual bool passes_data_through() const { return false; }

  // Text conversion, for exporters whose conversion reads each annotation once and writes
  // text (export-coco): return true from converts_text() and the host calls convert_text()
  // instead of before_convert / convert_data / after_convert, and text_item_exported() instead
  // of item_exported(). It never parses the annotations itself: `item` is the export item
  // without `data` (files.origin_file_name added for text_item_exported, as for
  // item_exported), `data` the annotation as stored (compact JSON; an item without one is
  // failed as "data is null" before any hook). The returned `data` must be JSON text: the host
  // writes it to json/<id>.json indented by 4, keys, numbers and escapes as written (text that
  // is not JSON fails the item). `kept` comes back to text_item_exported() once the item's
  // outputs are saved (a failed item never gets it). Calls come in item order on the loop
  // thread, as for the JSON hooks. Ignored when passes_data_through() is true.
  struct ConvertedText {
    std::string data;
    std::string kept;
  };
  virtual bool converts_text() const { return false; }
  virtual ConvertedText convert_text(const nlohmann::json& /*item*/, std::string_view data,
                                     ExportContext& /*context*/) {
    return {std::string(data), {}};
  }
  virtual void text_item_exported(const nlohmann::json& /*item*/, std::string&& /*kept*/,
                                  ExportContext& /*context*/) {}

  // Whole-export override: return true from replaces_export() and the host calls export_all()
  // instead of its item loop; its return value becomes the action's result (the host adds
  // `export_path`). Items are read lazily; check context.run().is_cancelled() between them.
  virtual bool replaces_export() const { return false; }
  virtual nlohmann::json export_all(ItemReader& /*items*/, ExportContext& /*context*/) {
    return nlohmann::json::object();
  }
};

// Signature of the factory SYNAPSE_EXPORTER exports; the host owns and deletes the object.
using ExporterFactory = Exporter*();

}  // namespace synapse::exports

// Exports a factory alias `Alias` that creates `Class` (default-constructible, derived from
// synapse::exports::Exporter), in its own section so the host can tell an exporter from an
// action before calling it.
#define SYNAPSE_EXPORTER(Alias, Class)                      \
  namespace synapse_plugin_factories {                      \
  ::synapse::exports::Exporter* Alias##_synapse_factory() { \
    return new Class();                                     \
  }                                                         \
  }                                                         \
  BOOST_DLL_ALIAS_SECTIONED(synapse_plugin_factories::Alias##_synapse_factory, Alias, synexpt)
