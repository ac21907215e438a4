// The plugin's Exporter. The host runs the export: it checks the params, pages through the
// target's items (task, assignment or ground_truth), creates the export folder and, per item,
// calls
//
//   before_convert(item) -> convert_data(item) -> after_convert(item)
//
// then saves the converted item's `data` as json/<id>.json (and, with save_original_file, its
// original file as origin_files/<name>), then item_exported(). A hook that throws fails that
// item only (listed in error_file_list.json); the export goes on. An item looks like
//
//   {"id": 42,                                  // keep it: the output is named by it
//    "data": {"images": [{"bounding_box": [...], "polygon": [...]}], ...},   // Synapse DM v2
//    "files": {"file_name_original": "cat.jpg", "path": "/...", "width": 160, ...},  // keep it
//    "data_unit": {"id": 5, "meta": {...}, "files": {...}}}
//
// See synapse/export/exporter.hpp and docs/annotation-format.md of the synapse sources.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <synapse/export/exporter.hpp>

namespace plugin {

// {"bounding_box": 2, "polygon": 1}: the annotations of every image of a Synapse DM v2
// document, counted per tool. A document without `images` has none.
nlohmann::json count_shapes(const nlohmann::json& data);

class PluginExporter final : public synapse::exports::Exporter {
 public:
  // Before the conversion: the place to check or normalise the item. Passes it through.
  nlohmann::json before_convert(nlohmann::json item,
                                synapse::exports::ExportContext& context) override;
  // The conversion: adds data.shape_counts (count_shapes) unless extra_params.add_shape_counts
  // is false. `id` and `files` are left as they are.
  nlohmann::json convert_data(nlohmann::json item,
                              synapse::exports::ExportContext& context) override;
  // After the conversion: the place for a last edit of what gets saved. Passes it through.
  nlohmann::json after_convert(nlohmann::json item,
                               synapse::exports::ExportContext& context) override;
  // The item's outputs are saved: adds its shapes to the totals.
  void item_exported(const nlohmann::json& converted,
                     synapse::exports::ExportContext& context) override;
  // After the last item: one message with the totals.
  void finish(synapse::exports::ExportContext& context) override;

  std::int64_t exported() const { return exported_; }

 private:
  std::int64_t exported_ = 0;
  std::map<std::string, std::int64_t> shape_totals_;
};

}  // namespace plugin
